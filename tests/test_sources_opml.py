"""reader.sources.opml: OPML 1/2 and newsboat urls import, OPML export, lossless round trips."""

from __future__ import annotations

from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from reader.sources.items import FeedError
from reader.sources.opml import (
    Subscription,
    parse_newsboat_urls,
    parse_opml,
    parse_subscriptions,
    write_newsboat_urls,
    write_opml,
)

FIXTURES = Path(__file__).parent / "fixtures" / "feeds"


def test_opml1_folders_become_tags():
    result = parse_opml((FIXTURES / "subscriptions_opml1.xml").read_bytes())
    assert result.subscriptions == [
        Subscription(
            "https://harbour.example/feed/", "Harbour Notes", ("News",), "https://harbour.example/"
        ),
        Subscription("https://cafe.example/rss", "Café Gazette", ("News", "Local")),
        Subscription("https://loose.example/atom.xml", "Loose feed", ()),
    ]
    assert result.warnings == ["duplicate feed skipped: https://loose.example/atom.xml"]


def test_opml2_categories_and_titles():
    subs = parse_opml((FIXTURES / "subscriptions_opml2.xml").read_bytes()).subscriptions
    assert subs[0] == Subscription(
        "https://kettle.example/feed.json",
        "Copper Kettle",
        ("Tech", "tea", "habits"),
        "https://kettle.example/",
    )
    assert subs[1].tags == ("Nature", "Insects") and subs[1].title == "Meadow"


def test_newsboat_urls_tags_titles_comments_and_skips():
    result = parse_newsboat_urls((FIXTURES / "newsboat_urls").read_text())
    assert result.subscriptions == [
        Subscription("https://harbour.example/feed/", "Harbour Notes", ("news", "local")),
        Subscription("https://kettle.example/feed.json", None, ("tea time", "habits")),
        Subscription("https://meadow.example/blog/atom.xml", None, ()),
    ]
    assert result.warnings == [
        "line 5: query: feeds are not supported; skipped",
        "line 6: exec: feeds are not supported; skipped",
        "line 7: duplicate feed skipped: https://harbour.example/feed/",
        "line 8: not an http(s) URL; skipped",
    ]


def test_format_is_detected_by_content():
    assert parse_subscriptions((FIXTURES / "newsboat_urls").read_bytes()).subscriptions
    assert parse_subscriptions((FIXTURES / "subscriptions_opml2.xml").read_bytes()).subscriptions
    with pytest.raises(FeedError, match="not an OPML file"):
        parse_subscriptions(b"<rss version='2.0'/>")


def test_export_is_opml2_and_reimports_identically():
    subs = parse_opml((FIXTURES / "subscriptions_opml1.xml").read_bytes()).subscriptions
    text = write_opml(subs)
    assert '<opml version="2.0">' in text
    assert parse_opml(text.encode()).subscriptions == subs


_word = (
    st.text(
        st.characters(
            codec="utf-8",
            exclude_categories=("Cc", "Cs", "Zl", "Zp", "Cf"),
            exclude_characters=",/",
        ),
        min_size=1,
        max_size=12,
    )
    .map(lambda s: " ".join(s.split()))
    .filter(bool)
)
_subs = st.lists(
    st.builds(
        Subscription,
        url=st.integers(0, 10_000).map(lambda n: f"https://site{n}.example/feed?a=1&b=<{n}>"),
        title=st.none() | _word,
        tags=st.lists(_word, max_size=3, unique=True).map(tuple),
        site_url=st.none() | st.just("https://site.example/"),
    ),
    max_size=8,
    unique_by=lambda s: s.url,
)


@settings(max_examples=60, deadline=None)
@given(_subs)
def test_opml_round_trip_is_lossless(subs):
    assert parse_opml(write_opml(subs).encode()).subscriptions == subs


@settings(max_examples=60, deadline=None)
@given(_subs)
def test_newsboat_round_trip_is_lossless(subs):
    plain = [
        Subscription(s.url, s.title, tuple(t for t in s.tags if not t.startswith(("~", "!"))))
        for s in subs
    ]
    text = write_newsboat_urls(plain)
    assert parse_newsboat_urls(text).subscriptions == plain
