"""Property tests for feed parsing and subscription import, on arbitrary and mutated input.

Properties of ``reader.sources.parse.parse_feed(body, url, content_type)``: no exception but
``FeedError`` escapes; every text field of the result (feed title, item title, author, guid,
categories, bodies, extra data) is clean (tests/fuzz_support.py ``assert_clean``); every URL
(feed link, item url, comments_url) is None or absolute http(s); items survive pickling (the
refresh parses in another process). Of ``reader.sources.opml.parse_subscriptions``: only
``FeedError`` escapes, subscription and site URLs are http(s), titles and tags are clean.

Inputs: arbitrary bytes, and the hostile seeds in tests/fixtures/fuzz/ (RSS 2.0, RSS 1.0, Atom,
JSON Feed, a broken RSS, OPML, a newsboat urls file) after byte flips, truncation, splicing,
insertion of escape sequences, surrogate references, bidi controls and bad URLs, and deep nesting.
"""

from __future__ import annotations

from collections.abc import Callable

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from reader.sources.opml import parse_subscriptions
from reader.sources.parse import FeedError, parse_feed
from tests.fuzz_support import (
    CHARSETS,
    FEED_URL,
    FUZZ,
    assert_scales_linearly,
    check_feed,
    check_subscriptions,
    examples,
    mutated,
    seed,
)

FEED_SEEDS = [
    seed(name)
    for name in (
        "rss20_hostile.xml",
        "rss20_raw_controls.xml",
        "rss20_broken.xml",
        "rdf10_hostile.rdf",
        "atom10_hostile.xml",
        "feed11_hostile.json",
    )
]
SUBSCRIPTION_SEEDS = [seed("subscriptions_hostile.opml"), seed("newsboat_hostile_urls")]
CONTENT_TYPES = st.one_of(
    st.sampled_from([None, "application/rss+xml", "application/json", "text/html"]),
    st.sampled_from(CHARSETS).map(lambda name: f"application/xml; charset={name}"),
)


@pytest.mark.parametrize("body", FEED_SEEDS, ids=range(len(FEED_SEEDS)))
def test_hostile_seeds_parse_clean(body: bytes) -> None:
    """Each seed as written is a readable feed (so mutations start from real documents)."""
    feed = parse_feed(body, FEED_URL)
    assert feed.items
    check_feed(body)


@settings(FUZZ, max_examples=examples(300))
@given(st.binary(max_size=600), CONTENT_TYPES)
def test_arbitrary_bytes(body: bytes, content_type: str | None) -> None:
    check_feed(body, content_type)


@settings(FUZZ, max_examples=examples(1000))
@given(mutated(FEED_SEEDS), CONTENT_TYPES)
def test_mutated_feeds(body: bytes, content_type: str | None) -> None:
    check_feed(body, content_type)


@settings(FUZZ, max_examples=examples(150))
@given(st.lists(st.sampled_from(FEED_SEEDS), min_size=2, max_size=4), st.data())
def test_spliced_feeds(parts: list[bytes], data: st.DataObject) -> None:
    """Pieces of different formats glued together (an RSS head on an Atom tail, ...)."""
    body = b"".join(p[: data.draw(st.integers(0, len(p)))] for p in parts[:-1]) + parts[-1]
    check_feed(body)


@settings(FUZZ, max_examples=examples(400))
@given(st.one_of(mutated(SUBSCRIPTION_SEEDS), st.binary(max_size=400)))
def test_subscription_import(data: bytes) -> None:
    check_subscriptions(data)


def _feed_of(unit: str) -> Callable[[int], bytes]:
    """An RSS feed of ``n`` items, each with ``unit`` as title and description."""
    item = "<item><title>{0}</title><guid>{1}</guid><description>{0}</description></item>"
    return lambda n: (
        "<rss version='2.0'><channel><title>t</title>"
        + "".join(item.format(unit, i) for i in range(n))
        + "</channel></rss>"
    ).encode("utf-8", "surrogatepass")


@pytest.mark.slow
@pytest.mark.parametrize(
    "unit",
    [
        "&#x1b;]0;x&#x07; &#xD800; &#x202e; &lt;a href=&quot;java&amp;#x09;script:x&quot;&gt;",
        "\x1b]" + "x" * 200,
        "<b>" * 50,
    ],
    ids=["references", "osc", "markup"],
)
def test_feed_parse_time_is_linear_in_size(unit: str) -> None:
    def run(body: bytes) -> None:
        try:
            parse_feed(body, FEED_URL)
        except FeedError:
            pass

    assert_scales_linearly(run, _feed_of(unit), size=30, factor=10)


@pytest.mark.slow
def test_opml_import_time_is_linear_in_size() -> None:
    outline = '<outline text="&#x1b;[1mT &#xD800;" xmlUrl="https://f.example/{}" category="a,b/c"/>'

    def make(n: int) -> bytes:
        body = "".join(outline.format(i) for i in range(n))
        return f"<opml version='2.0'><body>{body}</body></opml>".encode()

    assert_scales_linearly(parse_subscriptions, make, size=200, factor=10)
