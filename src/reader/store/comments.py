"""Fetched comment threads, kept so an article's comments can be read offline.

A thread is replaced as a whole each time it is fetched (comments get edited, unapproved or
deleted upstream, so merging would keep stale ones). It is keyed by the article's URL rather than
its row id because ``reader comments URL`` also works for pages that are not subscribed; the row
id is kept when known so the article list can show the count.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from reader.sanitize import clean_line, clean_text, http_url
from reader.store.db import Database
from reader.store.timeutil import now_iso


@dataclass(frozen=True)
class StoredComment:
    """One cached comment; ``parent`` is the parent comment's id (None at the top level)."""

    id: str
    parent: str | None
    author: str
    date: str | None
    text: str
    author_url: str | None = None
    link: str | None = None


@dataclass(frozen=True)
class StoredThread:
    """A cached thread: its comments in display order and where and when they came from."""

    article_url: str
    article_id: int | None
    source: str
    fetched_at: str
    comments: list[StoredComment]


def thread_key(url: str) -> str:
    """The cache key for an article URL: no fragment, so ``#comments`` links hit the same row."""
    return url.split("#", 1)[0]


class Comments:
    """The ``comments`` and ``comment_threads`` tables."""

    def __init__(self, db: Database) -> None:
        self.db = db

    def replace(
        self,
        article_url: str,
        comments: Iterable[StoredComment],
        *,
        source: str,
        article_id: int | None = None,
    ) -> StoredThread:
        """Store a freshly fetched thread in place of the cached one (and the article's count)."""
        key = thread_key(article_url)
        items = list(comments)
        fetched = now_iso()
        with self.db.transaction() as conn:
            conn.execute("DELETE FROM comments WHERE article_url = ?", (key,))
            conn.executemany(
                "INSERT OR REPLACE INTO comments (article_url, comment_id, parent_id, author,"
                " author_url, published, body, link, position) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
                [  # the door for comments: whatever parsed them, they are stored clean
                    (
                        key,
                        clean_line(c.id),
                        clean_line(c.parent) or None,
                        clean_line(c.author),
                        http_url(c.author_url),
                        c.date,
                        clean_text(c.text),
                        http_url(c.link),
                        i,
                    )
                    for i, c in enumerate(items)
                ],
            )
            conn.execute(
                "INSERT INTO comment_threads (article_url, article_id, source, total, fetched_at)"
                " VALUES (?, ?, ?, ?, ?) ON CONFLICT (article_url) DO UPDATE SET"
                " article_id = coalesce(excluded.article_id, article_id),"
                " source = excluded.source, total = excluded.total,"
                " fetched_at = excluded.fetched_at",
                (key, article_id, source, len(items), fetched),
            )
            if article_id is not None:
                # the list pane shows this count; the thread we just read is the freshest figure
                conn.execute(
                    "UPDATE articles SET comment_count = ? WHERE id = ?", (len(items), article_id)
                )
        return StoredThread(key, article_id, source, fetched, items)

    def thread(self, article_url: str) -> StoredThread | None:
        """The cached thread of an article, or None if it was never fetched."""
        key = thread_key(article_url)
        meta = self.db.query_one("SELECT * FROM comment_threads WHERE article_url = ?", (key,))
        if meta is None:
            return None
        rows = self.db.query(
            "SELECT * FROM comments WHERE article_url = ? ORDER BY position", (key,)
        )
        comments = [
            StoredComment(
                id=row["comment_id"],
                parent=row["parent_id"],
                author=row["author"],
                date=row["published"],
                text=row["body"],
                author_url=row["author_url"],
                link=row["link"],
            )
            for row in rows
        ]
        return StoredThread(key, meta["article_id"], meta["source"], meta["fetched_at"], comments)

    def count(self, article_url: str) -> int | None:
        """How many comments the cached thread holds (None if never fetched)."""
        row = self.db.query_one(
            "SELECT total FROM comment_threads WHERE article_url = ?", (thread_key(article_url),)
        )
        return int(row[0]) if row else None

    def forget(self, article_url: str) -> None:
        """Drop a cached thread."""
        key = thread_key(article_url)
        with self.db.transaction() as conn:
            conn.execute("DELETE FROM comments WHERE article_url = ?", (key,))
            conn.execute("DELETE FROM comment_threads WHERE article_url = ?", (key,))
