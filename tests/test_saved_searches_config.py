"""Saved searches move with the config: ``reader searches --export`` prints config.toml's
``[searches]`` table, and every start adds what that table names to the cache."""

from __future__ import annotations

import json
import tomllib

from reader.config import config_from_dict, searches_table
from reader.paths import Paths, resolve_paths
from reader.store import Store
from tests.feed_items import Item

TRICKY = [
    ("Trams", "tram -strike"),
    ('The "Quotes" \\ desk', '"city council" OR ferry'),
    ("Genève · été", "genève after:2024-01"),
]


def seed(store: Store) -> None:
    feed, _ = store.feeds.add("https://city.example/feed", title="City Herald")
    rows = [
        ("1", "Tram budget approved", "<p>The city council met.</p>", "2024-05-17"),
        ("2", "Tram strike", "<p>No trams today.</p>", "2024-06-01"),
        ("3", "Genève en été", "<p>Les loyers.</p>", "2024-07-01"),
    ]
    for guid, title, body, day in rows:
        store.articles.upsert(feed.id, [Item(guid, title, body, f"{day}T09:00:00+00:00")])


def test_the_table_reads_back_as_it_was_written() -> None:
    text = searches_table([*TRICKY, ("Bell \x07", "x\ty")])
    config, warnings = config_from_dict(tomllib.loads(text))
    assert warnings == []
    assert list(config.searches.items()) == [*TRICKY, ("Bell \x07", "x\ty")]


def test_wrong_searches_are_reported_and_skipped() -> None:
    config, warnings = config_from_dict(
        {"searches": {"Trams": "tram", "Empty": " ", "Number": 3, "Table": {"q": "x"}}}
    )
    assert dict(config.searches) == {"Trams": "tram"}
    assert len(warnings) == 3 and all("must be a query" in w for w in warnings)
    config, warnings = config_from_dict({"searches": "tram"})
    assert not config.searches and "[searches] must hold lines" in warnings[0]


def test_adopt_adds_the_missing_replaces_changed_queries_and_keeps_the_rest(store) -> None:  # type: ignore[no-untyped-def]
    store.saved_searches.save("Mine", "ferry")
    store.saved_searches.save("Trams", "tram")
    changed = store.saved_searches.adopt({"trams": "tram -strike", "Alps": "feed:alpine"})
    assert sorted(changed) == ["Alps", "trams"]
    assert {(s.name, s.query) for s in store.saved_searches.all()} == {
        ("Alps", "feed:alpine"),
        ("Mine", "ferry"),
        ("trams", "tram -strike"),
    }
    assert store.saved_searches.adopt({"Trams": "tram  -strike", "Alps": "feed:alpine"}) == []


def test_export_on_one_machine_brings_them_to_another(paths: Paths, tmp_path, capsys) -> None:  # type: ignore[no-untyped-def]
    from reader.cli import run

    store = Store.open(paths.db_file)
    seed(store)
    for name, query in TRICKY:
        store.saved_searches.save(name, query)
    store.close()
    assert run(["searches", "--export"]) == 0
    exported = capsys.readouterr().out
    assert exported.startswith("[searches]\n")

    home = str(tmp_path / "other")
    other = resolve_paths(home).ensure()
    other.config_file.write_text('theme = "nord"\n\n' + exported, encoding="utf-8")
    other_store = Store.open(other.db_file)
    seed(other_store)
    other_store.close()
    assert run(["--home", home, "searches", "--json"]) == 0
    captured = capsys.readouterr()
    assert captured.err == ""
    listed = {(row["name"], row["query"], row["unread"]) for row in json.loads(captured.out)}
    assert listed == {
        ("Trams", "tram -strike", 1),
        ('The "Quotes" \\ desk', '"city council" OR ferry', 1),
        ("Genève · été", "genève after:2024-01", 1),
    }
    # removing one that config.toml names says it will come back, and it does
    assert run(["--home", home, "searches", "--remove", "trams"]) == 0
    assert "remove it there too" in capsys.readouterr().err
    assert run(["--home", home, "searches", "--json"]) == 0
    assert "Trams" in {row["name"] for row in json.loads(capsys.readouterr().out)}
