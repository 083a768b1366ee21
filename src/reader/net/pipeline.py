"""The main process's end of the refresh's parse-and-store processes (``reader.net.worker``).

``StorePipeline.start`` spawns one store process and ``parsers`` parser processes; ``store``
sends a fetched body to a parser and awaits the store process's reply for it. Bodies go to the
parsers, parsed feeds go from the parsers straight to the store process, and only small
results come back here, so the event loop spends its time on the network.

Failure rules: nothing here hangs or raises for a feed. A parser that dies costs the feeds it
held (``BrokenProcessPool`` becomes a per-feed error); a store process that dies fails every
feed still waiting with a message naming its exit code. ``close`` always stops both.

Spawn, not fork: the caller may have threads running (a Textual app, the checkpointer).
"""

from __future__ import annotations

import asyncio
import itertools
import multiprocessing
import queue
import threading
from collections.abc import Awaitable, Callable
from concurrent.futures import ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from typing import Any

from reader.net.worker import (
    PageJob,
    RowJob,
    Stored,
    init_parser,
    parse_and_forward,
    ready,
    store_loop,
)

IN_FLIGHT = 16
"""Most feeds handed to the parsers and not yet stored. Bounds the parsed feeds waiting in
the queues (each ~300 KB for 30 items of 5 KB) while keeping the store process's groups full."""
STOP_TIMEOUT = 30.0
"""Seconds ``close`` waits for the store process to finish queued feeds before killing it."""


class StorePipeline:
    """Parser processes feeding one store process; use ``start`` and ``close``."""

    def __init__(self, db_path: str, parsers: int) -> None:
        context = multiprocessing.get_context("spawn")
        self.loop = asyncio.get_running_loop()
        self.inbox: Any = context.Queue()
        self.outbox: Any = context.Queue()
        self.writer = context.Process(target=store_loop, args=(db_path, self.inbox, self.outbox),
                                      name="reader-store", daemon=True)
        self.parsers = ProcessPoolExecutor(max_workers=parsers, mp_context=context,
                                           initializer=init_parser, initargs=(self.inbox,))
        self.pending: dict[int, asyncio.Future[Stored]] = {}
        self.ids = itertools.count(1)
        self.in_flight = asyncio.Semaphore(IN_FLIGHT)
        self.failure: str | None = None
        self.collector = threading.Thread(target=self._collect, name="reader-store-replies",
                                          daemon=True)

    @classmethod
    def start(cls, db_path: str, parsers: int = 1) -> StorePipeline:
        """Spawn the processes and boot them while the caller's first requests are in flight.

        Call from a running event loop (replies are delivered to it).
        """
        pipeline = cls(db_path, max(1, parsers))
        pipeline.writer.start()
        pipeline.collector.start()
        for _ in range(max(1, parsers)):
            pipeline.parsers.submit(ready)
        return pipeline

    async def store(self, feed_id: int, body: bytes, url: str, content_type: str | None,
                    values: dict[str, Any], want_title: bool, want_link: bool) -> Stored:
        """Parse ``body`` and store its items and the feed row ``values``; errors as data."""

        async def send(job: int) -> None:
            await self.loop.run_in_executor(self.parsers, parse_and_forward, job, feed_id, body,
                                            url, content_type, values, want_title, want_link)

        return await self._ask(send)

    async def store_page(self, article_id: int, body: bytes) -> Stored:
        """Keep a prefetched page through the store process (the one writer)."""

        async def send(job: int) -> None:
            self.inbox.put(PageJob(job, article_id, body))

        return await self._ask(send)

    async def update_feed(self, feed_id: int, values: dict[str, Any]) -> Stored:
        """Write feed-row columns through the store process (the one writer)."""

        async def send(job: int) -> None:
            self.inbox.put(RowJob(job, feed_id, values))

        return await self._ask(send)

    async def _ask(self, send: Callable[[int], Awaitable[None]]) -> Stored:
        """Number a job, hand it on with ``send``, and wait for the store process's reply."""
        if self.failure:
            return Stored(error=self.failure)
        async with self.in_flight:
            job = next(self.ids)
            reply: asyncio.Future[Stored] = self.loop.create_future()
            self.pending[job] = reply
            try:
                await send(job)
                return await reply
            except BrokenProcessPool:
                return Stored(error="the feed parser process stopped unexpectedly")
            finally:
                self.pending.pop(job, None)

    def _collect(self) -> None:
        """Thread: hand the store process's replies to the event loop; notice if it dies."""
        while True:
            try:
                message = self.outbox.get(timeout=0.5)
            except queue.Empty:
                if self.writer.is_alive():
                    continue
                reason = (f"the store process stopped unexpectedly (exit code "
                          f"{self.writer.exitcode})")
                self._deliver_threadsafe(None, reason)
                return
            except Exception:  # a torn message from a dying process, a closed pipe
                self._deliver_threadsafe(None, "lost contact with the store process")
                return
            if message is None:  # the store process finished
                self._deliver_threadsafe(None, "the store process has stopped")
                return
            job, stored = message
            self._deliver_threadsafe(job, stored)

    def _deliver_threadsafe(self, job: int | None, result: Stored | str) -> None:
        try:
            self.loop.call_soon_threadsafe(self._deliver, job, result)
        except RuntimeError:  # the loop is closed: nobody is waiting any more
            pass

    def _deliver(self, job: int | None, result: Stored | str) -> None:
        if job is not None and isinstance(result, Stored):
            reply = self.pending.get(job)
            if reply is not None and not reply.done():
                reply.set_result(result)
            return
        self.failure = str(result)
        for reply in self.pending.values():
            if not reply.done():
                reply.set_result(Stored(error=self.failure))

    async def close(self) -> None:
        """Stop the parsers, let the store process finish what it holds, then stop it.

        Order matters: parsers hand their last feeds to the store process before it is told to
        stop, or a parser would block for ever writing into a pipe nobody reads (measured, on
        Ctrl-C), and the main process waiting for it at exit.
        """
        if self.failure or not self.writer.is_alive():
            self._kill_parsers()  # nobody would read what they still hold
        stopping = asyncio.ensure_future(asyncio.to_thread(
            self.parsers.shutdown, wait=True, cancel_futures=True))
        try:
            await asyncio.wait_for(asyncio.shield(stopping), STOP_TIMEOUT)
        except TimeoutError:
            self._kill_parsers()
            await stopping
        if self.writer.is_alive():
            try:
                self.inbox.put(None)
            except (OSError, ValueError):
                pass
            await asyncio.to_thread(self.writer.join, STOP_TIMEOUT)
            if self.writer.is_alive():
                self.writer.kill()
                await asyncio.to_thread(self.writer.join, 5.0)
        await asyncio.to_thread(self.collector.join, 5.0)
        self.inbox.close()
        self.outbox.close()

    def _kill_parsers(self) -> None:
        # ProcessPoolExecutor keeps its processes in ``_processes``; there is no public handle
        processes = getattr(self.parsers, "_processes", None) or {}
        for process in list(processes.values()):
            process.kill()
