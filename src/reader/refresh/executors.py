"""Where a refresh's parsing and storing run, and closing them when the run ends.

``"process"`` (the CLI): parser processes hand parsed feeds to one store process
(``pipeline``); with an in-memory store, which cannot be shared, parser processes only.
``"thread"`` (the TUI: a spawned process cannot start under Textual) and ``"inline"`` (tests,
measurements) keep everything in this process; ``store_in="thread"`` adds one writer thread.
"""

from __future__ import annotations

from concurrent.futures import Executor, ThreadPoolExecutor
from typing import TYPE_CHECKING, Literal

if TYPE_CHECKING:
    import httpx

    from reader.refresh.pipeline import StorePipeline
    from reader.store import Store

ParseIn = Literal["process", "thread", "inline"]
"""Where feeds are parsed (see the module docstring)."""
StoreIn = Literal["loop", "thread"]
"""For the in-process modes: store on the event loop in chunks, or on one writer thread."""


def parsing(
    store: Store, parse_in: ParseIn, workers: int
) -> tuple[Executor | None, StorePipeline | None]:
    """Where feeds are parsed (and, with a pipeline, stored) for ``parse_in``."""
    if parse_in == "process" and str(store.path) != ":memory:":
        from reader.refresh.pipeline import StorePipeline

        pipeline = StorePipeline.start(str(store.path), parsers=workers)
        return pipeline.parsers, pipeline
    if parse_in == "process":  # an in-memory store cannot be shared: parse there, store here
        import multiprocessing
        from concurrent.futures import ProcessPoolExecutor

        context = multiprocessing.get_context("spawn")
        return ProcessPoolExecutor(max_workers=workers, mp_context=context), None
    if parse_in == "inline":
        return None, None
    return ThreadPoolExecutor(max_workers=2, thread_name_prefix="reader-parse"), None


def writer(store_in: StoreIn) -> ThreadPoolExecutor | None:
    """The one thread that writes, for ``store_in="thread"``."""
    if store_in != "thread":
        return None
    return ThreadPoolExecutor(max_workers=1, thread_name_prefix="reader-store")


async def release(
    client: httpx.AsyncClient | None, parsers: Executor | None, writes: Executor | None
) -> None:
    """Close what a run made for itself (a pipeline is closed by the run, before the last
    checkpoint)."""
    if client is not None:
        await client.aclose()
    if parsers is not None:
        parsers.shutdown(wait=False, cancel_futures=True)
    if writes is not None:
        writes.shutdown(wait=True)
