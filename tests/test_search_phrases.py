"""Phrase checks on the text (the index has no positions): a phrase starts a word, its words
are next to each other with only separators between them, accents and case folded."""

from __future__ import annotations

import pytest

from reader.store.search_query import fold_text, parse


@pytest.mark.parametrize(
    ("text", "found"),
    [
        ("They said that with care.", True),
        ("That — with care", True),  # any separators
        ("that_with", True),  # the tokenizer splits on _ too
        ("Thät wïth", True),  # accents and case folded
        ("somethat with", False),  # not the start of a word
        ("_that with", False),  # \b as before: _ is a word character there
        ("that within", False),  # nor the end
        ("what that with", True),  # a later place in the text
        ("xthat with, that with", True),  # the first place fails, a later one holds
        ("with that", False),  # order matters
        ("", False),
    ],
)
def test_a_phrase_is_found_only_as_whole_words_in_order(text: str, found: bool) -> None:
    (term,) = parse('"that with"').terms
    assert (term.search(fold_text(text)) is not None) is found
    assert parse('"that with"').accepts(text) is found


def test_the_match_is_the_phrase_itself() -> None:
    (term,) = parse('"that with"').terms
    folded = fold_text("xthat with, that with")
    match = term.search(folded)
    assert match is not None and (match.start(), match.end()) == (12, 21)


def test_a_prefix_phrase_ends_anywhere_in_its_last_word() -> None:
    (term,) = parse("council-bud*").terms
    assert term.prefix and term.search(fold_text("The council budgets")) is not None
    assert term.search(fold_text("The council embudgets")) is None
