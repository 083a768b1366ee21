"""Property tests for rendering: quote finding and Markdown to styled blocks.

``reader.render.quotes.find_quotes(text)`` promises sorted, non-overlapping ``(start, end)``
spans of the outermost quotations, each starting at a quote mark, and ``find_quote_tree`` gives
the same outermost spans; for any text (controls, surrogates, escape sequences included) no
exception escapes. ``reader.render.document.parse_document(markdown)`` (what the reading pane
paints) raises nothing, its block text is clean, every style span lies inside its text and is
not empty, and a link is kept only when it is http(s) or mailto. Checkers:
tests/fuzz_support.py (``check_quotes``, ``check_markdown``). tests/test_quotes_props.py holds
the finer quote rules (paragraph boundaries, nesting).
"""

from __future__ import annotations

import pytest
from hypothesis import example, given, settings
from hypothesis import strategies as st

from reader.render.document import parse_document
from reader.render.quotes import find_quotes
from tests.fuzz_support import (
    FUZZ,
    HOSTILE,
    any_text,
    assert_scales_linearly,
    check_markdown,
    check_quotes,
    examples,
    hostile_text,
    mutated,
    repeated,
    seed,
)

MARKDOWN_PIECES = [
    "[",
    "]",
    "](",
    ")",
    "![a](",
    "<",
    ">",
    "\n",
    "\n\n",
    "> ",
    "> > ",
    "- ",
    "* ",
    "1. ",
    "# ",
    "## ",
    "|",
    "| --- |",
    "---",
    "```",
    "`",
    "**",
    "_",
    "~~",
    "\\",
    "  \n",
    "    ",
    "<b>",
    "https://x.example/",
    "javascript:alert(1)",
    "mailto:a@b.example",
    "foo:bar",
    "#frag",
    "“",
    "”",
    "„",
    "«",
    "»",
    "‹",
    "›",
    "「",
    "」",
    "'",
    '"',
    "‘",
    "’",
    " ",
    "\u00a0",
]
documents = st.one_of(
    any_text,
    hostile_text,
    st.lists(
        st.one_of(st.sampled_from(MARKDOWN_PIECES + HOSTILE), st.text(max_size=6)), max_size=40
    ).map("".join),
    mutated([seed("document_hostile.md")], MARKDOWN_PIECES + HOSTILE).map(
        lambda b: b.decode("utf-8", "surrogateescape")
    ),
)


@settings(FUZZ, max_examples=examples(800))
@given(documents)
@example("“a ‘b’ c” «d» „e“ \x1b[2J\ud800\u202e")
def test_find_quotes(text: str) -> None:
    check_quotes(text)


@settings(FUZZ, max_examples=examples(800))
@given(documents)
@example("`\x1f` [y](foo:bar) []() [x](javascript:alert(1))")
def test_parse_document(markdown: str) -> None:
    check_markdown(markdown)


@pytest.mark.slow
@pytest.mark.parametrize(
    "unit",
    [
        "“a ‘b’ c” «d» „e“ ",
        "[“x](" + "\x1b]" * 3,
        "> " * 30 + "x\n",
        "*a **b " * 5,
        "[" * 40,
    ],
    ids=["quotes", "links-and-escapes", "deep-blockquote", "emphasis", "brackets"],
)
def test_render_time_is_linear_in_size(unit: str) -> None:
    assert_scales_linearly(find_quotes, repeated(unit))
    assert_scales_linearly(parse_document, repeated(unit), size=5_000)
