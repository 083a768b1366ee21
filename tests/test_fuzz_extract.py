"""Property tests for page extraction: ``reader.extract.extract_article`` and ``extract_text``.

Properties (``check_page`` in tests/fuzz_support.py): no exception escapes either function;
the Markdown and every text field (title, author, dates, site name, breadcrumb, related titles,
comments, embeds, comment form fields) are clean; the canonical URL, related links, embed URLs
and the comment form's action are http(s) (an empty action means the page itself); numbered
links are absolute and of the schemes ``safe_url`` lets through, without whitespace or
controls; a link in the Markdown, read the way the reading pane reads it, is http(s) or
mailto; quote spans lie inside the Markdown.

Inputs: arbitrary bytes, and a hostile article page (tests/fixtures/fuzz/page_hostile.html)
plus the feed seeds (markup that is not a page) after byte-level mutation.
"""

from __future__ import annotations

from collections.abc import Callable

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from reader.extract import extract_article
from tests.fuzz_support import (
    FUZZ,
    PAGE_URL,
    assert_scales_linearly,
    check_page,
    examples,
    mutated,
    seed,
)

PAGE_SEEDS = [seed("page_hostile.html"), seed("rss20_hostile.xml"), seed("document_hostile.md")]
BASES = st.sampled_from([PAGE_URL, "http://h.example", None])


def test_hostile_page_extracts_clean() -> None:
    article = extract_article(seed("page_hostile.html"), PAGE_URL)
    assert article.ok and "harbour master" in article.markdown
    check_page(seed("page_hostile.html"))


@settings(FUZZ, max_examples=examples(200))
@given(st.binary(max_size=600), BASES)
def test_arbitrary_bytes(body: bytes, url: str | None) -> None:
    check_page(body, url)


@settings(FUZZ, max_examples=examples(500))
@given(mutated(PAGE_SEEDS), BASES)
def test_mutated_pages(body: bytes, url: str | None) -> None:
    check_page(body, url)


@settings(FUZZ, max_examples=examples(100))
@given(mutated(PAGE_SEEDS))
def test_mutated_pages_as_text(body: bytes) -> None:
    """The str entry point (pages already decoded), surrogates and all."""
    check_page(body.decode("utf-8", "surrogateescape"))


def _page_of(unit: str) -> Callable[[int], str]:
    return lambda n: (
        "<html><body><article>"
        + f"<p>{unit} words words words.</p>" * n
        + "</article></body></html>"
    )


@pytest.mark.slow
@pytest.mark.parametrize(
    "unit",
    [
        "&#x1b;]0;x&#x07; “quoted” &#xD800; <a href='java&#x09;script:x'>l</a>",
        "<div>" * 20,
        "<b><i>«</i></b>",
    ],
    ids=["escapes-and-links", "nesting", "inline-quotes"],
)
def test_extraction_time_is_linear_in_size(unit: str) -> None:
    assert_scales_linearly(
        lambda page: extract_article(page, PAGE_URL), _page_of(unit), size=40, factor=10
    )
