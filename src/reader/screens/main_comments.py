"""Comment actions of the main screen: composer, drafts screen, the comments panel."""

from __future__ import annotations

import logging
from typing import TYPE_CHECKING

from textual import work

from reader.reading import Readable
from reader.widgets.comments_panel import CommentsPanel

if TYPE_CHECKING:
    from reader.app import ReaderApp
    from reader.widgets.reading_pane import ReadingPane

log = logging.getLogger("reader")


class CommentActions:
    """Mixed into ``MainScreen``: ``c`` compose/reply, ``D`` drafts, ``C`` comments."""

    reader_app: ReaderApp
    current: Readable | None
    pane: ReadingPane
    comments: CommentsPanel

    # -- composing -------------------------------------------------------------------------
    def action_compose(self) -> None:
        """Open the comment composer for the current article."""
        readable = self.current
        if readable is None or not readable.url:
            self.notify("Open an article first.", severity="warning")
            return
        from reader.screens.compose import ComposeScreen

        replying_to = self.comments.focused_comment
        parent = int(replying_to.id) if replying_to and replying_to.id.isdigit() else None

        def closed(result: str | None) -> None:
            if result == "queued":
                self.notify("Comment queued; sending it now…", timeout=3)
                self.drain_outbox()
            elif result == "saved":
                self.notify("Draft saved.", timeout=2)

        self.app.push_screen(
            ComposeScreen(
                self.reader_app.store, readable.url, readable.title, readable.article_id, parent
            ),
            closed,
        )

    @work(exclusive=True, group="outbox", exit_on_error=False)
    async def drain_outbox(self) -> None:
        """Send queued comments in the background; they stay queued while offline."""
        from reader.screens.sending import send_outbox

        try:
            await send_outbox(self.app, self.reader_app.store)  # type: ignore[attr-defined]
        except Exception as error:  # the drafts stay in the store whatever happens
            log.exception("sending the outbox failed")
            self.notify(f"Sending stopped: {error}", severity="error")  # type: ignore[attr-defined]

    def open_composer_for(self, url: str, title: str, parent: int | None) -> None:
        """Reopen a draft's composer (from the drafts screen)."""
        from reader.screens.compose import ComposeScreen

        record = self.reader_app.store.articles.by_url(url)
        self.app.push_screen(
            ComposeScreen(self.reader_app.store, url, title, record.id if record else None, parent)
        )

    def action_drafts(self) -> None:
        """Show every draft and the outbox."""
        from reader.screens.drafts import DraftsScreen

        def reopen(draft) -> None:  # type: ignore[no-untyped-def]
            if draft is not None:
                record = self.reader_app.store.articles.by_url(draft.article_url)
                title = record.title if record else draft.article_url
                self.open_composer_for(draft.article_url, title, draft.parent_comment)

        self.app.push_screen(DraftsScreen(self.reader_app.store), reopen)

    # -- comments --------------------------------------------------------------------------
    def action_toggle_comments(self) -> None:
        """Show (and focus) or hide the comments under the article."""
        self.toggle_class("-hide-comments")
        if self.has_class("-hide-comments"):
            if self.focused is not None and self.comments in self.focused.ancestors_with_self:
                self.pane.focus()
            return
        if self.current is not None:
            self.comments.load(focus=True)
