"""Startup time of the real ``reader`` command, from process start to the first painted frame.

Each run starts ``.venv/bin/reader`` in a fresh pseudo-terminal (120×40, ``READER_HOME`` set),
records every chunk the app writes with its arrival time, waits for the "started in N ms" line in
``$READER_HOME/cache/reader.log`` (written in ``on_ready``) and then presses ``q``. Per run it
reports:

- ``log``: the app's own figure (``perf_counter`` at the top of ``__main__`` to ``on_ready``);
- ``frame``: wall time from just before ``fork`` to the first chunk containing the status
  bar's "? help" hint, i.e. the first frame on screen as a user sees it (the footer's "Help"
  label no longer fits 120 columns beside the read/save/feeds keys);
- ``list``: wall time until the newest article's title is on screen (the list loads in a worker
  after the first frame, and the first article opens);
- ``quit``: time from pressing ``q`` (sent once the log line is there and the screen has been
  quiet for 0.3 s) until the process is gone.

Scenarios: empty store (first run seeds the demo site; second run reuses it), 10k and 100k cached
articles (seeded once by ``bench/seed.py`` and reused; one warm-up run is not counted).
Then ``python -X importtime`` over the modules on the startup path, top 10.

Usage: ``.venv/bin/python bench/startup.py [--runs 7] [--sizes 10000,100000]``
"""

from __future__ import annotations

import argparse
import fcntl
import os
import pty
import re
import select
import signal
import sqlite3
import statistics
import struct
import subprocess
import sys
import tempfile
import termios
import time
from dataclasses import dataclass, field
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from seed import cached_home, machine

ROOT = Path(__file__).resolve().parent.parent
READER = ROOT / ".venv" / "bin" / "reader"
PYTHON = ROOT / ".venv" / "bin" / "python"
COLUMNS, LINES = 120, 40
FRAME_MARKER = "? help"
TIMEOUT = 60.0
_ANSI = re.compile(
    r"\x1b\[[0-9;?<>=!$]*[ -/]*[@-~]|\x1b[PX^_].*?\x1b\\|\x1b\].*?(?:\x07|\x1b\\)|\x1b."
)
_STARTED = re.compile(r"started in (\d+) ms")

STARTUP_MODULES = (
    "reader.__main__",
    "reader.cli",
    "reader.cli.tui",
    "reader.seed",
    "reader.store",
    "reader.app",
    "reader.screens.main",
)
"""What ``reader`` imports before its first frame (``__main__`` → cli → tui → app → screen)."""


@dataclass
class Run:
    """Timings of one start (milliseconds; None when the marker never showed)."""

    log_ms: float | None
    frame_ms: float | None
    list_ms: float | None
    quit_ms: float | None
    ok: bool = True
    note: str = ""


@dataclass
class Scenario:
    """Several runs of one store state."""

    name: str
    runs: list[Run] = field(default_factory=list)


def _strip(text: str) -> str:
    return _ANSI.sub("", text)


def _newest_title(home: Path) -> str | None:
    """The first words of the newest article's title, as the list shows it."""
    db = home / "data" / "reader.db"
    if not db.exists():
        return None
    with sqlite3.connect(f"file:{db}?mode=ro", uri=True) as conn:
        row = conn.execute(
            "SELECT title FROM articles ORDER BY published DESC, id DESC LIMIT 1"
        ).fetchone()
    if not row or not row[0]:
        return None
    return " ".join(row[0].split()[:2])[:16]


def _log_ms(log_file: Path, skip: int) -> float | None:
    """The "started in N ms" figure written after byte ``skip`` of the log."""
    try:
        with log_file.open("rb") as handle:
            handle.seek(skip)
            text = handle.read().decode("utf-8", "replace")
    except OSError:
        return None
    match = _STARTED.search(text)
    return float(match.group(1)) if match else None


def run_once(home: Path) -> Run:
    """Start ``reader`` in a pty under READER_HOME ``home``, wait for the first frame, quit."""
    log_file = home / "cache" / "reader.log"
    skip = log_file.stat().st_size if log_file.exists() else 0
    env = {
        **os.environ,
        "READER_HOME": str(home),
        "TERM": "xterm-256color",
        "COLUMNS": str(COLUMNS),
        "LINES": str(LINES),
    }
    for name in ("TEXTUAL", "TEXTUAL_THEME", "NO_COLOR"):
        env.pop(name, None)
    started = time.perf_counter()
    pid, fd = pty.fork()
    if pid == 0:  # child: the pty is our controlling terminal
        fcntl.ioctl(0, termios.TIOCSWINSZ, struct.pack("HHHH", LINES, COLUMNS, 0, 0))
        os.execve(str(READER), [str(READER)], env)
    fcntl.ioctl(fd, termios.TIOCSWINSZ, struct.pack("HHHH", LINES, COLUMNS, 0, 0))
    chunks: list[tuple[float, str]] = []
    log_ms: float | None = None
    quit_sent = False
    exit_ms: float | None = None
    quit_at = 0.0
    deadline = started + TIMEOUT
    status = None
    try:
        while time.perf_counter() < deadline:
            ready, _, _ = select.select([fd], [], [], 0.01)
            if ready:
                try:
                    data = os.read(fd, 65536)
                except OSError:  # EIO: the child closed the terminal
                    data = b""
                if data:
                    chunks.append((time.perf_counter(), data.decode("utf-8", "replace")))
            done, status = os.waitpid(pid, os.WNOHANG)
            if done:
                exit_ms = (time.perf_counter() - (quit_at or started)) * 1000
                break
            if not quit_sent:
                log_ms = _log_ms(log_file, skip)
                if log_ms is not None:
                    # Let the list load and the first article open before quitting.
                    if time.perf_counter() - chunks[-1][0] > 0.3 if chunks else False:
                        os.write(fd, b"q")
                        quit_at = time.perf_counter()
                        quit_sent = True
    finally:
        if exit_ms is None:
            os.kill(pid, signal.SIGKILL)
            os.waitpid(pid, 0)
        os.close(fd)
    text = ""
    frame_ms = list_ms = None
    title = _newest_title(home)
    for moment, chunk in chunks:
        text += _strip(chunk)
        if frame_ms is None and FRAME_MARKER in text:
            frame_ms = (moment - started) * 1000
        if list_ms is None and title and title in text:
            list_ms = (moment - started) * 1000
    if list_ms is not None and frame_ms is not None:
        list_ms = max(list_ms, frame_ms)  # a frame arrives in several chunks
    ok = quit_sent and exit_ms is not None and log_ms is not None and frame_ms is not None
    note = "" if ok else f"status={status} tail={text[-200:]!r}"
    return Run(log_ms, frame_ms, list_ms, exit_ms, ok, note)


def _stats(values: list[float | None]) -> str:
    got = [v for v in values if v is not None]
    if not got:
        return f"{'n/a':>22}"
    return f"{statistics.median(got):7.0f} {min(got):6.0f} {max(got):6.0f}  "


def print_table(scenarios: list[Scenario]) -> None:
    """Median / min / max per measure and scenario (ms)."""
    print()
    head = "".join(
        f"{m:>22}" for m in ("log (on_ready)", "first frame", "list painted", "quit (after q)")
    )
    print(f"{'scenario':<26}{'runs':>5}{head}")
    print(f"{'':<31}" + "".join(f"{'median   min    max':>22}" for _ in range(4)))
    for scenario in scenarios:
        runs = [r for r in scenario.runs if r.ok]
        cells = "".join(
            _stats([getattr(r, name) for r in runs])
            for name in ("log_ms", "frame_ms", "list_ms", "quit_ms")
        )
        failed = len(scenario.runs) - len(runs)
        extra = f"  ({failed} failed)" if failed else ""
        print(f"{scenario.name:<26}{len(runs):>5}{cells}{extra}")
    print("(ms from process start; goal: first frame ≤ 500 ms, flat in cache size)")


def _report(run: Run) -> str:
    def fmt(value: float | None) -> str:
        return "  -" if value is None else f"{value:.0f}"

    state = "" if run.ok else f"  FAILED {run.note}"
    return (
        f"log {fmt(run.log_ms)} · frame {fmt(run.frame_ms)} · list {fmt(run.list_ms)} "
        f"· quit {fmt(run.quit_ms)}{state}"
    )


def measure(runs: int, sizes: list[int], workdir: Path) -> list[Scenario]:
    """Run every scenario ``runs`` times."""
    first, second = Scenario("empty, first run (demo)"), Scenario("empty, second run")
    for index in range(runs):
        home = workdir / f"empty-{index}"
        run = run_once(home)
        first.runs.append(run)
        print(f"  {first.name:<24} #{index + 1}: {_report(run)}", flush=True)
        run = run_once(home)
        second.runs.append(run)
        print(f"  {second.name:<24} #{index + 1}: {_report(run)}", flush=True)
    scenarios = [first, second]
    for size in sizes:
        scenario = Scenario(f"{size:,} cached articles")
        home = cached_home(size, workdir / f"cached-{size}")
        warm = run_once(home)
        print(f"  {scenario.name:<24} warm-up: {_report(warm)}", flush=True)
        for index in range(runs):
            run = run_once(home)
            scenario.runs.append(run)
            print(f"  {scenario.name:<24} #{index + 1}: {_report(run)}", flush=True)
        scenarios.append(scenario)
    return scenarios


def import_times(top: int = 10) -> None:
    """``python -X importtime`` over the startup path: top modules by cumulative and self time."""
    code = "; ".join(f"import {name}" for name in STARTUP_MODULES)
    result = None
    for _ in range(2):  # the first pass may write bytecode; report the second
        result = subprocess.run(
            [str(PYTHON), "-X", "importtime", "-c", code],
            capture_output=True,
            text=True,
            check=True,
        )
    assert result is not None
    rows: list[tuple[int, int, int, str]] = []
    for line in result.stderr.splitlines():
        if not line.startswith("import time:") or "self [us]" in line:
            continue
        self_us, cumulative_us, name = line.removeprefix("import time:").split("|", 2)
        depth = (len(name) - len(name.lstrip(" ")) - 1) // 2
        rows.append((int(self_us), int(cumulative_us), depth, name.strip()))
    total = sum(r[0] for r in rows)
    modules = ", ".join(STARTUP_MODULES)
    print(f"\nimport time of the startup path ({modules}): {total / 1000:.0f} ms")
    top_level = sorted((r for r in rows if r[2] == 0), key=lambda r: -r[1])[:top]
    print(f"  top {top} top-level imports by cumulative time:")
    for self_us, cumulative_us, _, name in top_level:
        print(f"    {cumulative_us / 1000:7.1f} ms  (self {self_us / 1000:5.1f})  {name}")
    heavy = sorted(rows, key=lambda r: -r[0])[:top]
    print(f"  top {top} modules by self time:")
    for self_us, cumulative_us, _, name in heavy:
        print(f"    {self_us / 1000:7.1f} ms  (cumulative {cumulative_us / 1000:6.1f})  {name}")
    loaded = {r[3] for r in rows}
    lazy = [m for m in ("httpx", "markdownify", "bs4", "lxml", "feedparser") if m in loaded]
    print(f"  heavy libraries on the startup path: {', '.join(lazy) or 'none'}")


def main(argv: list[str] | None = None) -> int:
    """Measure and print the startup table and import times."""
    parser = argparse.ArgumentParser(description="Startup time of the real reader command.")
    parser.add_argument("--runs", type=int, default=7)
    parser.add_argument("--sizes", default="10000,100000", help="cached article counts")
    parser.add_argument("--no-imports", action="store_true", help="skip the importtime report")
    args = parser.parse_args(argv)
    sizes = [int(s) for s in args.sizes.split(",") if s.strip()]
    print(machine())
    print(f"reader startup, {args.runs} runs each, pty {COLUMNS}×{LINES}, {READER}")
    with tempfile.TemporaryDirectory(prefix="reader-startup-") as tmp:
        scenarios = measure(args.runs, sizes, Path(tmp))
    print_table(scenarios)
    if not args.no_imports:
        import_times()
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
