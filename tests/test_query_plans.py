"""Every hot store query uses an index: ``EXPLAIN QUERY PLAN`` on a seeded 5k-article store.

The catalogue and the rules live in ``bench/queryplan.py`` (which prints the same plans with
timings on 100k articles). Each hot path is *called* with SQLite's trace callback on, so the plans
checked are those of the SQL the store really runs. Without ANALYZE statistics SQLite's plan does
not depend on the row count, so 5k articles give the plans 100k would.

Known problems are ``xfail(strict=True)`` with the fix in the reason: the suite stays green while
they are open, and turns red as soon as one is fixed so the marker gets removed.
"""

from __future__ import annotations

import importlib.util
import sys
from collections.abc import Iterator
from pathlib import Path
from types import ModuleType

import pytest

from reader.paths import resolve_paths
from reader.store import Store

BENCH = Path(__file__).resolve().parent.parent / "bench"
ARTICLES = 5_000

KNOWN_PROBLEMS: dict[str, str] = {}


def _load(name: str) -> ModuleType:
    """Import a bench script by path (bench/ is not a package)."""
    if str(BENCH) not in sys.path:
        sys.path.insert(0, str(BENCH))  # queryplan imports its sibling ``seed``
    if name in sys.modules:
        return sys.modules[name]
    spec = importlib.util.spec_from_file_location(name, BENCH / f"{name}.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules[name] = module
    spec.loader.exec_module(module)
    return module


queryplan = _load("queryplan")
seed = _load("seed")


@pytest.fixture(scope="module")
def seeded(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[Store, object]]:
    """A 5k-article store over 200 feeds, with a draft, and the sample values to query with."""
    home = tmp_path_factory.mktemp("queryplan") / "home"
    seed.seed(home, ARTICLES)
    store = Store.open(resolve_paths(home).db_file)
    try:
        yield store, queryplan.sample(store)
    finally:
        store.close()


def _param(query: object) -> object:
    name = query.name  # type: ignore[attr-defined]
    marks = ()
    if name in KNOWN_PROBLEMS:
        marks = (pytest.mark.xfail(strict=True, reason=KNOWN_PROBLEMS[name]),)
    return pytest.param(query, id=name, marks=marks)


@pytest.mark.parametrize("query", [_param(q) for q in queryplan.HOT_QUERIES])
def test_hot_query_uses_an_index(seeded: tuple[Store, object], query: object) -> None:
    """No SCAN of a big table where an index should be used; the needed index is probed."""
    store, sample = seeded
    statements = queryplan.capture(store, lambda: query.run(store, sample))  # type: ignore[attr-defined]
    plans = [(sql, queryplan.explain(store.db.conn, sql)) for sql in statements]
    plans = [(sql, plan) for sql, plan in plans if plan]
    assert plans, "the hot path ran no query at all"
    problems = queryplan.check(query, plans, queryplan.partial_indexes(store.db.conn))
    shown = "\n".join(f"{sql}\n  " + "\n  ".join(plan) for sql, plan in plans)
    assert not problems, "\n".join(problems) + "\n\nplans:\n" + shown


def test_catalogue_covers_the_hot_paths() -> None:
    """The hot paths named in DESIGN.md and the brief are all in the catalogue."""
    names = {q.name for q in queryplan.HOT_QUERIES}
    for wanted in (
        "ordered_ids()",
        "ordered_ids(feed_id)",
        "ordered_ids(unread_only)",
        "rows(window of 120)",
        "by_url",
        "upsert lookup (feed_id, guid|url)",
        "feeds.all() with item_count",
        "search (FTS5)",
        "without_page(feed_id)",
        "drafts.open_for(url)",
    ):
        assert wanted in names


def test_rules_catch_a_table_scan(seeded: tuple[Store, object]) -> None:
    """The checker itself: a filter on an unindexed column is reported, a PK lookup is not."""
    store, _ = seeded
    query = queryplan.HotQuery("probe", lambda st, s: None)
    scan = "SELECT id FROM articles WHERE author = 'Staff'"
    lookup = "SELECT id FROM articles WHERE id = 1"
    assert queryplan.check(query, [(scan, queryplan.explain(store.db.conn, scan))])
    assert not queryplan.check(query, [(lookup, queryplan.explain(store.db.conn, lookup))])


def test_rules_tell_a_materialized_window_from_its_table(seeded: tuple[Store, object]) -> None:
    """Scanning a subquery SQLite materialized (a feed's newest 500) is not a table scan, even
    under the alias ``a``; a table aliased ``a`` still is."""
    store, _ = seeded
    query = queryplan.HotQuery("probe", lambda st, s: None)
    window = (
        "SELECT a.id FROM (SELECT id, categories FROM articles WHERE feed_id = 1"
        " ORDER BY published DESC LIMIT 5) AS a, json_each(a.categories) AS j GROUP BY a.id"
    )
    plan = queryplan.explain(store.db.conn, window)
    assert any(line.strip() == "MATERIALIZE a" for line in plan)
    assert not queryplan.check(query, [(window, plan)])
    scan = "SELECT a.id FROM articles a WHERE a.author = 'Staff'"
    assert queryplan.check(query, [(scan, queryplan.explain(store.db.conn, scan))])
