"""Find the feed (and the WordPress REST API) behind any URL a user pastes.

Users paste a home page or an article link far more often than a feed URL. Order of evidence:
1. the URL itself is a feed (RSS, Atom, JSON Feed) -> subscribe to it as is;
2. ``<link rel="alternate" type="application/rss+xml|atom+xml|feed+json">`` in the page;
3. common paths on the site root (``/feed/``, ``/rss.xml``, ...), each checked to really be a
   feed. WordPress is recognised from the ``Link: <…/wp-json/>; rel="https://api.w.org/"``
   header or the matching ``<link>`` markup, so the REST API can be read as well.

Pure helpers (``feed_links``, ``wordpress_api_root``) do no I/O and are tested on their own.
"""

from __future__ import annotations

import asyncio
import re
from dataclasses import dataclass, field
from typing import TYPE_CHECKING
from urllib.parse import urljoin, urlsplit

from reader.sources.hygiene import clean_line, safe_url
from reader.sources.parse import sniff_kind

if TYPE_CHECKING:
    import httpx

FEED_TYPES = {
    "application/rss+xml": "rss",
    "application/rdf+xml": "rss",
    "application/atom+xml": "atom",
    "application/feed+json": "json",
    "application/json": "json",
}
COMMON_PATHS = (
    "/feed/",
    "/rss.xml",
    "/atom.xml",
    "/index.xml",
    "/feed.json",
    "/feed.xml",
    "/rss/",
    "/index.rss",
)
WP_REL = "https://api.w.org/"
_LINK_HEADER = re.compile(r"<([^>]*)>\s*((?:;\s*[^;,]+)*)")
_REL_PARAM = re.compile(r"""rel\s*=\s*"?([^";]+)"?""", re.I)


@dataclass(frozen=True, slots=True)
class FeedLink:
    """A candidate feed: where, which format, and the title the site gave it."""

    url: str
    kind: str
    title: str = ""


@dataclass(slots=True)
class Discovery:
    """What one URL led to. ``feeds`` is best first; empty with ``error`` when nothing worked."""

    url: str
    feeds: list[FeedLink] = field(default_factory=list)
    is_feed: bool = False
    wordpress_api: str | None = None
    title: str = ""
    error: str | None = None


def feed_links(page: bytes | str, base_url: str) -> list[FeedLink]:
    """Feed ``<link>``s declared in an HTML page, comment feeds last, duplicates dropped."""
    doc = _html(page)
    if doc is None:
        return []
    base = _page_base(doc, base_url)
    found: list[FeedLink] = []
    for link in doc.iter("link"):
        rel = (link.get("rel") or "").lower().split()
        kind = FEED_TYPES.get((link.get("type") or "").split(";")[0].strip().lower())
        href = safe_url((link.get("href") or "").strip(), base)
        # WordPress marks each post's REST URL as an application/json alternate: not a feed
        if kind == "json" and ("/wp-json/" in (href or "") or "rest_route=" in (href or "")):
            continue
        if "alternate" in rel and kind and href:
            found.append(FeedLink(href, kind, clean_line(link.get("title"))))
    unique = list({link.url: link for link in reversed(found)}.values())[::-1]
    return sorted(unique, key=_is_comment_feed)


def _is_comment_feed(link: FeedLink) -> bool:
    return "comment" in link.title.lower() or "/comments/" in link.url


def wordpress_api_root(
    headers: dict[str, str] | None, page: bytes | str | None, base_url: str
) -> str | None:
    """The REST API root (``…/wp-json/`` or ``…/?rest_route=/``) if this is WordPress."""
    header = (headers or {}).get("link") or ""
    for match in _LINK_HEADER.finditer(header):
        rel = _REL_PARAM.search(match.group(2) or "")
        if rel and rel.group(1).strip() == WP_REL:
            return safe_url(match.group(1).strip(), base_url)
    if page:
        doc = _html(page)
        if doc is not None:
            for link in doc.iter("link"):
                if (link.get("rel") or "").strip() == WP_REL and link.get("href"):
                    return safe_url(link.get("href").strip(), _page_base(doc, base_url))
    return None


def page_title(page: bytes | str) -> str:
    """The ``<title>`` of an HTML page, cleaned for one-line display."""
    doc = _html(page)
    node = doc.find(".//title") if doc is not None else None
    return clean_line(node.text_content()) if node is not None else ""


def _html(page: bytes | str):  # -> lxml.html.HtmlElement | None
    import lxml.html
    from lxml import etree

    if not page or not page.strip():
        return None
    try:
        return lxml.html.fromstring(page)
    except (etree.ParserError, ValueError):
        return None


def _page_base(doc, base_url: str) -> str:
    base = doc.find(".//base")
    href = base.get("href") if base is not None else None
    return safe_url(href.strip(), base_url) or base_url if href else base_url


async def discover(
    client: httpx.AsyncClient, url: str, *, probe: bool = True, total_timeout: float = 20.0
) -> Discovery:
    """Fetch ``url`` and work out what to subscribe to; never raises for network problems."""
    from reader.net.client import fetch

    result = await fetch(client, url, total_timeout=total_timeout)
    final = result.final_url or url
    found = Discovery(url=final)
    if not result.ok:
        found.error = result.error or f"HTTP {result.status}"
        return found
    kind = sniff_kind(result.body)
    if kind:
        found.is_feed = True
        found.feeds = [FeedLink(result.permanent_url or final, kind)]
        return found
    found.wordpress_api = wordpress_api_root(result.headers, result.body, final)
    found.title = page_title(result.body)
    found.feeds = feed_links(result.body, final)
    if not found.feeds and probe:
        found.feeds = await probe_common_paths(client, final, total_timeout=total_timeout)
    if not found.feeds and not found.wordpress_api:
        found.error = "no feed found on this page"
    return found


async def probe_common_paths(
    client: httpx.AsyncClient, url: str, *, total_timeout: float = 10.0
) -> list[FeedLink]:
    """Try the usual feed locations on the site root at once; keep those that are feeds."""
    from reader.net.client import fetch

    parts = urlsplit(url)
    root = f"{parts.scheme}://{parts.netloc}"
    candidates = [urljoin(root, path) for path in COMMON_PATHS]
    results = await asyncio.gather(
        *(
            fetch(client, c, total_timeout=total_timeout, max_bytes=5 * 1024 * 1024)
            for c in candidates
        )
    )
    found: list[FeedLink] = []
    for candidate, result in zip(candidates, results, strict=True):
        kind = sniff_kind(result.body) if result.ok else None
        final = result.permanent_url or result.final_url or candidate
        if kind and all(link.url != final for link in found):
            found.append(FeedLink(final, kind))
    return found
