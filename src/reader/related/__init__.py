"""Related posts of an article: merged from every source, deduplicated, ranked, resolved.

Sources (all read from the local cache, so this works offline; ``site.py`` and ``prefetch.py``
are the network side that fills the cache):

1. ``page``/``jetpack``: the page's own related block, and Jetpack's ``jetpack-related-posts``
   (REST field on the item, or ``?relatedposts=1`` JSON saved by ``refresh_site_related``);
2. ``site``/``tags``: WordPress posts sharing categories/tags (REST, saved in ``related_links``),
   and cached posts of the same feed sharing categories/tags;
3. ``links``: links in the article body to other posts of the same site;
4. ``similar``: cached articles of any site sharing the article's salient words (FTS5 BM25).

Ranking: the best tier an entry reached decides first (page block, then taxonomy, then body
links, then similarity). The page block keeps the publisher's order (Jetpack's list follows
it); inside the other tiers, entries found by more sources come first, then the source's own
order. Entries are deduplicated by ``canonical_key`` (scheme, ``www.``, trailing
slash, fragment and tracking parameters ignored) and never include the article itself.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Literal

from reader.related.local import (
    JETPACK,
    LINKS,
    PAGE,
    SIMILAR,
    SITE,
    TAGS,
    Candidate,
    body_links,
    jetpack_field,
    page_block,
    shared_terms,
    stored_links,
)
from reader.related.urls import (
    canonical_key,
    canonical_url,
    host_of,
    is_web_url,
    title_from_url,
)
from reader.store.remote import RemoteState

if TYPE_CHECKING:
    from reader.reading import Readable
    from reader.store import Store
    from reader.store.related_articles import CachedPost
    from reader.store.remote import RemotePost

__all__ = [
    "MAX_RELATED",
    "RelatedEntry",
    "fetch_queued",
    "prefetch_related",
    "refresh_site_related",
    "related_entries",
]

MAX_RELATED = 30
TIERS = {PAGE: 0, JETPACK: 0, SITE: 1, TAGS: 1, LINKS: 2, SIMILAR: 3}
SOURCE_ORDER = (PAGE, JETPACK, SITE, TAGS, LINKS, SIMILAR)
UNSHOWN_STATES = (RemoteState.KNOWN, RemoteState.FETCHED)
"""Fetch states an entry does not show (nothing tried yet, or cached since)."""


@dataclass(frozen=True)
class RelatedEntry:
    """One related post as the sidebar and ``reader related`` show it."""

    url: str
    title: str
    site: str = ""
    date: str = ""
    sources: tuple[str, ...] = ()
    article_id: int | None = None
    """Set when the post is in the local cache with something to read (readable offline)."""
    state: RemoteState | Literal[""] = ""
    """For uncached posts: '' (not tried), ``QUEUED`` (fetch when online), ``MISSING``
    (404/410), ``FAILED`` (another permanent error)."""
    offsite: bool = False
    """The post is on another site than the article (allowed; the site name tells which)."""
    error: str | None = field(default=None, compare=False)

    @property
    def cached(self) -> bool:
        """Readable offline."""
        return self.article_id is not None


@dataclass
class _Group:
    url: str
    title: str = ""
    date: str = ""
    article_id: int | None = None
    positions: dict[str, int] = field(default_factory=dict)

    def add(self, candidate: Candidate) -> None:
        if candidate.source not in self.positions:
            self.positions[candidate.source] = candidate.position
        if candidate.title and (
            not self.title
            or (candidate.source in (PAGE, JETPACK) and len(candidate.title) > len(self.title))
        ):
            self.title = candidate.title
        self.date = self.date or candidate.date
        self.article_id = self.article_id or candidate.article_id

    def sort_key(self) -> tuple[int, int, int, int]:
        tier = min(TIERS[s] for s in self.positions)
        if tier == 0:  # the publisher's own list keeps its order (it must not jump around)
            if PAGE in self.positions:
                return (0, 0, 0, self.positions[PAGE])
            return (0, 0, 1, self.positions[JETPACK])
        best = min((s for s in self.positions if TIERS[s] == tier), key=SOURCE_ORDER.index)
        return (tier, -len(self.positions), SOURCE_ORDER.index(best), self.positions[best])


def related_entries(
    store: Store, readable: Readable, *, limit: int = MAX_RELATED, similar: bool = True
) -> list[RelatedEntry]:
    """The article's related posts from every source, ranked, each resolved against the cache."""
    record = store.articles.get(readable.article_id) if readable.article_id else None
    candidates: list[Candidate] = []
    candidates += page_block(readable)
    candidates += jetpack_field(record)
    if readable.article_id:
        candidates += stored_links(store, readable.article_id)
    candidates += shared_terms(store, record)
    candidates += body_links(readable)
    if similar and readable.article_id:
        candidates += _similar(store, readable)
    own = canonical_key(readable.url) if is_web_url(readable.url) else None
    groups: dict[str, _Group] = {}
    for candidate in candidates:
        if not is_web_url(candidate.url):  # stored rows too: never trust a URL to parse
            continue
        key = canonical_key(candidate.url)
        if key == own or (candidate.article_id == readable.article_id and candidate.article_id):
            continue
        group = groups.get(key)
        if group is None:
            group = groups[key] = _Group(canonical_url(candidate.url))
        group.add(candidate)
    ranked = sorted(groups.values(), key=_Group.sort_key)
    return _resolve(store, readable, ranked, limit)


def _similar(store: Store, readable: Readable) -> list[Candidate]:
    from reader.related.similar import similar_articles

    hits = similar_articles(store, readable.article_id, readable.title, readable.markdown)
    if not hits:
        return []
    rows = store.related_articles.posts([article_id for article_id, _score in hits])
    out = []
    for article_id, _score in hits:
        row = rows.get(article_id)
        if row is not None and row.url and row.readable:
            out.append(
                Candidate(
                    row.url,
                    row.title,
                    SIMILAR,
                    len(out),
                    (row.published or "")[:10],
                    article_id,
                )
            )
    return out


def _url_variants(url: str) -> list[str]:
    """Spellings a stored article URL may have for the same post (indexed exact lookups)."""
    base = canonical_url(url)
    scheme, rest = base.split("://", 1)
    other = "http" if scheme == "https" else "https"
    hosts = [rest]
    if rest.startswith("www."):
        hosts.append(rest[4:])
    else:
        hosts.append("www." + rest)
    out = []
    for sch in (scheme, other):
        for host_rest in hosts:
            stem = f"{sch}://{host_rest}"
            out += [stem, stem.rstrip("/"), stem.rstrip("/") + "/"]
    original = url.split("#", 1)[0]
    return list(dict.fromkeys([original, *out]))


def _resolve(
    store: Store, readable: Readable, ranked: list[_Group], limit: int
) -> list[RelatedEntry]:
    """Attach cache state, site and date; keep the first ``limit`` entries."""
    from reader.related.remote import lookup

    chosen = ranked[: limit * 2]  # a few spare in case some resolve to the article itself
    uncached = [g.url for g in chosen if g.article_id is None]
    by_key = _cached_at(store, uncached)
    by_id = store.related_articles.posts([g.article_id for g in chosen if g.article_id is not None])
    remote = lookup(store, uncached)
    own_host = host_of(readable.url)
    entries: list[RelatedEntry] = []
    for group in chosen:
        row = (
            by_id.get(group.article_id)
            if group.article_id
            else by_key.get(canonical_key(group.url))
        )
        if row is not None and row.id == readable.article_id:
            continue
        entries.append(_entry(group, row, remote, readable, own_host))
        if len(entries) >= limit:
            break
    return entries


def _cached_at(store: Store, urls: list[str]) -> dict[str, CachedPost]:
    """The cached article each URL stands for, keyed by ``canonical_key``: any spelling of the
    URL (scheme, ``www.``, trailing slash) may be the one stored."""
    variants: dict[str, str] = {}
    for url in urls:
        key = canonical_key(url)
        for variant in _url_variants(url):
            variants.setdefault(variant, key)
    by_key: dict[str, CachedPost] = {}
    for post in store.related_articles.posts_at(list(variants)):
        # rows come with a stored page first, then newest: the first one for a key is the best
        by_key.setdefault(variants.get(post.url or "", ""), post)
    return by_key


def _entry(
    group: _Group,
    row: CachedPost | None,
    remote: dict[str, RemotePost],
    readable: Readable,
    own_host: str,
) -> RelatedEntry:
    """What one entry shows: the best title, site and date the sources, the cache or the queue
    know, and for a post not readable offline, how fetching it went."""
    cached = row is not None and row.readable
    known = remote.get(group.url) if not cached else None
    host = host_of(group.url)
    return RelatedEntry(
        url=group.url,
        title=group.title
        or (row.title if row is not None else "")
        or (known.title if known else "")
        or title_from_url(group.url),
        site=(row.site if row is not None else "")
        or (readable.feed_title if host == own_host else "")
        or host,
        date=(
            (row.published if row is not None else None)
            or group.date
            or (known.published if known else None)
            or ""
        )[:10],
        sources=tuple(s for s in SOURCE_ORDER if s in group.positions),
        article_id=row.id if cached and row is not None else None,
        state="" if cached or known is None or known.state in UNSHOWN_STATES else known.state,
        offsite=bool(own_host) and host != own_host,
        error=known.last_error if known else None,
    )


def __getattr__(name: str) -> object:
    """The network side is imported on first use (httpx stays out of the first frame)."""
    if name in ("prefetch_related", "fetch_queued"):
        from reader.related import prefetch

        return getattr(prefetch, name)
    if name == "refresh_site_related":
        from reader.related.site import refresh_site_related

        return refresh_site_related
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
