"""Removing a feed so that it can be put back: the app's "remove feed" has an undo.

Unsubscribing deletes the feed's articles (and, by cascade, their related links and search
rows). ``remove_feed`` first copies every row that goes, or that loses its link to an article
(drafts and comment threads keep their text but their ``article_id`` becomes NULL), and
``restore`` writes them back with their ids, so read and saved state, cached pages and the
drafts' links come back exactly. The copy lives in memory for as long as the undo is offered.
"""

from __future__ import annotations

import sqlite3
from dataclasses import dataclass, field

from reader.store.db import Database

_LINKED = ("drafts", "comment_threads")
"""Tables whose ``article_id`` is set to NULL when the article goes."""


@dataclass
class RemovedFeed:
    """Everything a removal deleted or unlinked, as rows."""

    feed: dict[str, object]
    articles: list[dict[str, object]] = field(default_factory=list)
    related: list[dict[str, object]] = field(default_factory=list)
    pruned: list[dict[str, object]] = field(default_factory=list)
    """The feed's tombstones (``store.retention``): without them pruned articles the feed
    still lists would come back as new after an undo."""
    search: list[tuple[int, str, str]] = field(default_factory=list)
    links: dict[str, list[tuple[object, int]]] = field(default_factory=dict)
    """Table → (its primary key, the article id it pointed at)."""
    sync: dict[str, list[dict[str, object]]] = field(default_factory=dict)
    """A synced feed's links to its server (``sync_feeds``, ``sync_items``): an undo puts
    them back, so the feed stays synced and its articles keep their item ids."""

    @property
    def title(self) -> str:
        """The feed's name, as the undo message says it."""
        return str(self.feed.get("title") or self.feed.get("url"))


def _rows(conn: sqlite3.Connection, sql: str, params: tuple[object, ...]) -> list[dict]:
    cursor = conn.execute(sql, params)
    names = [column[0] for column in cursor.description]
    return [dict(zip(names, row, strict=True)) for row in cursor]


def _insert(conn: sqlite3.Connection, table: str, rows: list[dict[str, object]]) -> None:
    if not rows:
        return
    names = list(rows[0])
    marks = ", ".join("?" for _ in names)
    conn.executemany(
        f"INSERT INTO {table} ({', '.join(names)}) VALUES ({marks})",
        [tuple(row[name] for name in names) for row in rows],
    )


class Trash:
    """Remove a feed keeping a copy; restore the copy."""

    def __init__(self, db: Database) -> None:
        self.db = db

    def remove_feed(self, feed_id: int) -> RemovedFeed | None:
        """Delete a feed and its articles, returning what went (None if there was no feed)."""
        with self.db.transaction() as conn:
            feeds = _rows(conn, "SELECT * FROM feeds WHERE id = ?", (feed_id,))
            if not feeds:
                return None
            removed = RemovedFeed(feeds[0])
            removed.articles = _rows(conn, "SELECT * FROM articles WHERE feed_id = ?", (feed_id,))
            of_feed = "(SELECT id FROM articles WHERE feed_id = ?)"
            removed.related = _rows(
                conn, f"SELECT * FROM related_links WHERE article_id IN {of_feed}", (feed_id,)
            )
            removed.pruned = _rows(conn, "SELECT * FROM pruned WHERE feed_id = ?", (feed_id,))
            removed.search = conn.execute(
                f"SELECT rowid, title, body FROM articles_fts WHERE rowid IN {of_feed}",
                (feed_id,),
            ).fetchall()
            for table in _LINKED:
                key = "id" if table == "drafts" else "article_url"
                removed.links[table] = conn.execute(
                    f"SELECT {key}, article_id FROM {table} WHERE article_id IN {of_feed}",
                    (feed_id,),
                ).fetchall()
            removed.sync = {
                "sync_feeds": _rows(conn, "SELECT * FROM sync_feeds WHERE feed_id = ?", (feed_id,)),
                "sync_items": _rows(
                    conn, f"SELECT * FROM sync_items WHERE article_id IN {of_feed}", (feed_id,)
                ),
            }
            conn.execute("DELETE FROM feeds WHERE id = ?", (feed_id,))
        return removed

    def restore(self, removed: RemovedFeed) -> bool:
        """Put a removed feed back; False (nothing written) if its address was subscribed
        again meanwhile or new articles took its articles' ids."""
        try:
            return self._restore(removed)
        except sqlite3.IntegrityError:
            return False

    def _restore(self, removed: RemovedFeed) -> bool:
        with self.db.transaction() as conn:
            taken = conn.execute(
                "SELECT 1 FROM feeds WHERE id = ? OR url = ?",
                (removed.feed["id"], removed.feed["url"]),
            ).fetchone()
            if taken:
                return False
            _insert(conn, "feeds", [removed.feed])
            _insert(conn, "articles", removed.articles)
            _insert(conn, "related_links", removed.related)
            _insert(conn, "pruned", removed.pruned)
            for table, rows in removed.sync.items():
                _insert(conn, table, rows)
            conn.executemany(
                "INSERT INTO articles_fts (rowid, title, body) VALUES (?, ?, ?)", removed.search
            )
            for table, pairs in removed.links.items():
                key = "id" if table == "drafts" else "article_url"
                conn.executemany(
                    f"UPDATE {table} SET article_id = ? WHERE {key} = ? AND article_id IS NULL",
                    [(article_id, pk) for pk, article_id in pairs],
                )
        return True
