"""What an FTS5 prefix index would cost: the rebuild, the size, each new article (issue 18).

Tried for short prefixes (``in*``, ``co*``) and not adopted: see bench/README, "Short prefixes".
On a copy of the seeded template (``seed.template_home``), at each size:

- *rebuild*: ``PREFIX_STEP`` (the schema step it would take) run in one transaction, as
  ``Database._migrate`` runs a step (wall and CPU seconds, then the WAL checkpoint);
- *size*: the index's pages (``dbstat``) and the file, before and after;
- *insert*: CPU µs per article of the index rows a refresh writes (``DELETE`` + ``INSERT`` into
  ``articles_fts`` as ``Articles._index`` does, real titles and bodies from the cache, committed
  50 articles at a time as the refresh's store process groups them), before and after; CPU time,
  so that other processes on a loaded machine count less. The rows are deleted after each run.

Usage: ``.venv/bin/python bench/prefix_index.py
[--sizes 10000 100000] [--articles 2000]``
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

sys.path.insert(0, str(Path(__file__).resolve().parent))

from seed import bench_cache, machine

from reader.paths import resolve_paths
from reader.store.db import _statements

BATCH = 50
FIRST_NEW = 50_000_000
PREFIX_STEP = """
DROP TRIGGER articles_fts_cleanup;
CREATE TEMP TABLE articles_fts_copy AS SELECT rowid AS id, title, body FROM articles_fts;
DROP TABLE articles_fts;
CREATE VIRTUAL TABLE articles_fts USING fts5(
    title, body, tokenize = 'unicode61 remove_diacritics 2', detail = column, prefix = '2 3'
);
INSERT INTO articles_fts (rowid, title, body)
    SELECT id, title, body FROM temp.articles_fts_copy ORDER BY id;
DROP TABLE temp.articles_fts_copy;
CREATE TRIGGER articles_fts_cleanup AFTER DELETE ON articles BEGIN
    DELETE FROM articles_fts WHERE rowid = old.id;
END;
"""
"""The index built again with ``prefix = '2 3'`` (FTS5 cannot add one to a table). Its text goes
through a temporary copy, so the old index's pages are free before the new one is written: the
file grows by the prefix index only (the plain copy of schema step 9 was 4 s faster at 100k but
left the old index's 645 MB free in the file)."""


def index_pages(conn: sqlite3.Connection) -> int:
    """Bytes of the FTS5 index and its shadow tables."""
    row = conn.execute("SELECT sum(pgsize) FROM dbstat WHERE name LIKE 'articles_fts%'")
    return int(row.fetchone()[0] or 0)


def insert_cost(conn: sqlite3.Connection, count: int, runs: int = 3) -> float:
    """Median CPU µs per article of writing ``count`` articles' index rows, then removes them."""
    rows = conn.execute(
        "SELECT title, body FROM articles_fts ORDER BY rowid LIMIT ?", (count,)
    ).fetchall()
    costs = []
    for _ in range(runs):
        start = time.process_time()
        for first in range(0, len(rows), BATCH):
            conn.execute("BEGIN IMMEDIATE")
            for offset, (title, body) in enumerate(rows[first : first + BATCH]):
                rowid = FIRST_NEW + first + offset
                conn.execute("DELETE FROM articles_fts WHERE rowid = ?", (rowid,))
                conn.execute(
                    "INSERT INTO articles_fts (rowid, title, body) VALUES (?, ?, ?)",
                    (rowid, title, body),
                )
            conn.execute("COMMIT")
        costs.append((time.process_time() - start) / len(rows) * 1e6)
        conn.execute("DELETE FROM articles_fts WHERE rowid >= ?", (FIRST_NEW,))
    return statistics.median(costs)


def rebuild(conn: sqlite3.Connection) -> tuple[float, float, float]:
    """``PREFIX_STEP`` in one transaction: wall s, CPU s, then the checkpoint's wall s."""
    wall, cpu = time.perf_counter(), time.process_time()
    conn.execute("BEGIN IMMEDIATE")
    for statement in _statements(PREFIX_STEP):
        conn.execute(statement)
    conn.execute("COMMIT")
    wall, cpu = time.perf_counter() - wall, time.process_time() - cpu
    start = time.perf_counter()
    conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    return wall, cpu, time.perf_counter() - start


def bench_size(articles: int, count: int) -> None:
    """Copy the template's file and print the three measures."""
    source = resolve_paths(bench_cache() / f"template-{articles}-200-zipf1").db_file
    if not source.exists():
        print(f"{articles:,}: no template at {source} (run bench/search.py first)")
        return
    with tempfile.TemporaryDirectory(prefix="reader-prefix-") as tmp:
        db = Path(tmp) / "reader.db"
        shutil.copyfile(source, db)
        conn = sqlite3.connect(db, isolation_level=None)
        conn.execute("PRAGMA journal_mode = WAL")
        conn.execute("PRAGMA synchronous = NORMAL")
        try:
            sql = conn.execute("SELECT sql FROM sqlite_schema WHERE name = 'articles_fts'")
            had_prefix = "prefix" in sql.fetchone()[0]
            size, pages = db.stat().st_size, index_pages(conn)
            before = insert_cost(conn, count)
            wall, cpu, checkpoint = rebuild(conn)
            after = insert_cost(conn, count)
            print(
                f"{articles:,} articles (copy {'had' if had_prefix else 'had no'} prefix index):"
                f" rebuild {wall:.1f} s wall, {cpu:.1f} s CPU, checkpoint {checkpoint:.1f} s;"
                f" index {pages / 1e6:,.0f} -> {index_pages(conn) / 1e6:,.0f} MB, file"
                f" {size / 1e6:,.0f} -> {db.stat().st_size / 1e6:,.0f} MB; index rows of one"
                f" article {before:.0f} -> {after:.0f} µs CPU"
            )
        finally:
            conn.close()


def main(argv: list[str] | None = None) -> int:
    """Print one line per size."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[10_000, 100_000])
    parser.add_argument("--articles", type=int, default=2000)
    args = parser.parse_args(argv)
    print(machine())
    for size in args.sizes:
        bench_size(size, args.articles)
    print(f"after: {machine()}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
