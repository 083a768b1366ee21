"""Search: the query language (each operator and filter), malformed queries, ranking, snippets."""

from __future__ import annotations

import json
from datetime import date

import pytest

from reader.store import Store
from reader.store.search_query import parse, parse_date
from tests.feed_items import Item

ARTICLES = [
    (
        "1",
        "City council approves the tram budget",
        "<p>The council met on Monday.</p>",
        "2024-05-17T10:00:00+00:00",
        "Ana Lima",
    ),
    (
        "2",
        "Ferry timetable",
        "<p>The ferry to the island runs hourly; council budget unchanged.</p>",
        "2024-06-01T10:00:00+00:00",
        "Bo Chen",
    ),
    (
        "3",
        "Ça va mieux à Genève",
        "<p>Les loyers baissent à Genève.</p>",
        "2023-12-31T10:00:00+00:00",
        "Zoë Müller",
    ),
    (
        "4",
        "Budget talks",
        "<p>A budget for the city: the council votes in June.</p>",
        "2025-01-02T10:00:00+00:00",
        None,
    ),
    (
        "5",
        "Night train to Trieste",
        "<p>The sleeper council of night trains.</p>",
        "2022-03-03T10:00:00+00:00",
        "Ana Lima",
    ),
]


@pytest.fixture
def store(tmp_path) -> Store:
    opened = Store.open(tmp_path / "reader.db")
    city, _ = opened.feeds.add("https://city.example/feed", title="City Herald")
    alps, _ = opened.feeds.add("https://alps.example/feed", title="Alpine Post")
    for guid, title, body, published, author in ARTICLES:
        feed = alps if guid in ("3", "5") else city
        opened.articles.upsert(feed.id, [Item(guid, title, body, published, author)])
    yield opened
    opened.close()


def titles(store: Store, text: str) -> list[str]:
    return [hit.row.title for hit in store.search.find(text).hits]


def test_words_all_match_whole_words_and_titles_rank_first(store: Store) -> None:
    assert titles(store, "council budget") == [
        "City council approves the tram budget",  # both words in the title
        "Budget talks",  # one in the title, newest
        "Ferry timetable",
    ]
    assert titles(store, "counc") == []  # whole words only
    assert len(titles(store, "counc*")) == 4  # a prefix


def test_phrase_needs_the_words_in_order(store: Store) -> None:
    assert titles(store, '"council budget"') == ["Ferry timetable"]
    assert titles(store, '"budget council"') == []
    assert titles(store, '"night trains"') == ["Night train to Trieste"]


def test_exclusion_of_words_and_phrases(store: Store) -> None:
    assert titles(store, "council -tram -ferry") == ["Budget talks", "Night train to Trieste"]
    assert "Ferry timetable" not in titles(store, 'budget -"budget unchanged"')
    assert titles(store, 'budget -"budget unchanged"') == [
        "Budget talks",  # title matches, newest first
        "City council approves the tram budget",
    ]


def test_or_binds_tighter_than_and(store: Store) -> None:
    assert set(titles(store, "tram OR ferry")) == {
        "City council approves the tram budget",
        "Ferry timetable",
    }
    assert titles(store, "island OR tram budget") == [
        "City council approves the tram budget",
        "Ferry timetable",
    ]


def test_accents_and_case_do_not_matter(store: Store) -> None:
    assert titles(store, "geneve") == titles(store, "GENÈVE") == ["Ça va mieux à Genève"]
    assert titles(store, '"ca va"') == ["Ça va mieux à Genève"]


def test_filters(store: Store) -> None:
    assert set(titles(store, "council feed:herald")) == {
        "City council approves the tram budget",
        "Budget talks",
        "Ferry timetable",
    }
    assert titles(store, "council feed:alpine") == ["Night train to Trieste"]
    assert titles(store, "author:lima council") == [
        "City council approves the tram budget",
        "Night train to Trieste",
    ]
    assert titles(store, "council before:2024") == ["Night train to Trieste"]
    assert titles(store, "council after:2024-06") == ["Budget talks", "Ferry timetable"]
    assert titles(store, "council after:2024 before:2025") == [
        "City council approves the tram budget",
        "Ferry timetable",
    ]
    first = store.search.find("tram").ids[0]
    store.articles.set_read(first)
    assert "City council approves the tram budget" not in titles(store, "council is:unread")
    assert titles(store, "council is:read") == ["City council approves the tram budget"]
    store.db.execute("UPDATE articles SET saved = 1 WHERE id = ?", (first,))
    assert titles(store, "is:saved") == ["City council approves the tram budget"]


def test_tag_filter(store: Store) -> None:
    feed = next(f for f in store.feeds.all() if f.title == "Alpine Post")
    store.db.execute("UPDATE feeds SET tags = ? WHERE id = ?", ('["Europe"]', feed.id))
    assert set(titles(store, "tag:europe")) == {"Ça va mieux à Genève", "Night train to Trieste"}
    result = store.search.find("tag:nowhere council")
    assert result.hits == [] and any("nowhere" in hint for hint in result.hints)


def test_filters_only_list_newest_first(store: Store) -> None:
    assert titles(store, "author:lima") == [
        "City council approves the tram budget",
        "Night train to Trieste",
    ]
    assert titles(store, "-council after:2023") == ["Ça va mieux à Genève"]


@pytest.mark.parametrize(
    ("text", "hint"),
    [
        ('"council budget', "unclosed quote"),
        ("OR council", "OR needs"),
        ("council OR", "OR needs"),
        ("council:budget", "no filter called"),
        ("before:someday council", "not a date"),
        ("is:maybe council", "is: takes"),
        ("feed: council", "needs a value"),
    ],
)
def test_malformed_queries_fall_back_with_a_hint(store: Store, text: str, hint: str) -> None:
    result = store.search.find(text)
    assert any(hint in shown for shown in result.hints), result.hints
    assert result.hits, "the words were still searched"


@pytest.mark.parametrize(
    "text", ['"', "-", "OR", "* * *", '(("', "NOT AND", "title:x", "{title}", "a:b:c", "\x1b[31m"]
)
def test_fts_syntax_and_junk_never_raise(store: Store, text: str) -> None:
    store.search.find(text)


def test_parse_dates() -> None:
    today = date(2026, 3, 10)
    assert parse_date("2024", today) == date(2024, 1, 1)
    assert parse_date("2024-05", today) == date(2024, 5, 1)
    assert parse_date("7d", today) == date(2026, 3, 3)
    assert parse_date("2w", today) == date(2026, 2, 24)
    assert parse_date("yesterday", today) == date(2026, 3, 9)
    assert parse_date("2024-13-01", today) is None
    assert parse("after:7d x", today=today).after == "2026-03-03"


def test_snippets_mark_the_words_and_carry_no_markup(tmp_path) -> None:
    store = Store.open(tmp_path / "reader.db")
    feed, _ = store.feeds.add("https://evil.example/feed")
    body = (
        "<p>" + "filler words here " * 30 + "the \x1b[31mred\x1b[0m harbour <b>bold</b> "
        "[link](x) <script>alert(1)</script> &lt;i&gt; \x07 harbour again</p>"
    )
    store.articles.upsert(feed.id, [Item("e", "Harbour news", body, "2024-01-01T00:00:00+00:00")])
    hit = store.search.find("harbour", snippets=True).hits[0]
    assert hit.snippet is not None
    text = hit.snippet.text
    assert "\x1b" not in text and "\x07" not in text
    assert "<b>" not in text and "<script>" not in text and "&lt;" not in text
    assert "<i>" in text  # the article's own text, shown as text (it was &lt;i&gt;)
    assert hit.snippet.marks
    assert all(text[s:e].lower() == "harbour" for s, e in hit.snippet.marks)
    assert text.startswith("…")  # cut around the first match, not from the top
    assert [hit.row.title[s:e] for s, e in hit.title_marks] == ["Harbour"]
    store.close()


def test_cli_search_json_has_snippets_marks_and_hints_on_stderr(paths, capsys) -> None:
    from reader.cli import run

    store = Store.open(paths.db_file)
    feed, _ = store.feeds.add("https://quay.example/feed", title="Quay News")
    body = "<p>Tide tables: the <b>spring</b> tide comes early \x1b]0;owned\x07 this year.</p>"
    store.articles.upsert(feed.id, [Item("t", "Tide tables", body, "2026-11-23T08:00:00+00:00")])
    store.close()
    assert run(["search", '"spring tide', "--json"]) == 0
    captured = capsys.readouterr()
    assert "unclosed quote" in captured.err
    [hit] = json.loads(captured.out)
    assert hit["title"] == "Tide tables"
    assert hit["snippet"] and "\x1b" not in hit["snippet"] and "<b>" not in hit["snippet"]
    marked = [hit["snippet"][s:e].lower() for s, e in hit["snippet_marks"]]
    assert "spring" in marked and "tide" in marked
    assert [hit["title"][s:e] for s, e in hit["title_marks"]] == ["Tide"]
    assert run(["search", "spring -tide"]) == 0  # quoted: argparse would take -tide for an option
    assert "no matches" in capsys.readouterr().out
