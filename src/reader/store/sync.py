"""What sync keeps beside feeds and articles: accounts, links to server ids, the change queue.

Schema step 13. A synced feed is an ordinary ``feeds`` row (kind ``synced``) linked to its
account and stream id in ``sync_feeds``; a synced article is an ordinary ``articles`` row linked
to its item id (decimal) and to the state the server last reported in ``sync_items``.

The queue of local changes (``sync_queue``) is filled by triggers on ``articles.read`` and
``articles.saved``: every code path that marks an article (``store.marks``,
``store.articles.set_read``, anything later) queues it in the same transaction, and only when
the new value differs from the server's. Toggling back before a sync removes the entry. The
server's state is applied by setting ``server_read``/``server_starred`` first, so the triggers
see nothing to queue. Conflict rule: a queued local change wins over the server's state read
after it was made (the Google Reader API gives no per-item change time for read or starred).
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from reader.store.db import Database
from reader.store.timeutil import now_iso

STATES = {"read": ("read", "server_read"), "starred": ("saved", "server_starred")}
"""Queue state name → (articles column, sync_items column)."""


@dataclass(frozen=True)
class Account:
    """One sync account as stored (never its password or token: see ``sync.accounts``)."""

    name: str
    kind: str
    url: str
    username: str
    added_at: str
    last_sync: str | None = None
    last_error: str | None = None
    since: int | None = None


@dataclass(frozen=True)
class QueuedChange:
    """One local change waiting to be pushed."""

    id: int
    item_id: str
    state: str
    value: bool
    queued_at: str


@dataclass(frozen=True)
class ServerItem:
    """An article's link to its server item and the state the server reported for it."""

    article_id: int
    item_id: str
    read: bool
    starred: bool


class SyncState:
    """Accounts, feed and item links, and the queue of local changes."""

    def __init__(self, db: Database) -> None:
        self.db = db

    # -- accounts ------------------------------------------------------------------------
    def add_account(self, name: str, kind: str, url: str, username: str) -> Account:
        """Add (or replace the address and user of) an account."""
        self.db.execute(
            "INSERT INTO sync_accounts (name, kind, url, username, added_at) VALUES (?, ?, ?, ?, ?)"
            " ON CONFLICT (name) DO UPDATE SET kind = excluded.kind, url = excluded.url,"
            " username = excluded.username, last_error = NULL",
            (name, kind, url, username, now_iso()),
        )
        account = self.account(name)
        assert account is not None
        return account

    def account(self, name: str) -> Account | None:
        """The account called ``name``, or None."""
        row = self.db.query_one("SELECT * FROM sync_accounts WHERE name = ?", (name,))
        return Account(**dict(row)) if row else None

    def accounts(self) -> list[Account]:
        """Every account, by name."""
        return [
            Account(**dict(r)) for r in self.db.query("SELECT * FROM sync_accounts ORDER BY name")
        ]

    def remove_account(self, name: str) -> int:
        """Remove an account and its feeds (their articles go with them); the feeds removed,
        or -1 when there is no such account."""
        with self.db.transaction() as conn:
            if (
                conn.execute("SELECT 1 FROM sync_accounts WHERE name = ?", (name,)).fetchone()
                is None
            ):
                return -1
            gone = conn.execute(
                "DELETE FROM feeds WHERE id IN (SELECT feed_id FROM sync_feeds WHERE account = ?)",
                (name,),
            ).rowcount
            conn.execute("DELETE FROM sync_accounts WHERE name = ?", (name,))
        return gone

    def finish(self, name: str, *, error: str | None, since: int | None = None) -> None:
        """Record a sync's end: its time, its error (None: it worked), the next ``ot``."""
        self.db.execute(
            "UPDATE sync_accounts SET last_sync = ?, last_error = ?, since = coalesce(?, since)"
            " WHERE name = ?",
            (now_iso(), error, since, name),
        )

    # -- feeds ---------------------------------------------------------------------------
    def feed_links(self, account: str) -> dict[str, int]:
        """stream id → feed id of the account's feeds."""
        rows = self.db.query(
            "SELECT stream_id, feed_id FROM sync_feeds WHERE account = ?", (account,)
        )
        return {row[0]: int(row[1]) for row in rows}

    def link_feed(self, account: str, feed_id: int, stream_id: str) -> None:
        """Say that ``feed_id`` is the account's stream ``stream_id``."""
        with self.db.transaction() as conn:
            conn.execute(
                "DELETE FROM sync_feeds WHERE account = ? AND stream_id = ?", (account, stream_id)
            )
            conn.execute(
                "INSERT OR REPLACE INTO sync_feeds (feed_id, account, stream_id) VALUES (?, ?, ?)",
                (feed_id, account, stream_id),
            )

    def synced_feed_ids(self) -> set[int]:
        """Every feed some account syncs: the server refreshes them, not ``reader refresh``."""
        return {int(row[0]) for row in self.db.query("SELECT feed_id FROM sync_feeds")}

    def feed_accounts(self) -> dict[int, str]:
        """feed id → account name of every synced feed (the feeds pane groups them)."""
        rows = self.db.query("SELECT feed_id, account FROM sync_feeds")
        return {int(row[0]): row[1] for row in rows}

    def account_of_feed(self, feed_id: int) -> str | None:
        """The account a feed belongs to, or None for a local feed."""
        row = self.db.query_one("SELECT account FROM sync_feeds WHERE feed_id = ?", (feed_id,))
        return row[0] if row else None

    # -- items ---------------------------------------------------------------------------
    def article_ids(self, account: str, item_ids: Sequence[str]) -> dict[str, int]:
        """item id → article id for the items already linked."""
        found: dict[str, int] = {}
        for start in range(0, len(item_ids), 500):
            chunk = list(item_ids[start : start + 500])
            marks = ", ".join("?" for _ in chunk)
            rows = self.db.query(
                f"SELECT item_id, article_id FROM sync_items WHERE account = ?"
                f" AND item_id IN ({marks})",
                (account, *chunk),
            )
            found.update({row[0]: int(row[1]) for row in rows})
        return found

    def stored_ids(self, feed_id: int, keys: Sequence[tuple[str, str | None]]) -> dict[str, int]:
        """guid → article id for (guid, url) pairs of a feed: by guid, else by link (how
        ``Articles.upsert`` matched an article stored before the feed was synced)."""
        found: dict[str, int] = {}
        guids = [guid for guid, _url in keys]
        for start in range(0, len(guids), 500):  # one query a chunk, not one an item
            chunk = guids[start : start + 500]
            rows = self.db.query(
                f"SELECT guid, id FROM articles WHERE feed_id = ?"
                f" AND guid IN ({', '.join('?' for _ in chunk)})",
                (feed_id, *chunk),
            )
            found.update({row[0]: int(row[1]) for row in rows})
        for guid, url in keys:
            if guid not in found and url:
                row = self.db.query_one(
                    "SELECT id FROM articles WHERE url = ? AND +feed_id = ? LIMIT 1", (url, feed_id)
                )
                if row is not None:
                    found[guid] = int(row[0])
        return found

    def record_items(self, account: str, items: Iterable[ServerItem]) -> int:
        """Link articles to their items with the server's state, and apply that state where
        no local change is queued; the number of articles whose state changed."""
        rows = [(i.article_id, account, i.item_id, int(i.read), int(i.starred)) for i in items]
        if not rows:
            return 0
        with self.db.transaction() as conn:
            conn.executemany(
                "INSERT INTO sync_items (article_id, account, item_id, server_read, server_starred)"
                " VALUES (?, ?, ?, ?, ?) ON CONFLICT (article_id) DO UPDATE SET"
                " account = excluded.account, item_id = excluded.item_id,"
                " server_read = excluded.server_read, server_starred = excluded.server_starred",
                rows,
            )
            conn.execute("CREATE TEMP TABLE IF NOT EXISTS sync_touched (id TEXT PRIMARY KEY)")
            conn.execute("DELETE FROM temp.sync_touched")
            conn.executemany(
                "INSERT OR IGNORE INTO temp.sync_touched (id) VALUES (?)", ((r[2],) for r in rows)
            )
            return self._apply(conn, account, touched=True)

    def reconcile(self, account: str, unread: set[str], starred: set[str]) -> int:
        """The server's whole unread and starred sets: every linked item not in ``unread`` is
        read there. Applies them like ``record_items``; the articles whose state changed."""
        with self.db.transaction() as conn:
            changed = []  # compared here: a no-op sync rewrites no row and fills no id table
            for item_id, was_read, was_starred in conn.execute(
                "SELECT item_id, server_read, server_starred FROM sync_items WHERE account = ?",
                (account,),
            ):
                read, star = item_id not in unread, item_id in starred
                if read != bool(was_read) or star != bool(was_starred):
                    changed.append((int(read), int(star), account, item_id))
            conn.executemany(
                "UPDATE sync_items SET server_read = ?, server_starred = ?"
                " WHERE account = ? AND item_id = ?",
                changed,
            )
            return self._apply(conn, account)

    @staticmethod
    def _apply(conn: object, account: str, *, touched: bool = False) -> int:
        """Drop queued changes the server now agrees with; copy the server's state to the
        articles that have no queued change left. ``touched``: only the items whose ids are
        in ``temp.sync_touched`` (a page just recorded), not the whole account."""
        changed: set[int] = set()
        only = " AND {0} IN (SELECT id FROM temp.sync_touched)" if touched else ""
        for state, (column, server) in STATES.items():
            conn.execute(  # type: ignore[attr-defined]
                f"DELETE FROM sync_queue WHERE account = ? AND state = ? AND value = (SELECT"
                f" {server} FROM sync_items s WHERE s.account = sync_queue.account"
                f" AND s.item_id = sync_queue.item_id)" + only.format("sync_queue.item_id"),
                (account, state),
            )
            rows = conn.execute(  # type: ignore[attr-defined]
                f"UPDATE articles SET {column} = s.{server} FROM sync_items s"
                f" WHERE s.article_id = articles.id AND s.account = ?"
                f" AND articles.{column} IS NOT s.{server} AND NOT EXISTS (SELECT 1 FROM"
                f" sync_queue q WHERE q.account = s.account AND q.item_id = s.item_id"
                f" AND q.state = ?){only.format('s.item_id')} RETURNING articles.id",
                (account, state),
            ).fetchall()
            changed.update(int(row[0]) for row in rows)
        return len(changed)

    # -- the queue -----------------------------------------------------------------------
    def pending(self, account: str, limit: int = 10_000) -> list[QueuedChange]:
        """Local changes waiting to be pushed, oldest first."""
        rows = self.db.query(
            "SELECT id, item_id, state, value, queued_at FROM sync_queue WHERE account = ?"
            " ORDER BY id LIMIT ?",
            (account, limit),
        )
        return [QueuedChange(int(r[0]), r[1], r[2], bool(r[3]), r[4]) for r in rows]

    def queued_count(self, account: str | None = None) -> int:
        """How many local changes wait (for one account or all)."""
        if account is None:
            row = self.db.query_one("SELECT count(*) FROM sync_queue")
        else:
            row = self.db.query_one("SELECT count(*) FROM sync_queue WHERE account = ?", (account,))
        return int(row[0]) if row else 0

    def record_pushed(self, account: str, changes: Sequence[QueuedChange]) -> None:
        """The server accepted ``changes``: it now has those values. A change queued again
        meanwhile (another id) stays queued; an article toggled back meanwhile is queued again."""
        with self.db.transaction() as conn:
            for change in changes:
                _column, server = STATES[change.state]
                conn.execute("DELETE FROM sync_queue WHERE id = ?", (change.id,))
                conn.execute(
                    f"UPDATE sync_items SET {server} = ? WHERE account = ? AND item_id = ?",
                    (int(change.value), account, change.item_id),
                )
            for state, (column, server) in STATES.items():
                conn.execute(
                    "INSERT OR IGNORE INTO sync_queue (account, item_id, state, value, queued_at)"
                    f" SELECT s.account, s.item_id, ?, a.{column}, ? FROM sync_items s"
                    f" JOIN articles a ON a.id = s.article_id WHERE s.account = ?"
                    f" AND a.{column} IS NOT s.{server} AND s.item_id IN"
                    f" ({', '.join('?' for _ in changes)})",
                    (state, now_iso(), account, *(c.item_id for c in changes)),
                )

    # -- feed-level operations (subscribe, unsubscribe, rename, tags) ----------------------
    def queue_op(self, account: str, op: str, **args: object) -> None:
        """Queue a subscription change for the server."""
        self.db.execute(
            "INSERT INTO sync_ops (account, op, args, queued_at) VALUES (?, ?, ?, ?)",
            (account, op, json.dumps(args), now_iso()),
        )

    def queue_feed_change(
        self,
        feed_id: int,
        *,
        title: str | None = None,
        added: Sequence[str] = (),
        removed: Sequence[str] = (),
        unsubscribe: bool = False,
    ) -> bool:
        """Queue a local rename, re-tag or removal of a synced feed for its server (call it
        before removing the feed); False for a local feed (nothing to send)."""
        row = self.db.query_one(
            "SELECT account, stream_id FROM sync_feeds WHERE feed_id = ?", (feed_id,)
        )
        if row is None:
            return False
        account, stream = row[0], row[1]
        if unsubscribe:
            self.queue_op(account, "unsubscribe", stream=stream)
            return True
        if title is not None:
            self.queue_op(account, "edit", stream=stream, title=title)
        for label in added:
            self.queue_op(account, "edit", stream=stream, add_label=label)
        for label in removed:
            self.queue_op(account, "edit", stream=stream, remove_label=label)
        return True

    def undo_unsubscribe(self, feed_id: int, url: str, labels: Sequence[str]) -> bool:
        """A removed synced feed came back (undo): drop its queued unsubscribe, or, when a
        sync already sent it, queue a subscribe (quickadd, then its labels). False for a
        local feed."""
        row = self.db.query_one(
            "SELECT account, stream_id FROM sync_feeds WHERE feed_id = ?", (feed_id,)
        )
        if row is None:
            return False
        account, stream = row[0], row[1]
        dropped = self.db.execute(
            "DELETE FROM sync_ops WHERE account = ? AND op = 'unsubscribe'"
            " AND json_extract(args, '$.stream') = ?",
            (account, stream),
        ).rowcount
        if not dropped:
            self.queue_op(account, "subscribe", url=url, labels=list(labels))
        return True

    def pending_ops(self, account: str) -> list[tuple[int, str, dict[str, object]]]:
        """Queued subscription changes, oldest first: (id, op, args)."""
        rows = self.db.query(
            "SELECT id, op, args FROM sync_ops WHERE account = ? ORDER BY id", (account,)
        )
        return [(int(r[0]), r[1], json.loads(r[2])) for r in rows]

    def drop_op(self, op_id: int) -> None:
        """A queued subscription change was applied (or refused for good)."""
        self.db.execute("DELETE FROM sync_ops WHERE id = ?", (op_id,))
