"""Related posts that are not cached yet: what we know about them and their fetch queue.

One row per canonical URL in ``related_remote`` (migration 6). A source that learns a post's
date (WordPress REST, Jetpack) records it here so the sidebar can show it before the page is
cached; prefetch records its outcome here so nothing is fetched in a loop:

- ``known``: seen, never tried.
- ``queued``: the last try failed for a reason that may pass (offline, timeout, 5xx, 429);
  retried after ``next_try`` with exponential backoff, at most ``MAX_ATTEMPTS`` times.
- ``missing``: the server said 404/410: never retried (a clear state in the sidebar).
- ``failed``: another permanent answer (other 4xx, not HTML, too many attempts).
- ``fetched``: stored as an article (kept so a deleted article is not fetched again at once).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from reader.related.urls import canonical_url
from reader.sanitize import clean_line, http_url
from reader.store import Store

MAX_ATTEMPTS = 6
BASE_BACKOFF = timedelta(minutes=2)
MAX_BACKOFF = timedelta(hours=12)
RETRYABLE = frozenset({"known", "queued"})


@dataclass(frozen=True)
class RemotePost:
    """What ``related_remote`` holds about one uncached post."""

    url: str
    title: str = ""
    published: str | None = None
    state: str = "known"
    attempts: int = 0
    last_error: str | None = None
    next_try: str | None = None


def _now() -> datetime:
    return datetime.now(UTC).replace(microsecond=0)


def remember(store: Store, posts: Iterable[tuple[str, str, str | None]]) -> None:
    """Record (url, title, date) of posts a source named; keeps states and better data."""
    rows = [  # titles and URLs from other sites: cleaned at the door like feed items
        (canonical_url(checked), clean_line(title), date, _now().isoformat())
        for url, title, date in posts if (checked := http_url(url))
    ]
    if not rows:
        return
    with store.db.transaction() as conn:
        conn.executemany(
            "INSERT INTO related_remote (url, title, published, updated_at) VALUES (?, ?, ?, ?)"
            " ON CONFLICT(url) DO UPDATE SET"
            " title = CASE WHEN excluded.title != '' THEN excluded.title ELSE title END,"
            " published = coalesce(excluded.published, published)",
            rows,
        )


def lookup(store: Store, urls: Iterable[str]) -> dict[str, RemotePost]:
    """Known rows for these URLs (canonical form), keyed by canonical URL."""
    wanted = list(dict.fromkeys(canonical_url(u) for u in urls))
    found: dict[str, RemotePost] = {}
    for start in range(0, len(wanted), 400):
        chunk = wanted[start : start + 400]
        marks = ", ".join("?" for _ in chunk)
        for row in store.db.query(
            "SELECT url, title, published, state, attempts, last_error, next_try"
            f" FROM related_remote WHERE url IN ({marks})",
            tuple(chunk),
        ):
            found[row["url"]] = RemotePost(*tuple(row))
    return found


def due(
    post: RemotePost | None, now: datetime | None = None, *, ignore_backoff: bool = False
) -> bool:
    """Whether prefetch may try this post now (never for missing/failed, backoff for queued)."""
    if post is None:
        return True
    if post.state not in RETRYABLE or post.attempts >= MAX_ATTEMPTS:
        return False
    if post.next_try and not ignore_backoff:
        try:
            return datetime.fromisoformat(post.next_try) <= (now or _now())
        except ValueError:
            return True
    return True


def record_failure(
    store: Store,
    url: str,
    error: str,
    *,
    permanent: bool,
    missing: bool = False,
    offline: bool = False,
) -> str:
    """Store a failed try; return the new state (queued, missing or failed).

    ``offline`` (no HTTP answer at all) says nothing about the post, so it never ends in
    ``failed``: the attempt count stops just below ``MAX_ATTEMPTS``, which keeps the backoff
    at its longest step (about half an hour) until the network is back.
    """
    key = canonical_url(url)
    remember(store, [(key, "", None)])
    row = store.db.query_one("SELECT attempts FROM related_remote WHERE url = ?", (key,))
    attempts = (row[0] if row else 0) + 1
    if offline:
        attempts = min(attempts, MAX_ATTEMPTS - 1)
    if missing:
        state = "missing"
    elif permanent or attempts >= MAX_ATTEMPTS:
        state = "failed"
    else:
        state = "queued"
    wait = min(BASE_BACKOFF * (2 ** max(0, attempts - 1)), MAX_BACKOFF)
    store.db.execute(
        "UPDATE related_remote SET state = ?, attempts = ?, last_error = ?, next_try = ?,"
        " updated_at = ? WHERE url = ?",
        (
            state,
            attempts,
            error,
            (_now() + wait).isoformat() if state == "queued" else None,
            _now().isoformat(),
            key,
        ),
    )
    return state


def mark_queued(store: Store, url: str, reason: str) -> None:
    """Queue a post for when the network is back (no attempt counted, due at once)."""
    key = canonical_url(url)
    remember(store, [(key, "", None)])
    store.db.execute(
        "UPDATE related_remote SET state = 'queued', last_error = ?, updated_at = ?"
        " WHERE url = ? AND state IN ('known', 'queued')",
        (reason, _now().isoformat(), key),
    )


def mark_fetched(store: Store, url: str) -> None:
    """The post is stored as an article now."""
    store.db.execute(
        "UPDATE related_remote SET state = 'fetched', last_error = NULL, next_try = NULL,"
        " updated_at = ? WHERE url = ?",
        (_now().isoformat(), canonical_url(url)),
    )


def queued(store: Store, limit: int = 20) -> list[RemotePost]:
    """Queued posts whose backoff has passed, oldest first (what ``fetch_queued`` works on)."""
    rows = store.db.query(
        "SELECT url, title, published, state, attempts, last_error, next_try"
        " FROM related_remote WHERE state = 'queued' AND attempts < ?"
        " AND (next_try IS NULL OR next_try <= ?) ORDER BY updated_at LIMIT ?",
        (MAX_ATTEMPTS, _now().isoformat(), limit),
    )
    return [RemotePost(*tuple(row)) for row in rows]
