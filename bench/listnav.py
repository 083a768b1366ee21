"""List navigation on 100k articles, driving the real app headless with Pilot.

Measures, on a copy of a seeded store (``bench/seed.py``):

- mount → list populated: from ``MainScreen.on_mount`` to ``ArticleList.set_articles`` (ids read
  in a worker thread), to the first painted row, and to the first article shown;
- per key: ``j`` ×200, ``pagedown`` ×50, ``G``/``g`` (jump to end and back) ×10, as wall time and
  as process CPU time per key;
- memory: RSS before the app starts, after the list is loaded and after navigating, and peak RSS.

Pilot waits for the app to go idle after every key (``wait_for_idle``: 20 ms sleeps, twice), so
its wall time per key has a floor that has nothing to do with the app. The same keys are pressed
in a trivial app (one focusable widget, a binding that moves a counter and repaints) and the
difference is reported as the app's own cost. CPU time per key is the steadier measure on a
shared machine.

Usage: ``.venv/bin/python bench/listnav.py [--articles 100000] [--presses 200]``
"""

from __future__ import annotations

import argparse
import asyncio
import resource
import statistics
import sys
import tempfile
import time
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from seed import cached_home, machine
from textual.app import App, ComposeResult
from textual.binding import Binding
from textual.widget import Widget

from reader.app import ReaderApp
from reader.config import Config
from reader.paths import resolve_paths
from reader.screens.main import MainScreen
from reader.store import Store
from reader.widgets.article_list import ArticleList

SIZE = (120, 40)


def rss_mb() -> float:
    """Current resident set size of this process (MB)."""
    with open("/proc/self/status", encoding="ascii") as status:
        for line in status:
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) / 1024
    return 0.0


def peak_rss_mb() -> float:
    """Peak resident set size of this process so far (MB)."""
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


@dataclass
class KeyTiming:
    """Wall and CPU milliseconds per key for one key sequence."""

    key: str
    presses: int
    wall_ms: list[float] = field(default_factory=list)
    cpu_ms: list[float] = field(default_factory=list)

    @property
    def wall(self) -> float:
        """Mean wall ms per key."""
        return statistics.fmean(self.wall_ms)

    @property
    def cpu(self) -> float:
        """Mean CPU ms per key."""
        return statistics.fmean(self.cpu_ms)


async def time_keys(
    press: Callable[[str], Awaitable[None]], keys: list[str], label: str
) -> KeyTiming:
    """Press ``keys`` one by one, timing each press (wall and process CPU)."""
    timing = KeyTiming(label, len(keys))
    for key in keys:
        wall, cpu = time.perf_counter(), time.process_time()
        await press(key)
        timing.wall_ms.append((time.perf_counter() - wall) * 1000)
        timing.cpu_ms.append((time.process_time() - cpu) * 1000)
    return timing


class _Marks:
    """Timestamps taken by thin wrappers around the app's own methods."""

    def __init__(self) -> None:
        self.mount: float | None = None
        self.populated: float | None = None
        self.painted: float | None = None
        self.shown: float | None = None

    def install(self) -> Callable[[], None]:
        """Wrap MainScreen.on_mount, ArticleList.set_articles/render_line, MainScreen._show."""
        marks = self
        on_mount, set_articles = MainScreen.on_mount, ArticleList.set_articles
        render_line, show = ArticleList.render_line, MainScreen._show

        def wrapped_on_mount(self: MainScreen) -> None:
            marks.mount = marks.mount or time.perf_counter()
            on_mount(self)

        def wrapped_set_articles(self: ArticleList, *args: object, **kw: object) -> None:
            set_articles(self, *args, **kw)  # type: ignore[arg-type]
            marks.populated = marks.populated or time.perf_counter()

        def wrapped_render_line(self: ArticleList, y: int):  # type: ignore[no-untyped-def]
            strip = render_line(self, y)
            if marks.painted is None and self._rows:
                marks.painted = time.perf_counter()
            return strip

        def wrapped_show(self: MainScreen, *args: object, **kw: object) -> None:
            show(self, *args, **kw)  # type: ignore[arg-type]
            marks.shown = marks.shown or time.perf_counter()

        MainScreen.on_mount = wrapped_on_mount  # type: ignore[method-assign]
        ArticleList.set_articles = wrapped_set_articles  # type: ignore[method-assign]
        ArticleList.render_line = wrapped_render_line  # type: ignore[method-assign]
        MainScreen._show = wrapped_show  # type: ignore[method-assign]

        def uninstall() -> None:
            MainScreen.on_mount = on_mount  # type: ignore[method-assign]
            ArticleList.set_articles = set_articles  # type: ignore[method-assign]
            ArticleList.render_line = render_line  # type: ignore[method-assign]
            MainScreen._show = show  # type: ignore[method-assign]

        return uninstall


class _Counter(Widget, can_focus=True):
    """A focusable widget whose j/G/g/pagedown move a number and repaint (Pilot's floor)."""

    BINDINGS = [
        Binding("j", "move(1)"),
        Binding("pagedown", "move(38)"),
        Binding("G", "move(100000)"),
        Binding("g", "move(-100000)"),
    ]

    def __init__(self) -> None:
        super().__init__()
        self.value = 0

    def action_move(self, step: int) -> None:
        """Move and repaint."""
        self.value += step
        self.refresh()

    def render(self) -> str:
        """The number."""
        return str(self.value)


class TrivialApp(App[None]):
    """The smallest app Pilot can press keys in."""

    def compose(self) -> ComposeResult:
        """One widget."""
        yield _Counter()

    def on_mount(self) -> None:
        """Focus it."""
        self.query_one(_Counter).focus()


def sequences(presses: int) -> list[tuple[str, list[str]]]:
    """The key runs timed, in order: down, page down, jump to end and back."""
    return [
        ("j (cursor down)", ["j"] * presses),
        ("pagedown", ["pagedown"] * 50),
        ("G / g (end / home)", ["G", "g"] * 10),
    ]


async def trivial_floor(presses: int) -> list[KeyTiming]:
    """Pilot's own cost per key: the same keys in an app that does (almost) nothing."""
    app = TrivialApp()
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        return [await time_keys(pilot.press, keys, label) for label, keys in sequences(presses)]


@dataclass
class AppResult:
    """What the real app did."""

    articles: int
    startup_ms: float | None
    mount_to_populated: float
    mount_to_painted: float
    mount_to_shown: float
    keys: list[KeyTiming]
    cursor: int
    rss_before: float
    rss_loaded: float
    rss_after: float
    peak: float


async def real_app(home: Path, presses: int) -> AppResult:
    """Start the real app on the store under ``home`` and drive the list."""
    paths = resolve_paths(home).ensure()
    store = Store.open(paths.db_file)
    marks = _Marks()
    uninstall = marks.install()
    rss_before = rss_mb()
    try:
        app = ReaderApp(store, paths, Config(), started=time.perf_counter())
        async with app.run_test(size=SIZE) as pilot:
            deadline = time.perf_counter() + 60
            while (marks.shown is None or marks.painted is None) and time.perf_counter() < deadline:
                await asyncio.sleep(0.002)
            await app.workers.wait_for_complete()
            await pilot.pause()
            article_list = app.screen.query_one(ArticleList)
            if not article_list.has_focus:
                article_list.focus()
                await pilot.pause()
            rss_loaded = rss_mb()
            total = len(article_list.article_ids)
            start = article_list.cursor
            keys = []
            for label, sequence in sequences(presses):
                keys.append(await time_keys(pilot.press, sequence, label))
                if len(keys) == 1:
                    moved = article_list.cursor - start
            await app.workers.wait_for_complete()
            rss_after = rss_mb()
    finally:
        uninstall()
        store.close()
    assert marks.mount is not None
    return AppResult(
        articles=total,
        startup_ms=app.startup_ms,
        mount_to_populated=((marks.populated or marks.mount) - marks.mount) * 1000,
        mount_to_painted=((marks.painted or marks.mount) - marks.mount) * 1000,
        mount_to_shown=((marks.shown or marks.mount) - marks.mount) * 1000,
        keys=keys,
        cursor=moved,
        rss_before=rss_before,
        rss_loaded=rss_loaded,
        rss_after=rss_after,
        peak=peak_rss_mb(),
    )


def print_report(result: AppResult, floor: list[KeyTiming], presses: int) -> None:
    """The numbers, with Pilot's floor subtracted."""
    print(f"\nreal app, {result.articles:,} articles, {SIZE[0]}×{SIZE[1]} headless")
    startup = f"{result.startup_ms:.0f} ms" if result.startup_ms is not None else "n/a"
    print(f"  app startup_ms (ReaderApp() → on_ready): {startup}")
    print(f"  mount → list populated (ids set):   {result.mount_to_populated:7.1f} ms")
    print(f"  mount → list painted (first row):   {result.mount_to_painted:7.1f} ms")
    print(f"  mount → first article shown:        {result.mount_to_shown:7.1f} ms")
    print(f"  cursor moved by {presses} × j: {result.cursor} rows")
    print()
    head = f"  {'key':<22}{'presses':>8}{'app wall':>11}{'trivial':>10}{'diff':>9}"
    print(head + f"{'app cpu':>10}{'trivial':>10}{'diff':>9}   (ms per key, mean)")
    for app_keys, base in zip(result.keys, floor, strict=True):
        print(
            f"  {app_keys.key:<22}{app_keys.presses:>8}{app_keys.wall:>11.1f}{base.wall:>10.1f}"
            f"{app_keys.wall - base.wall:>9.1f}{app_keys.cpu:>10.1f}{base.cpu:>10.1f}"
            f"{app_keys.cpu - base.cpu:>9.1f}"
        )
    j = result.keys[0]
    print(
        f"  j wall per key: median {statistics.median(j.wall_ms):.1f}, "
        f"p90 {sorted(j.wall_ms)[int(0.9 * len(j.wall_ms))]:.1f}, max {max(j.wall_ms):.1f} ms"
    )
    print()
    before = result.rss_before
    print(f"  RSS before app: {before:6.0f} MB (store open, modules imported)")
    print(f"  RSS list loaded: {result.rss_loaded:5.0f} MB (+{result.rss_loaded - before:.0f})")
    print(f"  RSS after keys: {result.rss_after:6.0f} MB (+{result.rss_after - before:.0f})")
    print(f"  peak RSS:       {result.peak:6.0f} MB")


async def run(articles: int, presses: int) -> None:
    """Trivial app first (Pilot floor), then the real app on a copy of the seeded store."""
    print(machine())
    floor = await trivial_floor(presses)
    with tempfile.TemporaryDirectory(prefix="reader-listnav-") as tmp:
        home = cached_home(articles, Path(tmp) / "home")
        result = await real_app(home, presses)
    print_report(result, floor, presses)


def main(argv: list[str] | None = None) -> int:
    """Measure and print."""
    parser = argparse.ArgumentParser(description="List navigation on a big store (Pilot).")
    parser.add_argument("--articles", type=int, default=100_000)
    parser.add_argument("--presses", type=int, default=200)
    args = parser.parse_args(argv)
    asyncio.run(run(args.articles, args.presses))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
