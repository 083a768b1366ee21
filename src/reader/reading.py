"""Open a stored article for reading: extract it once, cache the result per converter version.

The store keeps raw page HTML; this module turns it into a ``Readable`` (metadata, Markdown body,
quote spans, links, related links, comment form). The result is cached in the store, so
the second open costs one query. Used by the TUI and by ``reader show``.

A ``Readable`` keeps the extractor's typed parts (``RelatedLink``, ``CommentForm``, ``Comment``,
``Embed``); plain dicts exist only in the JSON cache (``to_cache``/``from_cache``) and in
``reader show --json`` (``to_dict``).
"""

from __future__ import annotations

import html
import re
from dataclasses import asdict, dataclass, field, fields, replace
from typing import Any

from reader.extract.model import Article, Comment, CommentForm, Embed, RelatedLink
from reader.store import ArticleRecord, Store

WORDS_PER_MINUTE = 230

CACHE_FORMAT = 2
"""Shape of a Readable's cached JSON, part of the cache key: bump it when ``to_cache`` changes.

1 had no ``canonical_url``; 2 adds it. A rendering cached in another shape is made again.
"""

# ``reader show --json`` prints these keys in this order (then reading_minutes): scripts read it.
_JSON_KEYS = (
    "article_id",
    "url",
    "title",
    "feed_title",
    "author",
    "published",
    "updated",
    "site_name",
    "language",
    "breadcrumb",
    "markdown",
    "quotes",
    "links",
    "related",
    "comment_form",
    "comments",
    "embeds",
    "ok",
    "error",
    "from_page",
)


@dataclass(frozen=True, kw_only=True)
class Readable(Article):
    """Everything the reading pane and ``reader show`` need about one article.

    The extracted ``Article`` (metadata from ``ArticleMeta``, body, parts) plus where it came
    from; the title always has a value here.
    """

    article_id: int
    url: str | None
    title: str = field()
    feed_title: str = ""
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
        """JSON-ready form for ``--json``."""
        data = asdict(self)
        return {key: data[key] for key in _JSON_KEYS} | {"reading_minutes": self.reading_minutes}

    def to_cache(self) -> dict[str, Any]:
        """JSON-ready form for the store's cache: every field, read back by ``from_cache``."""
        return asdict(self)

    @classmethod
    def from_cache(cls, data: dict[str, Any]) -> Readable:
        """The Readable ``to_cache`` wrote, typed again; ValueError for any other shape."""
        names = {f.name for f in fields(cls)}
        if not isinstance(data, dict) or set(data) != names:
            raise ValueError("not a cached Readable of this format")
        form = data["comment_form"]
        try:
            return cls(
                **{
                    **data,
                    "quotes": [(start, end) for start, end in data["quotes"]],
                    "related": [RelatedLink(**link) for link in data["related"]],
                    "comment_form": CommentForm(**form) if form is not None else None,
                    "comments": [Comment(**comment) for comment in data["comments"]],
                    "embeds": [Embed(**embed) for embed in data["embeds"]],
                }
            )
        except (TypeError, ValueError) as error:
            raise ValueError(f"not a cached Readable of this format: {error}") from error


def cache_version() -> str:
    """Key of cached renderings: changes whenever extraction, conversion or cache format does."""
    import reader.extract
    from reader.render.markdown import CONVERTER_VERSION

    extractor = getattr(reader.extract, "EXTRACTOR_VERSION", "1")
    return f"{extractor}/{CONVERTER_VERSION}/{CACHE_FORMAT}"


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
            try:
                return replace(Readable.from_cache(cached), feed_title=record.feed_title)
            except ValueError:
                pass  # a shape this code does not write: extracted again below, never misread
    readable = _extract(record)
    store.articles.store_rendered(article_id, version, readable.to_cache(), record.fetched_at)
    return readable


def _extract(record: ArticleRecord) -> Readable:
    from reader.extract import extract_article

    source, from_page = _source_html(record)
    article = extract_article(source, record.url)
    return Readable(
        **{f.name: getattr(article, f.name) for f in fields(Article)}
        | {
            "title": article.title or record.title or "(untitled)",
            "author": article.author or record.author,
            "published": article.published or record.published,
            "updated": article.updated or record.updated,
        },
        article_id=record.id,
        url=record.url,
        feed_title=record.feed_title,
        from_page=from_page,
    )
