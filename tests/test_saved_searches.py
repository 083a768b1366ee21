"""Saved searches: stored by name (schema step 14), their views' ids and bounded unread counts,
and ``reader search --save`` / ``reader searches``."""

from __future__ import annotations

import json

import pytest

from reader.store import Store, View, ViewKind
from reader.store.schema import SCHEMA_VERSION
from tests.feed_items import Item


def seed(store: Store) -> dict[str, int]:
    """Five articles in two feeds; their ids by guid."""
    city, _ = store.feeds.add("https://city.example/feed", title="City Herald")
    alps, _ = store.feeds.add("https://alps.example/feed", title="Alpine Post")
    rows = [
        (city, "1", "Tram budget approved", "<p>The council met.</p>", "2024-05-17"),
        (city, "2", "Ferry timetable", "<p>The ferry runs hourly; tram works.</p>", "2024-06-01"),
        (alps, "3", "Night train", "<p>A sleeper tram of sorts.</p>", "2022-03-03"),
        (alps, "4", "Snow report", "<p>Snow on the passes.</p>", "2025-01-02"),
        (city, "5", "Tram strike", "<p>No trams today; a bus strike too.</p>", "2023-02-01"),
    ]
    for feed, guid, title, body, day in rows:
        store.articles.upsert(feed.id, [Item(guid, title, body, f"{day}T09:00:00+00:00")])
    return {row["guid"]: row["id"] for row in store.db.query("SELECT id, guid FROM articles")}


def test_saved_searches_are_kept_by_name_without_case(store: Store) -> None:
    assert SCHEMA_VERSION >= 14
    store.saved_searches.save("Trams", "tram  -strike")
    store.saved_searches.save("alps", "feed:alpine")
    assert [s.name for s in store.saved_searches.all()] == ["alps", "Trams"]
    assert store.saved_searches.get("TRAMS").query == "tram -strike"
    store.saved_searches.save("trams", "tram")  # same name, any case: replaced
    assert [(s.name, s.query) for s in store.saved_searches.all()] == [
        ("alps", "feed:alpine"),
        ("trams", "tram"),
    ]
    with pytest.raises(ValueError, match="name"):
        store.saved_searches.save("  ", "tram")
    with pytest.raises(ValueError, match="query"):
        store.saved_searches.save("empty", "   ")
    assert store.saved_searches.remove("ALPS").name == "alps"
    assert store.saved_searches.remove("alps") is None
    assert [s.name for s in store.saved_searches.all()] == ["trams"]


def test_a_saved_search_view_lists_its_matches_newest_first(store: Store) -> None:
    ids = seed(store)
    store.saved_searches.save("trams", "tram -strike")
    view = View(ViewKind.SEARCH, search="trams")
    assert View.parse("search:trams") == view and str(view) == "search:trams"
    assert store.views.ids(view) == [ids["2"], ids["1"], ids["3"]]  # by date, newest first
    assert store.views.ids(view, limit=2) == [ids["2"], ids["1"]]
    store.marks.set_read([ids["2"]])
    assert store.views.ids(view, unread_only=True) == [ids["1"], ids["3"]]
    assert sorted(store.marks.read_view(view)) == sorted([ids["1"], ids["3"]])  # A in the view
    assert store.articles.get(ids["5"]).read is False, "the excluded article stays unread"
    assert store.views.ids(View(ViewKind.SEARCH, search="gone")) == []
    store.saved_searches.remove("trams")
    assert store.views.ids(view) == []


def test_unread_counts_count_matches_among_unread_only(store: Store) -> None:
    ids = seed(store)
    assert store.search.count_unread("tram") == 4
    assert store.search.count_unread("tram -strike") == 3
    assert store.search.count_unread('"bus strike"') == 1  # a phrase, checked on the text
    assert store.search.count_unread("feed:alpine") == 2  # filters only
    assert store.search.count_unread("tram feed:herald after:2024") == 2
    assert store.search.count_unread("-tram") == 1  # only words left out: Snow report
    assert store.search.count_unread("is:saved") == 0
    store.marks.set_read([ids["1"], ids["3"]])
    assert store.search.count_unread("tram") == 2
    assert store.search.count_unread("tram is:read") == 0  # read and unread: none
    assert store.search.count_unread("tram", cap=1) == 1  # bounded


def test_the_count_stops_at_the_cap_on_many_matches(store: Store) -> None:
    feed, _ = store.feeds.add("https://many.example/feed")
    items = [
        Item(f"m{n}", f"Harbour {n}", "<p>harbour news</p>", f"2024-01-01T00:{n % 60:02d}:00Z")
        for n in range(1200)
    ]
    store.articles.upsert(feed.id, items)
    assert store.search.count_unread("harbour", cap=1000) == 1000
    assert store.search.count_unread("harbour", cap=5000) == 1200
    assert len(store.search.matching_ids("harbour", limit=700)) == 700


def test_cli_save_list_and_remove(paths, capsys) -> None:  # type: ignore[no-untyped-def]
    from reader.cli import run

    store = Store.open(paths.db_file)
    seed(store)
    store.close()
    assert run(["search", "--save", "Trams", "tram -strike", "--json"]) == 0
    captured = capsys.readouterr()
    assert "saved as Trams" in captured.err
    assert {hit["title"] for hit in json.loads(captured.out)} == {
        "Tram budget approved",
        "Ferry timetable",
        "Night train",
    }
    assert run(["search", "--save", "Alps", "feed:alpine"]) == 0
    capsys.readouterr()
    assert run(["searches", "--json"]) == 0
    listed = json.loads(capsys.readouterr().out)
    assert [(r["name"], r["query"], r["unread"]) for r in listed] == [
        ("Alps", "feed:alpine", 2),
        ("Trams", "tram -strike", 3),
    ]
    assert run(["searches"]) == 0
    assert "3  Trams  tram -strike" in capsys.readouterr().out
    assert run(["searches", "--remove", "alps"]) == 0
    assert "removed Alps" in capsys.readouterr().out
    assert run(["searches", "--remove", "alps"]) == 1
    assert "no saved search" in capsys.readouterr().err
    assert run(["search", "--save", " ", "tram"]) == 2
    assert "needs a name" in capsys.readouterr().err
