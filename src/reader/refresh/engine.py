"""Refresh many feeds at once: fetch, parse off the event loop, store, prefetch pages.

Shape of one run (``refresh``): one shared httpx client; every feed takes a global slot
(``concurrency``) for its fetch-parse-store cycle, bounding the bodies in flight, and a
per-host slot (``per_host``) only while it talks to the network. A feed is done (and reported)
once its articles are stored; its page prefetch runs on in the background. Nothing per feed
raises: every problem becomes ``FeedOutcome.error`` and the feed row's ``last_error``.

Where the work runs: by default (``parse_in="process"``) parser processes hand parsed feeds to
one store process, the only writer during the run (``reader.refresh.pipeline``; one worker that
parsed and stored was the bottleneck, bench/README.md has the numbers), and the main process
only does the network. ``"thread"``/``"inline"`` keep everything in-process (the TUI, tests,
in-memory stores); WordPress feeds, whose REST items are merged here, are stored here too.

Feed state rules (304, permanent redirects, 410, 429/503 with Retry-After, errors) are one
pure function, ``reader.refresh.fate.decide``; this module carries them out.
"""

from __future__ import annotations

import asyncio
import inspect
import logging
import time
import traceback
from collections.abc import Callable, Iterable
from concurrent.futures import Executor
from datetime import UTC, datetime
from typing import TYPE_CHECKING, Any

from reader.net.client import DEFAULT_MAX_BYTES, DEFAULT_TOTAL_TIMEOUT, FetchResult, fetch
from reader.refresh import executors
from reader.refresh.executors import ParseIn, StoreIn
from reader.refresh.fate import Verdict, after_parse_error, decide, not_due, skip_reason
from reader.refresh.hosts import HostSlots, spread_hosts
from reader.refresh.pages import pages_of
from reader.refresh.rules import RunRules, prune_after
from reader.refresh.summary import FeedOutcome, RefreshProgress, RefreshSummary, log_internal
from reader.refresh.wordpress import rest_only, wordpress_items
from reader.sources.items import FeedError, FeedItem, ParsedFeed
from reader.store.checkpoint import Checkpointer

if TYPE_CHECKING:
    import httpx

    from reader.refresh.pipeline import StorePipeline
    from reader.store import Feed, Store

__all__ = ["FeedOutcome", "RefreshProgress", "RefreshSummary", "Refresher", "refresh"]

log = logging.getLogger("reader")

DEFAULT_CONCURRENCY = 128
DEFAULT_PER_HOST = 8
# Measured with bench/refresh.py, 1000 feeds over 100 loopback hosts at 100 ms latency:
# concurrency/per-host 32/4 -> warm (all 304) 4.2 s, 64/8 -> 2.4 s, 128/8 -> 1.6 s; cold stays
# about 7 s (bounded by the store). At 0 ms latency more than 8 per host gains nothing.
STORE_CHUNK = 50
"""Items per store call: about 10 ms of SQLite work, so the event loop is never held longer."""


ProgressCallback = Callable[[RefreshProgress], Any]


def _now() -> datetime:
    return datetime.now(UTC).replace(microsecond=0)


def _parse(body: bytes, url: str, content_type: str | None) -> ParsedFeed:
    from reader.sources.parse import parse_feed

    return parse_feed(body, url, content_type)


class Refresher:
    """One refresh run's shared state; use ``refresh()`` unless you need to keep it around."""

    def __init__(
        self,
        store: Store,
        client: httpx.AsyncClient,
        *,
        concurrency: int,
        per_host: int,
        total_timeout: float,
        max_bytes: int,
        prefetch_pages: int,
        user_agent: str | None,
        on_progress: ProgressCallback | None,
        parse_executor: Executor | None,
        writer: Executor | None,
        pipeline: StorePipeline | None = None,
        rules: RunRules | None = None,
    ) -> None:
        self.store = store
        self.client = client
        self.slots = asyncio.Semaphore(concurrency)
        self.host_slot = HostSlots(per_host)
        self.total_timeout = total_timeout
        self.max_bytes = max_bytes
        self.prefetch_pages = prefetch_pages
        self.user_agent = user_agent
        self.on_progress = on_progress
        self.parse_executor = parse_executor
        self.pipeline = pipeline  # set: child processes parse *and* store (not WordPress feeds)
        self.writer = writer
        self.rules = rules or RunRules()
        self.done = 0
        self.total = 0
        self.page_tasks: list[asyncio.Task[None]] = []

    async def write(self, func: Callable[..., Any], *args: Any, **kwargs: Any) -> Any:
        """Run a store call on the writer thread, or inline when there is none."""
        if self.writer is None:
            return func(*args, **kwargs)
        loop = asyncio.get_running_loop()
        return await loop.run_in_executor(self.writer, lambda: func(*args, **kwargs))

    async def run(self, feeds: list[Feed]) -> RefreshSummary:
        """Refresh ``feeds`` concurrently; outcomes arrive in completion order."""
        summary = RefreshSummary()
        started = time.monotonic()
        self.total = len(feeds)
        tasks = [asyncio.create_task(self.one(feed)) for feed in feeds]
        try:
            for next_done in asyncio.as_completed(tasks):
                outcome = await next_done
                summary.outcomes.append(outcome)
                self.done += 1
                if self.on_progress is not None:
                    pending = (
                        sum(not task.done() for task in self.page_tasks)
                        if self.done == self.total
                        else 0
                    )
                    shown = self.on_progress(
                        RefreshProgress(self.done, self.total, outcome, pending)
                    )
                    if inspect.isawaitable(shown):
                        await shown
            if self.page_tasks:
                await asyncio.gather(*self.page_tasks)
        finally:
            for task in [*tasks, *self.page_tasks]:
                task.cancel()
        summary.elapsed = time.monotonic() - started
        return summary

    async def one(self, feed: Feed) -> FeedOutcome:
        """Fetch, parse and store one feed; never raises except on cancellation."""
        started = time.monotonic()
        skip = skip_reason(feed, _now())
        if skip:
            return FeedOutcome(feed.id, feed.url, "skipped", error=skip)
        settings = self.rules.feed(feed.url)
        ago = None if self.rules.force else not_due(feed, _now(), settings.refresh_interval)
        if ago is not None:
            return FeedOutcome(feed.id, feed.url, "not-due", checked_ago=ago)
        try:
            async with self.slots:
                if feed.api_url and feed.url.rstrip("/") == feed.api_url.rstrip("/"):
                    outcome = await rest_only(self, feed)  # a WordPress site without a feed
                else:
                    outcome = await self.fetch_and_settle(feed)
            if outcome.new_items and self.prefetch_pages > 0 and settings.prefetch:
                # the feed counts as done now (its articles are stored and listed); its pages
                # come in the background and are added to the outcome before run() returns
                self.page_tasks.append(asyncio.create_task(pages_of(self, outcome)))
        except asyncio.CancelledError:
            raise
        except Exception as exc:  # a bug must cost one feed, not the whole refresh
            outcome = FeedOutcome(
                feed.id,
                feed.url,
                "error",
                internal=True,
                error=f"internal error: {type(exc).__name__}: {exc}",
            )
            log_internal(f"refresh of {outcome.url}", outcome.error, traceback.format_exc())
            try:
                await self.update_feed(
                    feed, last_error=outcome.error, last_checked=_now().isoformat()
                )
            except Exception:  # the store itself failing: the outcome still says it
                log.exception("could not record the error of %s", feed.url)
        outcome.elapsed = time.monotonic() - started
        return outcome

    async def fetch_and_settle(self, feed: Feed) -> FeedOutcome:
        """Fetch the feed and store what came back.

        A method of its own so the fetched body is freed when it returns: kept in ``one``'s
        frame it stayed alive through the page prefetch, which runs outside the global slots,
        and at 1000 feeds main held every feed body at once (~160 KB each; RSS 220 MB).
        """
        async with self.host_slot(feed.url):
            result = await fetch(
                self.client,
                feed.url,
                etag=feed.etag,
                last_modified=feed.last_modified,
                max_bytes=self.max_bytes,
                total_timeout=self.total_timeout,
                user_agent=feed.user_agent or self.user_agent,
            )
        return await self.settle(feed, result)

    async def settle(self, feed: Feed, result: FetchResult) -> FeedOutcome:
        """Turn a fetch result into stored state and an outcome (the rules: ``net.fate``)."""
        free = True
        if result.permanent_url and result.permanent_url != feed.url:
            free = await self.write(self.store.feeds.by_url, result.permanent_url) is None
        fate = decide(feed, result, now=_now(), moved_url_free=free)
        outcome = FeedOutcome(
            feed.id,
            feed.url,
            "error",
            status=result.status,
            error=fate.error,
            moved_to=fate.moved_to,
        )
        values = fate.values
        if fate.verdict is Verdict.PARSE:
            if await self.parse_and_store(feed, result, outcome, values):
                return outcome  # the worker wrote the feed row with its articles
            if outcome.error:
                values = after_parse_error(values, outcome.error)
        elif fate.verdict is Verdict.NOT_MODIFIED:
            outcome.state = "not-modified"
        elif fate.verdict is Verdict.GONE:
            outcome.state = "gone"
        await self.update_feed(feed, **values)
        return outcome

    async def update_feed(self, feed: Feed, **values: Any) -> None:
        """Write feed-row columns, through the store process when there is one.

        Not for WordPress feeds (the main process stores their items itself), and written
        here after all if the store process is gone: a fetch's result is never dropped.
        """
        if self.pipeline is not None and not feed.api_url:
            stored = await self.pipeline.update_feed(feed.id, values)
            if not stored.error:
                return
        await self.write(self.store.feeds.update, feed.id, **values)

    async def parse_and_store(
        self, feed: Feed, result: FetchResult, outcome: FeedOutcome, values: dict[str, Any]
    ) -> bool:
        """Parse and upsert off the loop; True when the store process also wrote the feed row.

        ``values`` are the feed-row columns of a successful parse (``net.fate``); on a parse
        error ``outcome.error`` is set and the caller writes ``after_parse_error`` instead.

        With a pipeline the feed row is written by the store process too: measured, the main
        process otherwise waited on SQLite's write lock (held by the other process) for
        0.2-0.3 s at a time, freezing the event loop.
        """
        loop = asyncio.get_running_loop()
        url = result.permanent_url or result.final_url or feed.url
        if self.pipeline is not None and not feed.api_url:
            stored = await self.pipeline.store(
                feed.id,
                result.body,
                url,
                result.content_type,
                values,
                not feed.title,
                not feed.site_url,
            )
            outcome.error, outcome.internal = stored.error, stored.internal
            outcome.new_items, outcome.updated_items = stored.new_items, stored.updated_items
            if not stored.error:
                outcome.state = "new" if stored.new_items else "unchanged"
            elif stored.internal:
                log_internal(f"refresh of {outcome.url}", outcome.error, stored.detail)
            return True
        try:
            if self.parse_executor is None:
                parsed = _parse(result.body, url, result.content_type)
            else:
                parsed = await loop.run_in_executor(
                    self.parse_executor, _parse, result.body, url, result.content_type
                )
        except FeedError as exc:
            outcome.error = str(exc)
            return False
        items = parsed.items
        if feed.api_url:
            try:
                items = await wordpress_items(self, feed)
            except FeedError:
                pass  # the feed's own items are still good
        await self.store_items(feed, items, outcome)
        if parsed.title and not feed.title:
            values["title"] = parsed.title
        if parsed.link and not feed.site_url:
            values["site_url"] = parsed.link
        return False

    async def store_items(self, feed: Feed, items: list[FeedItem], outcome: FeedOutcome) -> None:
        """Upsert in chunks of ``STORE_CHUNK`` so the event loop is never held long."""
        for start in range(0, len(items), STORE_CHUNK):
            chunk = items[start : start + STORE_CHUNK]
            stored = await self.write(self.store.articles.upsert, feed.id, chunk)
            outcome.new_items += len(stored.new_ids)
            outcome.updated_items += stored.updated
            await asyncio.sleep(0)  # let the UI draw between chunks
        outcome.state = "new" if outcome.new_items else "unchanged"


async def refresh(
    store: Store,
    feeds: Iterable[Feed] | None = None,
    *,
    concurrency: int = DEFAULT_CONCURRENCY,
    per_host: int = DEFAULT_PER_HOST,
    total_timeout: float = DEFAULT_TOTAL_TIMEOUT,
    max_bytes: int = DEFAULT_MAX_BYTES,
    prefetch_pages: int = 5,
    user_agent: str | None = None,
    on_progress: ProgressCallback | None = None,
    client: httpx.AsyncClient | None = None,
    parse_in: ParseIn = "process",
    store_in: StoreIn = "loop",
    workers: int = 1,
    rules: RunRules | None = None,
) -> RefreshSummary:
    """Refresh ``feeds`` (default: every non-demo subscription) and return a summary.

    ``parse_in``: ``"process"`` (default: ``workers`` parser processes and one store process),
    ``"thread"`` or ``"inline"`` (tests, measurements). ``store_in`` (for the in-process modes):
    ``"loop"`` (default; chunked) or ``"thread"``. ``on_progress`` (sync or async) gets a
    ``RefreshProgress`` after each feed. ``rules``: config.toml's (``reader.refresh.rules``).
    """
    from reader.net.client import make_client

    if feeds is None:
        feeds = await asyncio.to_thread(store.feeds.all)  # counts articles per feed: not free
    # the bundled demo and hidden "page" feeds (pages kept for related posts) are not fetched
    chosen = spread_hosts([f for f in feeds if f.subscribed])
    own_client = client is None
    if client is None:
        extra = {"user_agent": user_agent} if user_agent else {}
        client = make_client(max_connections=concurrency, **extra)
    parse_executor, pipeline = executors.parsing(store, parse_in, workers)
    writer = executors.writer(store_in)
    try:
        async with Checkpointer(store):
            refresher = Refresher(
                store,
                client,
                concurrency=concurrency,
                per_host=per_host,
                total_timeout=total_timeout,
                max_bytes=max_bytes,
                prefetch_pages=prefetch_pages,
                user_agent=user_agent,
                on_progress=on_progress,
                parse_executor=parse_executor,
                writer=writer,
                pipeline=pipeline,
                rules=rules,
            )
            summary = await _run_then_close(refresher, chosen)
            await prune_after(store, refresher.rules, chosen, summary)
            return summary
    finally:
        await executors.release(
            client if own_client else None, parse_executor if pipeline is None else None, writer
        )


async def _run_then_close(refresher: Refresher, feeds: list[Feed]) -> RefreshSummary:
    """The run, then the store process stopped: before the retention policy's deletes (one
    writer at a time) and the checkpointer's last checkpoint."""
    try:
        return await refresher.run(feeds)
    finally:
        if refresher.pipeline is not None:
            await refresher.pipeline.close()
