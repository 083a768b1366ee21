"""Retention: which articles a policy lets go, and deleting them in batches.

The rules (``Policy``, from ``config.toml``'s ``[retention]`` and ``[feeds."URL"]`` tables):

- Saved articles, unread ones and those with an unsent comment draft (a draft, a failed send,
  the outbox) always stay, whatever the policy says.
- ``keep`` (a feed's own, else ``keep_per_feed``): the feed's newest ``keep`` articles stay,
  counted newest first over every article of the feed; older read ones go.
- ``keep_days``: read articles published more than that many days ago go.
- Only subscriptions: the bundled demo and the hidden feeds of related pages are never pruned.

An article that goes leaves a tombstone (``pruned``: its feed, GUID and link), so the next
refresh does not store it again as a new, unread article while the feed still lists it
(``Articles.upsert`` skips tombstoned items). A feed keeps its ``TOMBSTONES_PER_FEED`` newest
tombstones; items older than that have left any feed long ago. Removing a feed removes them.

Deletes run in batches of ``BATCH`` articles, one transaction each, so the app and a refresh
in another process never wait long on the write lock; each batch checks the rules again, in
case an article was saved, marked unread or drafted since it was picked. The full-text rows
go with the articles (a trigger, schema step 5).
"""

from __future__ import annotations

import sqlite3
from collections.abc import Collection, Mapping
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from types import MappingProxyType
from typing import TYPE_CHECKING

from reader.config import feed_key
from reader.store.db import Database

if TYPE_CHECKING:
    from reader.config import Config

BATCH = 500
"""Articles deleted per transaction."""
TOMBSTONES_PER_FEED = 1000
"""Tombstones kept per feed, the newest by publication date."""

_UNSENT = "('draft', 'failed', 'queued', 'sending')"
"""Draft states whose text has not reached the site yet: their article stays."""
_PROTECTED = (
    f"a.read = 0 OR a.saved = 1 OR a.id IN (SELECT article_id FROM drafts"
    f" WHERE article_id IS NOT NULL AND deleted_at IS NULL AND state IN {_UNSENT})"
    f" OR (a.url IS NOT NULL AND a.url IN (SELECT article_url FROM drafts"
    f" WHERE deleted_at IS NULL AND state IN {_UNSENT}))"
)
"""SQL over ``articles a``: true for an article no policy may delete (never NULL: an article
without a link would otherwise be neither protected nor not)."""
_PRUNABLE_KINDS = "('feed', 'wordpress')"


@dataclass(frozen=True)
class Policy:
    """How many articles to keep; both limits None (the default) deletes nothing."""

    keep_days: int | None = None
    keep_per_feed: int | None = None
    feed_keep: Mapping[str, int] = field(default_factory=lambda: MappingProxyType({}))
    """A feed's own ``keep`` by ``config.feed_key(url)``; replaces ``keep_per_feed``."""

    @classmethod
    def from_config(cls, config: Config) -> Policy:
        """The policy ``config.toml`` asks for."""
        own = {url: feed.keep for url, feed in config.feeds.items() if feed.keep is not None}
        return cls(
            keep_days=config.retention.keep_days,
            keep_per_feed=config.retention.keep_per_feed,
            feed_keep=MappingProxyType(own),
        )

    @property
    def active(self) -> bool:
        """True when some limit is set (else pruning has nothing to do)."""
        return self.keep_days is not None or self.keep_per_feed is not None or bool(self.feed_keep)

    def keep_for(self, url: str) -> int | None:
        """How many of the newest articles of the feed at ``url`` stay (None: no count limit)."""
        return self.feed_keep.get(feed_key(url), self.keep_per_feed)


@dataclass(frozen=True)
class PruneReport:
    """What a prune deleted (or, a dry run, would delete): article counts by feed id."""

    per_feed: Mapping[int, int]
    dry_run: bool = False

    @property
    def total(self) -> int:
        """Articles deleted (or that would be) in all."""
        return sum(self.per_feed.values())


class Retention:
    """Apply a ``Policy`` to the stored articles."""

    def __init__(self, db: Database) -> None:
        self.db = db

    def prune(
        self,
        policy: Policy,
        *,
        feed_ids: Collection[int] | None = None,
        dry_run: bool = False,
        now: datetime | None = None,
    ) -> PruneReport:
        """Delete what ``policy`` lets go, of every subscription or of ``feed_ids`` only.

        ``dry_run`` deletes nothing and reports what would go. Counts are of articles really
        deleted: one saved or marked unread meanwhile is kept and not counted.
        """
        doomed = self.doomed(policy, feed_ids=feed_ids, now=now)
        if dry_run:
            return PruneReport({f: len(ids) for f, ids in doomed.items() if ids}, dry_run=True)
        counts: dict[int, int] = {}
        ids = [article for feed in doomed.values() for article in feed]
        for start in range(0, len(ids), BATCH):
            for feed_id in self._delete(ids[start : start + BATCH]):
                counts[feed_id] = counts.get(feed_id, 0) + 1
        for feed_id in counts:
            self._trim_tombstones(feed_id)
        return PruneReport(counts)

    def doomed(
        self,
        policy: Policy,
        *,
        feed_ids: Collection[int] | None = None,
        now: datetime | None = None,
    ) -> dict[int, list[int]]:
        """Feed id → ids of the articles ``policy`` lets go (nothing is deleted)."""
        if not policy.active:
            return {}
        cutoff = None
        if policy.keep_days is not None:
            moment = (now or datetime.now(UTC)) - timedelta(days=policy.keep_days)
            cutoff = moment.astimezone(UTC).replace(microsecond=0).isoformat()
        wanted = None if feed_ids is None else set(feed_ids)
        found: dict[int, list[int]] = {}
        for feed_id, url in self.db.query(
            f"SELECT id, url FROM feeds WHERE kind IN {_PRUNABLE_KINDS} ORDER BY id"
        ):
            if wanted is not None and feed_id not in wanted:
                continue
            keep = policy.keep_for(url)
            if keep is None and cutoff is None:
                continue
            found[feed_id] = self._doomed_of(feed_id, keep, cutoff)
        return found

    def _doomed_of(self, feed_id: int, keep: int | None, cutoff: str | None) -> list[int]:
        """One feed's articles past its count or age limit and not protected."""
        return self.db.column(
            "SELECT id FROM (SELECT a.id, a.published,"
            " row_number() OVER (ORDER BY a.published DESC, a.id DESC) AS rank,"
            f" ({_PROTECTED}) AS protected FROM articles a WHERE a.feed_id = ?)"
            " WHERE NOT protected AND ((? IS NOT NULL AND rank > ?) OR published < ?)",
            (feed_id, keep, keep, cutoff),
        )

    def _delete(self, ids: list[int]) -> list[int]:
        """Delete one batch (rules checked again), leaving tombstones; the feed id of each."""
        marks = ", ".join("?" for _ in ids)
        chosen = f"a.id IN ({marks}) AND NOT ({_PROTECTED})"
        with self.db.transaction() as conn:
            conn.execute(
                "INSERT OR IGNORE INTO pruned (feed_id, guid, url, published)"
                f" SELECT a.feed_id, a.guid, a.url, a.published FROM articles a WHERE {chosen}",
                ids,
            )
            rows = conn.execute(
                f"DELETE FROM articles AS a WHERE {chosen} RETURNING feed_id", ids
            ).fetchall()
        return [int(row[0]) for row in rows]

    def _trim_tombstones(self, feed_id: int) -> None:
        self.db.execute(
            "DELETE FROM pruned WHERE feed_id = ? AND guid IN (SELECT guid FROM pruned"
            " WHERE feed_id = ? ORDER BY published DESC LIMIT -1 OFFSET ?)",
            (feed_id, feed_id, TOMBSTONES_PER_FEED),
        )

    def tombstones(self, feed_id: int) -> int:
        """How many pruned articles of the feed are remembered (so never stored again)."""
        row = self.db.query_one("SELECT count(*) FROM pruned WHERE feed_id = ?", (feed_id,))
        return int(row[0]) if row else 0


def was_pruned(conn: sqlite3.Connection, feed_id: int, guid: str, url: str | None) -> bool:
    """True when the item (same GUID, else same link) was pruned from this feed: an upsert
    must not store it again. Two index probes, like ``Articles._existing``."""
    if conn.execute(
        "SELECT 1 FROM pruned WHERE feed_id = ? AND guid = ?", (feed_id, guid)
    ).fetchone():
        return True
    return bool(
        url
        and conn.execute(
            "SELECT 1 FROM pruned WHERE feed_id = ? AND url = ?", (feed_id, url)
        ).fetchone()
    )
