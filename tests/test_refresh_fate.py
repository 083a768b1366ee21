"""The refresh's HTTP rules as a pure function: every case without a server.

The end-to-end tests (tests/test_refresh.py, real servers) keep checking that the rules are
carried out; these pin the rules themselves.
"""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, datetime, timedelta

import pytest

from reader.net.client import FetchResult
from reader.refresh.fate import (
    DEFAULT_BACKOFF,
    Verdict,
    after_parse_error,
    decide,
    skip_reason,
)
from reader.store import Feed

NOW = datetime(2026, 12, 2, 12, 0, tzinfo=UTC)
FEED = Feed(
    id=1,
    url="https://news.test/feed",
    title="News",
    site_url=None,
    kind="feed",
    etag='"old"',
    last_modified="Mon, 01 Dec 2026 10:00:00 GMT",
)


def answer(status: int | None, **kw: object) -> FetchResult:
    return FetchResult(url=FEED.url, status=status, final_url=FEED.url, **kw)  # type: ignore[arg-type]


def test_a_body_is_parsed_with_the_success_columns_and_new_validators() -> None:
    fate = decide(
        FEED, answer(200, headers={"etag": '"new"'}, body=b"<rss/>"), now=NOW, moved_url_free=True
    )
    assert fate.verdict is Verdict.PARSE and fate.error is None
    assert fate.values["etag"] == '"new"'
    assert fate.values["last_modified"] == FEED.last_modified  # not sent: kept
    assert fate.values["last_error"] is None and fate.values["retry_after"] is None
    assert fate.values["last_success"] == fate.values["last_checked"] == NOW.isoformat()


def test_a_304_keeps_the_items_and_the_validators_it_omits() -> None:
    fate = decide(FEED, answer(304), now=NOW, moved_url_free=True)
    assert fate.verdict is Verdict.NOT_MODIFIED
    assert (fate.values["etag"], fate.values["last_modified"]) == (FEED.etag, FEED.last_modified)
    assert fate.values["last_error"] is None


def test_a_410_retires_the_feed() -> None:
    fate = decide(FEED, answer(410, error="HTTP 410 Gone"), now=NOW, moved_url_free=True)
    assert fate.verdict is Verdict.GONE and fate.values["gone"] is True
    assert fate.values["last_error"] == fate.error == "HTTP 410 Gone"


@pytest.mark.parametrize("status", [429, 503])
def test_too_many_requests_waits_for_retry_after_or_the_default(status: int) -> None:
    told = decide(
        FEED,
        answer(status, retry_after=120.0, error=f"HTTP {status}"),
        now=NOW,
        moved_url_free=True,
    )
    assert told.verdict is Verdict.BACKOFF
    assert told.values["retry_after"] == (NOW + timedelta(seconds=120)).isoformat()
    untold = decide(FEED, answer(status, error=f"HTTP {status}"), now=NOW, moved_url_free=True)
    assert untold.values["retry_after"] == (NOW + DEFAULT_BACKOFF).isoformat()


def test_other_failures_are_the_feeds_error() -> None:
    fate = decide(FEED, answer(None, error="connection refused"), now=NOW, moved_url_free=True)
    assert fate.verdict is Verdict.ERROR and fate.values["last_error"] == "connection refused"
    fate = decide(FEED, answer(500), now=NOW, moved_url_free=True)
    assert fate.error == "HTTP 500"


def test_a_permanent_redirect_moves_the_url_unless_another_feed_has_it() -> None:
    moved = answer(200, permanent_url="https://news.test/new-feed", body=b"x")
    fate = decide(FEED, moved, now=NOW, moved_url_free=True)
    assert fate.values["url"] == fate.moved_to == "https://news.test/new-feed"
    taken = decide(FEED, moved, now=NOW, moved_url_free=False)
    assert "url" not in taken.values and taken.moved_to is None
    same = decide(FEED, replace(moved, permanent_url=FEED.url), now=NOW, moved_url_free=True)
    assert "url" not in same.values


def test_a_parse_error_keeps_only_what_describes_the_fetch() -> None:
    fate = decide(
        FEED,
        answer(200, permanent_url="https://n.test/f", body=b"<html>"),
        now=NOW,
        moved_url_free=True,
    )
    values = after_parse_error(fate.values, "not a feed (HTML page)")
    assert values == {
        "last_checked": NOW.isoformat(),
        "last_status": 200,
        "url": "https://n.test/f",
        "last_error": "not a feed (HTML page)",
    }


def test_skips() -> None:
    assert skip_reason(replace(FEED, gone=True), NOW) == "gone (HTTP 410); not fetched again"
    later = (NOW + timedelta(minutes=5)).isoformat()
    assert "wait until 2026-12-02 12:05 UTC" in (
        skip_reason(replace(FEED, retry_after=later), NOW) or ""
    )
    earlier = (NOW - timedelta(minutes=5)).isoformat()
    assert skip_reason(replace(FEED, retry_after=earlier), NOW) is None
    assert skip_reason(replace(FEED, retry_after="2026-12-02T12:05:00"), NOW) is not None  # naive
    assert skip_reason(replace(FEED, retry_after="not a time"), NOW) is None
