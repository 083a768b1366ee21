"""Property tests for reader.render.quotes: any text, however hostile, gives sane spans fast."""

from __future__ import annotations

import gc
import re
import time
from itertools import pairwise

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from reader.render.quotes import QUOTE_MARKS, find_quote_tree, find_quotes

# Characters that matter to the parser, weighted in by hand so that examples are dense with
# marks, spaces of every kind, Markdown structure and control characters.
INTERESTING = (
    "\"'“”„‟‘’‚«»‹›「」『』〝〞〟"  # quote marks
    " \u00a0\u202f\u2009\t\n\r\x0b\x0c\x85\u2028"  # spaces and line-ish separators
    "\x00\x01\x1b\x7f"  # control characters
    "`[]()<>|*_~#->!.,;:?…—\\/=0123456789"  # Markdown and punctuation
    "aeinsztAN日本語中文éßжё"  # letters of a few scripts
)
chars = st.one_of(st.sampled_from(INTERESTING), st.characters())
texts = st.text(alphabet=chars, max_size=400)
# Larger, more structured documents: fragments glued with spaces, newlines, blank lines.
fragments = st.lists(
    st.one_of(
        texts,
        st.sampled_from(
            [
                "“",
                "”",
                "„",
                "«",
                "»",
                " » ",
                "« ",
                " »",
                "'",
                "’",
                "‘",
                '"',
                "``",
                "`",
                "\n\n",
                "\n> ",
                "\n- ",
                "\n# ",
                "\n| ",
                " | ",
                "\n```\n",
                "](",
                "[",
                "]",
                "<b>",
                "don't",
                "'n'",
                "'90s",
                "students' ",
                "「",
                "」",
                "*",
                "\u00a0",
            ]
        ),
    ),
    max_size=60,
)
documents = fragments.map("".join)

BLANK_LINE = re.compile(r"\n[^\S\n]*\n")
BLOCKQUOTE_START = re.compile(r"\n {0,3}>")


def check_spans(text: str) -> list[tuple[int, int]]:
    spans = find_quotes(text)
    assert spans == sorted(spans)
    for s, e in spans:
        assert 0 <= s < e <= len(text)
        assert text[s] in QUOTE_MARKS
        inside = text[s:e]
        assert not BLANK_LINE.search(inside), "a quotation crossed a paragraph boundary"
        assert not BLOCKQUOTE_START.search(inside), "a quotation crossed a blockquote line"
    for (_, e1), (s2, _) in pairwise(spans):
        assert e1 <= s2
    return spans


@settings(max_examples=600, suppress_health_check=[HealthCheck.too_slow])
@given(texts)
def test_any_text_gives_sane_spans(text: str) -> None:
    check_spans(text)


@settings(max_examples=400, suppress_health_check=[HealthCheck.too_slow])
@given(documents)
def test_any_document_gives_sane_spans(text: str) -> None:
    check_spans(text)


@settings(max_examples=300, suppress_health_check=[HealthCheck.too_slow])
@given(documents)
def test_tree_is_properly_nested_and_agrees(text: str) -> None:
    tree = find_quote_tree(text)
    assert [(q.start, q.end) for q in tree if q.depth == 0] == find_quotes(text)
    open_ends: list[int] = []
    for q in tree:
        assert text[q.start] in QUOTE_MARKS
        while open_ends and open_ends[-1] <= q.start:
            open_ends.pop()
        assert q.depth == len(open_ends)
        if open_ends:
            assert q.end <= open_ends[-1], "an inner quotation leaks out of its outer one"
        if q.closed:
            assert text[q.end - 1] in QUOTE_MARKS
        open_ends.append(q.end)


@settings(max_examples=300, suppress_health_check=[HealthCheck.too_slow])
@given(documents)
def test_paragraphs_are_independent(text: str) -> None:
    """Putting paragraphs around a document only shifts its spans."""
    before, after = "A first paragraph.\n\n", "\n\nA last “paragraph”."
    shifted = [(s + len(before), e + len(before)) for s, e in find_quotes(text)]
    combined = find_quotes(before + text + after)
    assert combined[: len(shifted)] == shifted


def _large(pieces: list[str]) -> str:
    """About 100,000 characters of a repeated mix."""
    unit = "".join(pieces)
    return (unit * (100_000 // len(unit) + 1))[:100_000]


@settings(max_examples=20, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(fragments.filter(lambda f: sum(map(len, f)) > 20))
def test_large_inputs_give_sane_spans(pieces: list[str]) -> None:
    check_spans(_large(pieces))


# -- speed (wall clock): `pytest -m slow` --------------------------------------------------------


@pytest.mark.slow
@settings(max_examples=20, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(fragments.filter(lambda f: sum(map(len, f)) > 20))
def test_large_inputs_run_fast(pieces: list[str]) -> None:
    """About 100,000 characters of any repeated mix: well under a second idle (budget 10 s)."""
    text = _large(pieces)
    t0 = time.perf_counter()
    check_spans(text)
    assert time.perf_counter() - t0 < 10.0


@pytest.mark.slow
def test_hostile_inputs_scale_linearly() -> None:
    """Doubling a pathological input must not quadruple the time (no quadratic paths)."""
    patterns = ["«" * 40 + "」" * 40, "‘a’ b' c' ", "[“x](", "`" * 7 + " “ ", "“a ‘b c’ d” "]
    for unit in patterns:
        times = []
        for size in (40_000, 160_000):
            text = (unit * (size // len(unit) + 1))[:size]
            best = min(_timed(text) for _ in range(3))
            times.append(best)
        assert times[1] < times[0] * 8 + 0.05, (unit, times)


def _timed(text: str) -> float:
    """Seconds for one call, with the garbage collector paused so it measures the parser."""
    gc.collect()
    gc.disable()
    try:
        t0 = time.perf_counter()
        find_quotes(text)
        return time.perf_counter() - t0
    finally:
        gc.enable()
