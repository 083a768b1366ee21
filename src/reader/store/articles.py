"""Articles: feed items with their raw page HTML, read state, cached rendering and FTS index.

Raw HTML is stored as fetched; conversion to Markdown happens when an article is opened and is
cached here with the converter's version, so a converter upgrade re-renders lazily.
"""

from __future__ import annotations

import html
import json
import re
import sqlite3
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any, Protocol

from reader.sanitize import clean_text
from reader.store.db import Database
from reader.store.retention import was_pruned
from reader.store.timeutil import normalize_iso, now_iso

BATCH = 500
"""Rows written per transaction: big enough to be fast, small enough not to block readers."""

_TAGS = re.compile(r"<[^>]+>")
_HIDDEN = re.compile(r"<(script|style|template|noscript)\b.*?</\1\s*>", re.I | re.S)
"""Elements whose text a reader never sees: kept out of the index (and so out of snippets)."""


class ItemLike(Protocol):
    """What ``upsert`` needs from a parsed feed item (``reader.sources.items.FeedItem``)."""

    guid: str | None
    url: str | None
    title: str | None
    author: str | None
    published: str | None
    updated: str | None
    summary_html: str | None
    content_html: str | None


@dataclass(frozen=True)
class ArticleRow:
    """What the article list shows for one row."""

    id: int
    title: str
    feed_title: str
    published: str
    read: bool
    comment_count: int | None = None
    saved: bool = False


@dataclass(frozen=True)
class ArticleRecord:
    """A whole stored article."""

    id: int
    feed_id: int
    feed_title: str
    guid: str
    url: str | None
    title: str
    author: str | None
    published: str
    updated: str | None
    summary: str | None
    content_html: str | None
    raw_html: bytes | None
    fetched_at: str | None
    read: bool
    categories: tuple[str, ...]
    comments_url: str | None
    comment_count: int | None
    extra: dict[str, Any]
    saved: bool = False


@dataclass
class UpsertResult:
    """What an upsert changed."""

    new_ids: list[int]
    updated: int = 0


def html_to_index_text(markup: str | None) -> str:
    """Cheap tag strip for the search index (good enough for ranking, no parser cost)."""
    if not markup:
        return ""
    if "<" in markup and _HIDDEN.search(markup):
        markup = _HIDDEN.sub(" ", markup)
    text = _TAGS.sub(" ", markup)
    return html.unescape(text) if "&" in text else text


def _record(row: sqlite3.Row) -> ArticleRecord:
    return ArticleRecord(
        id=row["id"],
        feed_id=row["feed_id"],
        feed_title=row["feed_title"] or "",
        guid=row["guid"],
        url=row["url"],
        title=row["title"],
        author=row["author"],
        published=row["published"],
        updated=row["updated"],
        summary=row["summary"],
        content_html=row["content_html"],
        raw_html=bytes(row["raw_html"]) if row["raw_html"] is not None else None,
        fetched_at=row["fetched_at"],
        read=bool(row["read"]),
        categories=tuple(json.loads(row["categories"] or "[]")),
        comments_url=row["comments_url"],
        comment_count=row["comment_count"],
        extra=json.loads(row["extra"] or "{}"),
        saved=bool(row["saved"]),
    )


LIST_COLUMNS = (
    "a.id, a.title, a.published, a.read, a.saved, a.comment_count,"
    " coalesce(f.title, f.url) AS feed_title"
)
"""What a list row needs (``list_row``), for queries over ``articles a JOIN feeds f``."""


def list_row(row: sqlite3.Row) -> ArticleRow:
    """One list row from a query selecting ``LIST_COLUMNS``."""
    return ArticleRow(
        row["id"],
        row["title"],
        row["feed_title"],
        row["published"],
        bool(row["read"]),
        row["comment_count"],
        bool(row["saved"]),
    )


_FULL = (
    "SELECT a.*, coalesce(f.title, f.url) AS feed_title FROM articles a "
    "JOIN feeds f ON f.id = a.feed_id"
)


class Articles:
    """Article rows, the list order, search and the related-links cache."""

    def __init__(self, db: Database) -> None:
        self.db = db

    # -- writing -------------------------------------------------------------------------
    def upsert(self, feed_id: int, items: Iterable[ItemLike]) -> UpsertResult:
        """Insert new items and update changed ones in place (dedupe by GUID, then link)."""
        result = UpsertResult(new_ids=[])
        batch: list[ItemLike] = []
        for item in items:
            batch.append(item)
            if len(batch) >= BATCH:
                self._upsert_batch(feed_id, batch, result)
                batch = []
        if batch:
            self._upsert_batch(feed_id, batch, result)
        return result

    def _upsert_batch(self, feed_id: int, items: Sequence[ItemLike], result: UpsertResult) -> None:
        fetched = now_iso()
        with self.db.transaction() as conn:
            for item in items:
                guid = item.guid or item.url or item.title
                if not guid:
                    continue
                row = self._existing(conn, feed_id, guid, item.url)
                if row is None and was_pruned(conn, feed_id, guid, item.url):
                    continue  # the retention policy deleted it: not new again
                updated = normalize_iso(item.updated)
                published = normalize_iso(item.published) or updated or fetched
                categories = json.dumps(list(getattr(item, "categories", None) or []))
                extra = json.dumps(getattr(item, "extra", None) or {})
                values = (
                    item.url,
                    item.title or "",
                    item.author,
                    updated,
                    item.summary_html,
                    item.content_html,
                    categories,
                    getattr(item, "comments_url", None),
                    getattr(item, "comment_count", None),
                )
                if row is None:
                    cursor = conn.execute(
                        "INSERT INTO articles (feed_id, guid, url, title, author, updated, summary,"
                        " content_html, categories, comments_url, comment_count, published, extra)"
                        " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                        (feed_id, guid, *values, published, extra),
                    )
                    article_id = int(cursor.lastrowid or 0)
                    result.new_ids.append(article_id)
                    self._index(
                        conn, article_id, item.title, item.content_html or item.summary_html
                    )
                    continue
                changed = (
                    row["title"] != (item.title or "")
                    or row["summary"] != item.summary_html
                    or row["content_html"] != item.content_html
                    or row["updated"] != updated
                )
                if changed:
                    conn.execute(
                        "UPDATE articles SET url = ?, title = ?, author = ?, updated = ?,"
                        " summary = ?, content_html = ?, categories = ?, comments_url = ?,"
                        " comment_count = ?, rendered = NULL, rendered_version = NULL WHERE id = ?",
                        (*values, row["id"]),
                    )
                    self._index(conn, row["id"], item.title, item.content_html or item.summary_html)
                    result.updated += 1
                self._update_metadata(conn, row, item, categories)

    @staticmethod
    def _update_metadata(
        conn: sqlite3.Connection, row: sqlite3.Row, item: ItemLike, categories: str
    ) -> None:
        """Comment counts, categories and source data change without the text changing."""
        count = getattr(item, "comment_count", None)
        stored_extra = json.loads(row["extra"] or "{}")
        merged = {**stored_extra, **(getattr(item, "extra", None) or {})}
        new_count = count if count is not None else row["comment_count"]
        if (new_count, categories, merged) != (
            row["comment_count"],
            row["categories"],
            stored_extra,
        ):
            conn.execute(
                "UPDATE articles SET comment_count = ?, categories = ?, extra = ? WHERE id = ?",
                (new_count, categories, json.dumps(merged), row["id"]),
            )

    @staticmethod
    def _existing(
        conn: sqlite3.Connection, feed_id: int, guid: str, url: str | None
    ) -> sqlite3.Row | None:
        """The stored copy of an item: same GUID, else same link (two index probes).

        One ``guid = ? OR url = ?`` query is planned as a scan of the whole feed; two probes
        use the (feed_id, guid) and url indexes (``+feed_id`` keeps the planner off the feed
        index).
        """
        columns = (
            "SELECT id, title, summary, content_html, updated, comment_count, categories, extra"
            " FROM articles"
        )
        row = conn.execute(f"{columns} WHERE feed_id = ? AND guid = ?", (feed_id, guid)).fetchone()
        if row is None and url:
            row = conn.execute(
                f"{columns} WHERE url = ? AND +feed_id = ? LIMIT 1", (url, feed_id)
            ).fetchone()
        return row

    @staticmethod
    def _index(
        conn: sqlite3.Connection, article_id: int, title: str | None, body: str | None
    ) -> None:
        conn.execute("DELETE FROM articles_fts WHERE rowid = ?", (article_id,))
        conn.execute(
            "INSERT INTO articles_fts (rowid, title, body) VALUES (?, ?, ?)",
            (article_id, title or "", html_to_index_text(body)),
        )

    def set_page(
        self, article_id: int, raw_html: bytes, *, reindex_text: str | None = None
    ) -> None:
        """Store the fetched page HTML (drops the cached rendering, which came from older input)."""
        with self.db.transaction() as conn:
            conn.execute(
                "UPDATE articles SET raw_html = ?, fetched_at = ?, rendered = NULL,"
                " rendered_version = NULL WHERE id = ?",
                (raw_html, now_iso(), article_id),
            )
            if reindex_text is not None:
                title = conn.execute("SELECT title FROM articles WHERE id = ?", (article_id,))
                row = title.fetchone()
                conn.execute("DELETE FROM articles_fts WHERE rowid = ?", (article_id,))
                conn.execute(
                    "INSERT INTO articles_fts (rowid, title, body) VALUES (?, ?, ?)",
                    (article_id, row[0] if row else "", clean_text(reindex_text)),
                )

    def set_read(self, article_id: int, read: bool = True) -> None:
        """Mark one article read or unread."""
        self.db.execute("UPDATE articles SET read = ? WHERE id = ?", (int(read), article_id))

    def set_extra(self, article_id: int, **values: Any) -> None:
        """Merge keys into the article's ``extra`` JSON (e.g. WordPress post id, related field)."""
        with self.db.transaction() as conn:
            row = conn.execute("SELECT extra FROM articles WHERE id = ?", (article_id,)).fetchone()
            if row is None:
                return
            extra = json.loads(row[0] or "{}")
            extra.update(values)
            conn.execute(
                "UPDATE articles SET extra = ? WHERE id = ?", (json.dumps(extra), article_id)
            )

    def store_rendered(
        self, article_id: int, version: str, payload: dict[str, Any], fetched_at: str | None
    ) -> None:
        """Cache an extraction/rendering result under the converter version that made it,
        unless the page changed since it was read (``fetched_at`` as read): a rendering of the
        feed's text must not outlive the page that arrived while it was being made."""
        self.db.execute(
            "UPDATE articles SET rendered = ?, rendered_version = ? WHERE id = ?"
            " AND fetched_at IS ?",
            (json.dumps(payload, ensure_ascii=False), version, article_id, fetched_at),
        )

    # -- reading -------------------------------------------------------------------------
    def rendered(self, article_id: int, version: str) -> dict[str, Any] | None:
        """The cached rendering if it was made by this converter version."""
        row = self.db.query_one(
            "SELECT rendered FROM articles WHERE id = ? AND rendered_version = ?",
            (article_id, version),
        )
        return json.loads(row[0]) if row and row[0] else None

    def get(self, article_id: int) -> ArticleRecord | None:
        """One article with everything stored about it."""
        row = self.db.query_one(f"{_FULL} WHERE a.id = ?", (article_id,))
        return _record(row) if row else None

    def by_url(self, url: str) -> ArticleRecord | None:
        """The article whose link is ``url`` (ignoring a fragment and a trailing slash)."""
        base = url.split("#", 1)[0]
        candidates = {base, base.rstrip("/"), base.rstrip("/") + "/"}
        marks = ", ".join("?" for _ in candidates)
        row = self.db.query_one(
            f"{_FULL} WHERE a.url IN ({marks}) ORDER BY a.raw_html IS NULL, a.id LIMIT 1",
            tuple(candidates),
        )
        return _record(row) if row else None

    def count(self) -> int:
        """How many articles are stored."""
        row = self.db.query_one("SELECT count(*) FROM articles")
        return int(row[0]) if row else 0

    def ordered_ids(self, *, feed_id: int | None = None, unread_only: bool = False) -> list[int]:
        """Article ids newest first: the list pane holds only these and fetches rows lazily."""
        where, params = [], []
        if feed_id is not None:
            where.append("feed_id = ?")
            params.append(feed_id)
        if unread_only:
            where.append("read = 0")
        clause = f" WHERE {' AND '.join(where)}" if where else ""
        return self.db.column(
            f"SELECT id FROM articles{clause} ORDER BY published DESC, id DESC", tuple(params)
        )

    def rows(self, ids: Sequence[int]) -> dict[int, ArticleRow]:
        """List rows for a window of ids (one query per window, not per row)."""
        if not ids:
            return {}
        marks = ", ".join("?" for _ in ids)
        rows = self.db.query(
            f"SELECT {LIST_COLUMNS} FROM articles a"
            f" JOIN feeds f ON f.id = a.feed_id WHERE a.id IN ({marks})",
            tuple(ids),
        )
        return {row["id"]: list_row(row) for row in rows}

    def without_page(self, feed_id: int, limit: int) -> list[tuple[int, str]]:
        """Newest articles of a feed whose page HTML is not stored yet (for prefetch)."""
        rows = self.db.query(
            "SELECT id, url FROM articles WHERE feed_id = ? AND raw_html IS NULL"
            " AND url IS NOT NULL ORDER BY published DESC LIMIT ?",
            (feed_id, limit),
        )
        return [(row["id"], row["url"]) for row in rows]
