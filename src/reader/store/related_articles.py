"""The article reads behind related posts: same-feed terms, FTS5 similarity, cached posts.

``related/`` decides what is related and how it ranks; the statements it needs live here, each
shaped for its index: the same-feed scan stays inside the covering index ``articles_feed_terms``
(migration 7), the similarity counts stop at a cap, and URL lookups probe ``articles_by_url``.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from reader.store.db import Database

_CHUNK = 400
"""Values per ``IN (...)`` list (SQLite allows 999 parameters in older builds)."""

_POST = (
    "SELECT a.id, a.url, a.title, a.published, coalesce(f.title, f.url) AS site,"
    " (a.raw_html IS NOT NULL OR a.content_html IS NOT NULL OR a.summary IS NOT NULL)"
    " AS readable FROM articles a JOIN feeds f ON f.id = a.feed_id"
)


@dataclass(frozen=True, slots=True)
class Headline:
    """An article's link, title and date: what a related entry shows of it."""

    id: int
    url: str | None
    title: str
    published: str


@dataclass(frozen=True, slots=True)
class CachedPost:
    """A cached article as a related entry resolves it."""

    id: int
    url: str | None
    title: str
    published: str
    site: str
    """The feed's title (its URL when untitled)."""
    readable: bool
    """Something to read offline is stored: the page, the feed's content or its summary."""


def _post(row: Sequence) -> CachedPost:
    return CachedPost(row[0], row[1], row[2], row[3], row[4], bool(row[5]))


class RelatedArticles:
    """Read-only queries over ``articles``, ``feeds`` and ``articles_fts`` for related posts."""

    def __init__(self, db: Database) -> None:
        self.db = db

    def posts(self, ids: Sequence[int]) -> dict[int, CachedPost]:
        """The cached articles with these ids, keyed by id."""
        if not ids:
            return {}
        marks = ", ".join("?" for _ in ids)
        rows = self.db.query(f"{_POST} WHERE a.id IN ({marks})", tuple(ids))
        return {row[0]: _post(row) for row in rows}

    def posts_at(self, urls: Sequence[str]) -> list[CachedPost]:
        """The cached articles whose link is one of ``urls`` (exact spellings), in chunks of
        ``_CHUNK`` URLs; inside a chunk, articles with a stored page first, then newest first."""
        found: list[CachedPost] = []
        for start in range(0, len(urls), _CHUNK):
            chunk = tuple(urls[start : start + _CHUNK])
            marks = ", ".join("?" for _ in chunk)
            rows = self.db.query(
                f"{_POST} WHERE a.url IN ({marks}) ORDER BY a.raw_html IS NULL, a.id DESC", chunk
            )
            found += [_post(row) for row in rows]
        return found

    def headlines(self, ids: Sequence[int]) -> dict[int, Headline]:
        """Link, title and date of these articles, keyed by id (no join: cheaper than
        ``posts``)."""
        if not ids:
            return {}
        marks = ", ".join("?" for _ in ids)
        rows = self.db.query(
            f"SELECT id, url, title, published FROM articles WHERE id IN ({marks})", tuple(ids)
        )
        return {row[0]: Headline(row[0], row[1], row[2], row[3]) for row in rows}

    def sharing_terms(
        self, feed_id: int, terms: Sequence[str], window: int
    ) -> list[tuple[int, str, set[str]]]:
        """Articles among the feed's newest ``window`` that carry any of ``terms``, as
        (id, published, the terms it shares); ``terms`` must be lower-case (ASCII folding, as
        SQLite's ``lower()``)."""
        if not terms:
            return []
        marks = ", ".join("?" for _ in terms)
        # Only id/published/categories here, so the scan stays inside the covering index
        # articles_feed_terms (migration 7); url and title are read for the winners only.
        rows = self.db.query(
            "SELECT a.id, a.published, group_concat(lower(j.value), char(31)) AS shared"
            " FROM (SELECT id, published, categories FROM articles"
            "       WHERE feed_id = ? ORDER BY published DESC LIMIT ?) AS a,"
            f" json_each(a.categories) AS j WHERE lower(j.value) IN ({marks}) GROUP BY a.id",
            (feed_id, window, *terms),
        )
        return [(row[0], row[1] or "", set((row[2] or "").split("\x1f"))) for row in rows]

    def window_size(self, feed_id: int, window: int) -> int:
        """How many articles the feed has, counting no further than ``window``."""
        row = self.db.query_one(
            "SELECT count(*) FROM (SELECT 1 FROM articles WHERE feed_id = ? LIMIT ?)",
            (feed_id, window),
        )
        return int(row[0]) if row else 0

    def highest_id(self) -> int | None:
        """The largest article id (a cheap stand-in for the article count); None when empty."""
        row = self.db.query_one("SELECT max(rowid) FROM articles")
        return row[0] if row else None

    def term_count(self, term: str, cap: int) -> int:
        """How many indexed articles hold the word ``term``, counting no further than ``cap``.

        The word is matched as one quoted FTS5 string; the count stops at ``cap`` because an
        exact count of a word in most of 100,000 articles costs ~10 ms.
        """
        row = self.db.query_one(
            "SELECT count(*) FROM (SELECT rowid FROM articles_fts WHERE articles_fts MATCH ?"
            " LIMIT ?)",
            (f'"{term}"', cap),
        )
        return int(row[0]) if row else 0

    def best_matches(
        self, terms: Sequence[str], exclude_id: int, limit: int
    ) -> list[tuple[int, float]]:
        """(article id, BM25 rank) of the articles best matching any of ``terms`` (title
        weighted 3:1 over body), best first; ``exclude_id`` is left out. Lower ranks are better
        (FTS5 ranks are negative)."""
        if not terms:
            return []
        match = " OR ".join(f'"{term}"' for term in terms)
        rows = self.db.query(
            "SELECT rowid, rank FROM articles_fts WHERE articles_fts MATCH ?"
            " AND rank MATCH 'bm25(3.0, 1.0)' AND rowid != ? ORDER BY rank LIMIT ?",
            (match, exclude_id, limit),
        )
        return [(int(row[0]), float(row[1])) for row in rows]
