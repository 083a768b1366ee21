"""Saved searches at 10k and 100k articles: the feeds pane's unread count of a saved search
(``Search.count_unread``) and its view's ids (``Search.matching_ids``), p50/p95 per query class.

The same words and classes as ``bench/search.py`` (one word, two words, prefix; words in about
1 %, 20 % and 95 % of articles). Two states of the cache: every article unread (the seeded
cache: the worst case, the count walks the most matches and stops at its cap), and only the
newest 2 % unread (a cache that is read every day). Each query runs ``--runs`` times.

Usage: ``.venv/bin/python bench/saved_searches.py [--sizes 10000 100000] [--runs 5]``
"""

from __future__ import annotations

import argparse
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from search import TARGETS, p95, pick_words, queries
from seed import cached_home, machine

from reader.paths import resolve_paths
from reader.store import Store

GOAL_MS = 50.0


def timed(call: Callable[[], object], runs: int) -> list[float]:
    """Milliseconds of each run."""
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        call()
        times.append((time.perf_counter() - start) * 1000)
    return times


def report(store: Store, db: Path, runs: int, state: str) -> None:
    """One line per share, class and operation."""
    for share in TARGETS:
        words = pick_words(db, share)
        for name, texts in queries(words, old=False).items():
            for what, call in (
                ("count", store.search.count_unread),
                ("view ids", store.search.matching_ids),
            ):
                times: list[float] = []
                results = []
                for text in texts:
                    times += timed(lambda t=text, c=call: c(t), runs)
                    got = call(text)
                    results.append(got if isinstance(got, int) else len(got))
                worst = p95(times)
                print(
                    f"  {state:<10} {share:>4.0%} {name:<10} {what:<9} p50 "
                    f"{statistics.median(times):7.1f} ms  p95 {worst:7.1f} ms  results {results}"
                    f"  {'ok' if worst <= GOAL_MS else 'MISS'}"
                )


def bench_size(articles: int, runs: int) -> None:
    """Seed (or reuse) a store of this size; all unread, then the newest 2 % unread."""
    with tempfile.TemporaryDirectory(prefix="reader-saved-") as tmp:
        home = cached_home(articles, Path(tmp) / "home")
        db = resolve_paths(home).db_file
        store = Store.open(db)
        try:
            unread = store.db.query_one("SELECT count(*) FROM articles WHERE read = 0")[0]
            print(f"\n{articles:,} articles, {unread:,} unread")
            report(store, db, runs, "all unread")
            ids = store.articles.ordered_ids()
            store.marks.set_read(ids[len(ids) // 50 :])
            print(f"{articles:,} articles, {len(ids) // 50:,} unread (the newest)")
            report(store, db, runs, "2% unread")
        finally:
            store.close()


def main(argv: list[str] | None = None) -> int:
    """Print the lines for each size."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[10_000, 100_000])
    parser.add_argument("--runs", type=int, default=5)
    args = parser.parse_args(argv)
    print(machine())
    for size in args.sizes:
        bench_size(size, args.runs)
    print(f"\nafter: {machine()}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
