"""Search latency per query class at 10k and 100k articles: p50/p95 per class.

Words are chosen from the seeded index itself (``fts5vocab``: each word's document count), near
1 %, 20 % and 95 % of articles, so the classes mean the same at every size. Classes:

- one word: ``council``;
- two words: two words of the same class, ``council harbour``;
- prefix: the word cut short with ``*``, ``counc*`` (the search before issue 18 matched every
  word as a prefix, so there the star is dropped and the cut word is searched as it was).

Each query runs ``--runs`` times on a copy of the seeded template (``seed.cached_home``); the
first run of each query counts too (a new keystroke is a new query). ``--limits``: results asked
for, one table each: 50 (``reader search``), ``WINDOW`` (120: the first screenful the article
list paints as a live search's first results) and 500 (every result the list then holds).

Usage: ``.venv/bin/python bench/search.py [--sizes 10000 100000] [--runs 5] [--limits 50 120 500]``
"""

from __future__ import annotations

import argparse
import sqlite3
import statistics
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from seed import cached_home, machine

from reader.paths import resolve_paths
from reader.store import Store

TARGETS = (0.01, 0.20, 0.95)
WORDS_PER_CLASS = 5
LIMIT = 50
GOAL_MS = 50.0


def pick_words(db: Path, share: float, count: int = WORDS_PER_CLASS) -> list[tuple[str, float]]:
    """``count`` words whose document share is within 10 % of ``share``, 4+ letters first."""
    conn = sqlite3.connect(f"file:{db}?mode=ro", uri=True)
    try:
        conn.execute("CREATE VIRTUAL TABLE temp.vocab USING fts5vocab(main, articles_fts, 'row')")
        total = conn.execute("SELECT count(*) FROM articles").fetchone()[0]
        rows = conn.execute("SELECT term, doc FROM temp.vocab").fetchall()
    finally:
        conn.close()
    near = [row for row in rows if abs(row[1] / total - share) <= share * 0.1]
    ranked = sorted(near or rows, key=lambda row: (len(row[0]) < 4, abs(row[1] / total - share)))
    return [(term, doc / total) for term, doc in ranked[:count]]


def queries(words: list[tuple[str, float]], *, old: bool) -> dict[str, list[str]]:
    """The query texts of each class built from one share's words."""
    plain = [word for word, _ in words]
    cut = [word[: max(3, len(word) - 2)] for word in plain]
    return {
        "one word": plain,
        "two words": [f"{a} {b}" for a, b in zip(plain, plain[1:] + plain[:1], strict=True)],
        "prefix": cut if old else [f"{word}*" for word in cut],
    }


def run_query(store: Store, text: str, limit: int = LIMIT) -> int:
    """One search as the CLI and the TUI run it; the number of results."""
    search = getattr(store, "search", None)
    if search is not None:
        return len(search.find(text, limit=limit).hits)
    return len(store.articles.search(text, limit=limit))


def measure(
    store: Store, texts: list[str], runs: int, limit: int = LIMIT
) -> tuple[list[float], list[int]]:
    """Milliseconds of every run of every query, and each query's result count."""
    times, found = [], []
    for text in texts:
        for _ in range(runs):
            start = time.perf_counter()
            count = run_query(store, text, limit)
            times.append((time.perf_counter() - start) * 1000)
        found.append(count)
    return times, found


def p95(values: list[float]) -> float:
    """The 95th percentile (nearest rank)."""
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(0.95 * (len(ordered) - 1)))]


def bench_size(articles: int, runs: int, limits: list[int]) -> None:
    """Seed (or reuse) a store of this size and print one row per share and class."""
    with tempfile.TemporaryDirectory(prefix="reader-search-") as tmp:
        home = cached_home(articles, Path(tmp) / "home")
        db = resolve_paths(home).db_file
        store = Store.open(db)
        old = not hasattr(store, "search")  # before issue 18: every word was a prefix
        try:
            for share in TARGETS:
                words = pick_words(db, share)
                shown = ", ".join(f"{word} {real:.1%}" for word, real in words)
                print(f"\n{articles:,} articles, words near {share:.0%}: {shown}")
                for limit in limits:
                    for name, texts in queries(words, old=old).items():
                        times, found = measure(store, texts, runs, limit)
                        p50 = statistics.median(times)
                        worst = p95(times)
                        flag = "ok" if worst <= GOAL_MS else "MISS"
                        print(
                            f"  limit {limit:<4} {name:<10} p50 {p50:8.1f} ms  p95 {worst:8.1f} ms"
                            f"  max {max(times):8.1f} ms  results {found}  {flag}"
                        )
        finally:
            store.close()


def main(argv: list[str] | None = None) -> int:
    """Print the table for each size."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[10_000, 100_000])
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--limits", type=int, nargs="+", default=[LIMIT])
    args = parser.parse_args(argv)
    print(machine())
    for size in args.sizes:
        bench_size(size, args.runs, args.limits)
    print(f"\nafter: {machine()}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
