"""One refresh per cache at a time: a lock file next to the database.

Two refreshes of the same cache (cron's ``reader refresh`` while the TUI refreshes, or two cron
jobs overlapping) would fetch every feed twice and take turns at SQLite's write lock; neither
corrupts anything (WAL, busy timeout, one transaction per write), but the second is pure waste.
So a refresh first takes ``RefreshLock``: ``flock`` on ``<database>.refresh.lock``. The kernel
releases it when the holder's process ends, however it ends (SIGKILL, a crash, a power cut), so
there are no stale locks to clean up. The holder writes its pid and start time into the file so
the one that finds it busy can say who holds it ("another refresh is running (pid 1234, started
12 s ago)"); the file itself is never deleted (deleting a lock file races with its next opener).

Without ``fcntl`` (Windows) the lock always succeeds: one refresh at a time is then up to the
user, as for the outbox lock (``reader.comments.outbox``).
"""

from __future__ import annotations

import os
import time
from dataclasses import dataclass
from pathlib import Path
from types import TracebackType

POLL = 0.2
"""Seconds between attempts while waiting for the lock."""


@dataclass(frozen=True, slots=True)
class Holder:
    """Who holds the lock, as written in the lock file (either may be unknown)."""

    pid: int | None
    started: float | None
    """Wall-clock time (``time.time()``) when the holder took the lock."""

    def describe(self, now: float | None = None) -> str:
        """'pid 1234, started 12 s ago' (only the parts that are known)."""
        parts = [f"pid {self.pid}"] if self.pid else []
        if self.started is not None:
            ago = max(0.0, (time.time() if now is None else now) - self.started)
            parts.append(f"started {_duration(ago)} ago")
        return ", ".join(parts)


class RefreshBusy(Exception):
    """Another refresh of this cache is running; ``str()`` is the message for people."""

    def __init__(self, holder: Holder, waited: float = 0.0, what: str = "refresh") -> None:
        self.holder = holder
        self.waited = waited
        about = holder.describe()
        waiting = f"; waited {_duration(waited)}" if waited else ""
        super().__init__(
            f"another {what} is running{f' ({about})' if about else ''}{waiting}; "
            "try again when it ends"
        )


class RefreshLock:
    """``with RefreshLock(db_path):`` or ``acquire()``/``release()``; raises ``RefreshBusy``.

    Every instance is its own lock, also within one process (``flock`` locks belong to an
    open file, not a process), so the TUI's second ``R`` sees its own first refresh as busy.
    """

    WHAT = "refresh"
    """What the lock guards: the lock file's suffix and the busy message's word."""

    def __init__(self, db_path: Path | str) -> None:
        memory = str(db_path) == ":memory:"
        self.path: Path | None = None if memory else Path(f"{db_path}.{self.WHAT}.lock")
        self.fd: int | None = None

    @property
    def held(self) -> bool:
        """True while this instance holds the lock."""
        return self.fd is not None

    def acquire(self, wait: float = 0.0) -> None:
        """Take the lock, waiting up to ``wait`` seconds (``math.inf``: until it is free)."""
        if self.fd is not None:
            raise RuntimeError("this RefreshLock is already held")
        if self.path is None:  # an in-memory store: no other process can share it
            self.fd = -1
            return
        try:
            import fcntl
        except ImportError:
            self.fd = -1
            return
        started = time.monotonic()
        try:
            fd = os.open(self.path, os.O_RDWR | os.O_CREAT, 0o600)
        except OSError:  # a read-only data dir: refresh unlocked (the lock saves work, not data)
            self.fd = -1
            return
        try:
            while True:
                try:
                    fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
                    break
                except BlockingIOError:
                    waited = time.monotonic() - started
                    if waited >= wait:
                        raise RefreshBusy(
                            _read_holder(fd), waited if wait else 0.0, self.WHAT
                        ) from None
                    time.sleep(min(POLL, max(0.01, wait - waited)))
            os.ftruncate(fd, 0)
            os.pwrite(fd, f"{os.getpid()} {time.time():.3f}\n".encode(), 0)
        except BaseException:
            os.close(fd)
            raise
        self.fd = fd

    def release(self) -> None:
        """Let the next refresh run (a no-op when not held)."""
        fd, self.fd = self.fd, None
        if fd is None or fd < 0:
            return
        try:
            os.ftruncate(fd, 0)  # no stale pid for the next reader of the file
        except OSError:
            pass
        os.close(fd)  # closing the file releases the flock

    def __enter__(self) -> RefreshLock:
        self.acquire()
        return self

    def __exit__(
        self,
        kind: type[BaseException] | None,
        error: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.release()


class SyncLock(RefreshLock):
    """One sync per cache (``reader sync`` and the app's syncs): ``<database>.sync.lock``,
    separate from the refresh lock, since a sync and a refresh of local feeds touch different
    feeds and may run together."""

    WHAT = "sync"


def _read_holder(fd: int) -> Holder:
    """The pid and start time the holder wrote (unknown if it has not written them yet)."""
    try:
        words = os.pread(fd, 100, 0).decode("ascii", "replace").split()
        return Holder(int(words[0]), float(words[1]))
    except (OSError, ValueError, IndexError):
        return Holder(None, None)


def _duration(seconds: float) -> str:
    """'0.3 s', '12 s', '3 min', '2 h 5 min'."""
    if seconds < 1:
        return f"{seconds:.1f} s"
    if seconds < 90:
        return f"{seconds:.0f} s"
    minutes = int(seconds // 60)
    if minutes < 90:
        return f"{minutes} min"
    return f"{minutes // 60} h {minutes % 60} min"
