"""What cleaning at the door costs: parse time per feed, the sanitizer per body, the migration.

Feeds are the refresh benchmark's (``feedsite.build_feed``: 30 items, 3-6 KB bodies in seven
languages). To compare with a version before the sanitizer, run the same script with that
version's ``src`` first on ``PYTHONPATH`` (the migration row then shows n/a).

    .venv/bin/python bench/sanitize.py
    .venv/bin/python bench/sanitize.py --migrate /tmp/reader-100k   # a bench/seed.py home
"""

from __future__ import annotations

import argparse
import shutil
import sqlite3
import statistics
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

from feedsite import build_feed  # noqa: E402


def per_call_us(func, inputs, repeat: int = 7) -> tuple[float, float]:  # type: ignore[no-untyped-def]
    """Median and minimum CPU µs per input over ``repeat`` passes."""
    runs = []
    for _ in range(repeat):
        started = time.process_time()
        for value in inputs:
            func(value)
        runs.append((time.process_time() - started) / len(inputs) * 1e6)
    return statistics.median(runs), min(runs)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--feeds", type=int, default=60)
    parser.add_argument("--migrate", help="a READER_HOME seeded by bench/seed.py (copied first)")
    args = parser.parse_args()
    from reader.sources.parse import parse_feed

    bodies = [build_feed(n, f"host{n % 10}.test", 30) for n in range(args.feeds)]
    median, low = per_call_us(lambda b: parse_feed(b, "https://bench.test/feed", None), bodies)
    print(f"parse_feed, 30 items: {median / 1000:.2f} ms per feed (min {low / 1000:.2f})")
    try:
        from reader.sanitize import clean_html, clean_text
    except ImportError:
        print("this version has no reader.sanitize: nothing more to measure")
        return
    items = [i for b in bodies[:20] for i in parse_feed(b, "https://bench.test/", None).items]
    texts = [i.content_html or "" for i in items]
    for name, func in (("clean_text", clean_text), ("clean_html", clean_html)):
        median, low = per_call_us(func, texts)
        print(
            f"{name} on a {statistics.mean(map(len, texts)) / 1024:.1f} KB body: "
            f"{median:.1f} µs (min {low:.1f})"
        )
    if args.migrate:
        migrate(Path(args.migrate))


def migrate(home: Path) -> None:
    """Time migration 10 on a copy of a seeded cache set back to schema 9."""
    from reader.store import Store

    with tempfile.TemporaryDirectory() as scratch:
        copy = Path(scratch) / "reader.db"
        shutil.copy(home / "data" / "reader.db", copy)
        with sqlite3.connect(copy) as db:
            db.execute("PRAGMA user_version = 9")
            db.execute("UPDATE articles SET title = title || char(27) || '[2J' WHERE id % 500 = 0")
            count = db.execute("SELECT count(*) FROM articles").fetchone()[0]
        size = copy.stat().st_size / 1e6
        started = time.perf_counter()
        Store.open(copy).close()
        print(
            f"migration 10 on {count:,} articles ({size:,.0f} MB): "
            f"{time.perf_counter() - started:.2f} s"
        )


if __name__ == "__main__":
    main()
