"""``R`` on the main screen: one refresh of every subscription, in the background.

``FeedRefresh`` belongs to ``MainScreen`` (it is no screen of its own) and runs its worker on
it, so closing the screen cancels the run. The cache's refresh lock is held for as long as the
run lasts, in this process or any other. Progress shows in the status bar and the list reloads
as new articles arrive (at most once a second). The outcome is one notification; a run that
reached the network then sends the comment outbox and fetches related posts queued offline.
"""

from __future__ import annotations

import asyncio
import logging
import os
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from collections.abc import Callable

    from reader.app import ReaderApp
    from reader.refresh.summary import RefreshProgress, RefreshSummary
    from reader.screens.main import MainScreen
    from reader.store import Feed
    from reader.store.lock import RefreshLock

log = logging.getLogger("reader")


class FeedRefresh:
    """The main screen's refresh runs (one at a time)."""

    def __init__(self, screen: MainScreen) -> None:
        self.screen = screen

    @property
    def app(self) -> ReaderApp:
        """The app (store, config, paths)."""
        return self.screen.reader_app

    def start(
        self, feeds: list[Feed] | None = None, then: Callable[[RefreshSummary], None] | None = None
    ) -> bool:
        """Refresh ``feeds`` (every subscription by default) in the background, unless a
        refresh already runs; ``then`` gets the summary. Whether it started. Feeds named here
        are fetched even if checked less than their ``refresh_interval`` ago."""
        named = feeds is not None
        synced = not named and self.screen.syncing.start("R")  # R: sync accounts too
        feeds = self.app.store.feeds.polled() if feeds is None else feeds
        if not feeds:
            if not synced:
                self.screen.notify("Nothing to refresh yet: press a to add a feed.", timeout=5)
            return synced
        from reader.store.lock import RefreshBusy, RefreshLock

        lock = RefreshLock(self.app.store.path)  # one refresh per cache, in any process
        try:
            lock.acquire()
        except RefreshBusy as busy:
            text = str(busy)
            if busy.holder.pid == os.getpid():
                text = "A refresh is already running; its result shows when it ends."
            self.screen.notify(text[:1].upper() + text[1:], severity="warning", timeout=6)
            return False
        what = f"{len(feeds)} feeds" if len(feeds) > 1 else feeds[0].display_title
        self.screen.status.message = f"Refreshing {what}…"
        self.screen.run_worker(
            self._run(feeds, lock, then, named),
            group="refresh",
            exclusive=True,
            exit_on_error=False,
        )
        return True

    async def _run(
        self,
        feeds: list[Feed],
        lock: RefreshLock,
        then: Callable[[RefreshSummary], None] | None,
        named: bool = False,
    ) -> None:
        """One refresh; the cache's refresh lock is held until it ends, however it ends."""
        try:
            summary = await self._refresh(feeds, named)
        finally:
            lock.release()
        if summary is not None:
            self._report(summary)
            if then is not None:
                then(summary)

    async def _refresh(self, feeds: list[Feed], named: bool = False) -> RefreshSummary | None:
        """Run the refresh; None (and a notification) if it failed as a whole. ``named``:
        the user chose these feeds, so their ``refresh_interval`` does not hold them back."""
        from reader.refresh.engine import refresh
        from reader.refresh.rules import RunRules

        settings = self.app.config.refresh
        try:
            return await refresh(
                self.app.store,
                feeds,
                concurrency=settings.concurrency,
                per_host=settings.per_host,
                total_timeout=settings.timeout,
                max_bytes=settings.max_bytes,
                prefetch_pages=settings.prefetch_pages,
                user_agent=settings.user_agent,
                on_progress=self._progress_reporter(),
                # A spawned parser process cannot start under Textual (its stdio is not real
                # file descriptors); parsing in threads keeps the loop free (lxml drops the GIL).
                parse_in="thread",
                rules=RunRules.from_config(self.app.config, force=named),
            )
        except Exception as error:  # a bug in one run must not take the app down
            log.exception("refresh failed")
            self.screen.status.message = self.app.status_hint()
            self.screen.notify(f"Refresh failed: {error}", severity="error", timeout=8)
            return None

    def _progress_reporter(self) -> Callable[[RefreshProgress], None]:
        """A progress callback: the count in the status bar; the list and the feeds pane's
        counts reloaded at most once a second, the last change never dropped (a feed stored
        within the second after another shows a second later, not at the end of the run)."""
        loop = asyncio.get_running_loop()
        last_reload = 0.0
        pending = False

        def reload() -> None:
            nonlocal last_reload, pending
            last_reload, pending = loop.time(), False
            if not self.screen.is_attached:  # the app closed while the reload waited
                return
            self.screen.article_list.reload()
            self.screen.counts_changed()

        def progress(event: RefreshProgress) -> None:
            nonlocal pending
            self.screen.status.message = f"Refreshing… {event.done}/{event.total} feeds" + (
                ", fetching article pages…" if event.pages_pending else ""
            )
            if not event.outcome.new_items or pending:
                return
            wait = last_reload + 1.0 - loop.time()
            if wait <= 0:
                reload()
            else:
                pending = True
                loop.call_later(wait, reload)

        return progress

    def _report(self, summary: RefreshSummary) -> None:
        """The list as it is now, one notification, then what waited for the network."""
        screen = self.screen
        screen.article_list.reload()
        screen.counts_changed()
        screen.status.message = self.app.status_hint()
        failed = summary.errors
        fetched = len(summary.outcomes) - summary.count("not-due")
        new = summary.new_items
        text = f"{new} new article{'' if new == 1 else 's'} from {fetched} feed" + (
            "" if fetched == 1 else "s"
        )
        if summary.count("not-due"):
            text += f" ({summary.count('not-due')} not due yet)"
        if summary.pruned:
            text += f"; {sum(summary.pruned.values())} old articles pruned"
        if failed:
            text += f"; {len(failed)} failed (first: {failed[0].error})"
        if summary.internal_errors:
            text += (
                f"; {len(summary.internal_errors)} of them by an internal error "
                f"(details in {self.app.paths.log_file})"
            )
        severity = "warning" if summary.all_failed or summary.internal_errors else "information"
        screen.notify(text, severity=severity, timeout=6)
        if not summary.all_failed:  # back online: send queued comments, fetch queued posts
            if self.app.store.drafts.outbox():
                screen.commenting.send_outbox()
            screen.related.fetch_queued()
