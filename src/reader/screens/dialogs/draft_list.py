"""Drafts and outbox: every comment the user wrote, its state, and what to do with it.

Deleting is soft and undoable (``u``); ``s`` sends the outbox now; ``enter`` reopens a draft in
the composer. Sending runs in a worker and reports each draft's outcome.
"""

from __future__ import annotations

from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import DataTable, Footer, Label

from reader.cells import cell_truncate, terminal_safe
from reader.store import Draft, Store

STATE_LABELS = {
    "draft": "draft",
    "queued": "queued",
    "sending": "sending…",
    "published": "published",
    "moderation": "awaiting moderation",
    "failed": "failed",
}


class DraftListScreen(ModalScreen[Draft | None]):
    """Lists drafts; dismisses with a draft to reopen, or None."""

    BINDINGS = [
        Binding("escape,q", "close", "Close", id="drafts.close"),
        Binding("enter", "reopen", "Reopen", id="drafts.reopen"),
        Binding("d,delete", "delete", "Delete", id="drafts.delete"),
        Binding("u", "undo", "Undo delete", id="drafts.undo"),
        Binding("Q", "queue", "Queue", id="drafts.queue", tooltip="Move to the outbox"),
        Binding("s", "send", "Send outbox", id="drafts.send"),
        Binding(
            "o",
            "open_page",
            "Open page",
            id="drafts.open",
            tooltip="Open the article in the browser (for captcha or login-only forms)",
        ),
    ]

    DEFAULT_CSS = """
    DraftListScreen {
        align: center middle;
        & #drafts-box { width: 95%; max-width: 140; height: 85%; border: round $accent;
                        background: $surface; padding: 0 1; }
        & #drafts-title { text-style: bold; color: $text-primary; }
        & #drafts-detail { height: auto; max-height: 8; color: $text-muted; padding: 1 0 0 0; }
        & DataTable { height: 1fr; }
    }
    """

    def __init__(self, store: Store) -> None:
        super().__init__()
        self.store = store
        self.drafts: list[Draft] = []
        self._deleted: list[int] = []

    def compose(self) -> ComposeResult:
        """Table of drafts plus the selected draft's text and error."""
        with Vertical(id="drafts-box"):
            yield Label("Drafts and outbox", id="drafts-title")
            yield DataTable(cursor_type="row", zebra_stripes=True, id="drafts-table")
            yield Label("", id="drafts-detail")
        yield Footer()

    def on_mount(self) -> None:
        """Fill the table."""
        table = self.query_one(DataTable)
        table.add_columns("State", "Article", "Updated", "Text")
        self.reload()
        table.focus()

    def reload(self) -> None:
        """Re-read drafts from the store."""
        table = self.query_one(DataTable)
        keep = table.cursor_row
        table.clear()
        self.drafts = self.store.drafts.all()
        for draft in self.drafts:
            article = self.store.articles.by_url(draft.article_url)
            title = article.title if article else draft.article_url
            table.add_row(
                STATE_LABELS.get(draft.state, draft.state),
                cell_truncate(terminal_safe(title), 40),
                draft.updated_at[:16].replace("T", " "),
                cell_truncate(terminal_safe(draft.body), 50),
                key=str(draft.id),
            )
        if self.drafts:
            table.move_cursor(row=min(keep, len(self.drafts) - 1))
        self._show_detail()

    def _current(self) -> Draft | None:
        table = self.query_one(DataTable)
        if not self.drafts or table.cursor_row >= len(self.drafts):
            return None
        return self.drafts[table.cursor_row]

    @on(DataTable.RowHighlighted)
    def _show_detail(self) -> None:
        draft = self._current()
        detail = self.query_one("#drafts-detail", Label)
        if draft is None:
            detail.update("No drafts. Press c on an article to write a comment.")
            return
        lines = [terminal_safe(draft.body)[:400]]
        if draft.error:
            lines.append(f"Reason: {terminal_safe(draft.error)}")
        if draft.parent_comment:
            lines.append(f"Reply to comment {draft.parent_comment}")
        detail.update("\n".join(lines))

    @on(DataTable.RowSelected)
    def action_reopen(self) -> None:
        """Reopen the highlighted draft in the composer."""
        draft = self._current()
        if draft is None:
            return
        if draft.state not in ("draft", "failed"):
            self.notify(f"This comment is {STATE_LABELS[draft.state]}; it cannot be edited.")
            return
        self.dismiss(draft)

    def action_delete(self) -> None:
        """Delete (undoable)."""
        draft = self._current()
        if draft is None:
            return
        self.store.drafts.delete(draft.id)
        self._deleted.append(draft.id)
        self.reload()
        self.notify("Draft deleted · u to undo", timeout=5)

    def action_undo(self) -> None:
        """Bring back the last deleted draft."""
        if not self._deleted:
            self.notify("Nothing to undo.", timeout=2)
            return
        self.store.drafts.restore(self._deleted.pop())
        self.reload()

    def action_queue(self) -> None:
        """Move the highlighted draft to the outbox."""
        draft = self._current()
        if draft is None:
            return
        from reader.comments.outbox import queue

        try:
            queue(self.store, draft.id)
        except ValueError as error:
            self.notify(str(error), severity="warning")
            return
        self.reload()

    def action_send(self) -> None:
        """Send the outbox now."""
        if not self.store.drafts.outbox():
            self.notify("The outbox is empty (Q queues the highlighted draft).", timeout=4)
            return
        self.send_outbox()

    @work(exclusive=True, group="outbox", exit_on_error=False)
    async def send_outbox(self) -> None:
        """Drain the outbox, refreshing the table as states change."""
        from reader.screens.dialogs.sending import send_outbox

        try:
            await send_outbox(self.app, self.store, on_change=self.reload)
        except Exception as error:  # never lose the app (or the drafts) to a send bug
            self.notify(f"Sending stopped: {error}", severity="error")
        self.reload()

    def action_open_page(self) -> None:
        """Open the draft's article in the browser (to comment there when we cannot)."""
        draft = self._current()
        if draft is not None:
            from reader.links import open_url

            open_url(self.app, draft.article_url)

    def action_close(self) -> None:
        """Back to reading."""
        self.dismiss(None)
