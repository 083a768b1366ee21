"""List-wide actions of the main screen: refreshing feeds and searching the cache."""

from __future__ import annotations

import asyncio
import logging
import os
from typing import TYPE_CHECKING

from textual import work

if TYPE_CHECKING:
    from reader.app import ReaderApp
    from reader.store.lock import RefreshLock
    from reader.widgets.article_list import ArticleList
    from reader.widgets.related_posts import RelatedPosts
    from reader.widgets.status_bar import StatusBar

log = logging.getLogger("reader")


class FeedActions:
    """Mixed into ``MainScreen``: ``R`` refresh and ``/`` search, both in workers."""

    reader_app: ReaderApp
    article_list: ArticleList
    related: RelatedPosts
    status: StatusBar
    _search_active: bool

    # -- refreshing ------------------------------------------------------------------------
    def action_refresh_feeds(self) -> None:
        """Refresh every subscription in the background."""
        feeds = self.reader_app.store.feeds.subscriptions()
        if not feeds:
            self.notify("Nothing to refresh yet: add a feed with `reader add URL`.", timeout=5)
            return
        from reader.store.lock import RefreshBusy, RefreshLock

        lock = RefreshLock(self.reader_app.store.path)  # one refresh per cache, in any process
        try:
            lock.acquire()
        except RefreshBusy as busy:
            text = str(busy)
            if busy.holder.pid == os.getpid():
                text = "A refresh is already running; its result shows when it ends."
            self.notify(text[:1].upper() + text[1:], severity="warning", timeout=6)
            return
        self.status.message = f"Refreshing {len(feeds)} feeds…"
        self._refresh_worker(feeds, lock)

    @work(exclusive=True, group="refresh", exit_on_error=False)
    async def _refresh_worker(self, feeds: list, lock: RefreshLock) -> None:  # type: ignore[type-arg]
        """One refresh; the cache's refresh lock is held until it ends, however it ends."""
        try:
            await self._refresh(feeds)
        finally:
            lock.release()

    async def _refresh(self, feeds: list) -> None:  # type: ignore[type-arg]
        from reader.refresh.engine import RefreshProgress, refresh

        settings = self.reader_app.config.refresh
        last_reload = 0.0
        loop = asyncio.get_running_loop()

        def progress(event: RefreshProgress) -> None:
            nonlocal last_reload
            self.status.message = f"Refreshing… {event.done}/{event.total} feeds" + (
                ", fetching article pages…" if event.pages_pending else "")
            if event.outcome.new_items and loop.time() - last_reload > 1.0:
                last_reload = loop.time()
                self._reload_keeping_place()

        try:
            summary = await refresh(
                self.reader_app.store,
                feeds,
                concurrency=settings.concurrency,
                per_host=settings.per_host,
                total_timeout=settings.timeout,
                max_bytes=settings.max_bytes,
                prefetch_pages=settings.prefetch_pages,
                user_agent=settings.user_agent,
                on_progress=progress,
                # A spawned parser process cannot start under Textual (its stdio is not real
                # file descriptors); parsing in threads keeps the loop free (lxml drops the GIL).
                parse_in="thread",
            )
        except Exception as error:  # a bug in one run must not take the app down
            log.exception("refresh failed")
            self.status.message = self.reader_app.status_hint()
            self.notify(f"Refresh failed: {error}", severity="error", timeout=8)
            return
        self._reload_keeping_place()
        self.status.message = self.reader_app.status_hint()
        failed = summary.errors
        text = f"{summary.new_items} new articles from {len(summary.outcomes)} feeds"
        if failed:
            text += f"; {len(failed)} failed (first: {failed[0].error})"
        if summary.internal_errors:
            text += (f"; {len(summary.internal_errors)} of them by an internal error "
                     f"(details in {self.reader_app.paths.log_file})")
        severity = "warning" if summary.all_failed or summary.internal_errors else "information"
        self.notify(text, severity=severity, timeout=6)
        if not summary.all_failed:  # back online: send queued comments, fetch queued posts
            if self.reader_app.store.drafts.outbox():
                self.drain_outbox()  # type: ignore[attr-defined]
            self.related.fetch_queued()

    def _reload_keeping_place(self) -> None:
        if not self._search_active:
            keep = self.article_list.highlighted_id
            self.load_list(keep=keep, open_first=False)

    # -- search ----------------------------------------------------------------------------
    def action_search(self) -> None:
        """Ask for words and show matching articles in the list."""
        from reader.screens.search import SearchScreen

        def done(query: str | None) -> None:
            if query:
                self.run_search(query)

        self.app.push_screen(SearchScreen(), done)

    @work(thread=True, exclusive=True, group="list")
    def run_search(self, query: str) -> None:
        """Full-text search in a thread; the list shows the results."""
        rows = self.reader_app.store.articles.search(query, limit=500)
        self.app.call_from_thread(self._search_done, query, [row.id for row in rows])

    def _search_done(self, query: str, ids: list[int]) -> None:
        if not ids:
            self.notify(f"Nothing matches “{query}”.", severity="warning")
            return
        self._search_active = True
        self.article_list.set_articles(ids, self.reader_app.store.articles.rows)
        self.article_list.focus()
        self.status.message = f"{len(ids)} results for “{query}” · esc: all articles"
        self.open_article_id(ids[0], from_list=True)

    def action_clear_search(self) -> None:
        """Back to all articles after a search."""
        if self._search_active:
            self._search_active = False
            self.status.message = self.reader_app.status_hint()
            self.load_list(keep=self.current.article_id if self.current else None, open_first=False)
