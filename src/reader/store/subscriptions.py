"""Subscriptions and their health (last status, error, conditional-GET validators)."""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Iterable
from dataclasses import dataclass, field
from enum import StrEnum

from reader.sanitize import clean_line, http_url
from reader.store.db import Database
from reader.store.timeutil import now_iso


class FeedKind(StrEnum):
    """What a feeds row is; only ``FEED`` and ``WORDPRESS`` rows are the user's subscriptions."""

    FEED = "feed"
    """RSS, Atom or JSON Feed."""
    WORDPRESS = "wordpress"
    """A WordPress site read through its REST API."""
    DEMO = "demo"
    """The bundled offline demo site."""
    PAGE = "page"
    """Hidden: one site's pages fetched for related posts (``related/prefetch.py``)."""
    SYNCED = "synced"
    """A subscription of a sync account (``reader.sync``): the server fetches it, not us."""


NOT_SUBSCRIBED = (FeedKind.DEMO, FeedKind.PAGE)


@dataclass(frozen=True)
class Feed:
    """One subscription as stored."""

    id: int
    url: str
    title: str | None
    site_url: str | None
    kind: FeedKind
    tags: tuple[str, ...] = ()
    etag: str | None = None
    last_modified: str | None = None
    last_status: int | None = None
    last_error: str | None = None
    last_checked: str | None = None
    last_success: str | None = None
    user_agent: str | None = None
    gone: bool = False
    retry_after: str | None = None
    api_url: str | None = None
    item_count: int = field(default=0, compare=False)

    @property
    def display_title(self) -> str:
        """The title, or the URL when the feed never told us its name."""
        return self.title or self.url

    @property
    def healthy(self) -> bool:
        """True when the last refresh worked (or none has run yet)."""
        return not self.gone and not self.last_error

    @property
    def subscribed(self) -> bool:
        """A feed the user subscribed to: not the bundled demo, not a hidden page feed."""
        return self.kind not in NOT_SUBSCRIBED


def _feed(row: sqlite3.Row) -> Feed:
    keys = row.keys()
    return Feed(
        id=row["id"],
        url=row["url"],
        title=row["title"],
        site_url=row["site_url"],
        kind=FeedKind(row["kind"]),
        tags=tuple(json.loads(row["tags"] or "[]")),
        etag=row["etag"],
        last_modified=row["last_modified"],
        last_status=row["last_status"],
        last_error=row["last_error"],
        last_checked=row["last_checked"],
        last_success=row["last_success"],
        user_agent=row["user_agent"],
        gone=bool(row["gone"]),
        retry_after=row["retry_after"],
        api_url=row["api_url"],
        item_count=row["item_count"] if "item_count" in keys else 0,
    )


_SELECT = (
    "SELECT f.*, (SELECT count(*) FROM articles a WHERE a.feed_id = f.id) AS item_count "
    "FROM feeds f"
)


_URL_COLUMNS = ("url", "site_url", "api_url")
_LINE_COLUMNS = ("title", "last_error", "etag", "last_modified", "user_agent")


def _clean_row_values(values: dict[str, object]) -> None:
    """The door for feed rows: text from the network one clean line, URLs http(s) only.

    A refresh writes what servers said (a moved URL, an error message quoting the server);
    none of it may carry escape sequences or non-web URLs into the cache.
    """
    for name in _URL_COLUMNS:
        if name in values and values[name] is not None:
            url = http_url(str(values[name]))
            if url is None and name == "url":
                del values[name]  # never replace a working URL with an unusable one
            else:
                values[name] = url
    for name in _LINE_COLUMNS:
        if isinstance(values.get(name), str):
            values[name] = clean_line(values[name]) or None  # type: ignore[arg-type]
    if "tags" in values:
        values["tags"] = [t for t in map(clean_line, values["tags"]) if t]  # type: ignore[call-overload]


class Feeds:
    """Feed rows: add, find, list, remove, record refresh results."""

    def __init__(self, db: Database) -> None:
        self.db = db

    def add(
        self,
        url: str,
        *,
        title: str | None = None,
        site_url: str | None = None,
        kind: FeedKind = FeedKind.FEED,
        tags: Iterable[str] = (),
        api_url: str | None = None,
    ) -> tuple[Feed, bool]:
        """Subscribe to ``url``; return the feed and whether it was new (existing ones are kept).

        Raises ``ValueError`` for a URL that is not http(s): nothing else is ever fetched.
        """
        checked = http_url(url)
        if checked is None:
            raise ValueError(f"not an http(s) URL: {clean_line(url)[:200]!r}")
        url = checked
        title, site_url, api_url = clean_line(title) or None, http_url(site_url), http_url(api_url)
        tags = [t for t in map(clean_line, tags) if t]
        existing = self.by_url(url)
        if existing is not None:
            return existing, False
        self.db.execute(
            "INSERT INTO feeds (url, title, site_url, kind, tags, added_at, api_url) "
            "VALUES (?, ?, ?, ?, ?, ?, ?)",
            (url, title, site_url, kind, json.dumps(list(tags)), now_iso(), api_url),
        )
        feed = self.by_url(url)
        assert feed is not None
        return feed, True

    def get(self, feed_id: int) -> Feed | None:
        """The feed with this id, or None."""
        row = self.db.query_one(f"{_SELECT} WHERE f.id = ?", (feed_id,))
        return _feed(row) if row else None

    def by_url(self, url: str) -> Feed | None:
        """The feed subscribed under this exact URL, or None."""
        row = self.db.query_one(f"{_SELECT} WHERE f.url = ?", (url,))
        return _feed(row) if row else None

    def all(self, *, include_hidden: bool = False, item_counts: bool = True) -> list[Feed]:
        """Every subscription, by title (hidden related-page feeds only when asked; item
        counts cost one index walk per feed, so the feeds pane, which shows unread counts
        from ``store.views``, goes without)."""
        where = "" if include_hidden else " WHERE f.kind != 'page'"
        select = _SELECT if item_counts else "SELECT f.*, 0 AS item_count FROM feeds f"
        rows = self.db.query(f"{select}{where} ORDER BY lower(coalesce(f.title, f.url))")
        return [_feed(row) for row in rows]

    def subscriptions(self) -> list[Feed]:
        """The feeds the user subscribed to (``Feed.subscribed``), by title: what an export
        writes."""
        return [feed for feed in self.all() if feed.subscribed]

    def polled(self) -> list[Feed]:
        """The subscriptions a refresh fetches: not those of a sync account (its server
        fetches them; polling the origin too would double the load on it)."""
        return [feed for feed in self.subscriptions() if feed.kind != FeedKind.SYNCED]

    def sites(self) -> list[tuple[int, str, str | None, str]]:
        """(id, url, site_url, kind) of every feed, hidden ones too, in table order: what
        finding the feed of a page from some site needs, without ``all()``'s item counts."""
        rows = self.db.query("SELECT id, url, site_url, kind FROM feeds")
        return [(row[0], row[1], row[2], row[3]) for row in rows]

    def count(self, *, include_demo: bool = True) -> int:
        """How many subscriptions there are.

        Hidden per-site feeds that only hold prefetched related pages (kind ``page``) are not
        subscriptions; ``include_demo=False`` also leaves out the bundled demo.
        """
        kinds = ("'page'",) if include_demo else ("'page'", "'demo'")
        sql = f"SELECT count(*) FROM feeds WHERE kind NOT IN ({', '.join(kinds)})"
        row = self.db.query_one(sql)
        return int(row[0]) if row else 0

    def health(self) -> tuple[int, int]:
        """(subscriptions, failing ones) in one query: the status bar needs no item counts."""
        row = self.db.query_one(
            "SELECT count(*), coalesce(sum(last_error IS NOT NULL OR gone), 0)"
            " FROM feeds WHERE kind != 'page'"
        )
        return (int(row[0]), int(row[1])) if row else (0, 0)

    def remove(self, url: str) -> bool:
        """Unsubscribe (articles go too, drafts keep their text); return whether it existed."""
        cursor = self.db.execute("DELETE FROM feeds WHERE url = ?", (url,))
        return cursor.rowcount > 0

    def update(self, feed_id: int, **values: object) -> None:
        """Set columns on a feed (title, etag, last_error, url after a permanent redirect, ...)."""
        allowed = {
            "url",
            "title",
            "site_url",
            "kind",
            "etag",
            "last_modified",
            "last_status",
            "last_error",
            "last_checked",
            "last_success",
            "user_agent",
            "gone",
            "retry_after",
            "api_url",
            "tags",
        }
        unknown = set(values) - allowed
        if unknown:
            raise ValueError(f"unknown feed columns: {sorted(unknown)}")
        if not values:
            return
        _clean_row_values(values)
        if "tags" in values:
            values["tags"] = json.dumps(list(values["tags"]))  # type: ignore[arg-type]
        assignments = ", ".join(f"{name} = :{name}" for name in values)
        self.db.execute(f"UPDATE feeds SET {assignments} WHERE id = :id", {**values, "id": feed_id})
