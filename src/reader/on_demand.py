"""Fetch one page now, because the user asked: an article's page, or any web address.

A refresh prefetches the pages of new articles in bulk and quietly (a failed page costs the
page); here one person waits for one page, so every failure comes back as one line saying why:
the HTTP status, a timeout, the network, a content type that is not a web page, a page with no
readable text, an article without a link, an address that is not http(s).

Both functions make and close their own HTTP client (``net.client.make_client``), so the TUI can
run them in an async worker or in a thread with ``asyncio.run``. Extraction and the store writes
run in a thread (``asyncio.to_thread``): a large page must not hold up the caller's event loop.

Where pages go: ``fetch_article_page`` stores the page on the article (``set_page`` with the
extracted text for search); ``fetch_url`` stores an address that is not cached as an article of
its site's subscription or of a hidden per-site page feed (``related.prefetch.store_page``),
under the address the page was found at after redirects.
"""

from __future__ import annotations

import asyncio
from dataclasses import dataclass
from http import HTTPStatus
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from reader.config import RefreshConfig
    from reader.net.client import FetchResult
    from reader.store import Store

HTML_TYPES = ("text/html", "application/xhtml+xml")
"""Content types read as web pages; a response without one is tried as HTML."""
SEARCH_TEXT_CHARS = 200_000
"""How much extracted text goes into the search index (as ``store_page`` does)."""


@dataclass(frozen=True)
class PageFetch:
    """What asking for a page produced: ``ok`` with the article it is stored on, or ``error``.

    ``size`` is the page's size in bytes; ``cached`` is True when the page was already stored
    and nothing was fetched; ``url`` is where the page was found (after redirects).
    """

    ok: bool
    article_id: int | None = None
    error: str | None = None
    url: str | None = None
    size: int = 0
    cached: bool = False


async def fetch_article_page(
    store: Store, article_id: int, refresh_config: RefreshConfig
) -> PageFetch:
    """Fetch the page of a stored article now and store it; an error line if that fails."""
    record = await asyncio.to_thread(store.articles.get, article_id)
    if record is None:
        return PageFetch(False, article_id, f"no article with id {article_id}")
    if not record.url:
        return PageFetch(False, article_id, "the article has no link to fetch")
    bad = url_problem(record.url)
    if bad:
        return PageFetch(False, article_id, bad)
    result = await _get(record.url, refresh_config)
    failure = response_problem(result)
    if failure:
        return PageFetch(False, article_id, failure, url=result.final_url)
    unreadable = await asyncio.to_thread(
        _store_on_article, store, article_id, result.final_url, result.body
    )
    if unreadable:
        return PageFetch(False, article_id, unreadable, url=result.final_url)
    return PageFetch(True, article_id, url=result.final_url, size=len(result.body))


async def fetch_url(store: Store, url: str, refresh_config: RefreshConfig) -> PageFetch:
    """The article at ``url``: the cached page if there is one, else fetched and stored now.

    An address that is cached without its page (a feed's article not prefetched yet) gets its
    page fetched onto that article. Addresses that are not http(s) are refused unfetched.
    """
    url = url.strip().split("#", 1)[0]
    bad = url_problem(url)
    if bad:
        return PageFetch(False, None, bad, url=url)
    record = await asyncio.to_thread(store.articles.by_url, url)
    if record is not None and record.raw_html:
        return PageFetch(True, record.id, url=record.url, size=len(record.raw_html), cached=True)
    if record is not None:
        return await fetch_article_page(store, record.id, refresh_config)
    result = await _get(url, refresh_config)
    failure = response_problem(result)
    if failure:
        return PageFetch(False, None, failure, url=result.final_url)
    where = result.final_url or url
    stored = await asyncio.to_thread(_store_new_page, store, where, result.body)
    if isinstance(stored, str):
        return PageFetch(False, None, stored, url=where)
    return PageFetch(True, stored, url=where, size=len(result.body))


def url_problem(url: str) -> str | None:
    """Why ``url`` cannot be fetched (not http(s), no host, a bad port, spaces), or None."""
    from urllib.parse import urlsplit

    shown = url if len(url) <= 100 else url[:97] + "..."
    if not url or any(ch.isspace() or ord(ch) < 32 or ord(ch) == 127 for ch in url):
        return f"not a web address: {shown!r}"
    try:
        parts = urlsplit(url)
        _ = parts.port  # a port like 99999 or "abc" raises ValueError
    except ValueError:
        return f"not a valid web address: {shown!r}"
    if parts.scheme.lower() not in ("http", "https"):
        return f"not a web address (http:// or https://): {shown!r}"
    if not parts.hostname:
        return f"no host name in {shown!r}"
    return None


def response_problem(result: FetchResult) -> str | None:
    """Why a response is not a page to store (status, network, content type), or None."""
    if result.status is None:  # no HTTP answer at all: DNS, refused, TLS, timeout
        return result.error or "network error"
    if result.status >= 400:
        return f"HTTP {result.status} {_phrase(result.status)}"
    if result.error:  # too large, redirect loop, too many redirects
        return result.error
    if result.status >= 300:  # a redirect without a Location, a 304
        return f"HTTP {result.status} {_phrase(result.status)}"
    kind = (result.content_type or "").split(";", 1)[0].strip().lower()
    if kind and kind not in HTML_TYPES:
        return f"not HTML ({kind})"
    if not result.body.strip():
        return "the page is empty"
    return None


def _phrase(status: int) -> str:
    try:
        return HTTPStatus(status).phrase
    except ValueError:
        return "error" if status >= 400 else "unexpected answer"


async def _get(url: str, refresh_config: RefreshConfig) -> FetchResult:
    """One page GET with the page headers and cap, the config's deadline and user agent.

    The bundled demo site is offline by design: its pages come from the package, as if its
    server had answered (a page it does not have is a 404).
    """
    from reader.demo import demo_page, is_demo_url
    from reader.net.client import (
        DEFAULT_USER_AGENT,
        PAGE_ACCEPT,
        PAGE_MAX_BYTES,
        FetchResult,
        fetch,
        make_client,
    )

    if is_demo_url(url):
        body = demo_page(url)
        kind = {"content-type": "text/html; charset=utf-8"}
        return FetchResult(url, 200 if body else 404, url, headers=kind, body=body or b"")
    agent = refresh_config.user_agent or DEFAULT_USER_AGENT
    async with make_client(user_agent=agent, max_connections=2) as client:
        return await fetch(
            client,
            url,
            accept=PAGE_ACCEPT,
            max_bytes=PAGE_MAX_BYTES,
            total_timeout=refresh_config.timeout,
            user_agent=agent,
        )


def _readable_text(body: bytes, url: str) -> tuple[str | None, str | None]:
    """(search text, None) when the page has readable text, else (None, why not)."""
    from reader.extract import extract_article

    article = extract_article(body, url)
    if not article.ok:
        return None, f"could not extract the page: {article.error or 'no readable text'}"
    return f"{article.title or ''}\n{article.markdown}"[:SEARCH_TEXT_CHARS], None


def _store_on_article(store: Store, article_id: int, url: str, body: bytes) -> str | None:
    """Store ``body`` as the article's page; why not, if it has no readable text."""
    text, problem = _readable_text(body, url)
    if text is None:
        return problem
    store.articles.set_page(article_id, body, reindex_text=text)
    return None


def _store_new_page(store: Store, url: str, body: bytes) -> int | str:
    """Store a page fetched on its own: its article id, or why it was not stored."""
    from reader.related.prefetch import store_page

    text, problem = _readable_text(body, url)
    if text is None:
        return problem or "could not extract the page"
    return store_page(store, url, "", body)
