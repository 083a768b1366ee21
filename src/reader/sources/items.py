"""What every source (RSS, Atom, JSON Feed, WordPress REST) produces: plain data, no I/O.

These shapes are the contract between ``reader.sources`` and the store
(``reader.store.articles.ItemLike``), so they stay small and picklable (parsing may run in
another process).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any


class FeedError(ValueError):
    """The body is not a usable feed; ``str(error)`` is the short message shown per feed."""


@dataclass(slots=True)
class FeedItem:
    """One entry. Dates are UTC ISO 8601 strings or None (the caller then uses fetch time).

    ``flags`` records what parsing had to repair, e.g. ``"no-date"`` or ``"future-date"`` (a
    date more than a day ahead is dropped so it cannot pin the item to the top forever).
    ``extra`` carries source-specific data such as WordPress ``post_id`` or
    ``jetpack-related-posts``.
    """

    guid: str
    url: str | None = None
    title: str = ""
    author: str | None = None
    published: str | None = None
    updated: str | None = None
    summary_html: str | None = None
    content_html: str | None = None
    categories: tuple[str, ...] = ()
    comments_url: str | None = None
    comment_count: int | None = None
    flags: tuple[str, ...] = ()
    extra: dict[str, Any] = field(default_factory=dict)


@dataclass(slots=True)
class ParsedFeed:
    """A parsed document: feed metadata plus deduplicated items in document order."""

    kind: str  # "rss", "atom", "json" or "wordpress"
    version: str = ""
    title: str = ""
    link: str | None = None
    items: list[FeedItem] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
