"""Related posts that are not cached yet: what we know about them and their fetch queue.

One row per canonical URL in ``related_remote`` (migration 6). A source that learns a post's
date (WordPress REST, Jetpack) records it here so the sidebar can show it before the page is
cached; prefetch records its outcome here so nothing is fetched in a loop (``RemoteState``):

- ``known``: seen, never tried.
- ``queued``: the last try failed for a reason that may pass (offline, timeout, 5xx, 429);
  retried after ``next_try`` with exponential backoff, at most ``MAX_ATTEMPTS`` times.
- ``missing``: the server said 404/410: never retried (a clear state in the sidebar).
- ``failed``: another permanent answer (other 4xx, not HTML, too many attempts).
- ``fetched``: stored as an article (kept so a deleted article is not fetched again at once).
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import UTC, datetime, timedelta

from reader.related.urls import canonical_url
from reader.sanitize import clean_line, http_url
from reader.store import Store
from reader.store.remote import RemotePost, RemoteState

MAX_ATTEMPTS = 6
BASE_BACKOFF = timedelta(minutes=2)
MAX_BACKOFF = timedelta(hours=12)
RETRYABLE = frozenset({RemoteState.KNOWN, RemoteState.QUEUED})


def _now() -> datetime:
    return datetime.now(UTC).replace(microsecond=0)


def remember(store: Store, posts: Iterable[tuple[str, str, str | None]]) -> None:
    """Record (url, title, date) of posts a source named; keeps states and better data."""
    store.remote_posts.remember(  # titles and URLs from other sites: cleaned at the door
        (canonical_url(checked), clean_line(title), date)
        for url, title, date in posts
        if (checked := http_url(url))
    )


def lookup(store: Store, urls: Iterable[str]) -> dict[str, RemotePost]:
    """Known rows for these URLs (canonical form), keyed by canonical URL."""
    return store.remote_posts.lookup(list(dict.fromkeys(canonical_url(u) for u in urls)))


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
) -> RemoteState:
    """Store a failed try; return the new state (queued, missing or failed).

    ``offline`` (no HTTP answer at all) says nothing about the post, so it never ends in
    ``failed``: the attempt count stops just below ``MAX_ATTEMPTS``, which keeps the backoff
    at its longest step (about half an hour) until the network is back.
    """
    key = canonical_url(url)
    remember(store, [(key, "", None)])
    attempts = store.remote_posts.attempts(key) + 1
    if offline:
        attempts = min(attempts, MAX_ATTEMPTS - 1)
    if missing:
        state = RemoteState.MISSING
    elif permanent or attempts >= MAX_ATTEMPTS:
        state = RemoteState.FAILED
    else:
        state = RemoteState.QUEUED
    wait = min(BASE_BACKOFF * (2 ** max(0, attempts - 1)), MAX_BACKOFF)
    next_try = (_now() + wait).isoformat() if state == RemoteState.QUEUED else None
    store.remote_posts.set_outcome(key, state, attempts, error, next_try)
    return state


def mark_queued(store: Store, url: str, reason: str) -> None:
    """Queue a post for when the network is back (no attempt counted, due at once)."""
    key = canonical_url(url)
    remember(store, [(key, "", None)])
    store.remote_posts.mark_queued(key, reason)


def mark_fetched(store: Store, url: str) -> None:
    """The post is stored as an article now."""
    store.remote_posts.mark_fetched(canonical_url(url))


def queued(store: Store, limit: int = 20) -> list[RemotePost]:
    """Queued posts whose backoff has passed, oldest first (what ``fetch_queued`` works on)."""
    return store.remote_posts.due(MAX_ATTEMPTS, limit)
