"""Related posts that are not cached yet: the ``related_remote`` table (migration 6).

One row per canonical URL: what a source said about the post (title, date) and how fetching it
went. The rules that decide a row's state and backoff live in ``related/remote.py``; this module
only reads and writes rows, with the URLs it is given (already canonical).
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from enum import StrEnum

from reader.store.db import Database
from reader.store.timeutil import now_iso

_COLUMNS = "url, title, published, state, attempts, last_error, next_try"
_CHUNK = 400
"""URLs per ``IN (...)`` list (SQLite allows 999 parameters in older builds)."""


class RemoteState(StrEnum):
    """Where fetching an uncached related post stands (``related/remote.py`` has the rules)."""

    KNOWN = "known"
    """Seen, never tried."""
    QUEUED = "queued"
    """The last try failed for a reason that may pass; tried again after its backoff."""
    MISSING = "missing"
    """The server said 404/410: never tried again."""
    FAILED = "failed"
    """Another permanent answer, or too many tries: never tried again."""
    FETCHED = "fetched"
    """Stored as an article."""


@dataclass(frozen=True)
class RemotePost:
    """What ``related_remote`` holds about one uncached post."""

    url: str
    title: str = ""
    published: str | None = None
    state: RemoteState = RemoteState.KNOWN
    attempts: int = 0
    last_error: str | None = None
    next_try: str | None = None


def _post(row: Sequence) -> RemotePost:
    url, title, published, state, attempts, last_error, next_try = row
    return RemotePost(url, title, published, RemoteState(state), attempts, last_error, next_try)


class RemotePosts:
    """The ``related_remote`` table."""

    def __init__(self, db: Database) -> None:
        self.db = db

    def remember(self, rows: Iterable[tuple[str, str, str | None]]) -> None:
        """Add (url, title, date) rows; a known row keeps its state, gains a title or a date."""
        stamp = now_iso()
        values = [(url, title, published, stamp) for url, title, published in rows]
        if not values:
            return
        with self.db.transaction() as conn:
            conn.executemany(
                "INSERT INTO related_remote (url, title, published, updated_at)"
                " VALUES (?, ?, ?, ?)"
                " ON CONFLICT(url) DO UPDATE SET"
                " title = CASE WHEN excluded.title != '' THEN excluded.title ELSE title END,"
                " published = coalesce(excluded.published, published)",
                values,
            )

    def lookup(self, urls: Sequence[str]) -> dict[str, RemotePost]:
        """The rows of these URLs, keyed by URL (unknown URLs are left out)."""
        found: dict[str, RemotePost] = {}
        for start in range(0, len(urls), _CHUNK):
            chunk = tuple(urls[start : start + _CHUNK])
            marks = ", ".join("?" for _ in chunk)
            for row in self.db.query(
                f"SELECT {_COLUMNS} FROM related_remote WHERE url IN ({marks})", chunk
            ):
                found[row["url"]] = _post(row)
        return found

    def attempts(self, url: str) -> int:
        """How many fetches of this post failed so far (0 for an unknown URL)."""
        row = self.db.query_one("SELECT attempts FROM related_remote WHERE url = ?", (url,))
        return row[0] if row else 0

    def set_outcome(
        self, url: str, state: RemoteState, attempts: int, error: str | None, next_try: str | None
    ) -> None:
        """Record the result of a failed fetch: its state, attempt count, error and next try."""
        self.db.execute(
            "UPDATE related_remote SET state = ?, attempts = ?, last_error = ?, next_try = ?,"
            " updated_at = ? WHERE url = ?",
            (state, attempts, error, next_try, now_iso(), url),
        )

    def mark_queued(self, url: str, reason: str) -> None:
        """Queue a known or queued post, due at once (missing/failed/fetched rows are kept)."""
        self.db.execute(
            "UPDATE related_remote SET state = ?, last_error = ?, updated_at = ?"
            " WHERE url = ? AND state IN (?, ?)",
            (RemoteState.QUEUED, reason, now_iso(), url, RemoteState.KNOWN, RemoteState.QUEUED),
        )

    def mark_fetched(self, url: str) -> None:
        """The post is stored as an article now: no error, no next try."""
        self.db.execute(
            "UPDATE related_remote SET state = ?, last_error = NULL, next_try = NULL,"
            " updated_at = ? WHERE url = ?",
            (RemoteState.FETCHED, now_iso(), url),
        )

    def due(self, max_attempts: int, limit: int, now: str | None = None) -> list[RemotePost]:
        """Queued posts with fewer than ``max_attempts`` tries whose next try has come,
        the longest-waiting first."""
        rows = self.db.query(
            f"SELECT {_COLUMNS} FROM related_remote WHERE state = ? AND attempts < ?"
            " AND (next_try IS NULL OR next_try <= ?) ORDER BY updated_at LIMIT ?",
            (RemoteState.QUEUED, max_attempts, now or now_iso(), limit),
        )
        return [_post(row) for row in rows]
