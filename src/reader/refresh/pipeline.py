"""The main process's end of the refresh's parse-and-store processes (``reader.refresh.worker``).

``StorePipeline.start`` spawns one store process and ``parsers`` parser processes; ``store``
sends a fetched body to a parser and awaits the store process's reply for it. Bodies go to the
parsers, parsed feeds go from the parsers straight to the store process, and only small
results come back here, so the event loop spends its time on the network.

Failure rules: nothing here hangs or raises for a feed, and nothing is silently dropped. When a
child process dies (killed, out of memory, a crash in a C library), every job it may have held
is *lost*: the processes are replaced by a new set (a "generation": new queues too, since a
process killed mid-write can leave a queue's lock held or a torn message in its pipe) and the
lost jobs are sent again. Each child publishes the job it is working on in shared memory, so
the job that was being handled when the process died is the *culprit*: a culprit that kills
the next generation too fails with the reason, and the innocent jobs around it are simply
retried. After ``MAX_RESTARTS`` replacements in one run the pipeline gives up and every job
still waiting fails with the reason. ``close`` always stops every process.

Spawn, not fork: the caller may have threads running (a Textual app, the checkpointer).
"""

from __future__ import annotations

import asyncio
import itertools
import multiprocessing
import queue
import signal
import threading
from collections.abc import Awaitable, Callable
from concurrent.futures import ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from typing import Any

from reader.refresh.worker import (
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
MAX_RESTARTS = 5
"""Child-process sets replaced in one run before the pipeline gives up."""
CULPRIT_LIMIT = 2
"""A job fails once the process working on it has died this many times."""


def exit_reason(what: str, exitcode: int | None) -> str:
    """'the store process stopped unexpectedly (killed by SIGKILL, exit code -9)'."""
    if exitcode is not None and exitcode < 0:
        try:
            name = signal.Signals(-exitcode).name
        except ValueError:
            name = f"signal {-exitcode}"
        return f"the {what} stopped unexpectedly (killed by {name}, exit code {exitcode})"
    if exitcode is None:
        return f"the {what} stopped unexpectedly"
    return f"the {what} stopped unexpectedly (exit code {exitcode})"


class _Generation:
    """One set of child processes with their queues; replaced whole when a member dies."""

    def __init__(self, number: int, db_path: str, parsers: int) -> None:
        context = multiprocessing.get_context("spawn")
        self.number = number
        self.inbox: Any = context.Queue()
        self.outbox: Any = context.Queue()
        self.storing: Any = context.Value("q", 0)
        self.parsing: list[Any] = [context.Value("q", 0) for _ in range(parsers)]
        taken = context.Value("i", 0)
        self.writer = context.Process(
            target=store_loop,
            args=(db_path, self.inbox, self.outbox, self.storing),
            name="reader-store",
            daemon=True,
        )
        self.parsers = ProcessPoolExecutor(
            max_workers=parsers,
            mp_context=context,
            initializer=init_parser,
            initargs=(self.inbox, self.parsing, taken),
        )
        self.collector: threading.Thread | None = None
        self.dead = False

    def working_on(self) -> set[int]:
        """Jobs the children were handling at this moment (read after one died)."""
        return {v.value for v in (self.storing, *self.parsing) if v.value}

    def kill(self) -> None:
        """Stop every process of this generation at once (it is being replaced)."""
        for process in [self.writer, *_pool_processes(self.parsers)]:
            if process.is_alive():
                process.kill()
        self.parsers.shutdown(wait=False, cancel_futures=True)
        for channel in (self.inbox, self.outbox):
            channel.cancel_join_thread()  # never block on a pipe nobody reads any more
            channel.close()


def _pool_processes(pool: ProcessPoolExecutor) -> list[Any]:
    # ProcessPoolExecutor keeps its processes in ``_processes``; there is no public handle
    return list((getattr(pool, "_processes", None) or {}).values())


class StorePipeline:
    """Parser processes feeding one store process; use ``start`` and ``close``."""

    def __init__(self, db_path: str, parsers: int) -> None:
        self.db_path = db_path
        self.parser_count = parsers
        self.loop = asyncio.get_running_loop()
        self.pending: dict[int, tuple[_Generation, asyncio.Future[Stored]]] = {}
        self.ids = itertools.count(1)
        self.in_flight = asyncio.Semaphore(IN_FLIGHT)
        self.failure: str | None = None
        self.restarts = 0
        self.gen = self._spawn(1)

    @property
    def writer(self) -> Any:
        """The current store process (tests and ``close`` look at it)."""
        return self.gen.writer

    @property
    def parsers(self) -> ProcessPoolExecutor:
        """The current parser pool."""
        return self.gen.parsers

    def _spawn(self, number: int) -> _Generation:
        gen = _Generation(number, self.db_path, self.parser_count)
        gen.writer.start()
        gen.collector = threading.Thread(
            target=self._collect, args=(gen,), name="reader-store-replies", daemon=True
        )
        gen.collector.start()
        for _ in range(self.parser_count):
            gen.parsers.submit(ready)  # boots the parsers while the first fetches run
        return gen

    @classmethod
    def start(cls, db_path: str, parsers: int = 1) -> StorePipeline:
        """Spawn the processes and boot them while the caller's first requests are in flight.

        Call from a running event loop (replies are delivered to it).
        """
        return cls(db_path, max(1, parsers))

    async def store(
        self,
        feed_id: int,
        body: bytes,
        url: str,
        content_type: str | None,
        values: dict[str, Any],
        want_title: bool,
        want_link: bool,
    ) -> Stored:
        """Parse ``body`` and store its items and the feed row ``values``; errors as data."""

        async def send(job: int) -> None:
            await self.loop.run_in_executor(
                self.gen.parsers,
                parse_and_forward,
                job,
                feed_id,
                body,
                url,
                content_type,
                values,
                want_title,
                want_link,
            )

        return await self._ask(send)

    async def store_page(self, article_id: int, body: bytes) -> Stored:
        """Keep a prefetched page through the store process (the one writer)."""

        async def send(job: int) -> None:
            self.gen.inbox.put(PageJob(job, article_id, body))

        return await self._ask(send)

    async def update_feed(self, feed_id: int, values: dict[str, Any]) -> Stored:
        """Write feed-row columns through the store process (the one writer)."""

        async def send(job: int) -> None:
            self.gen.inbox.put(RowJob(job, feed_id, values))

        return await self._ask(send)

    async def _ask(self, send: Callable[[int], Awaitable[None]]) -> Stored:
        """Number a job, hand it on with ``send``, and wait for its reply; retry lost jobs.

        ``send`` reads the current generation when called, so a retry goes to the new one.
        """
        deaths = 0
        while True:
            if self.failure:
                return Stored(error=self.failure, internal=True)
            async with self.in_flight:
                gen = self.gen
                job = next(self.ids)
                reply: asyncio.Future[Stored] = self.loop.create_future()
                self.pending[job] = (gen, reply)
                try:
                    try:
                        await send(job)
                    except (BrokenProcessPool, OSError, ValueError):
                        # the parser pool broke, or a queue of a replaced generation closed
                        self._on_death(gen, exit_reason("feed parser process", _pool_exit(gen)))
                    result = await reply
                finally:
                    self.pending.pop(job, None)
            if not result.lost:
                return result
            deaths += result.culprit
            if deaths >= CULPRIT_LIMIT:
                return Stored(
                    error=f"{result.error}, twice while handling this feed", internal=True
                )

    def _collect(self, gen: _Generation) -> None:
        """Thread: hand ``gen``'s store replies to the event loop; notice if it dies."""
        while True:
            try:
                message = gen.outbox.get(timeout=0.5)
            except queue.Empty:
                if gen.writer.is_alive():
                    continue
                reason = exit_reason("store process", gen.writer.exitcode)
                self._threadsafe(self._on_death, gen, reason)
                return
            except Exception:  # a torn message from a dying process, a closed pipe
                self._threadsafe(self._on_death, gen, "lost contact with the store process")
                return
            if message is None:  # the store process finished
                self._threadsafe(self._on_death, gen, "the store process has stopped")
                return
            self._threadsafe(self._deliver, *message)

    def _threadsafe(self, callback: Callable[..., None], *args: Any) -> None:
        try:
            self.loop.call_soon_threadsafe(callback, *args)
        except RuntimeError:  # the loop is closed: nobody is waiting any more
            pass

    def _deliver(self, job: int, stored: Stored) -> None:
        entry = self.pending.get(job)
        if entry is not None and not entry[1].done():
            entry[1].set_result(stored)

    def _on_death(self, gen: _Generation, reason: str) -> None:
        """A child of ``gen`` died (or ``gen`` ended): its jobs are lost; replace it once."""
        if gen.dead:
            return
        gen.dead = True
        culprits = gen.working_on()
        for job, (owner, reply) in list(self.pending.items()):
            if owner is gen and not reply.done():
                reply.set_result(
                    Stored(error=reason, internal=True, lost=True, culprit=job in culprits)
                )
        if gen is not self.gen or self.failure:
            return
        gen.kill()
        self.restarts += 1
        if self.restarts > MAX_RESTARTS:
            self.failure = f"{reason}; gave up after {MAX_RESTARTS} restarts"
            return
        self.gen = self._spawn(gen.number + 1)

    async def close(self) -> None:
        """Stop the parsers, let the store process finish what it holds, then stop it.

        Order matters: parsers hand their last feeds to the store process before it is told to
        stop, or a parser would block for ever writing into a pipe nobody reads (measured, on
        Ctrl-C), and the main process waiting for it at exit.
        """
        gen = self.gen
        self.failure = self.failure or "the refresh has ended"  # no new jobs, no restarts
        gen.dead = gen.dead or not gen.writer.is_alive()
        if gen.dead:
            _kill(_pool_processes(gen.parsers))  # nobody would read what they still hold
        stopping = asyncio.ensure_future(
            asyncio.to_thread(gen.parsers.shutdown, wait=True, cancel_futures=True)
        )
        try:
            await asyncio.wait_for(asyncio.shield(stopping), STOP_TIMEOUT)
        except TimeoutError:
            _kill(_pool_processes(gen.parsers))
            await stopping
        if gen.writer.is_alive():
            try:
                gen.inbox.put(None)
            except (OSError, ValueError):
                pass
            await asyncio.to_thread(gen.writer.join, STOP_TIMEOUT)
            if gen.writer.is_alive():
                gen.writer.kill()
                await asyncio.to_thread(gen.writer.join, 5.0)
        gen.dead = True
        if gen.collector is not None:
            await asyncio.to_thread(gen.collector.join, 5.0)
        gen.inbox.close()
        gen.outbox.close()


def _kill(processes: list[Any]) -> None:
    for process in processes:
        if process.is_alive():
            process.kill()


def _pool_exit(gen: _Generation) -> int | None:
    """The exit code of a dead parser of ``gen``, if one is known."""
    for process in _pool_processes(gen.parsers):
        if process.exitcode is not None:
            return process.exitcode
    return None
