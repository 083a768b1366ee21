"""What every source (RSS, Atom, JSON Feed, WordPress REST) produces: plain data, no I/O.

These shapes are the contract between ``reader.sources`` and the store
(``reader.store.articles.ItemLike``), so they stay small and picklable (parsing may run in
another process).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from reader.sanitize import clean_html, clean_line, clean_text, http_url


class FeedError(ValueError):
    """The body is not a usable feed; ``str(error)`` is the short message shown per feed."""

    def __init__(self, message: str = "") -> None:
        # Messages quote the document (libxml2's errors, tag names, OPML lines) and are stored
        # as the feed's error: clean at the door like everything else.
        super().__init__(clean_line(message))


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

    def __post_init__(self) -> None:
        """Clean at the door: every source builds its items here, so nothing unclean is stored.

        One-line fields lose controls, escapes and bidi overrides; bodies get ``clean_html``;
        URLs that are not absolute http(s) are dropped (parsers resolve them first, through
        ``sources.hygiene.safe_url``, which notes what it refused for a warning). Unpickling (the
        refresh's store process) does not run this again: the parser process already did.
        """
        self.guid = (
            clean_line(self.guid)[:1000] or self.guid.encode("utf-8", "surrogatepass").hex()[:1000]
        )
        self.title = clean_line(self.title)
        self.author = clean_line(self.author) or None
        same = self.summary_html is self.content_html  # feeds often repeat the body
        self.content_html = clean_html(self.content_html)
        self.summary_html = self.content_html if same else clean_html(self.summary_html)
        self.categories = tuple(c for c in map(clean_line, self.categories) if c)
        if self.url is not None:
            self.url = http_url(self.url)
        if self.comments_url is not None:
            self.comments_url = http_url(self.comments_url)
        if self.extra:
            self.extra = _clean_data(self.extra)


def _clean_data(value: Any) -> Any:
    """Strings anywhere in source data (WordPress REST extras) cleaned like text."""
    if isinstance(value, str):
        return clean_text(value)
    if isinstance(value, dict):
        return {clean_line(str(k)): _clean_data(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [_clean_data(v) for v in value]
    return value


@dataclass(slots=True)
class ParsedFeed:
    """A parsed document: feed metadata plus deduplicated items in document order."""

    kind: str  # "rss", "atom", "json" or "wordpress"
    version: str = ""
    title: str = ""
    link: str | None = None
    items: list[FeedItem] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)

    def seal(self) -> ParsedFeed:
        """Last check before the feed leaves the parser: its own title, version, link and
        warnings cleaned too (parsers may set them after construction)."""
        self.title = clean_line(self.title)
        self.version = clean_line(self.version)  # from the document (<rss version="...">)
        self.link = http_url(self.link)
        if self.warnings:  # libxml2's messages quote the document
            self.warnings = [clean_line(w) for w in self.warnings]
        return self
