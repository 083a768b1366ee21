"""The local sources of related posts: each turns what is already stored into candidates.

Every function here reads only the local cache (no network), so the sidebar and
``reader related`` work offline; the network side (``site.py``, ``prefetch.py``) only ever adds
rows that these functions then read. Every source is bounded (``PER_SOURCE``) so a page with 500
related links costs no more than one with 20.
"""

from __future__ import annotations

import math
from collections import Counter
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from reader.related.urls import canonical_key, host_of, is_web_url, looks_like_post

if TYPE_CHECKING:
    from reader.reading import Readable
    from reader.store import ArticleRecord, Store

PER_SOURCE = 60
"""Most candidates one source may contribute (a hostile page may list hundreds)."""
BODY_LINKS_SCANNED = 400
TAXONOMY_WINDOW = 500
"""Newest articles of the same feed compared for shared categories/tags (bounds the cost)."""

PAGE, JETPACK, SITE, TAGS, LINKS, SIMILAR = "page", "jetpack", "site", "tags", "links", "similar"


@dataclass(frozen=True)
class Candidate:
    """One post a source says is related; ``position`` is its order within that source."""

    url: str
    title: str
    source: str
    position: int
    date: str = ""
    article_id: int | None = None


def page_block(readable: Readable) -> list[Candidate]:
    """The page's own related block (Jetpack, YARPP, CRP, core block, theme blocks)."""
    out: list[Candidate] = []
    for link in readable.related[: PER_SOURCE * 2]:
        url = link.url or ""
        if is_web_url(url):
            out.append(Candidate(url, link.title or "", PAGE, len(out)))
        if len(out) >= PER_SOURCE:
            break
    return out


def jetpack_field(record: ArticleRecord | None) -> list[Candidate]:
    """Jetpack's ``jetpack-related-posts`` REST field, when the item came from the REST API."""
    if record is None:
        return []
    items = record.extra.get("jetpack-related-posts")
    return jetpack_items(items) if isinstance(items, list) else []


def jetpack_items(items: list[Any]) -> list[Candidate]:
    """Candidates from Jetpack's item shape (REST field and ``?relatedposts=1`` JSON)."""
    out: list[Candidate] = []
    for item in items[: PER_SOURCE * 2]:
        if not isinstance(item, dict):
            continue
        url = item.get("url")
        if not isinstance(url, str) or not is_web_url(url):
            continue
        title = item.get("title") if isinstance(item.get("title"), str) else ""
        out.append(
            Candidate(url, _plain(title), JETPACK, len(out), date=_jetpack_date(item.get("date")))
        )
        if len(out) >= PER_SOURCE:
            break
    return out


def stored_links(store: Store, article_id: int) -> list[Candidate]:
    """What the network sources saved in ``related_links`` (WordPress taxonomy, Jetpack JSON)."""
    out: list[Candidate] = []
    counts: Counter[str] = Counter()
    for link in store.related.for_article(article_id):
        if counts[link.source] >= PER_SOURCE or not is_web_url(link.url):
            continue
        source = SITE if link.source == SITE else JETPACK if link.source == JETPACK else None
        if source is None:
            continue
        out.append(Candidate(link.url, link.title, source, link.rank))
        counts[link.source] += 1
    return out


def body_links(readable: Readable) -> list[Candidate]:
    """Links in the article body to other posts of the same site (not tags, feeds, comments)."""
    if not is_web_url(readable.url):
        return []
    own_host = host_of(readable.url)
    own = canonical_key(readable.url or "")
    out: list[Candidate] = []
    seen: set[str] = set()
    for url in readable.links[:BODY_LINKS_SCANNED]:
        if not is_web_url(url) or host_of(url) != own_host or not looks_like_post(url):
            continue
        key = canonical_key(url)
        if key == own or key in seen:
            continue
        seen.add(key)
        out.append(Candidate(url, "", LINKS, len(out)))
        if len(out) >= PER_SOURCE:
            break
    return out


def shared_terms(store: Store, record: ArticleRecord | None, limit: int = 15) -> list[Candidate]:
    """Cached posts of the same feed sharing categories/tags, rarest shared terms first.

    Works offline for any feed that carries categories (RSS ``<category>``, WordPress terms).
    A term most posts carry ("News") says little, so terms are weighted by rarity within the
    window and a single common shared term is not enough.
    """
    if record is None or not record.categories:
        return []
    # SQLite's lower() folds ASCII only: fold the same way here so "Food" meets "food"
    mine = list(dict.fromkeys(_ascii_lower(t) for t in record.categories if t))[:50]
    parsed: list[tuple[int, str, set[str]]] = []
    df: Counter[str] = Counter()
    for article_id, published, terms in store.related_articles.sharing_terms(
        record.feed_id, mine, TAXONOMY_WINDOW
    ):
        if article_id != record.id:
            parsed.append((article_id, published, terms))
            df.update(terms)
    window = max(1, store.related_articles.window_size(record.feed_id, TAXONOMY_WINDOW))
    scored: list[tuple[float, str, int]] = []
    for article_id, published, terms in parsed:
        weight = sum(math.log(1 + window / df[t]) for t in terms)
        rare = any(df[t] <= max(3, window // 20) for t in terms)
        if len(terms) >= 2 or rare:
            scored.append((weight, published, article_id))
    scored.sort(key=lambda item: (-item[0], _desc(item[1])))
    best = [article_id for _w, _p, article_id in scored[: limit * 2]]
    if not best:
        return []
    details = store.related_articles.headlines(best)
    out: list[Candidate] = []
    for article_id in best:
        row = details.get(article_id)
        if row is not None and row.url:
            published = (row.published or "")[:10]
            out.append(Candidate(row.url, row.title, TAGS, len(out), published, article_id))
        if len(out) >= limit:
            break
    return out


def _ascii_lower(text: str) -> str:
    return "".join(ch.lower() if ch.isascii() else ch for ch in text)


def _desc(text: str | None) -> str:
    """Sort key putting newer ISO dates first inside an ascending sort."""
    return "".join(chr(0x10FFFF - ord(ch)) for ch in (text or ""))


def _plain(text: str) -> str:
    import html
    import re

    return " ".join(html.unescape(re.sub(r"<[^>]*>", " ", text)).split())


def _jetpack_date(value: Any) -> str:
    """Jetpack sends a display date ("April 22, 2024"); keep it as ISO when it parses."""
    from datetime import datetime

    if not isinstance(value, str) or not value.strip():
        return ""
    text = value.strip()
    for pattern in ("%B %d, %Y", "%b %d, %Y", "%Y-%m-%d", "%d %B %Y", "%Y-%m-%dT%H:%M:%S"):
        try:
            chunk = text[:19] if "T" in pattern else text
            return datetime.strptime(chunk, pattern).date().isoformat()
        except ValueError:
            continue
    return ""
