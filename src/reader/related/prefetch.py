"""Fetch related posts in the background so a trail keeps working offline.

Bounded on purpose: at most ``limit`` pages per call (default 5, the top of the ranked list),
one request at a time, ``per_host_delay`` seconds between two requests to the same host, and
no second try before the backoff in ``related_remote`` has passed. A server that gives no HTTP
answer at all (DNS, refused, timeout) is not asked again in the batch, and after
``OFFLINE_AFTER`` such servers the rest of the batch is queued untried as offline, so a laptop
on a train does not fire five timeouts per opened article. 404/410 mark the post
``missing`` for good.

Where pages go: an article needs a feed row. A page from a site the user subscribes to joins
that subscription; any other page joins a hidden per-site feed of ``kind='page'`` (URL
``<scheme>://<host>/#related-pages``), which the CLI's refresh skips and which has no feed to
poll. See ``page_feed``.
"""

from __future__ import annotations

import asyncio
import time
from collections.abc import Iterable
from dataclasses import dataclass
from typing import TYPE_CHECKING
from urllib.parse import urlsplit

from reader.related.remote import (
    due,
    lookup,
    mark_fetched,
    mark_queued,
    queued,
    record_failure,
    remember,
)
from reader.related.urls import canonical_url, host_of, is_web_url
from reader.store.remote import RemoteState

if TYPE_CHECKING:
    import httpx

    from reader.net.client import FetchResult
    from reader.related import RelatedEntry
    from reader.store import Store

PAGE_FEED_SUFFIX = "#related-pages"
PAGE_KIND = "page"
DEFAULT_LIMIT = 5
OFFLINE_AFTER = 2
"""Servers that gave no answer at all before the rest of a batch is queued as offline."""
_HTML_TYPES = ("text/html", "application/xhtml+xml")


@dataclass(frozen=True)
class _PageItem:
    """The fields ``Articles.upsert`` reads, for a page fetched on its own (no feed item)."""

    guid: str
    url: str
    title: str
    author: str | None = None
    published: str | None = None
    updated: str | None = None
    summary_html: str | None = None
    content_html: str | None = None


async def prefetch_related(
    store: Store,
    entries: Iterable[RelatedEntry],
    *,
    client: httpx.AsyncClient | None = None,
    limit: int = DEFAULT_LIMIT,
    per_host_delay: float = 1.0,
    total_timeout: float = 20.0,
    now: bool = False,
) -> int:
    """Fetch and store up to ``limit`` uncached related posts; return how many were stored.

    ``now`` ignores the backoff of queued posts (the user asked for this post); posts that
    are gone (404/410) or failed for good are never fetched again.
    """
    wanted = [
        (e.url, e.title, e.date or None)
        for e in entries
        if e.article_id is None
        and is_web_url(e.url)
        and e.state not in (RemoteState.MISSING, RemoteState.FAILED)
    ]
    known = lookup(store, [url for url, _t, _d in wanted])
    targets = [t for t in wanted if due(known.get(canonical_url(t[0])), ignore_backoff=now)][
        : max(0, limit)
    ]
    if not targets:
        return 0
    remember(store, targets)
    return await _fetch_all(store, targets, client, per_host_delay, total_timeout)


async def fetch_queued(
    store: Store,
    *,
    client: httpx.AsyncClient | None = None,
    limit: int = 20,
    per_host_delay: float = 1.0,
    total_timeout: float = 20.0,
) -> int:
    """Work off the queue (posts that could not be fetched while offline); return pages stored.

    Meant for the moment the network is back, e.g. after a successful ``reader refresh``.
    """
    targets = [(p.url, p.title, p.published) for p in queued(store, limit)]
    if not targets:
        return 0
    return await _fetch_all(store, targets, client, per_host_delay, total_timeout)


async def _fetch_all(
    store: Store,
    targets: list[tuple[str, str, str | None]],
    client: httpx.AsyncClient | None,
    per_host_delay: float,
    total_timeout: float,
) -> int:
    from reader.net.client import PAGE_ACCEPT, PAGE_MAX_BYTES, fetch, make_client

    own = client is None
    client = client or make_client(max_connections=2)
    stored = 0
    down: dict[str, str] = {}  # server (host:port) -> why it gave no answer
    last_hit: dict[str, float] = {}
    try:
        for url, title, date in targets:
            url = canonical_url(url)
            server = urlsplit(url).netloc.lower()
            if server in down or len(down) >= OFFLINE_AFTER:
                mark_queued(store, url, down.get(server) or "offline")
                continue
            host = host_of(url)
            wait = last_hit.get(host, -1e9) + per_host_delay - time.monotonic()
            if wait > 0:
                await asyncio.sleep(wait)
            result = await fetch(
                client,
                url,
                accept=PAGE_ACCEPT,
                max_bytes=PAGE_MAX_BYTES,
                total_timeout=total_timeout,
            )
            last_hit[host] = time.monotonic()
            if result.status is None:
                down[server] = f"no answer: {result.error or 'network error'}"
                record_failure(store, url, down[server], permanent=False, offline=True)
                continue
            if await _settle(store, url, title, date, result):
                stored += 1
    finally:
        if own:
            await client.aclose()
    return stored


async def _settle(
    store: Store, url: str, title: str, date: str | None, result: FetchResult
) -> bool:
    """Store a fetched page or record why not; True when stored."""
    status = result.status or 0
    if status in (404, 410):
        record_failure(store, url, result.error or f"HTTP {status}", permanent=True, missing=True)
        return False
    if status == 429 or status >= 500:
        record_failure(store, url, result.error or f"HTTP {status}", permanent=False)
        return False
    if not result.ok or not result.body:
        record_failure(store, url, result.error or f"HTTP {status}", permanent=True)
        return False
    kind = (result.content_type or "text/html").split(";", 1)[0].strip().lower()
    if kind not in _HTML_TYPES:
        record_failure(store, url, f"not a web page ({kind})", permanent=True)
        return False
    await asyncio.to_thread(store_page, store, url, title, result.body, date)
    mark_fetched(store, url)
    return True


def store_page(store: Store, url: str, title: str, body: bytes, date: str | None = None) -> int:
    """Store a fetched page as an article (joining an existing row for the URL if any)."""
    from reader.extract import extract_article

    article = extract_article(body, url)
    text = f"{article.title or title}\n{article.markdown}"[:200_000]
    existing = store.articles.by_url(url)
    if existing is not None:
        store.articles.set_page(existing.id, body, reindex_text=text)
        return existing.id
    feed_id = page_feed(store, url)
    item = _PageItem(
        guid=url,
        url=url,
        title=article.title or title or url,
        author=article.author,
        published=date or article.published,
        updated=article.updated,
    )
    result = store.articles.upsert(feed_id, [item])
    article_id = result.new_ids[0] if result.new_ids else None
    if article_id is None:
        record = store.articles.by_url(url)
        assert record is not None
        article_id = record.id
    store.articles.set_page(article_id, body, reindex_text=text)
    return article_id


def page_feed(store: Store, url: str) -> int:
    """The feed a fetched page belongs to: a subscription of its site, else a hidden one.

    Pages from a subscribed site join that subscription, so they list under the feed the user
    knows. Other pages get one hidden ``kind='page'`` feed per site: it holds fetched pages, is
    never polled (the CLI's refresh skips ``page`` feeds and its URL has no feed behind it) and
    is titled with the host name so the sidebar and the list say where a post came from.
    """
    host = host_of(url)
    for feed_id, feed_url, site_url, kind in store.feeds.sites():
        if kind != PAGE_KIND and host and host in (host_of(site_url), host_of(feed_url)):
            return int(feed_id)
    scheme = url.split("://", 1)[0] if "://" in url else "https"
    feed_url = f"{scheme}://{host}/{PAGE_FEED_SUFFIX}"
    feed, _new = store.feeds.add(
        feed_url, title=host, site_url=f"{scheme}://{host}/", kind=PAGE_KIND
    )
    return feed.id
