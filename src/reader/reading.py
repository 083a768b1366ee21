"""Open a stored article for reading: extract it once, cache the result per converter version.

The store keeps raw page HTML; this module turns it into a ``Readable`` (metadata, Markdown body,
quote spans, numbered links, related links, comment form). The result is cached in the store, so
the second open costs one query. Used by the TUI and by ``reader show``.
"""

from __future__ import annotations

import html
import re
from dataclasses import asdict, dataclass, field
from typing import Any

from reader.store import ArticleRecord, Store

WORDS_PER_MINUTE = 230


@dataclass
class Readable:
    """Everything the reading pane and ``reader show`` need about one article."""

    article_id: int
    url: str | None
    title: str
    feed_title: str = ""
    author: str | None = None
    published: str | None = None
    updated: str | None = None
    site_name: str | None = None
    language: str | None = None
    breadcrumb: list[str] = field(default_factory=list)
    markdown: str = ""
    quotes: list[tuple[int, int]] = field(default_factory=list)
    links: list[str] = field(default_factory=list)
    related: list[dict[str, str]] = field(default_factory=list)
    comment_form: dict[str, Any] | None = None
    comments: list[dict[str, Any]] = field(default_factory=list)
    embeds: list[dict[str, Any]] = field(default_factory=list)
    ok: bool = True
    error: str | None = None
    from_page: bool = True
    """False when only the feed's summary/content was available (no page fetched yet)."""

    @property
    def word_count(self) -> int:
        """Words in the body (for the reading time)."""
        return len(re.findall(r"\w+", self.markdown))

    @property
    def reading_minutes(self) -> int:
        """Estimated reading time, at least one minute."""
        return max(1, round(self.word_count / WORDS_PER_MINUTE))

    def to_dict(self) -> dict[str, Any]:
        """JSON-ready form (for the cache and ``--json``)."""
        data = asdict(self)
        data["reading_minutes"] = self.reading_minutes
        return data


def cache_version() -> str:
    """Key of cached renderings: changes whenever extraction or conversion output changes."""
    import reader.extract
    from reader.render.markdown import CONVERTER_VERSION

    return f"{getattr(reader.extract, 'EXTRACTOR_VERSION', '1')}/{CONVERTER_VERSION}"


def _source_html(record: ArticleRecord) -> tuple[str | bytes, bool]:
    if record.raw_html:
        return record.raw_html, True
    body = record.content_html or record.summary or ""
    title = html.escape(record.title or "")
    return (
        f"<html><head><title>{title}</title></head><body><article><h1>{title}</h1>"
        f"{body}</article></body></html>",
        False,
    )


def open_article(store: Store, article_id: int, *, use_cache: bool = True) -> Readable | None:
    """The readable form of a stored article (None if no such article)."""
    record = store.articles.get(article_id)
    if record is None:
        return None
    version = cache_version()
    if use_cache:
        cached = store.articles.rendered(article_id, version)
        if cached is not None:
            return _from_cache(cached, record)
    readable = _extract(record)
    payload = readable.to_dict()
    payload.pop("reading_minutes", None)
    store.articles.store_rendered(article_id, version, payload)
    return readable


def _from_cache(data: dict[str, Any], record: ArticleRecord) -> Readable:
    data = {key: value for key, value in data.items() if key in Readable.__dataclass_fields__}
    data["quotes"] = [tuple(span) for span in data.get("quotes", [])]
    readable = Readable(**data)
    readable.feed_title = record.feed_title
    return readable


def _extract(record: ArticleRecord) -> Readable:
    from reader.extract import extract_article

    source, from_page = _source_html(record)
    article = extract_article(source, record.url)
    return Readable(
        article_id=record.id,
        url=record.url,
        title=article.title or record.title or "(untitled)",
        feed_title=record.feed_title,
        author=article.author or record.author,
        published=article.published or record.published,
        updated=article.updated or record.updated,
        site_name=article.site_name,
        language=article.language,
        breadcrumb=list(article.breadcrumb),
        markdown=article.markdown,
        quotes=[tuple(span) for span in article.quotes],
        links=list(article.links),
        related=[{"title": link.title, "url": link.url} for link in article.related],
        comment_form=asdict(article.comment_form) if article.comment_form else None,
        comments=[asdict(comment) for comment in article.comments],
        embeds=[asdict(embed) for embed in article.embeds],
        ok=article.ok,
        error=article.error,
        from_page=from_page,
    )
