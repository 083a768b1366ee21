"""``EXPLAIN QUERY PLAN`` for every hot store query, on a big store, with timings.

The SQL is not copied from the source: each hot path is *called* (``ordered_ids``, ``rows``,
``upsert``...) with SQLite's trace callback on, and every statement it ran is explained. So the
check follows the code when the SQL changes. ``tests/test_query_plans.py`` runs the same catalogue
on a small store and asserts the rules below; this script prints plans and timings on 100k
articles and tries the suggested fixes on a scratch copy (inside a rolled-back transaction).

Rules for a statement touching a big table (articles, drafts, comments, related_links):

- a query that filters must SEARCH, never ``SCAN <table>``; a query that wants every row (the
  list order, all unread ids) may walk a *covering* index or a *partial* index, but not the table
  and not a non-covering index (that reads every 5 KB row just to test a column);
- queries marked ``sorted_by_index`` must not build a temp B-tree for ORDER BY;
- ``must_use`` names the index constraint a query needs (e.g. the upsert lookup must probe
  ``guid=?``, not walk the whole feed).

Usage: ``.venv/bin/python bench/queryplan.py [--articles 100000]``
"""

from __future__ import annotations

import argparse
import re
import sqlite3
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from seed import SeedItem, cached_home, machine

from reader.paths import resolve_paths
from reader.store import RelatedLink, Store, StoredComment, View, ViewKind

BIG_TABLES = ("articles", "drafts", "comments", "related_links", "comment_threads")
_ALIASES = {"a": "articles"}
_SKIP = re.compile(r"^\s*(--|(BEGIN|COMMIT|ROLLBACK|PRAGMA|INSERT|SAVEPOINT|RELEASE)\b)", re.I)
"""Not plans worth checking; ``--`` marks statements FTS5 runs internally (traced too)."""


@dataclass(frozen=True)
class Sample:
    """Real values from the store to call the hot paths with."""

    feed_id: int
    article_id: int
    guid: str
    url: str
    window: tuple[int, ...]
    draft_url: str
    known: SeedItem


@dataclass(frozen=True)
class HotQuery:
    """One hot path and what its plan must look like."""

    name: str
    run: Callable[[Store, Sample], object]
    whole_table: bool = False
    """The query wants every row (list order, count): a covering-index walk is fine."""
    sorted_by_index: bool = False
    """ORDER BY must come from an index (no temp B-tree): the result can be 100k rows."""
    must_use: str | None = None
    """A regex the plan must match (an index constraint the query depends on)."""
    fix: str = ""
    """The suggested fix, printed when the check fails."""


@dataclass
class Explained:
    """The statements one hot path ran, with their plans and any rule broken."""

    query: HotQuery
    plans: list[tuple[str, list[str]]] = field(default_factory=list)
    problems: list[str] = field(default_factory=list)


def _upsert_known_and_new(store: Store, s: Sample) -> object:
    new = SeedItem(
        guid=f"queryplan-new-{time.time_ns()}",
        url=f"https://queryplan.example/{time.time_ns()}",
        title="A new article",
        author=None,
        published="2026-01-01T00:00:00+00:00",
        updated=None,
        summary_html="<p>new</p>",
    )
    return store.articles.upsert(s.feed_id, [s.known, new])


def _comments(store: Store, s: Sample) -> object:
    comment = StoredComment(id="1", parent=None, author="A", date=None, text="Hi")
    store.comments.replace(s.draft_url, [comment], source="page", article_id=s.article_id)
    return store.comments.thread(s.draft_url)


def _related(store: Store, s: Sample) -> object:
    store.related.replace(s.article_id, "page", [RelatedLink(s.url, "x", "page", 0)])
    return store.related.for_article(s.article_id)


def _related_tags(store: Store, s: Sample) -> object:
    reads = store.related_articles
    shared = reads.sharing_terms(s.feed_id, ["news", "climate", "markets"], 500)
    reads.window_size(s.feed_id, 500)
    return reads.headlines([article_id for article_id, _published, _terms in shared][:30])


def _related_similar(store: Store, s: Sample) -> object:
    reads = store.related_articles
    reads.highest_id()
    reads.term_count("market", 2001)
    hits = reads.best_matches(["market", "climate"], s.article_id, 10)
    return reads.posts([article_id for article_id, _rank in hits])


def _related_remote(store: Store, s: Sample) -> object:
    store.remote_posts.remember([(s.url, "x", None)])
    store.remote_posts.mark_queued(s.url, "offline")
    store.remote_posts.lookup([s.url])
    return store.remote_posts.due(6, 20)


def _tag_view(store: Store, s: Sample) -> object:
    store.feeds.update(s.feed_id, tags=["news"])
    return store.views.ids(View(ViewKind.TAG, tag="news"))


HOT_QUERIES: tuple[HotQuery, ...] = (
    HotQuery(
        "ordered_ids()",
        lambda st, s: st.articles.ordered_ids(),
        whole_table=True,
        sorted_by_index=True,
        must_use=r"COVERING INDEX",
    ),
    HotQuery(
        "ordered_ids(feed_id)",
        lambda st, s: st.articles.ordered_ids(feed_id=s.feed_id),
        sorted_by_index=True,
        must_use=r"\(feed_id=\?\)",
    ),
    HotQuery(
        "ordered_ids(unread_only)",
        lambda st, s: st.articles.ordered_ids(unread_only=True),
        whole_table=True,
        sorted_by_index=True,
        fix=(
            "walks articles_by_date and reads every table row to test `read`; add "
            "CREATE INDEX articles_unread ON articles (published DESC, id DESC) WHERE read = 0 "
            "(partial, covering for this query)"
        ),
    ),
    HotQuery(
        "ordered_ids(feed_id, unread_only)",
        lambda st, s: st.articles.ordered_ids(feed_id=s.feed_id, unread_only=True),
        sorted_by_index=True,
        must_use=r"\(feed_id=\?\)",
    ),
    HotQuery("rows(window of 120)", lambda st, s: st.articles.rows(s.window)),
    HotQuery("get(id)", lambda st, s: st.articles.get(s.article_id)),
    HotQuery("by_url", lambda st, s: st.articles.by_url(s.url), must_use=r"\(url=\?\)"),
    HotQuery(
        "upsert lookup (feed_id, guid|url)",
        _upsert_known_and_new,
        must_use=r"guid=\?",
        fix=(
            "the OR makes SQLite (no ANALYZE stats) pick articles_by_feed (feed_id=?) and test "
            "guid/url on every row of the feed: O(feed size) per item, O(n^2) per feed. Probe "
            "twice instead: `WHERE feed_id = ? AND guid = ?` (unique index), then "
            "`WHERE url = ? AND +feed_id = ?` (articles_by_url) or with a new index "
            "articles (feed_id, url); or one UNION ALL of the two with LIMIT 1"
        ),
    ),
    HotQuery("feeds.all() with item_count", lambda st, s: st.feeds.all()),
    HotQuery("feeds.get(id) with item_count", lambda st, s: st.feeds.get(s.feed_id)),
    HotQuery("feeds.count(include_demo=False)", lambda st, s: st.feeds.count(include_demo=False)),
    HotQuery("search (FTS5)", lambda st, s: st.search.find("market climate", limit=500)),
    HotQuery(
        "search with filters and a phrase",
        lambda st, s: st.search.find(
            '"market climate" OR council -budget is:unread after:2020 feed:news author:a',
            limit=50,
            snippets=True,
        ),
        whole_table=True,  # is:unread reads its partial index whole: the filter is a set
    ),
    HotQuery(
        "search filters only",
        lambda st, s: st.search.find("is:saved is:read before:2030"),
        whole_table=True,  # the saved partial index; is:read = every id minus the unread
    ),
    HotQuery(
        "without_page(feed_id)",
        lambda st, s: st.articles.without_page(s.feed_id, 20),
        sorted_by_index=True,
        must_use=r"\(feed_id=\?\)",
    ),
    HotQuery(
        "drafts.open_for(url)",
        lambda st, s: st.drafts.open_for(s.draft_url),
        must_use=r"article_url=\?",
    ),
    HotQuery("rendered(id, version)", lambda st, s: st.articles.rendered(s.article_id, "v1")),
    HotQuery("set_read(id)", lambda st, s: st.articles.set_read(s.article_id)),
    HotQuery(
        "set_page(id) + reindex",
        lambda st, s: st.articles.set_page(s.article_id, b"<html></html>", reindex_text="x"),
    ),
    HotQuery("comments replace + thread(url)", _comments, must_use=r"article_url=\?"),
    HotQuery("related replace + for_article(id)", _related, must_use=r"article_id=\?"),
    HotQuery(
        "related: same-feed terms (covering index) + headlines",
        _related_tags,
        must_use=r"COVERING INDEX articles_feed_terms \(feed_id=\?\)",
    ),
    HotQuery("related: FTS similarity + posts(ids)", _related_similar),
    HotQuery(
        "related: posts_at(url spellings)",
        lambda st, s: st.related_articles.posts_at([s.url, s.url.rstrip("/") + "/#x"]),
        must_use=r"\(url=\?\)",
    ),
    HotQuery("related: remote_posts queue", _related_remote, must_use=r"related_remote_due"),
    HotQuery(
        "views.ids(saved)",
        lambda st, s: st.views.ids(View(ViewKind.SAVED)),
        whole_table=True,
        sorted_by_index=True,
        must_use=r"articles_saved",
    ),
    HotQuery(
        "views.ids(feed, unread_only)",
        lambda st, s: st.views.ids(View(ViewKind.FEED, feed_id=s.feed_id), unread_only=True),
        sorted_by_index=True,
        must_use=r"articles_feed_unread \(feed_id=\?\)",
    ),
    HotQuery(
        "views.ids(tag)",
        _tag_view,
        must_use=r"\(feed_id=\?\)",
    ),
    HotQuery("views.counts()", lambda st, s: st.views.counts(), whole_table=True),
    HotQuery(
        "saved search: count_unread (feeds pane)",
        lambda st, s: st.search.count_unread("market OR climate -council feed:news"),
        whole_table=True,  # is:unread reads its partial index whole: the filter is a set
    ),
    HotQuery(
        "saved search: view ids (newest first)",
        lambda st, s: st.search.matching_ids("market climate", unread_only=True),
        whole_table=True,  # is:unread reads its partial index whole: the filter is a set
    ),
    HotQuery(
        "marks.read_view(feed, up_to)",
        lambda st, s: st.marks.read_view(
            View(ViewKind.FEED, feed_id=s.feed_id), up_to=s.article_id
        ),
        must_use=r"articles_feed_unread \(feed_id=\?",
    ),
)


def sample(store: Store) -> Sample:
    """Pick the biggest feed, its newest article and a list window from the middle."""
    feed_id = store.db.query_one(
        "SELECT feed_id FROM articles GROUP BY feed_id ORDER BY count(*) DESC LIMIT 1"
    )[0]
    row = store.db.query_one(
        "SELECT * FROM articles WHERE feed_id = ? ORDER BY published DESC LIMIT 1", (feed_id,)
    )
    ids = store.articles.ordered_ids()
    middle = len(ids) // 2
    draft_url = row["url"]
    if store.drafts.open_for(draft_url) is None:
        store.drafts.save(article_url=draft_url, body="draft", article_id=row["id"])
    return Sample(
        feed_id=feed_id,
        article_id=row["id"],
        guid=row["guid"],
        url=row["url"],
        window=tuple(ids[middle : middle + 120]),
        draft_url=draft_url,
        known=SeedItem(
            guid=row["guid"],
            url=row["url"],
            title=row["title"],
            author=row["author"],
            published=row["published"],
            updated=row["updated"],
            summary_html=row["summary"],
            content_html=row["content_html"],
        ),
    )


def capture(store: Store, call: Callable[[], object]) -> list[str]:
    """The statements ``call`` ran (expanded SQL), in order, without repeats."""
    seen: list[str] = []
    store.db.conn.set_trace_callback(seen.append)
    try:
        call()
    finally:
        store.db.conn.set_trace_callback(None)
    return list(dict.fromkeys(sql for sql in seen if not _SKIP.match(sql)))


def explain(conn: sqlite3.Connection, sql: str, params: tuple = ()) -> list[str]:
    """The plan of one statement, one line per step, indented under its parent."""
    rows = conn.execute(f"EXPLAIN QUERY PLAN {sql}", params).fetchall()
    depth: dict[int, int] = {0: -1}
    lines = []
    for node, parent, _, detail in rows:
        depth[node] = depth.get(parent, -1) + 1
        lines.append("  " * depth[node] + detail)
    return lines


def _scanned_table(detail: str) -> str | None:
    match = re.match(r"\s*SCAN (\w+)", detail)
    if not match:
        return None
    table = _ALIASES.get(match.group(1), match.group(1))
    return table if table in BIG_TABLES else None


def partial_indexes(conn: sqlite3.Connection) -> set[str]:
    """Indexes with a WHERE clause: walking one reads only the rows it holds."""
    rows = conn.execute("SELECT name, sql FROM sqlite_master WHERE type = 'index' AND sql NOT NULL")
    return {name for name, sql in rows if re.search(r"\bWHERE\b", sql, re.I)}


def _bad_scan(query: HotQuery, line: str, partial: set[str]) -> bool:
    """A SCAN of a big table that reads rows the query does not want."""
    if _scanned_table(line) is None:
        return False
    if not query.whole_table:
        return True  # a filtered query must SEARCH
    if "COVERING INDEX" in line:
        return False  # every row wanted, read from the index alone
    match = re.search(r"USING INDEX (\w+)", line)
    return not (match and match.group(1) in partial)


def check(
    query: HotQuery, plans: list[tuple[str, list[str]]], partial: set[str] = frozenset()
) -> list[str]:
    """The rules this hot path breaks (empty when its plans are fine)."""
    problems = []
    joined = "\n".join(line for _, plan in plans for line in plan)
    for sql, plan in plans:
        short = " ".join(sql.split())[:120]
        # a subquery SQLite materialized (e.g. ``LIMIT 500`` rows) is scanned, not the table
        built = {m.group(1) for line in plan if (m := re.match(r"\s*MATERIALIZE (\w+)", line))}
        for line in plan:
            if re.match(r"\s*SCAN (\w+)", line) and line.split()[1] in built:
                continue
            if _bad_scan(query, line, partial):
                problems.append(f"{line.strip()}  ← in: {short}")
            if query.sorted_by_index and "TEMP B-TREE FOR ORDER BY" in line:
                problems.append(f"{line.strip()}  ← in: {short}")
    if query.must_use and not re.search(query.must_use, joined):
        problems.append(f"plan never uses {query.must_use!r}")
    return problems


def explain_all(store: Store, s: Sample) -> list[Explained]:
    """Run every hot path once with tracing; explain and check what it ran."""
    results = []
    partial = partial_indexes(store.db.conn)
    for query in HOT_QUERIES:
        statements = capture(store, lambda q=query: q.run(store, s))
        explained = Explained(query)
        for sql in statements:
            plan = explain(store.db.conn, sql)
            if plan:
                explained.plans.append((sql, plan))
        explained.problems = check(query, explained.plans, partial)
        results.append(explained)
    return results


def _time(call: Callable[[], object], repeat: int = 5) -> float:
    times = []
    for _ in range(repeat):
        tick = time.perf_counter()
        call()
        times.append(time.perf_counter() - tick)
    return statistics.median(times) * 1000


def _fix_experiments(store: Store, s: Sample) -> None:
    """Time the failing paths against their suggested fixes (nothing is kept)."""
    conn = store.db.conn
    print("\nfix experiments (scratch copy; schema changes rolled back):")
    old = (
        "SELECT id, title, summary, content_html, updated FROM articles "
        "WHERE feed_id = ? AND (guid = ? OR (url IS NOT NULL AND url = ?))"
    )
    new = (
        "SELECT id, title, summary, content_html, updated FROM articles"
        " WHERE feed_id = ?1 AND guid = ?2 UNION ALL"
        " SELECT id, title, summary, content_html, updated FROM articles"
        " WHERE url = ?3 AND +feed_id = ?1 LIMIT 1"
    )
    size = store.db.query_one("SELECT count(*) FROM articles WHERE feed_id = ?", (s.feed_id,))[0]
    miss = (s.feed_id, "no-such-guid", "https://no.such/url")
    before = _time(lambda: conn.execute(old, miss).fetchall(), 20)
    after = _time(lambda: conn.execute(new, miss).fetchall(), 20)
    print(f"  upsert lookup of a new item in a feed of {size:,} articles:")
    print(f"    as is: {before:8.3f} ms/item   {explain(conn, old, miss)[0].strip()}")
    print(f"    two probes (UNION ALL): {after:8.3f} ms/item")
    for line in explain(conn, new, miss):
        print(f"      {line}")
    print(f"    → a refresh of 50 items in that feed: {50 * before:.0f} ms vs {50 * after:.1f} ms")

    unread = store.articles.ordered_ids
    before = _time(lambda: unread(unread_only=True))
    conn.execute("BEGIN")
    try:
        tick = time.perf_counter()
        conn.execute(
            "CREATE INDEX articles_unread ON articles (published DESC, id DESC) WHERE read = 0"
        )
        build = (time.perf_counter() - tick) * 1000
        after = _time(lambda: unread(unread_only=True))
        sql = "SELECT id FROM articles WHERE read = 0 ORDER BY published DESC, id DESC"
        plan = explain(conn, sql)
        unread_query = next(q for q in HOT_QUERIES if q.name == "ordered_ids(unread_only)")
        verdict = check(unread_query, [(sql, plan)], partial_indexes(conn)) or "passes the check"
    finally:
        conn.execute("ROLLBACK")
    print("  ordered_ids(unread_only=True):")
    print(f"    as is: {before:8.1f} ms")
    print(f"    with partial index articles_unread: {after:8.1f} ms (built in {build:.0f} ms)")
    for line in plan:
        print(f"      {line}")
    print(f"      → {verdict}")


def report(home: Path, *, experiments: bool = True) -> int:
    """Print plans, problems and timings for the store under ``home``; return #failing."""
    store = Store.open(resolve_paths(home).db_file)
    try:
        total = store.articles.count()
        s = sample(store)
        results = explain_all(store, s)
        print(f"EXPLAIN QUERY PLAN on {total:,} articles (SQLite {sqlite3.sqlite_version})\n")
        for result in results:
            query = result.query
            ms = _time(lambda q=query: q.run(store, s))
            state = "ok" if not result.problems else "SCANS / WRONG INDEX"
            print(f"■ {query.name}: {ms:.2f} ms (median of 5) — {state}")
            for sql, plan in result.plans:
                print(f"    {' '.join(sql.split())[:110]}")
                for line in plan:
                    print(f"      {line}")
            for problem in result.problems:
                print(f"    ✗ {problem}")
            if result.problems and query.fix:
                print(f"    fix: {query.fix}")
        failing = [r.query.name for r in results if r.problems]
        print(f"\n{len(results) - len(failing)} ok, {len(failing)} failing: {', '.join(failing)}")
        if experiments:
            _fix_experiments(store, s)
        return len(failing)
    finally:
        store.close()


def main(argv: list[str] | None = None) -> int:
    """Seed (or reuse) a store of the given size, copy it, and report on the copy."""
    parser = argparse.ArgumentParser(description="Query plans of the hot store queries.")
    parser.add_argument("--articles", type=int, default=100_000)
    parser.add_argument("--no-experiments", action="store_true")
    args = parser.parse_args(argv)
    print(machine())
    with tempfile.TemporaryDirectory(prefix="reader-queryplan-") as tmp:
        home = cached_home(args.articles, Path(tmp) / "home")
        report(home, experiments=not args.no_experiments)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
