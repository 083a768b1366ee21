"""Views of the article list (all, unread, saved, a tag, a feed, a saved search) and counts.

A view is a filter over the articles, newest first. Each view's ids come from one query on an
index made for it (``schema`` step 11), and the counts the feeds pane shows come from three
indexed queries in all, whatever the number of feeds: tag counts are sums of feed counts. A
saved search's ids are its newest matches (``Search.matching_ids``), its count is counted
apart (``Search.count_unread``: bounded, never ranked).
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from enum import StrEnum

from reader.store.db import Database
from reader.store.saved_searches import SavedSearches
from reader.store.search import Search


class ViewKind(StrEnum):
    """What a view filters on."""

    ALL = "all"
    UNREAD = "unread"
    SAVED = "saved"
    TAG = "tag"
    FEED = "feed"
    SEARCH = "search"


@dataclass(frozen=True)
class View:
    """One view: a kind, plus the tag, feed id or saved search name it is about."""

    kind: ViewKind = ViewKind.ALL
    tag: str | None = None
    feed_id: int | None = None
    search: str | None = None

    @classmethod
    def parse(cls, text: str) -> View:
        """``all``, ``unread``, ``saved``, ``tag:NAME``, ``feed:ID`` or ``search:NAME``;
        ValueError otherwise."""
        name, _, value = text.partition(":")
        kind = ViewKind(name.strip().lower())
        if kind is ViewKind.SEARCH:
            if not value.strip():
                raise ValueError("a saved search view needs a name: search:NAME")
            return cls(kind, search=value.strip())
        if kind is ViewKind.TAG:
            if not value.strip():
                raise ValueError("a tag view needs a tag: tag:NAME")
            return cls(kind, tag=value.strip())
        if kind is ViewKind.FEED:
            if not value.strip().isdigit():
                raise ValueError("a feed view needs a feed id: feed:ID")
            return cls(kind, feed_id=int(value))
        return cls(kind)

    def __str__(self) -> str:
        if self.kind is ViewKind.TAG:
            return f"tag:{self.tag}"
        if self.kind is ViewKind.FEED:
            return f"feed:{self.feed_id}"
        if self.kind is ViewKind.SEARCH:
            return f"search:{self.search}"
        return self.kind.value


ALL = View()


@dataclass
class Counts:
    """How many articles each view holds, as the feeds pane shows them."""

    total: int = 0
    unread: int = 0
    saved: int = 0
    feed_unread: dict[int, int] = field(default_factory=dict)

    def tag_unread(self, feed_ids: list[int]) -> int:
        """Unread articles in the feeds of one tag."""
        return sum(self.feed_unread.get(feed_id, 0) for feed_id in feed_ids)


class Views:
    """The ids of a view, its SQL filter, and every view's count."""

    def __init__(self, db: Database) -> None:
        self.db = db
        self.search = Search(db)
        self.saved_searches = SavedSearches(db)

    def search_ids(self, view: View, *, unread_only: bool = False) -> list[int]:
        """A saved search's newest matches, newest first ([] once it is removed)."""
        saved = self.saved_searches.get(view.search or "")
        if saved is None:
            return []
        return self.search.matching_ids(saved.query, unread_only=unread_only)

    def tag_feeds(self, tag: str) -> list[int]:
        """The ids of the feeds carrying ``tag`` (the feeds table is small: no index needed)."""
        rows = self.db.query("SELECT id, tags FROM feeds")
        return [row["id"] for row in rows if tag in json.loads(row["tags"] or "[]")]

    def where(self, view: View, *, unread_only: bool = False) -> tuple[str, tuple[object, ...]]:
        """The SQL condition on ``articles`` (unaliased) that selects ``view``, and its values."""
        terms: list[str] = []
        params: list[object] = []
        if view.kind is ViewKind.UNREAD or unread_only:
            terms.append("read = 0")
        if view.kind is ViewKind.SAVED:
            terms.append("saved = 1")
        elif view.kind is ViewKind.FEED:
            terms.append("feed_id = ?")
            params.append(view.feed_id)
        elif view.kind is ViewKind.TAG:
            feeds = self.tag_feeds(view.tag or "")
            terms.append(f"feed_id IN ({', '.join('?' for _ in feeds)})" if feeds else "0")
            params.extend(feeds)
        elif view.kind is ViewKind.SEARCH:
            ids = self.search_ids(view, unread_only=unread_only)
            terms.append(f"id IN ({', '.join('?' for _ in ids)})" if ids else "0")
            params.extend(ids)
        return (" AND ".join(terms) or "1"), tuple(params)

    def ids(
        self, view: View = ALL, *, unread_only: bool = False, limit: int | None = None
    ) -> list[int]:
        """The view's article ids, newest first (the list pane fetches rows lazily); only the
        newest ``limit`` if given (a tag view sorts every id it holds; its first screenful
        comes from the index at once)."""
        if view.kind is ViewKind.TAG and not self.tag_feeds(view.tag or ""):
            return []  # no feed carries the tag (``WHERE 0`` would still walk an index)
        if view.kind is ViewKind.SEARCH:
            ids = self.search_ids(view, unread_only=unread_only)
            return ids if limit is None else ids[: int(limit)]
        clause, params = self.where(view, unread_only=unread_only)
        tail = "" if limit is None else f" LIMIT {int(limit)}"
        return self.db.column(
            f"SELECT id FROM articles WHERE {clause} ORDER BY published DESC, id DESC{tail}",
            params,
        )

    def counts(self) -> Counts:
        """Every view's count: all, unread per feed (summed for unread and tags), saved."""
        total = self.db.query_one("SELECT count(*) FROM articles")
        saved = self.db.query_one("SELECT count(*) FROM articles WHERE saved = 1")
        per_feed = self.db.query(
            "SELECT feed_id, count(*) FROM articles WHERE read = 0 GROUP BY feed_id"
        )
        feed_unread = {int(row[0]): int(row[1]) for row in per_feed}
        return Counts(
            total=int(total[0]) if total else 0,
            unread=sum(feed_unread.values()),
            saved=int(saved[0]) if saved else 0,
            feed_unread=feed_unread,
        )
