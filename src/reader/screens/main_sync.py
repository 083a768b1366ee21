"""Sync from the main screen: at start, on ``R``, and a few seconds after local changes.

``SyncFlow`` belongs to ``MainScreen``. A sync runs ``sync.engine.sync_account`` for every
account in a thread worker of the screen, holding the cache's sync lock (``store.lock.SyncLock``,
the one ``reader sync`` takes), so the app and the CLI never sync one cache at once: the app
skips with a notification (``R``) or tries again later (the debounced sync). Progress is in the
status bar; a failure is one notification and the account's error in the feeds pane.

The debounce watches the queue, not the code paths that mark articles: whenever the feeds
pane's counts are read again (any mark, undo, refresh), the number of queued changes is read
too, and a new number starts (or restarts) a ``DEBOUNCE`` second timer. A sync that fails
leaves the number as it was, so nothing retries in a loop while the server is away; the status
bar says how many changes wait. An account whose token the server refused is left out of the
automatic syncs until ``R`` (one notification says to log in again).
"""

from __future__ import annotations

import asyncio
import logging
import os
from typing import TYPE_CHECKING

from reader.cells import terminal_safe

if TYPE_CHECKING:
    from textual.timer import Timer

    from reader.screens.main import MainScreen
    from reader.store import Account, Store
    from reader.store.lock import SyncLock
    from reader.sync.engine import SyncReport

log = logging.getLogger("reader")

DEBOUNCE = 5.0
"""Seconds after the last local change before the changes are pushed."""


class SyncFlow:
    """The main screen's syncs (one at a time, in this process and any other)."""

    def __init__(self, screen: MainScreen) -> None:
        self.screen = screen
        self._timer: Timer | None = None
        self._last: int | None = None
        """The number of queued changes last read (None: not read yet)."""
        self._refused: set[str] = set()
        self._errors: dict[str, str] = {}
        self.runs = 0
        """Syncs finished since launch (tests wait on it)."""

    @property
    def store(self) -> Store:
        """The cache."""
        return self.screen.reader_app.store

    def at_start(self) -> None:
        """Launch: sync if there is an account."""
        if self.store.sync.accounts():
            self.start("start")

    def start(self, why: str = "R") -> bool:
        """Sync every account in the background (``why``: start, R, change); whether it
        started. An account whose login was refused syncs again only on ``R``."""
        accounts = self.store.sync.accounts()
        if why != "R":
            accounts = [a for a in accounts if a.name not in self._refused]
        if not accounts:
            return False
        from reader.store.lock import RefreshBusy, SyncLock

        lock = SyncLock(self.store.path)
        try:
            lock.acquire()
        except RefreshBusy as busy:
            if why == "change":  # pushed by the running sync or the next one
                self.debounce()
            elif why == "R":
                text = str(busy)
                if busy.holder.pid == os.getpid():
                    text = "A sync is already running; its result shows when it ends."
                self.screen.notify(text[:1].upper() + text[1:], severity="warning", timeout=6)
            return False
        if why == "R":
            self._refused.clear()
        self.screen.run_worker(self._run(accounts, lock, why), group="sync", exit_on_error=False)
        return True

    async def _run(self, accounts: list[Account], lock: SyncLock, why: str) -> None:
        reports: list[SyncReport] = []
        try:
            for account in accounts:
                with self.screen.status.busy(f"Syncing {terminal_safe(account.name)}…"):
                    reports.append(await asyncio.to_thread(self._sync_one, account))
        finally:
            lock.release()
        if not self.screen.is_attached:
            return
        self.runs += 1
        self._report(reports, why)

    def _sync_one(self, account: Account) -> SyncReport:
        """One account (in a thread); every failure ends up in the report."""
        from reader.sync.accounts import connect
        from reader.sync.engine import SyncReport, sync_account
        from reader.sync.greader import SyncError

        try:
            with connect(self.screen.reader_app.paths, account) as client:
                return sync_account(self.store, client, account)
        except SyncError as error:  # no token saved
            self.store.sync.finish(account.name, error=str(error))
            return SyncReport(account.name, errors=[str(error)], auth_failed=True)
        except Exception as error:  # a bug in one sync must not take the app down
            log.exception("sync of %s failed", account.name)
            self.store.sync.finish(account.name, error=f"internal error: {error}")
            return SyncReport(account.name, errors=[f"internal error: {error}"])

    def _report(self, reports: list[SyncReport], why: str) -> None:
        """The list and counts as they are now; a notification for what the user should
        know (failures once, new items on R or at start)."""
        screen = self.screen
        screen.article_list.reload()
        screen.counts_changed()
        for report in reports:
            name = terminal_safe(report.account)
            if report.auth_failed:
                self._refused.add(report.account)
                screen.notify(
                    f"{name}: the server refused the saved login. Run `reader account add"
                    f" --name {name} …` again, then press R.",
                    severity="error",
                    timeout=12,
                )
            elif report.errors:
                error = terminal_safe(report.errors[0])
                if why == "R" or self._errors.get(report.account) != error:
                    queued = f"; {report.queued} changes stay queued" if report.queued else ""
                    screen.notify(
                        f"Sync of {name} failed: {error}{queued}", severity="warning", timeout=8
                    )
                self._errors[report.account] = error
            else:
                self._errors.pop(report.account, None)
                if why == "R" or (why == "start" and report.new_items):
                    screen.notify(
                        f"{name}: {report.new_items} new items, {report.pushed} changes sent,"
                        f" {report.pulled} read/starred from the server",
                        timeout=5,
                    )
        self.queue_changed()  # what the sync left there: the same number starts nothing

    # -- the queue -----------------------------------------------------------------------
    def queue_changed(self) -> None:
        """Counts changed (a mark, an undo, a refresh): read the queue; a new number of
        queued changes starts the debounce."""
        self.screen.run_worker(  # the function, not a coroutine: a worker cancelled before
            self._read_queue, group="sync-queue", exclusive=True, exit_on_error=False
        )  # it starts (the next read replaced it) then leaves no coroutine unawaited

    async def _read_queue(self) -> None:
        if not await asyncio.to_thread(self.store.sync.accounts):
            return
        count = await asyncio.to_thread(self.store.sync.queued_count)
        offline = bool(self._errors)
        waiting = f"{count} change{'' if count == 1 else 's'} queued"
        self.screen.status.note = (waiting + (" (offline)" if offline else "")) if count else ""
        if count and self._last is not None and count != self._last:
            self.debounce()
        self._last = count

    def debounce(self) -> None:
        """Sync ``DEBOUNCE`` seconds after the last call."""
        if self._timer is not None:
            self._timer.stop()
        self._timer = self.screen.set_timer(DEBOUNCE, self._due)

    def _due(self) -> None:
        self._timer = None
        self.start("change")
