"""Bad input never crashes or hangs extraction: each case gives an Article
(possibly ok=False with a clear error).

A hang is caught by pytest-timeout; how fast the big cases run is checked only by the tests
marked ``slow`` (wall-clock budgets, deselected by default, ``pytest -m slow``)."""

from __future__ import annotations

import random
import time

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from reader.extract import Article, extract_article, extract_text

PROSE = (
    "The committee met on Tuesday and agreed, after a long debate, to keep the library "
    "open on Sundays for another year."
)


def _extract(html: str | bytes, url: str | None = None) -> Article:
    """Both entry points on one input; the article, checked to be an Article or a clear error."""
    article = extract_article(html, url)
    extract_text(html, url)
    assert isinstance(article, Article)
    if not article.ok:
        assert article.error and article.error.startswith("could not extract: ")
    return article


@pytest.mark.parametrize("empty", [b"", "", b"   \n\t ", "\n"])
def test_empty_input(empty: str | bytes) -> None:
    a = _extract(empty)
    assert not a.ok
    assert a.error == "could not extract: empty page"
    assert extract_text(empty) == ""


def test_binary_data() -> None:
    blob = random.Random(7).randbytes(200_000)
    a = _extract(blob)
    assert not a.ok
    assert a.error == "could not extract: binary data, not HTML"


def test_binary_data_as_str() -> None:
    a = _extract(random.Random(8).randbytes(50_000).decode("latin-1"))
    assert not a.ok


def test_png_header() -> None:
    a = _extract(b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + bytes(range(256)) * 100)
    assert not a.ok


def _twenty_megabytes() -> bytes:
    para = f"<p>{PROSE}</p>\n"
    return (
        "<html><body><article>" + para * (20_000_000 // len(para)) + "</article></body></html>"
    ).encode()


def test_twenty_megabytes_is_bounded() -> None:
    a = _extract(_twenty_megabytes())
    assert a.ok
    assert a.markdown.startswith("The committee met")
    assert len(a.markdown) < 5_000_000  # the input was cut at the size cap


def test_cp1252_bytes_declared_utf8() -> None:
    html = (
        '<html><head><meta charset="utf-8"></head><body><p>Caf\u00e9 owners say the '
        "na\u00efve plan \u2013 a \u201cquick fix\u201d \u2013 will cost \u20ac2m over "
        "five years, which is more than the town spends on roads.</p></body></html>"
    )
    a = _extract(html.encode("cp1252"))
    assert a.ok
    assert "Café owners say the naïve plan – a “quick fix” – will cost €2m" in a.markdown


def test_utf8_bytes_declared_cp1252() -> None:
    html = (
        '<html><head><meta http-equiv="Content-Type" content="text/html; '
        'charset=windows-1252"></head><body><p>Gr\u00fc\u00dfe aus K\u00f6ln: die '
        "Stra\u00dfenbahn f\u00e4hrt wieder, sagt die Stadt, und zwar p\u00fcnktlich "
        "wie selten.</p></body></html>"
    )
    a = _extract(html.encode("utf-8"))
    assert "Grüße aus Köln: die Straßenbahn fährt wieder" in a.markdown


def test_utf16_with_bom() -> None:
    html = f"<html><body><p>{PROSE}</p></body></html>"
    a = _extract("\ufeff".encode("utf-16-le") + html.encode("utf-16-le"))
    assert a.ok and a.markdown.startswith("The committee met")


def test_deep_nesting() -> None:
    depth = 10_000
    html = (
        "<html><body><article><p>"
        + PROSE
        + "</p>"
        + "<div>" * depth
        + "deep"
        + "</div>" * depth
        + "<p>"
        + PROSE
        + "</p></article></body></html>"
    )
    a = _extract(html)
    assert a.ok
    assert "The committee met" in a.markdown


def test_deep_inline_nesting() -> None:
    html = "<p>" + PROSE + "<b><i>" * 3000 + PROSE + "</i></b>" * 3000 + "</p>"
    a = _extract(html)
    assert a.ok


def test_no_body_no_html() -> None:
    a = _extract(f"<p>{PROSE}</p><p>{PROSE}</p>")
    assert a.ok
    assert a.markdown.count("The committee met") == 2


def test_plain_text_is_a_page() -> None:
    a = _extract(PROSE)
    assert a.ok and a.markdown == PROSE


def test_frames_only() -> None:
    html = (
        '<html><head><title>Frames</title></head><frameset cols="50%,50%">'
        '<frame src="menu.html"><frame src="/main.html"></frameset></html>'
    )
    a = _extract(html, "https://old.example/index.html")
    assert not a.ok
    assert a.error == (
        "could not extract: the page is a frameset; its content is in frames: "
        "https://old.example/menu.html, https://old.example/main.html"
    )
    assert a.title == "Frames"


def test_only_scripts_and_navigation() -> None:
    html = "<html><body><nav><a href='/'>Home</a></nav><script>var x = 1;</script></body></html>"
    a = _extract(html)
    assert not a.ok
    assert a.error == "could not extract: no readable text on the page"


def test_xml_declaration_in_str() -> None:
    html = f'<?xml version="1.0" encoding="utf-8"?><html><body><p>{PROSE}</p></body></html>'
    assert _extract(html).ok


def test_escape_sequences_never_reach_output() -> None:
    evil = "\x1b]0;owned\x07\x1b[2J\u202e\x9b1m\x00"
    html = f"""<html><head><title>T{evil}itle</title>
    <meta name="author" content="Ann{evil} Author"></head><body>
    <nav class="breadcrumb"><a href="/">Ho{evil}me</a> » <a href="/x">Se{evil}ction</a></nav>
    <article><p>{PROSE} {evil} {PROSE}</p><p><a href="/l{evil}ink">li{evil}nk</a> {PROSE}</p>
    <blockquote class="twitter-tweet"><p>tw{evil}eet</p>&mdash; Bad{evil} (@bad)
    <a href="https://twitter.com/bad/status/1">d</a></blockquote></article>
    <div class="yarpp-related"><a href="/r">Rel{evil}ated</a></div>
    <ol class="comment-list"><li id="comment-1"><b class="fn">Co{evil}mmenter</b>
    <div class="comment-content"><p>Com{evil}ment</p></div></li></ol>
    <form id="commentform" action="/wp-comments-post.php"><textarea name="comment"></textarea>
    <input type="hidden" name="nonce" value="n{evil}once"></form></body></html>"""
    a = _extract(html, "https://site.example/p")
    strings = [
        a.title,
        a.author,
        a.markdown,
        *a.breadcrumb,
        *a.links,
        *(r.title for r in a.related),
        *(r.url for r in a.related),
        *(c.author for c in a.comments),
        *(c.text for c in a.comments),
        *(e.text for e in a.embeds),
        *(e.author for e in a.embeds),
        *a.comment_form.fields.values(),
    ]  # type: ignore[union-attr]
    assert a.title == "Title" and a.author == "Ann Author"
    for s in strings:
        assert s is not None
        for bad in ("\x1b", "\x9b", "\x00", "\x07", "\u202e"):
            assert bad not in s, (s, bad)
    assert "Comment" in a.comments[0].text


def test_many_links_and_comments_are_bounded() -> None:
    links = "".join(f'<li><a href="/p{i}">Post {i}</a></li>' for i in range(5000))
    comments = "".join(
        f'<li id="comment-{i}"><b class="fn">N{i}</b><div class="comment-content"><p>c{i}</p>'
        "</div></li>"
        for i in range(3000)
    )
    html = (
        f"<html><body><article><p>{PROSE}</p></article><div class='related-posts'>"
        f"<ul>{links}</ul></div><ol class='comment-list'>{comments}</ol></body></html>"
    )
    a = _extract(html, "https://site.example/")
    assert len(a.related) == 50
    assert len(a.comments) == 1000


def test_garbage_markup() -> None:
    html = "<<<>>><p <a href=>></p></div></table><td>" + PROSE + "<!-- unclosed comment"
    _extract(html)


def test_unclosed_tags_everywhere() -> None:
    html = "<html><body>" + "<div><p><span><table><tr><td>" * 500 + PROSE
    _extract(html)


@pytest.mark.parametrize("code", [*range(0, 9), 11, 12, *range(14, 32), 0x7F])
def test_control_characters_in_page(code: int) -> None:
    """libxml2 keeps some control characters that lxml then refuses to store."""
    ch = chr(code).encode()
    html = (
        b"<html><body><div class='share'>x</div>"
        + ch
        + b"tail<p>"
        + PROSE.encode()
        + ch
        + b"</p><div>"
        + ch
        + b"<span>a</span>"
        + ch
        + b"</div>"
        + b"<div>" * 300
        + ch
        + b"</div>" * 300
        + b"</body></html>"
    )
    a = _extract(html)
    assert a.ok
    assert not any(chr(c) in a.markdown for c in range(32) if c not in (9, 10))


def test_notice_page_keeps_every_line() -> None:
    a = _extract("<p>Page not found.</p><p>Try the search.</p>")
    assert a.ok and a.markdown == "Page not found.\n\nTry the search."


_PIECES = [
    "<p>",
    "</p>",
    "<div class='share'>",
    "<div class='entry-content'>",
    "</div>",
    "<a href='javascript:x'>",
    "<a href='/ok'>",
    "</a>",
    "<q>",
    "</q>",
    "<br>",
    "<table><tr><td>",
    "<blockquote class='twitter-tweet'>",
    "</blockquote>",
    "<script>",
    "</script>",
    "<!--",
    "-->",
    "<h2>",
    "</h2>",
    "<li>",
    "<ul>",
    "&amp;",
    "&#0;",
    "&#x1b;",
    "\x1b[31m",
    "\u202e",
    "\x00",
    "\r",
    "<![CDATA[",
    "]]>",
    "Words of a sentence, with a comma. ",
    "<img src='x' alt='a'>",
    "<time>",
    "<title>",
]


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(st.one_of(st.sampled_from(_PIECES), st.text(max_size=20)), max_size=60))
def test_random_markup_never_breaks(pieces: list[str]) -> None:
    html = "".join(pieces)
    for page in (html, html.encode("utf-8", "surrogatepass")):
        a = extract_article(page, "https://s.example/p")
        extract_text(page)
        if a.ok:
            assert not any(ch in a.markdown for ch in ("\x1b", "\x00", "\u202e", "\r"))
            assert not any(u.startswith("javascript:") for u in a.links)
        else:
            assert a.error and a.error.startswith("could not extract: ")


def test_thousands_of_related_blocks_are_bounded() -> None:
    blocks = "".join(
        f"<div class='related-posts'><a href='/p{i}'>Post {i}</a></div>" for i in range(5000)
    )
    a = _extract(
        f"<html><body><article><p>{PROSE}</p></article>{blocks}</body></html>",
        "https://s.example/",
    )
    assert 0 < len(a.related) <= 50


# -- speed (wall clock): `pytest -m slow` --------------------------------------------------------
# Budgets are several times what an idle machine needs (20 MB: about 5 s), so only a real
# slowdown (a quadratic path, a lost size cap) fails them, not a busy machine.


def _seconds(html: str | bytes, url: str | None = None) -> float:
    started = time.perf_counter()
    _extract(html, url)
    return time.perf_counter() - started


@pytest.mark.slow
def test_twenty_megabytes_is_fast_enough() -> None:
    assert _seconds(_twenty_megabytes()) < 60


@pytest.mark.slow
@pytest.mark.parametrize(
    "html",
    [
        pytest.param(random.Random(7).randbytes(200_000), id="binary"),
        pytest.param(
            "<html><body><article><p>"
            + PROSE
            + "</p>"
            + "<div>" * 10_000
            + "deep"
            + "</div>" * 10_000
            + "</article></body></html>",
            id="deep-nesting",
        ),
        pytest.param("<p>" + PROSE + "<b><i>" * 3000 + "</i></b>" * 3000 + "</p>", id="inline"),
        pytest.param("<html><body>" + "<div><p><span><table><tr><td>" * 500, id="unclosed"),
        pytest.param(
            "<html><body><article><p>"
            + PROSE
            + "</p></article>"
            + "".join(
                f"<div class='related-posts'><a href='/p{i}'>Post {i}</a></div>"
                for i in range(5000)
            )
            + "</body></html>",
            id="related-blocks",
        ),
    ],
)
def test_hostile_pages_are_fast_enough(html: str | bytes) -> None:
    assert _seconds(html, "https://s.example/") < 10


def test_a_declared_escape_codec_is_not_used_to_decode() -> None:
    """``unicode_escape`` would turn the text ``\\x1b`` into a real ESC while decoding."""
    from reader.charsets import text_codec
    from reader.sources.parse import parse_feed

    assert [text_codec(n) for n in ("unicode_escape", "punycode", "utf-7", "rot13")] == [None] * 4
    assert text_codec("UTF8") == "utf-8" and text_codec(" latin1 ") == "iso8859-1"
    page = (
        b'<html><head><meta charset="unicode_escape"></head><body><p>Hello \\x1b[2J world, '
        b"this paragraph is long enough to be the article.</p></body></html>"
    )
    assert extract_article(page, "http://a.test/").markdown.startswith("Hello \\x1b[2J world")
    feed = (
        b'<?xml version="1.0" encoding="raw_unicode_escape"?><rss version="2.0"><channel>'
        b"<title>A\\x1b[2J</title><item><title>x</title><link>http://a.test/1</link>"
        b"</item></channel></rss>"
    )
    assert parse_feed(feed, "http://a.test/").title == "A\\x1b[2J"
