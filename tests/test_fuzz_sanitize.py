"""Property tests for reader.sanitize, the one sanitizer every network text passes through.

Properties, for any text at all (lone surrogates included): ``clean_text``, ``clean_line`` and
``clean_html`` output holds no C0 control but tab and newline, no DEL/C1, no ESC, no bidi
embedding/override/isolate, no surrogate; ``clean_text`` and ``clean_line`` are idempotent and
``clean_line`` is one line; ``clean_html`` leaves no URL attribute a browser would act on with a
scheme other than http(s) or mailto; ``http_url`` gives None or an absolute http(s) URL without
whitespace or controls, ``safe_url`` only its own schemes. Checkers: tests/fuzz_support.py.
"""

from __future__ import annotations

import pytest
from hypothesis import example, given, settings
from hypothesis import strategies as st

from reader.sanitize import clean_html, clean_line, clean_text
from tests.fuzz_support import (
    FUZZ,
    HOSTILE,
    any_text,
    assert_clean,
    assert_scales_linearly,
    check_clean_html,
    check_url,
    examples,
    hostile_text,
    repeated,
)

texts = st.one_of(any_text, hostile_text)


@settings(FUZZ, max_examples=examples(1000))
@given(texts)
@example("\x1b]0;TITLE\x07 \x9b2J \ud800 \u202e \x00 \r\n")
def test_clean_text_is_clean_and_idempotent(text: str) -> None:
    once = clean_text(text)
    assert_clean(once, "clean_text")
    assert "\r" not in once
    assert clean_text(once) == once


@settings(FUZZ, max_examples=examples(600))
@given(texts)
def test_clean_line_is_one_clean_line(text: str) -> None:
    line = clean_line(text)
    assert_clean(line, "clean_line")
    assert line == line.strip() and "\n" not in line and "\t" not in line
    assert "  " not in line
    assert clean_line(line) == line


# Markup built to probe the URL-attribute rewrite: separators, spacing and quoting of
# attributes, and scheme names taken apart by references, tabs, newlines and junk.
_SEPARATORS = st.sampled_from([" ", "\n", "\t", "/", " / ", '"', "'", "  "])
_URL_ATTRS = st.sampled_from(
    [
        "href",
        "HREF",
        "Href",
        "src",
        "action",
        "formaction",
        "poster",
        "background",
        "data",
        "xlink:href",
    ]
)
_EQUALS = st.sampled_from(["=", " = ", "\n=\n", "=\t"])
_QUOTES = st.sampled_from(['"', "'", ""])
_VALUE_PIECES = st.sampled_from(
    [
        "javascript",
        "java",
        "script",
        "JaVaScRiPt",
        "data",
        "vbscript",
        "file",
        ":",
        "&colon;",
        "&#58;",
        "&#x3a;",
        "&#x3A",
        "&#058;",
        "&Tab;",
        "&#x09;",
        "&#10;",
        "&NewLine;",
        "\t",
        "\n",
        " ",
        "&#x20;",
        "&#106;",
        "&#x6a;",
        "&#0000106",
        "&amp;",
        "&amp;#x09;",
        "&",
        "alert(1)",
        "//x",
        "/",
        "https",
        "http",
        "mailto",
        "?",
        "#",
        "=",
        "\x00",
        "\x01",
        "\u200b",
        "\ufeff",
        "\xa0",
    ]
)


@st.composite
def _tags(draw: st.DrawFn) -> str:
    name = draw(st.sampled_from(["a", "A", "img", "form", "video", "object", "svg", "button"]))
    attrs = []
    for _ in range(draw(st.integers(1, 3))):
        quote = draw(_QUOTES)
        value = "".join(draw(st.lists(_VALUE_PIECES, max_size=8)))
        attrs.append(f"{draw(_SEPARATORS)}{draw(_URL_ATTRS)}{draw(_EQUALS)}{quote}{value}{quote}")
    before = draw(st.sampled_from(["", ' title="t"', " title='a href=x'", " class=x"]))
    return f"<{name}{before}{''.join(attrs)}>x</{name}>"


markup = st.one_of(
    st.lists(st.one_of(_tags(), st.text(max_size=5)), min_size=1, max_size=4).map("".join),
    st.lists(st.one_of(st.sampled_from(HOSTILE), st.text(max_size=6)), max_size=20).map("".join),
    any_text,
)


@settings(FUZZ, max_examples=examples(1500))
@given(markup)
@example('<a href="java\tscript:alert(1)">x</a>')
@example('<a href="javascript&colon;alert(1)">x</a>')
@example('<a/href="javascript:alert(1)">x</a>')
def test_clean_html_is_clean_and_links_are_safe(text: str) -> None:
    out = check_clean_html(text)
    assert check_clean_html(out) == out, "clean_html changed its own output"


urls = st.one_of(
    any_text,
    st.lists(
        st.one_of(
            st.sampled_from(
                [
                    "http://",
                    "https://",
                    "HTTPS://",
                    "//",
                    "/",
                    "javascript:",
                    "data:",
                    "mailto:",
                    "ftp://",
                    "h.example",
                    "[::1]",
                    "[",
                    "?",
                    "#",
                    "%",
                    "@",
                    ":",
                    "\t",
                    "\n",
                    " ",
                    "\xa0",
                    "\u2028",
                    "\u3000",
                    "\u200b",
                    "\ud800",
                    "\x00",
                    "\x1b]0;x\x07",
                    "\u202e",
                    "é",
                    "..",
                    "&#x09;",
                ]
            ),
            st.text(max_size=4),
        ),
        max_size=10,
    ).map("".join),
)


@settings(FUZZ, max_examples=examples(1000))
@given(urls)
@example("https://h.example/\ud800")
@example("\xa0")
def test_urls_are_absolute_http_without_junk(text: str) -> None:
    check_url(text)


@pytest.mark.slow
@pytest.mark.parametrize(
    "unit",
    [
        "\x1b]" + "x" * 50,  # unterminated OSC strings
        "\x1b[" + "1;" * 40,
        "&#x1b;&#xD800;&#x202e;" * 5,
        '<a href="java\t' + "\t" * 30,
        "href=" * 20,
        '<a href="' + "a" * 60,
        "\ud800\x00\u202e\x9b" * 10,
    ],
    ids=["osc", "csi", "references", "tabs-in-href", "href-runs", "open-quote", "controls"],
)
def test_sanitizer_time_is_linear_in_input_size(unit: str) -> None:
    def run(text: str) -> None:
        clean_html(text)
        clean_text(text)
        clean_line(text)

    assert_scales_linearly(run, repeated(unit))
