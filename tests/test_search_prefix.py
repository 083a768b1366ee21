"""Prefixes: three letters or more search every word starting so; shorter ones are whole words.

A one- or two-letter prefix (``a*``, ``in*``) expands over most of the index on every query
(120-290 ms at 100k articles, bench/README "Short prefixes"), so it is searched as the word
itself, with a hint; the search, the saved-search count and the saved-search view agree.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from reader.store import Store
from reader.store.search_query import MIN_PREFIX, parse
from tests.feed_items import Item

ROWS = [
    (1, "City council approves the tram budget", "The council met on Monday in the town hall."),
    (2, "Ça va mieux à Genève", "Les loyers baissent à Genève, dit le conseil."),
    (3, "Ferry timetable", "The ferry to the island runs hourly; an interim schedule."),
    (4, "Inland waterways", "Barges carry grain inland along the canal."),
    (5, "Night train", "A sleeper to Trieste: a quiet corridor."),
]


@pytest.fixture
def store(tmp_path: Path) -> Store:
    opened = Store.open(tmp_path / "reader.db")
    feed, _ = opened.feeds.add("https://city.example/feed", title="City Herald")
    items = [
        Item(str(i), title, f"<p>{body}</p>", f"2024-02-{i:02d}T10:00:00+00:00")
        for i, title, body in ROWS
    ]
    opened.articles.upsert(feed.id, items)
    yield opened
    opened.close()


def titles(store: Store, text: str) -> set[str]:
    return {hit.row.title for hit in store.search.find(text).hits}


def starting(*beginnings: str) -> set[str]:
    return {title for _, title, _ in ROWS if title.startswith(beginnings)}


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("inl*", ("Inland",)),
        ("inla*", ("Inland",)),
        ("int*", ("Ferry",)),  # interim
        ("cou*", ("City",)),
        ("con*", ("Ça va",)),  # conseil
        ("cor*", ("Night",)),  # corridor
        ("gen*", ("Ça va",)),  # accents folded: Genève
        ("gèn*", ("Ça va",)),
        ("tra*", ("City", "Night")),  # tram, train
        ("tra* -night", ("City",)),
        ("xyz*", ()),
    ],
)
def test_prefixes_of_three_letters_or_more_find_every_word_starting_so(
    store: Store, text: str, expected: tuple[str, ...]
) -> None:
    assert titles(store, text) == starting(*expected)
    assert not store.search.find(text).hints


@pytest.mark.parametrize(
    ("text", "word", "expected"),
    [
        ("in*", "in", ("City",)),  # "in the town hall": not inland, interim
        ("a*", "a", ("Ça va", "Night")),  # "à Genève", "a sleeper"; not approves, along, an
        ("tr*", "tr", ()),
        ("à*", "a", ("Ça va", "Night")),  # folded as the index folds it
    ],
)
def test_shorter_prefixes_are_searched_as_whole_words_with_a_hint(
    store: Store, text: str, word: str, expected: tuple[str, ...]
) -> None:
    result = store.search.find(text)
    assert {hit.row.title for hit in result.hits} == starting(*expected)
    assert result.hints == [
        f"a prefix needs {MIN_PREFIX} letters: “{text}” was searched as the word “{word}”"
    ]


def test_the_rule_applies_to_the_last_word_of_a_joined_term() -> None:
    (term,) = parse("new-yo*").terms
    assert term.words == ("new", "yo") and not term.prefix
    (term,) = parse("new-yor*").terms
    assert term.words == ("new", "yor") and term.prefix
    assert not parse('"in"*').hints  # a quoted phrase is never a prefix


def test_saved_search_count_and_view_follow_the_same_rule(store: Store) -> None:
    assert store.search.count_unread("in*") == 1
    assert store.search.count_unread("inl*") == 1
    assert store.search.count_unread("int*") == 1
    assert len(store.search.matching_ids("co*")) == 0
    assert len(store.search.matching_ids("con*")) == 1
    assert len(store.search.matching_ids("cou*")) == 1
