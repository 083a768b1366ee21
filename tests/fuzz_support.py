"""Shared pieces of the fuzz tests (tests/test_fuzz_*.py): the cleanliness checker, the
Hypothesis settings, hostile fragments and byte-level mutation strategies.

What "clean" means is the contract of ``reader.sanitize``: no C0 control except tab and
newline, no DEL or C1 control (so no ESC and no 8-bit CSI/OSC introducer), no bidi
embedding/override/isolate (U+202A-202E, U+2066-2069), no lone surrogate. Stored URLs are
absolute http(s) without whitespace or control characters.

Example counts are sized so the default run of all fuzz files stays well under a minute on a
2-core machine; ``READER_FUZZ_SCALE=20`` (any number) multiplies every count for a deeper run.
"""

from __future__ import annotations

import gc
import os
import pickle
import re
import time
from collections.abc import Callable
from html.parser import HTMLParser
from pathlib import Path
from typing import Any

from hypothesis import HealthCheck, settings
from hypothesis import strategies as st

FUZZ_DIR = Path(__file__).parent / "fixtures" / "fuzz"
CRASH_DIR = FUZZ_DIR / "crashes"

_SCALE = float(os.environ.get("READER_FUZZ_SCALE", "1") or 1)

FUZZ = settings(
    deadline=None,  # time is checked as a function of input size, behind the slow marker
    database=None,  # no .hypothesis directory in the repository
    max_examples=100,
    suppress_health_check=[
        HealthCheck.too_slow,
        HealthCheck.data_too_large,
        HealthCheck.filter_too_much,
        HealthCheck.large_base_example,
    ],
)
"""Parent settings of every fuzz test: ``@settings(FUZZ, max_examples=examples(200))``."""


def examples(n: int) -> int:
    """``n`` examples, times ``READER_FUZZ_SCALE``."""
    return max(1, int(n * _SCALE))


# What the sanitizer promises never to let through.
_UNCLEAN = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069\ud800-\udfff]")
_URL_BAD = re.compile(r"[\s\x00-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069\ud800-\udfff]")


def assert_clean(text: object, where: str = "text") -> None:
    """``text`` (a str, None, or a nested list/tuple/dict of them) holds nothing unclean."""
    if text is None or isinstance(text, bool | int | float):
        return
    if isinstance(text, dict):
        for key, value in text.items():
            assert_clean(key, f"{where} key")
            assert_clean(value, f"{where}[{key!r}]")
        return
    if isinstance(text, list | tuple):
        for index, value in enumerate(text):
            assert_clean(value, f"{where}[{index}]")
        return
    assert isinstance(text, str), f"{where}: not a string: {type(text).__name__}"
    found = _UNCLEAN.search(text)
    assert found is None, (
        f"{where}: {found.group()!r} at {found.start()} in "
        f"{text[max(0, found.start() - 30) : found.end() + 30]!r}"
    )


def assert_http(url: str | None, where: str = "url") -> None:
    """``url`` is None or an absolute http(s) URL without whitespace or controls."""
    if url is None:
        return
    assert isinstance(url, str), f"{where}: not a string: {url!r}"
    assert url.lower().startswith(("http://", "https://")), f"{where}: {url[:120]!r}"
    found = _URL_BAD.search(url)
    assert found is None, f"{where}: {found.group()!r} in {url[:200]!r}"


def assert_feed_clean(feed: Any) -> None:
    """Every text and URL field of a ``ParsedFeed`` and its items; items survive pickling."""
    assert_clean(feed.title, "feed.title")
    assert_clean(feed.kind, "feed.kind")
    assert_clean(feed.version, "feed.version")
    assert_http(feed.link, "feed.link")
    assert_clean(feed.warnings, "feed.warnings")  # printed and sent as JSON by `reader add`
    for n, item in enumerate(feed.items):
        where = f"items[{n}]"
        assert isinstance(item.guid, str), f"{where}.guid: {item.guid!r}"
        for name in (
            "guid",
            "title",
            "author",
            "summary_html",
            "content_html",
            "published",
            "updated",
        ):
            assert_clean(getattr(item, name), f"{where}.{name}")
        assert "\n" not in item.title and "\t" not in item.title, f"{where}.title: {item.title!r}"
        assert_clean(item.categories, f"{where}.categories")
        assert_clean(item.flags, f"{where}.flags")
        assert_clean(item.extra, f"{where}.extra")
        assert_http(item.url, f"{where}.url")
        assert_http(item.comments_url, f"{where}.comments_url")
        assert item.comment_count is None or isinstance(item.comment_count, int)
        assert pickle.loads(pickle.dumps(item)) == item, f"{where} does not survive pickling"
    assert pickle.loads(pickle.dumps(feed.items)) == feed.items


# --- one checker per public function: used by the fuzz tests and by the crash replay ---------

FEED_URL = "https://fuzz.example/blog/feed.xml"
PAGE_URL = "https://fuzz.example/news/2024/article.html"
_SCHEME = re.compile(r"([a-zA-Z][a-zA-Z0-9+.-]*):")
_BROWSER_STRIP = "".join(map(chr, range(33)))


def check_feed(body: bytes, content_type: str | None = None, url: str = FEED_URL) -> None:
    """``parse_feed`` raises nothing but FeedError, and what it returns is clean."""
    from reader.sources.items import FeedError
    from reader.sources.parse import parse_feed

    try:
        feed = parse_feed(body, url, content_type)
    except FeedError as error:
        assert_clean(str(error), "FeedError message")
        return
    assert_feed_clean(feed)


def check_subscriptions(data: bytes) -> None:
    """OPML/urls import raises nothing but FeedError; URLs http(s), titles and tags clean."""
    from reader.sources.items import FeedError
    from reader.sources.opml import parse_subscriptions

    try:
        result = parse_subscriptions(data)
    except FeedError:
        return
    for n, sub in enumerate(result.subscriptions):
        assert sub.url, f"subscriptions[{n}] has no URL"
        assert_http(sub.url, f"subscriptions[{n}].url")
        assert_http(sub.site_url, f"subscriptions[{n}].site_url")
        assert_clean(sub.title, f"subscriptions[{n}].title")
        assert sub.title is None or "\n" not in sub.title
        assert_clean(sub.tags, f"subscriptions[{n}].tags")
    assert len({sub.url for sub in result.subscriptions}) == len(result.subscriptions)
    assert_clean(result.warnings, "warnings")  # printed and sent as JSON by `reader import`


class _UrlAttributes(HTMLParser):
    """Every URL-valued attribute, decoded the way an HTML5 parser decodes it."""

    NAMES = frozenset(
        {"href", "src", "action", "formaction", "poster", "background", "data", "xlink:href"}
    )

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.found: list[tuple[str, str, str]] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.found += [(tag, k, v) for k, v in attrs if k in self.NAMES and v is not None]

    handle_startendtag = handle_starttag


def url_attributes(markup: str) -> list[tuple[str, str, str]]:
    """(tag, attribute, value) of every URL attribute in ``markup`` (html.parser's reading)."""
    collector = _UrlAttributes()
    try:
        collector.feed(markup)
        collector.close()
    except AssertionError:  # html.parser gives up on some broken declarations
        pass
    return collector.found


def assert_body_urls_safe(markup: str | None, where: str = "html") -> None:
    """No URL attribute a browser would act on has a scheme other than http(s) or mailto.

    The value is read the way a browser reads it: references decoded, tabs and newlines
    removed, leading and trailing controls and spaces stripped.
    """
    if not markup:
        return
    for tag, name, value in url_attributes(markup):
        url = re.sub("[\t\n\r]", "", value).strip(_BROWSER_STRIP)
        scheme = _SCHEME.match(url)
        assert scheme is None or scheme.group(1).lower() in ("http", "https", "mailto"), (
            f"{where}: <{tag} {name}={value[:80]!r}> in {markup[:300]!r}"
        )


def check_clean_html(markup: str) -> str:
    """``clean_html`` output: clean text and no unsafe URL attribute."""
    from reader.sanitize import clean_html

    out = clean_html(markup)
    assert_clean(out, "clean_html")
    assert_body_urls_safe(out, "clean_html")
    return out


def check_page(body: bytes | str, url: str | None = PAGE_URL) -> None:
    """``extract_article``/``extract_text`` raise nothing; every field clean, links safe."""
    from reader.extract import extract_article, extract_text
    from reader.render.document import parse_document
    from reader.sanitize import SAFE_SCHEMES

    article = extract_article(body, url)
    for name in (
        "title",
        "author",
        "published",
        "updated",
        "site_name",
        "language",
        "markdown",
        "error",
    ):
        assert_clean(getattr(article, name), f"article.{name}")
    assert_clean(article.breadcrumb, "article.breadcrumb")
    assert_http(article.canonical_url, "article.canonical_url")
    for n, link in enumerate(article.related):
        assert_clean(link.title, f"related[{n}].title")
        assert_http(link.url, f"related[{n}].url")
    form = article.comment_form
    if form is not None:
        if form.action:  # "" means the page itself
            assert_http(form.action, "comment_form.action")
        assert_clean([form.method, form.fields, form.required, form.blocked_reason], "comment_form")
    for n, comment in enumerate(article.comments):
        assert_clean(
            [comment.id, comment.author, comment.date, comment.text, comment.parent],
            f"comments[{n}]",
        )
    for n, embed in enumerate(article.embeds):
        assert_clean([embed.kind, embed.author, embed.text], f"embeds[{n}]")
        assert_http(embed.url, f"embeds[{n}].url")
    for n, link in enumerate(article.links):  # numbered links: shown, and followed on request
        found = _URL_BAD.search(link)
        assert found is None, f"links[{n}]: {found.group()!r} in {link[:200]!r}"
        scheme = _SCHEME.match(link)
        if url is not None:
            assert scheme is not None, f"links[{n}] is not absolute: {link[:200]!r}"
        assert scheme is None or scheme.group(1).lower() in SAFE_SCHEMES, f"links[{n}]: {link!r}"
    for start, end in article.quotes:
        assert 0 <= start < end <= len(article.markdown)
    # The Markdown as the reading pane reads it: a Markdown link is a web or mail link.
    for block in parse_document(article.markdown):
        for _start, _end, href in block.links:
            assert href.lower().startswith(("http://", "https://", "mailto:")), href
    assert_clean(extract_text(body, url), "extract_text")


def check_markdown(markdown: str) -> None:
    """``parse_document``: clean text, spans inside it, links web or mail."""
    from reader.render.document import parse_document

    for n, block in enumerate(parse_document(markdown)):
        where = f"blocks[{n}]"
        assert_clean(block.text, f"{where}.text")
        assert_clean(block.bullet, f"{where}.bullet")
        for start, end, name in block.spans:
            assert 0 <= start < end <= len(block.text), f"{where}: span {start, end, name}"
        for start, end, href in block.links:
            assert 0 <= start <= end <= len(block.text), f"{where}: link {start, end}"
            assert href.lower().startswith(("http://", "https://", "mailto:")), f"{where}: {href!r}"
            assert _URL_BAD.search(href) is None, f"{where}: {href!r}"


def check_quotes(text: str) -> None:
    """``find_quotes``: sorted, non-overlapping spans inside the text, each from a quote mark;
    ``find_quote_tree`` agrees on the outermost ones."""
    from reader.render.quotes import QUOTE_MARKS, find_quote_tree, find_quotes

    spans = find_quotes(text)
    last = 0
    for start, end in spans:
        assert last <= start < end <= len(text), (spans, len(text))
        assert text[start] in QUOTE_MARKS, (start, text[start])
        last = end
    tree = find_quote_tree(text)
    assert [(q.start, q.end) for q in tree if q.depth == 0] == spans


def check_url(text: str) -> None:
    """``http_url`` gives None or absolute http(s) without whitespace or controls, with and
    without a base; ``safe_url`` only lets its schemes through."""
    from reader.sanitize import SAFE_SCHEMES, http_url, safe_url

    for base in (None, PAGE_URL, "https://h.example/a b/\u00a0/", "javascript:x"):
        assert_http(http_url(text, base), f"http_url(base={base!r})")
        shown = safe_url(text, base)
        if shown is not None:
            assert _URL_BAD.search(shown) is None, f"safe_url: {shown!r}"
            scheme = _SCHEME.match(shown)
            assert scheme is None or scheme.group(1).lower() in SAFE_SCHEMES, shown


# Hostile fragments, spliced into seeds: raw controls, escape sequences whole and cut,
# references that decode to them, bidi controls, bad URL schemes (also obfuscated), markup.
HOSTILE_TEXT = [
    "\x1b]0;TITLE\x07",
    "\x1b]52;c;ZXZpbA==\x07",
    "\x1b[2J",
    "\x1b[31m",
    "\x1bP+q\x1b\\",
    "\x1b",
    "\x1b]",
    "\x1b[",
    "\x9b2J",
    "\x9b",
    "\x9d0;x\x9c",
    "\x9d",
    "\x85",
    "\x7f",
    "\x00",
    "\x01",
    "\x08",
    "\x0b",
    "\x0c",
    "\r",
    "\r\n",
    "\t",
    "\n",
    "\u202e",
    "\u202a",
    "\u202c",
    "\u2066",
    "\u2069",
    "\u200f",
    "\ufeff",
    "\u2028",
    "\xa0",
    "\ud800",
    "\udfff",
    "\ud83d",
    "é",
    "日本",
    "\U0001f600",
    "\ufffd",
]
HOSTILE_MARKUP = [
    "&#xD800;",
    "&#xdfff;",
    "&#55296;",
    "&#27;",
    "&#x1b;]0;t&#x07;",
    "&#155;2J",
    "&#x9b;",
    "&#x202E;",
    "&#8238;",
    "&#x2066;",
    "&#0;",
    "&#x0;",
    "&#1114112;",
    "&#x110000;",
    "&#99999999999999;",
    "&#x;",
    "&#;",
    "&nbsp;",
    "&eacute;",
    "&amp;",
    "&",
    "&lt;",
    "<",
    ">",
    "<![CDATA[",
    "]]>",
    "<!--",
    "-->",
    "<b>",
    "</b>",
    "<p>",
    "</div>",
    "<br/>",
    '<a href="javascript:alert(1)">x</a>',
    '<a href="java&#x09;script:alert(1)">x</a>',
    '<a href=" JaVaScRiPt:x">',
    "<a href='data:text/html,x'>",
    "<img src=data:image/png,AA>",
    '<a href="file:///etc/passwd">',
    '<form action="javascript:x">',
    '<a href="//h.example/p">',
    '<a href="/rel?a=1&amp;b=2">',
    '<a href="mailto:a@b.example">',
    "<iframe src=vbscript:x>",
    "javascript:alert(1)",
    "java&#x09;script:alert(1)",
    "java\tscript:x",
    "data:text/html,x",
    "file:///etc/passwd",
    "https://ok.example/p",
    "//cdn.example/x",
    "/relative/path",
    "?q=1",
    "#frag",
    "http://[::1",
    "http://",
    "https://a.example:99999/",
    "\\\\host\\share",
]
HOSTILE_JSON = [  # escapes inside JSON strings
    "\\ud800",
    "\\udfff",
    "\\ud83d\\ude00",
    "\\u001b]0;t\\u0007",
    "\\u001b[2J",
    "\\u009b2J",
    "\\u202e",
    "\\u2066",
    "\\u0000",
    "\\u0085",
    "\\r\\n",
    '\\"',
    "\\\\",
]
# Character sets as a server or a document may declare them: real ones, and names Python
# knows as codecs that are not character sets at all.
CHARSETS = [
    "utf-8",
    "UTF-8",
    "iso-8859-1",
    "windows-1252",
    "utf-16",
    "utf-16-be",
    "utf-32",
    "utf-7",
    "shift_jis",
    "gb18030",
    "koi8-r",
    "cp037",
    "x-user-defined",
    "bogus",
    "punycode",
    "idna",
    "undefined",
    "unicode_escape",
    "raw_unicode_escape",
    "rot13",
    "base64",
    "hex",
    "zlib",
    "uu",
]
HOSTILE_DECLARATIONS = [
    *(f'<?xml version="1.0" encoding="{name}"?>' for name in CHARSETS),
    *(f'<meta charset="{name}">' for name in CHARSETS),
]
HOSTILE = HOSTILE_TEXT + HOSTILE_MARKUP + HOSTILE_JSON + HOSTILE_DECLARATIONS

hostile_text = st.lists(
    st.one_of(st.sampled_from(HOSTILE_TEXT), st.text(max_size=8)), max_size=12
).map("".join)
"""Short strings dense with controls, escapes, bidi and surrogates."""

any_text = st.text(alphabet=st.characters(codec=None), max_size=300)
"""Any code points at all, lone surrogates included."""


def repeated(unit: str | bytes) -> Callable[[int], str | bytes]:
    """Input of any size: ``unit`` repeated and cut to length."""
    return lambda size: (unit * (size // len(unit) + 1))[:size]


def assert_scales_linearly(
    run: Callable[[Any], object],
    make: Callable[[int], Any],
    size: int = 20_000,
    factor: int = 10,
    budget: float = 30.0,
) -> None:
    """``run(make(factor * size))`` takes at most ``budget`` times ``run(make(size))``.

    Time as a property of input size, not a wall-clock limit: a linear function gives a ratio
    near ``factor``, a quadratic one near ``factor ** 2``. Best of three, the garbage collector
    paused, plus 50 ms of slack for timer noise on a busy machine. For ``@pytest.mark.slow``
    tests only.
    """

    def timed(data: object) -> float:
        best = float("inf")
        for _ in range(3):
            gc.collect()
            gc.disable()
            try:
                start = time.perf_counter()
                run(data)
                best = min(best, time.perf_counter() - start)
            finally:
                gc.enable()
        return best

    small, large = make(size), make(size * factor)
    timed(small)  # warm up (imports, caches)
    t_small, t_large = timed(small), timed(large)
    assert t_large <= budget * t_small + 0.05, (
        f"{factor}x the input took {t_large / max(t_small, 1e-9):.0f}x the time "
        f"({t_small * 1000:.1f} ms -> {t_large * 1000:.1f} ms)"
    )


def seed(name: str) -> bytes:
    return (FUZZ_DIR / name).read_bytes()


_OPS = ["flip", "insert", "insert", "delete", "truncate", "splice", "repeat", "nest", "brackets"]


@st.composite
def mutated(draw: st.DrawFn, seeds: list[bytes], inserts: list[str] = HOSTILE) -> bytes:
    """A seed after a few byte flips, truncations, splices, hostile insertions or blow-ups."""
    data = bytearray(draw(st.sampled_from(seeds)))
    for _ in range(draw(st.integers(0, 6))):
        op = draw(st.sampled_from(_OPS))
        at = draw(st.integers(0, len(data)))
        if op == "flip" and data:
            at = min(at, len(data) - 1)
            data[at] = draw(st.integers(0, 255))
        elif op == "insert":
            fragment = draw(st.sampled_from(inserts))
            data[at:at] = fragment.encode("utf-8", "surrogatepass")
        elif op == "delete":
            del data[at : at + draw(st.integers(1, 64))]
        elif op == "truncate":
            del data[at:]
        elif op == "splice":
            other = draw(st.sampled_from(seeds))
            start = draw(st.integers(0, len(other)))
            data[at:at] = other[start : start + draw(st.integers(1, 400))]
        elif op == "repeat":
            chunk = bytes(data[at : at + draw(st.integers(1, 80))])
            data[at:at] = chunk * draw(st.integers(2, 60))
        elif op == "nest":
            tag = draw(
                st.sampled_from(
                    [
                        b"div",
                        b"p",
                        b"b",
                        b"item",
                        b"entry",
                        b"outline",
                        b"blockquote",
                        b"q",
                        b"a",
                        b"ul",
                    ]
                )
            )
            depth = draw(st.integers(10, 400))
            data[at:at] = (b"<" + tag + b">") * depth
        elif op == "brackets":  # deep JSON
            data[at:at] = draw(st.sampled_from([b"[", b'{"a":', b'{"items":['])) * draw(
                st.integers(10, 3000)
            )
    return bytes(data)
