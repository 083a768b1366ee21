"""What a refresh does with a feed, decided from plain values: no I/O, no clock, no store.

The HTTP rules in one place, so they can be read and unit-tested without a server:

- a 304 keeps the stored items and clears the error; validators the 304 omits are kept;
- a permanent redirect (every hop 301/308) moves the stored URL, unless another subscription
  already has that URL;
- 410 retires the feed (later runs skip it);
- 429/503 wait until Retry-After (the header, else ``DEFAULT_BACKOFF``); later runs skip the
  feed until then;
- any other failure is the feed's error; a 2xx body goes on to be parsed, and the success
  columns are written together with its items.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from enum import StrEnum
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from reader.net.client import FetchResult
    from reader.store import Feed

DEFAULT_BACKOFF = timedelta(minutes=30)


class Verdict(StrEnum):
    """The five ways a fetched feed can go."""

    PARSE = "parse"
    NOT_MODIFIED = "not-modified"
    GONE = "gone"
    BACKOFF = "backoff"
    ERROR = "error"


@dataclass(frozen=True, slots=True)
class Fate:
    """The verdict, the feed-row columns to write, and what to tell the user."""

    verdict: Verdict
    values: dict[str, Any] = field(default_factory=dict)
    error: str | None = None
    moved_to: str | None = None


def skip_reason(feed: Feed, now: datetime) -> str | None:
    """Why ``feed`` is not fetched this time (gone, or a Retry-After still running)."""
    if feed.gone:
        return "gone (HTTP 410); not fetched again"
    if not feed.retry_after:
        return None
    try:
        until = datetime.fromisoformat(feed.retry_after)
    except ValueError:
        return None  # an unreadable time never blocks a feed
    if until.tzinfo is None:
        until = until.replace(tzinfo=UTC)
    if until > now:
        return f"server asked to wait until {until:%Y-%m-%d %H:%M} UTC"
    return None


def not_due(feed: Feed, now: datetime, interval: float | None) -> float | None:
    """Minutes since ``feed`` was checked, when that is less than its ``interval`` (minutes):
    the refresh leaves it alone. None: due (no interval, never checked, an unreadable time, or
    a check "in the future" after the clock moved back)."""
    if not interval or not feed.last_checked:
        return None
    try:
        checked = datetime.fromisoformat(feed.last_checked)
    except ValueError:
        return None
    if checked.tzinfo is None:
        checked = checked.replace(tzinfo=UTC)
    ago = (now - checked).total_seconds() / 60
    return ago if 0 <= ago < interval else None


def decide(feed: Feed, result: FetchResult, *, now: datetime, moved_url_free: bool) -> Fate:
    """The fate of ``feed`` after ``result``; ``moved_url_free``: no other feed has the new URL.

    For ``Verdict.PARSE`` the values are those of a successful parse (the caller writes them
    with the items, or replaces them with the parse error).
    """
    stamp = now.isoformat()
    values: dict[str, Any] = {"last_checked": stamp, "last_status": result.status}
    moved_to = None
    if result.permanent_url and result.permanent_url != feed.url and moved_url_free:
        values["url"] = moved_to = result.permanent_url
    validators = {
        "etag": result.etag or feed.etag,
        "last_modified": result.last_modified or feed.last_modified,
    }
    if result.not_modified:
        values.update(last_error=None, last_success=stamp, retry_after=None, **validators)
        return Fate(Verdict.NOT_MODIFIED, values, moved_to=moved_to)
    if result.gone:
        values.update(gone=True, last_error=result.error)
        return Fate(Verdict.GONE, values, result.error, moved_to)
    if result.status in (429, 503):
        wait = (
            timedelta(seconds=result.retry_after)
            if result.retry_after is not None
            else DEFAULT_BACKOFF
        )
        values.update(retry_after=(now + wait).isoformat(), last_error=result.error)
        return Fate(Verdict.BACKOFF, values, result.error, moved_to)
    if not result.ok:
        error = result.error or f"HTTP {result.status}"
        values.update(last_error=error)
        return Fate(Verdict.ERROR, values, error, moved_to)
    values.update(last_error=None, last_success=stamp, retry_after=None, **validators)
    return Fate(Verdict.PARSE, values, moved_to=moved_to)


def after_parse_error(values: dict[str, Any], error: str) -> dict[str, Any]:
    """The columns to write when the body was not a usable feed: what describes this fetch
    (time, status, a moved URL) and the error; not the success columns, not new validators
    (the next fetch must not get a 304 for a body we could not read)."""
    kept = {k: v for k, v in values.items() if k in ("last_checked", "last_status", "url")}
    return {**kept, "last_error": error}
