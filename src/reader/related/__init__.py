"""Related posts of an article, resolved against the local cache.

Sources so far: the page's own related block (extracted with the article). Each entry says
whether the post is cached (readable offline) and which sources found it.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING
from urllib.parse import urldefrag

if TYPE_CHECKING:
    from reader.reading import Readable
    from reader.store import Store

MAX_RELATED = 50


@dataclass(frozen=True)
class RelatedEntry:
    """One related post as the sidebar and ``reader related`` show it."""

    url: str
    title: str
    site: str = ""
    date: str = ""
    sources: tuple[str, ...] = ()
    article_id: int | None = None
    """Set when the post is in the local cache (readable offline)."""

    @property
    def cached(self) -> bool:
        """Readable offline."""
        return self.article_id is not None


def related_entries(store: Store, readable: Readable) -> list[RelatedEntry]:
    """The article's related posts, deduplicated, each resolved against the cache."""
    own = urldefrag(readable.url or "")[0].rstrip("/")
    seen: set[str] = set()
    entries: list[RelatedEntry] = []
    for link in readable.related:
        url = urldefrag(link.get("url", ""))[0]
        key = url.rstrip("/")
        if not url.startswith(("http://", "https://")) or key == own or key in seen:
            continue
        seen.add(key)
        record = store.articles.by_url(url)
        title = link.get("title") or (record.title if record else url)
        entries.append(
            RelatedEntry(
                url=url,
                title=title,
                site=record.feed_title if record else "",
                date=(record.published or "")[:10] if record else "",
                sources=("page",),
                article_id=record.id if record else None,
            )
        )
        if len(entries) >= MAX_RELATED:
            break
    return entries
