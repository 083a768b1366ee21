"""Event-loop lag in the TUI while `R` refreshes many feeds (the UI must stay responsive).

Starts the local feed site (bench/feedsite.py) in a subprocess, subscribes a temporary store to
N feeds, drives the real app headless, presses R, and samples the event loop with a 20 ms timer
until the refresh is done. Prints wall time and lag percentiles.

    python bench/tui_refresh_lag.py [--feeds 300]
"""

from __future__ import annotations

import argparse
import asyncio
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent


async def _wait_for_site(port: int, timeout: float = 60) -> None:
    """Building hundreds of feeds takes the site a moment; wait until it answers."""
    import urllib.request

    deadline = time.monotonic() + timeout
    while True:
        try:
            with urllib.request.urlopen(f"http://127.0.0.1:{port}/feeds.txt", timeout=2):
                return
        except OSError:
            if time.monotonic() > deadline:
                raise
            await asyncio.sleep(0.2)


async def run(feeds: int, port: int) -> None:
    from reader.app import ReaderApp
    from reader.config import Config
    from reader.paths import resolve_paths
    from reader.store import Store

    server = subprocess.Popen(
        [sys.executable, str(HERE / "feedsite.py"), "--feeds", str(feeds), "--port", str(port)],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        await _wait_for_site(port)
        with tempfile.TemporaryDirectory() as tmp:
            paths = resolve_paths(Path(tmp)).ensure()
            store = Store.open(paths.db_file)
            for n in range(feeds):
                store.feeds.add(f"http://127.0.0.1:{port}/feed/{n}.xml")
            app = ReaderApp(store, paths, Config())
            lags: list[float] = []
            async with app.run_test(size=(120, 40)) as pilot:
                await app.workers.wait_for_complete()
                await pilot.pause()
                loop = asyncio.get_running_loop()
                expected = loop.time() + 0.02

                def tick() -> None:
                    nonlocal expected
                    now = loop.time()
                    lags.append(max(0.0, now - expected))
                    expected = now + 0.02

                timer = app.set_interval(0.02, tick)
                start = time.perf_counter()
                await pilot.press("R")
                while not any(  # wait for the refresh summary (a notification)
                    "new articles" in n.message or "Refresh failed" in n.message
                    for n in app._notifications
                ):
                    await asyncio.sleep(0.05)
                wall = time.perf_counter() - start
                await app.workers.wait_for_complete()
                await pilot.pause()
                notes = [n.message for n in app._notifications]
                timer.stop()
                shown = len(app.screen.article_list.article_ids)  # type: ignore[attr-defined]
            store.close()
    finally:
        server.terminate()
    ms = sorted(v * 1000 for v in lags)
    p = lambda q: ms[min(len(ms) - 1, int(q * len(ms)))]  # noqa: E731
    print(f"{feeds} feeds refreshed from the TUI in {wall:.2f} s; {shown} articles listed")
    print("notifications:", "; ".join(notes))
    print(
        f"event-loop lag over {len(ms)} samples: median {statistics.median(ms):.1f} ms, "
        f"p95 {p(0.95):.1f} ms, p99 {p(0.99):.1f} ms, max {ms[-1]:.1f} ms"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--feeds", type=int, default=300)
    parser.add_argument("--port", type=int, default=8977)
    args = parser.parse_args()
    asyncio.run(run(args.feeds, args.port))


if __name__ == "__main__":
    main()
