"""Relative links in feed HTML: the fast pre-check and the rewrite, against a plain reference."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from reader.sources.hygiene import _has_relative, absolutize_html

BASE = "https://site.test/blog/post/"


def reference_has_relative(markup: str) -> bool:
    """The obvious version: look at every attribute value one by one."""
    starts = ("http:", "https:", "HTTP", "#", "mailto:", "data:", "javascript:")
    for attr in ("href=", "src=", "HREF=", "SRC=", "poster="):
        i = markup.find(attr)
        while i >= 0:
            j = i + len(attr)
            if markup[j : j + 1] in ('"', "'"):
                j += 1
            elif j == len(markup):
                break  # no value at all: nothing to resolve
            if not markup.startswith(starts, j):
                return True
            i = markup.find(attr, j)
    return False


@pytest.mark.parametrize(
    ("markup", "expected"),
    [
        ('<a href="/about">', '<a href="https://site.test/about">'),
        ("<a href='../x'>", "<a href='https://site.test/blog/x'>"),
        ("<a href=img.png>", "<a href=https://site.test/blog/post/img.png>"),
        ('<img SRC="//cdn.test/a.png">', '<img SRC="https://cdn.test/a.png">'),
        ('<video poster="p.jpg">', '<video poster="https://site.test/blog/post/p.jpg">'),
        ('<a href="/q?a=1&amp;b=2">', '<a href="https://site.test/q?a=1&amp;b=2">'),
        ('<a href="https://other.test/">', '<a href="https://other.test/">'),
        ('<a HREF="HTTP://X.TEST/">', '<a HREF="HTTP://X.TEST/">'),
        ('<a href="#top">', '<a href="#top">'),
        ('<a href="mailto:a@b.test">', '<a href="mailto:a@b.test">'),
        ('<img src="data:image/png;base64,AA">', '<img src="data:image/png;base64,AA">'),
        ("<p>x = y, src = here</p>", "<p>x = y, src = here</p>"),
    ],
)
def test_relative_links_resolve_and_absolute_ones_stay(markup: str, expected: str) -> None:
    assert absolutize_html(markup, BASE) == expected


PIECES = [
    "href=",
    "src=",
    "HREF=",
    "SRC=",
    "poster=",
    "data-src=",
    '"',
    "'",
    "http:",
    "https:",
    "HTTP",
    "#",
    "mailto:",
    "data:",
    "javascript:",
    "/",
    "x",
    " ",
    "=",
    "<a ",
    ">",
    "“",
]


@given(st.lists(st.sampled_from(PIECES), max_size=14))
def test_the_fast_check_agrees_with_the_reference(parts: list[str]) -> None:
    markup = "".join(parts)
    assert _has_relative(markup) == reference_has_relative(markup)
