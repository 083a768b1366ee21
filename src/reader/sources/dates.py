"""Feed dates to UTC ISO 8601, cheaply for the common forms and tolerantly for the rest.

RSS uses RFC 822 dates and Atom/JSON Feed use RFC 3339; both have fast stdlib parsers. The odd
formats seen in the wild (W3C-DTF without time, Korean/Greek month names, missing zones) fall back
to feedparser's date handlers, imported only when needed because feedparser is slow to import.
"""

from __future__ import annotations

import email.utils
from datetime import UTC, datetime, timedelta

FUTURE_SLACK = timedelta(days=1)
"""A date further ahead than this is treated as wrong (clock or time-zone bugs, or spam)."""


def parse_date(value: str | None) -> datetime | None:
    """A timezone-aware UTC datetime, or None when ``value`` is empty or unreadable."""
    if not value:
        return None
    value = value.strip()
    if not value:
        return None
    parsed: datetime | None = None
    if value[:4].isdigit():
        try:
            parsed = datetime.fromisoformat(value)
        except ValueError:
            parsed = None
    if parsed is None:
        try:
            parsed = email.utils.parsedate_to_datetime(value)
        except (TypeError, ValueError, IndexError, OverflowError):
            parsed = None
    if parsed is None:
        parsed = _slow_parse(value)
    if parsed is None:
        return None
    if parsed.tzinfo is None:
        parsed = parsed.replace(tzinfo=UTC)
    try:
        return parsed.astimezone(UTC)
    except (OverflowError, ValueError):
        return None


def _slow_parse(value: str) -> datetime | None:
    try:
        from feedparser.datetimes import _parse_date
    except ImportError:  # pragma: no cover
        return None
    try:
        struct = _parse_date(value)
    except Exception:
        return None
    if not struct:
        return None
    try:
        return datetime(*struct[:6], tzinfo=UTC)
    except (ValueError, OverflowError):
        return None


def iso(dt: datetime | None) -> str | None:
    """``YYYY-MM-DDTHH:MM:SS+00:00`` (the store's format) or None."""
    return None if dt is None else dt.replace(microsecond=0).isoformat()


def checked_date(value: str | None, now: datetime, flags: list[str], name: str) -> str | None:
    """Parse ``value``; a date too far in the future becomes None plus a ``future-date`` flag."""
    parsed = parse_date(value)
    if parsed is not None and parsed > now + FUTURE_SLACK:
        flags.append(f"future-{name}")
        return None
    return iso(parsed)
