"""Comment actions of the main screen: composer, drafts screen, the comments panel."""

from __future__ import annotations

import asyncio
import logging
from typing import TYPE_CHECKING

from textual import work

from reader.reading import Readable
from reader.widgets.comments_panel import (
    CommentCard,
    CommentsPanel,
    items_from_page,
    items_from_thread_comment,
)

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

        parent = None
        focused = self.focused
        if isinstance(focused, CommentCard) and focused.item.id.isdigit():
            parent = int(focused.item.id)

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
            self.load_comments(self.current, focus=True)

    @work(exclusive=True, group="comments", exit_on_error=False)
    async def load_comments(self, readable: Readable, focus: bool = False) -> None:
        """Cached thread (or the page's own list) at once, then a fresh fetch when online."""
        from reader.comments.thread import cached_thread, fetch_thread
        from reader.demo import is_demo_url

        store = self.reader_app.store
        url = readable.url or ""
        thread = await asyncio.to_thread(cached_thread, store, url) if url else None
        if thread is not None and thread.comments:
            items = [items_from_thread_comment(c) for c in thread.comments]
            note = f"cached {(thread.fetched_at or '')[:16].replace('T', ' ')}"
        else:
            items = items_from_page(readable.comments)
            note = "from the saved page" if items else ""
        await self.comments.show(items, note)
        if focus:
            self.comments.focus_first()
        if not url or is_demo_url(url):
            return
        try:
            fresh = await fetch_thread(store, url)
        except Exception as error:  # keep what is shown; say why it is not fresh
            log.warning("comments fetch failed for %s: %s", url, error)
            return
        if self.current is None or self.current.url != url:
            return
        if fresh.offline:
            await self.comments.show(items, f"offline: {fresh.error or 'showing saved comments'}")
        elif fresh.comments or not items:
            await self.comments.show(
                [items_from_thread_comment(c) for c in fresh.comments], f"from {fresh.source}"
            )
        if focus:
            self.comments.focus_first()
