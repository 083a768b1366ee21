"""The compose screen: a modal around the composer, with save-and-close and send-later."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import Footer, Label

from reader.store import Store
from reader.text import terminal_safe
from reader.widgets.composer import Composer


class ComposeScreen(ModalScreen[str | None]):
    """Write a comment on an article. Dismisses with ``"queued"``, ``"saved"`` or None."""

    BINDINGS = [
        Binding("escape", "close", "Save & close", id="compose.close"),
        Binding(
            "ctrl+s",
            "queue",
            "Send later",
            id="compose.queue",
            tooltip="Move the draft to the outbox; it goes out when online",
        ),
    ]

    DEFAULT_CSS = """
    ComposeScreen {
        align: center middle;
        & #compose-box {
            width: 90%;
            max-width: 110;
            height: 80%;
            border: round $accent;
            background: $surface;
            padding: 0 1;
        }
        & #compose-title { color: $text-primary; text-style: bold; height: auto; }
        & #compose-hint { color: $text-muted; height: 1; }
        & Composer { height: 1fr; }
    }
    """

    def __init__(
        self,
        store: Store,
        article_url: str,
        article_title: str,
        article_id: int | None = None,
        parent_comment: int | None = None,
    ) -> None:
        super().__init__()
        self.store = store
        self.article_url = article_url
        self.article_title = article_title
        self.article_id = article_id
        self.parent_comment = parent_comment

    def compose(self) -> ComposeResult:
        """Title, composer, footer with the keys."""
        target = "Reply" if self.parent_comment else "Comment"
        with Vertical(id="compose-box"):
            yield Label(f"{target} on: {terminal_safe(self.article_title)}", id="compose-title")
            yield Label(
                "Autosaved as you type · esc: save & close · ctrl+s: send later", id="compose-hint"
            )
            yield Composer(
                self.store, self.article_url, self.article_id, self.parent_comment, id="composer"
            )
        yield Footer()

    @property
    def composer(self) -> Composer:
        """The composer widget."""
        return self.query_one(Composer)

    def action_close(self) -> None:
        """Save and close."""
        self.composer.save()
        self.dismiss("saved")

    def action_queue(self) -> None:
        """Save, then move the draft to the outbox."""
        composer = self.composer
        draft = composer.save()
        if draft is None or not draft.body.strip():
            self.notify("Write something first.", severity="warning")
            return
        problems = [
            label
            for label, value in (("name", draft.name), ("e-mail", draft.email))
            if not value.strip()
        ]
        if problems:
            self.notify(f"Most sites need a {' and '.join(problems)}.", severity="warning")
            return
        self.store.drafts.set_state(draft.id, "queued")
        self.dismiss("queued")
