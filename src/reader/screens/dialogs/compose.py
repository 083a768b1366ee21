"""The compose screen: a modal around the composer, with save-and-close and send-later."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import Footer, Label, Static

from reader.cells import terminal_safe
from reader.store import Draft, Store
from reader.widgets.composer import Composer


class ComposeScreen(ModalScreen[str | None]):
    """Write a comment on an article. Dismisses with ``"queued"``, ``"saved"`` or None."""

    BINDINGS = [
        Binding("escape", "close", "Save & close", id="compose.close"),
        Binding(
            "ctrl+s",
            "queue",
            "Send",
            id="compose.queue",
            tooltip="Move the draft to the outbox; it goes out now or when online",
        ),
        Binding("ctrl+r", "preview", "Preview", id="compose.preview"),
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
        & #compose-warning { color: $text-warning; height: auto; width: 1fr; }
        & Composer { height: 1fr; }
        & #compose-preview { display: none; height: auto; max-height: 50%; border: tall $panel;
                             padding: 0 1; background: $background; }
        &.-preview #compose-preview { display: block; }
    }
    """

    def __init__(
        self,
        store: Store,
        article_url: str,
        article_title: str,
        article_id: int | None = None,
        parent_comment: int | None = None,
        reply_to: tuple[str, str] | None = None,
    ) -> None:
        super().__init__()
        self.store = store
        self.article_url = article_url
        self.article_title = article_title
        self.article_id = article_id
        self.parent_comment = parent_comment
        self.reply_to = reply_to
        """(author, text) of the comment answered, when the caller has it on screen."""

    @classmethod
    def for_draft(cls, store: Store, draft: Draft) -> ComposeScreen:
        """Reopen a saved draft: on its article (title and id when it is cached)."""
        record = store.articles.by_url(draft.article_url)
        title = record.title if record else draft.article_url
        article_id = record.id if record else None
        return cls(store, draft.article_url, title, article_id, draft.parent_comment)

    def compose(self) -> ComposeResult:
        """Title, composer, footer with the keys."""
        with Vertical(id="compose-box"):
            yield Label(self._title(), id="compose-title")
            yield Label(
                "Autosaved · esc: save & close · ctrl+s: send · ctrl+r: preview",
                id="compose-hint",
            )
            warning = self._form_warning()
            if warning:
                yield Label(warning, id="compose-warning")
            yield Composer(
                self.store, self.article_url, self.article_id, self.parent_comment, id="composer"
            )
            yield Static("", id="compose-preview")
        yield Footer()

    def _title(self) -> str:
        """``Comment on: post`` or ``Reply to Ada (“I was there…”) on: post``."""
        article = terminal_safe(self.article_title)
        if not self.parent_comment:
            return f"Comment on: {article}"
        reply_to = self.reply_to
        if reply_to is None:  # a reopened draft: the cached thread may know the comment
            thread = self.store.comments.thread(self.article_url)
            comments = thread.comments if thread else []
            found = next((c for c in comments if c.id == str(self.parent_comment)), None)
            reply_to = (found.author, found.text) if found else None
        if reply_to is None:
            return f"Reply to comment #{self.parent_comment} on: {article}"
        author, text = terminal_safe(reply_to[0]) or "a reader", terminal_safe(reply_to[1])
        words = text.split()
        quoted = " ".join(words[:8]) + ("…" if len(words) > 8 else "")
        return f"Reply to {author} (“{quoted}”) on: {article}"

    def _form_warning(self) -> str:
        """Say up front when the saved page shows this comment cannot be sent from here."""
        from reader.comments.outbox import unreachable

        never = unreachable(self.article_url)
        if never:
            return f"⚠ Not sendable: {never}. The draft stays here."
        if self.article_id is None:
            return ""
        from reader.reading import open_article

        readable = open_article(self.store, self.article_id)
        if readable is None or not readable.from_page:
            return ""
        form = readable.comment_form
        if form and form.blocked_reason:
            return (
                f"⚠ {terminal_safe(form.blocked_reason)}: the draft is kept here; post it "
                "from the browser (o on the drafts screen, D)."
            )
        if form is None and not readable.comments:
            return "⚠ The saved page has no comment form; comments may be closed."
        return ""

    @property
    def composer(self) -> Composer:
        """The composer widget."""
        return self.query_one(Composer)

    def action_preview(self) -> None:
        """Show the comment as the site will show it (name, paragraphs), or hide the preview."""
        self.toggle_class("-preview")
        if self.has_class("-preview"):
            self.refresh_preview()

    def refresh_preview(self) -> None:
        """Re-render the preview from the composer's current text."""
        from rich.markup import escape

        composer = self.composer
        name = composer.identity_value("name") or "(no name)"
        paragraphs = [p.strip() for p in composer.text.split("\n\n") if p.strip()]
        # WordPress keeps a single newline as a line break (<br />): so does the preview
        body = "\n\n".join(
            "\n".join(escape(terminal_safe(line)) for line in p.split("\n")) for p in paragraphs
        )
        body = body or "[dim](empty)[/dim]"
        self.query_one("#compose-preview", Static).update(
            f"[b]{escape(terminal_safe(name))}[/b] [dim]· preview[/dim]\n{body}"
        )

    def on_composer_saved(self) -> None:
        """Keep an open preview current."""
        if self.has_class("-preview"):
            self.refresh_preview()

    def action_close(self) -> None:
        """Save and close; an empty composer leaves no draft behind and says nothing."""
        draft = self.composer.save()
        if draft is None or not draft.body.strip():
            if draft is not None:  # emptied by the user: a blank draft is of no use
                self.store.drafts.delete(draft.id)
            self.dismiss(None)
            return
        self.dismiss("saved")

    def action_queue(self) -> None:
        """Save, then move the draft to the outbox."""
        composer = self.composer
        draft = composer.save()
        if draft is None or not draft.body.strip():
            self.notify("Write something first.", severity="warning")
            return
        from reader.comments.outbox import unreachable

        never = unreachable(self.article_url)
        if never:
            self.notify(f"Not queued: {never}. The draft is saved.", severity="warning")
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
