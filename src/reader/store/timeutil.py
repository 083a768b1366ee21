"""UTC timestamps as ISO 8601 text, the one date format the store uses (it sorts as text)."""

from __future__ import annotations

from datetime import UTC, datetime


def now_iso() -> str:
    """The current time in UTC, to the second."""
    return datetime.now(UTC).replace(microsecond=0).isoformat()


def normalize_iso(value: str | None) -> str | None:
    """Turn any ISO 8601 string into UTC ``YYYY-MM-DDTHH:MM:SS+00:00`` (None if unparsable)."""
    if not value:
        return None
    try:
        parsed = datetime.fromisoformat(value.replace("Z", "+00:00"))
    except ValueError:
        return None
    if parsed.tzinfo is None:
        parsed = parsed.replace(tzinfo=UTC)
    return parsed.astimezone(UTC).replace(microsecond=0).isoformat()
