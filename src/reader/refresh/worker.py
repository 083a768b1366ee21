"""What runs in the refresh's child processes: feed parsers, and the one process that stores.

Why processes, and why this shape (measured on 1000 benchmark feeds of 30 items with 3-6 KB
bodies, on 2 cores; bench/refresh.py): a cold refresh costs about 1 s of HTTP, 1.7 s of
parsing and 2.5-3 s of SQLite (article rows plus the full-text index, whose tokenizer alone is
~40 µs per article). One worker that parsed *and* stored was the bottleneck (5-6 s busy while
the main process idled). So parsing and storing are separate processes: parsers
(``parse_and_forward``) send parsed feeds straight to the store process (``store_loop``), never
back through the main process, and the store process commits every feed that is waiting in one
transaction (up to ``GROUP``): fewer, larger commits write less WAL and leave the full-text
index fewer segments to merge. Each feed is still a savepoint of its own, so a feed that fails
to store fails alone. Only small ``Stored`` results go back to the main process. Prefetched
article pages (``PageJob``) and the feed rows of feeds with nothing to parse (``RowJob``: a 304,
an HTTP error) come straight from the main process and are written here too: a second writer
would wait on SQLite's lock, freezing the main process's event loop.

Functions here run in spawned processes: they must be importable top-level functions and take
plain, picklable arguments.
"""

from __future__ import annotations

import queue
import signal
import sqlite3
import traceback
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from reader.refresh.fate import after_parse_error

if TYPE_CHECKING:
    from multiprocessing.queues import Queue
    from multiprocessing.sharedctypes import Synchronized

    from reader.sources.items import ParsedFeed
    from reader.store import Store

CHUNK = 50
"""Items per upsert call (a savepoint inside the group's transaction)."""
GROUP = 16
"""Most feeds stored in one commit; the store process only groups feeds already waiting."""


@dataclass(slots=True)
class Stored:
    """What one feed's parse-and-store produced (or the error that stopped it).

    ``internal`` marks our own failures (a bug, a crashed process, a full disk), as opposed to
    the feed's (not a feed, not well-formed); ``detail`` carries the traceback for the log.
    ``lost``/``culprit`` are set by the pipeline when the process holding the job died (and
    whether this job was the one it was working on); such a job is retried.
    """

    error: str | None = None
    new_items: int = 0
    updated_items: int = 0
    internal: bool = False
    detail: str | None = None
    lost: bool = False
    culprit: bool = False


@dataclass(slots=True)
class StoreJob:
    """One parsed feed on its way from a parser to the store process."""

    job: int
    feed_id: int
    parsed: ParsedFeed | None
    error: str | None
    values: dict[str, Any]
    want_title: bool
    want_link: bool
    detail: str | None = None
    """The parser's traceback when ``error`` is an internal error (a parser bug)."""


@dataclass(slots=True)
class PageJob:
    """A prefetched article page on its way from the main process to the store process."""

    job: int
    article_id: int
    body: bytes


@dataclass(slots=True)
class RowJob:
    """Feed-row columns from the main process (a 304, an HTTP error, a moved URL)."""

    job: int
    feed_id: int
    values: dict[str, Any]


Job = StoreJob | PageJob | RowJob

_inbox: Queue[Job | None] | None = None
_working: Synchronized[int] | None = None
"""This parser's slot: the job it is parsing now (0: none), read by the main process when the
parser dies, so only the feed that killed it counts the crash against itself."""


def init_parser(
    inbox: Queue[Job | None], slots: list[Synchronized[int]], taken: Synchronized[int]
) -> None:
    """Parser process start: keep the store process's inbox and import the parser now.

    Ctrl-C is the main process's to handle: it stops the refresh, then us.
    """
    global _inbox, _working
    _ignore_interrupts()
    _inbox = inbox
    with taken.get_lock():
        _working = slots[taken.value % len(slots)]
        taken.value += 1
    import reader.sources.parse  # noqa: F401  (lxml and the parser: the slow imports)


def ready() -> None:
    """A no-op task: submitting it boots a parser process while the first fetches run."""


def parse_and_forward(
    job: int,
    feed_id: int,
    body: bytes,
    url: str,
    content_type: str | None,
    values: dict[str, Any],
    want_title: bool,
    want_link: bool,
) -> None:
    """Parse ``body`` and hand the result (or the parse error) to the store process."""
    from reader.sources.parse import FeedError, parse_feed

    parsed: ParsedFeed | None = None
    error: str | None = None
    detail: str | None = None
    if _inbox is None or _working is None:
        raise RuntimeError("parse_and_forward runs only in a parser started by init_parser")
    _working.value = job
    try:
        parsed = parse_feed(body, url, content_type)
    except FeedError as exc:
        error = str(exc)
    except Exception as exc:  # a parser bug must cost one feed, not the refresh
        error = f"internal error while parsing: {type(exc).__name__}: {exc}"
        detail = traceback.format_exc()
    finally:
        _working.value = 0
    _inbox.put(StoreJob(job, feed_id, parsed, error, values, want_title, want_link, detail))


def store_loop(
    db_path: str,
    inbox: Queue[Job | None],
    outbox: Queue[tuple[int, Stored] | None],
    working: Synchronized[int] | None = None,
) -> None:
    """The store process: write every job that arrives until ``None``, reply per job.

    ``working`` holds the job being stored (0 between jobs and while committing), so that if
    this process dies the main process knows which feed it was on.
    """
    _ignore_interrupts()
    store = _open(db_path)
    try:
        stop = False
        while not stop:
            try:
                first = inbox.get()
            except (EOFError, OSError):  # every sender is gone (the main process died)
                break
            if first is None:
                break
            batch = [first]
            while len(batch) < GROUP:
                try:
                    more = inbox.get_nowait()
                except queue.Empty:
                    break
                if more is None:
                    stop = True
                    break
                batch.append(more)
            for reply in store_batch(store, batch, working):
                outbox.put(reply)
    finally:
        store.close()
        outbox.put(None)


def _ignore_interrupts() -> None:
    """Leave Ctrl-C to the main process, which stops the refresh cleanly and then us.

    Measured: when Ctrl-C also reached the store process it died with a traceback on the
    terminal, and the parser then hung flushing parsed feeds into a pipe nobody read, and the
    main process with it.
    """
    signal.signal(signal.SIGINT, signal.SIG_IGN)


def _open(path: str) -> Store:
    """This process's connection, tuned for bulk writes.

    The main process runs the WAL checkpoints in the background (``reader.store.checkpoint``).
    """
    from reader.store import Store

    store = Store.open(path)
    store.tune_for_bulk_writes()
    return store


def store_batch(
    store: Store, batch: list[Job], working: Synchronized[int] | None = None
) -> list[tuple[int, Stored]]:
    """Store ``batch`` in one transaction, each job in a savepoint of its own.

    Any exception while storing one job (SQLite's, or a bug of ours on input nobody foresaw)
    rolls back that job's savepoint and becomes its error; the other jobs go on.
    """
    replies: list[tuple[int, Stored]] = []
    try:
        with store.transaction():
            for job in batch:
                if working is not None:
                    working.value = job.job
                try:
                    with store.transaction():
                        stored = store_one(store, job)
                except Exception as exc:
                    stored = Stored(
                        error=f"could not store the {_what(job)}: {type(exc).__name__}: {exc}",
                        internal=True,
                        detail=traceback.format_exc(),
                    )
                    if isinstance(job, StoreJob | RowJob):
                        _record_error(store, job.feed_id, stored.error or "")
                replies.append((job.job, stored))
            if working is not None:
                working.value = 0
    except sqlite3.Error as exc:  # the commit itself failed (disk full, I/O error)
        return [
            (job.job, Stored(error=f"could not store the {_what(job)}: {exc}", internal=True))
            for job in batch
        ]
    return replies


def _what(job: Job) -> str:
    return "page" if isinstance(job, PageJob) else "feed"  # RowJob: a feed's row


def _record_error(store: Store, feed_id: int, error: str) -> None:
    """Best effort: show a storage failure on the feed row (it may fail the same way)."""
    try:
        with store.transaction():
            store.feeds.update(feed_id, last_error=error)
    except Exception:  # the job's own error is already in its reply
        pass


def store_one(store: Store, job: Job) -> Stored:
    """Store one job: a parsed feed (items and row, or its parse error), a page or a row."""
    if isinstance(job, PageJob):
        store.articles.set_page(job.article_id, job.body)
        return Stored()
    if isinstance(job, RowJob):
        store.feeds.update(job.feed_id, **job.values)
        return Stored()
    values = job.values
    if job.parsed is None:
        store.feeds.update(job.feed_id, **after_parse_error(values, job.error or ""))
        return Stored(error=job.error, internal=job.detail is not None, detail=job.detail)
    parsed = job.parsed
    result = Stored()
    for start in range(0, len(parsed.items), CHUNK):
        upserted = store.articles.upsert(job.feed_id, parsed.items[start : start + CHUNK])
        result.new_items += len(upserted.new_ids)
        result.updated_items += upserted.updated
    if job.want_title and parsed.title:
        values = {**values, "title": parsed.title}
    if job.want_link and parsed.link:
        values = {**values, "site_url": parsed.link}
    store.feeds.update(job.feed_id, **values)
    return result
