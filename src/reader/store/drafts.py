"""Comment drafts and the outbox: nothing a user types is ever dropped.

A draft moves ``draft → queued → sending → published | moderation | failed``. Deleting only sets
``deleted_at`` so it can be undone; sending keeps the text. Names and e-mails are remembered per
site (``identities``) so the composer can fill them in.
"""

from __future__ import annotations

import sqlite3
from dataclasses import dataclass
from urllib.parse import urlsplit

from reader.store.db import Database
from reader.store.timeutil import now_iso

STATES = ("draft", "queued", "sending", "published", "moderation", "failed")
OPEN_STATES = ("draft", "failed")
"""States in which the composer edits the draft instead of starting a new one."""


@dataclass(frozen=True)
class Draft:
    """One comment draft or outbox entry."""

    id: int
    article_id: int | None
    article_url: str
    parent_comment: int | None
    body: str
    name: str
    email: str
    website: str
    state: str
    error: str | None
    remote_id: str | None
    attempts: int
    created_at: str
    updated_at: str
    sent_at: str | None
    deleted_at: str | None


@dataclass(frozen=True)
class Identity:
    """Who the user is on one site."""

    name: str = ""
    email: str = ""
    website: str = ""


def site_of(url: str) -> str:
    """The identity key for a URL: scheme and host."""
    parts = urlsplit(url)
    return f"{parts.scheme}://{parts.netloc}".lower()


def _draft(row: sqlite3.Row) -> Draft:
    return Draft(**{key: row[key] for key in row.keys()})


class Drafts:
    """Draft rows and remembered identities."""

    def __init__(self, db: Database) -> None:
        self.db = db

    def save(
        self,
        *,
        article_url: str,
        body: str,
        article_id: int | None = None,
        draft_id: int | None = None,
        parent_comment: int | None = None,
        name: str = "",
        email: str = "",
        website: str = "",
    ) -> Draft:
        """Create or update a draft (only drafts in an open state are edited in place)."""
        now = now_iso()
        with self.db.transaction() as conn:
            if draft_id is not None:
                conn.execute(
                    "UPDATE drafts SET body = ?, name = ?, email = ?, website = ?,"
                    " parent_comment = ?, updated_at = ?"
                    " WHERE id = ? AND state IN ('draft', 'failed')",
                    (body, name, email, website, parent_comment, now, draft_id),
                )
                row = conn.execute("SELECT * FROM drafts WHERE id = ?", (draft_id,)).fetchone()
                if row is not None and row["state"] in OPEN_STATES:
                    return _draft(row)
            cursor = conn.execute(
                "INSERT INTO drafts (article_id, article_url, parent_comment, body, name, email,"
                " website, state, created_at, updated_at)"
                " VALUES (?, ?, ?, ?, ?, ?, ?, 'draft', ?, ?)",
                (article_id, article_url, parent_comment, body, name, email, website, now, now),
            )
            row = conn.execute("SELECT * FROM drafts WHERE id = ?", (cursor.lastrowid,)).fetchone()
            return _draft(row)

    def get(self, draft_id: int) -> Draft | None:
        """One draft by id."""
        row = self.db.query_one("SELECT * FROM drafts WHERE id = ?", (draft_id,))
        return _draft(row) if row else None

    def open_for(self, article_url: str, parent_comment: int | None = None) -> Draft | None:
        """The draft the composer should reopen for this article (and reply target)."""
        row = self.db.query_one(
            "SELECT * FROM drafts WHERE article_url = ? AND parent_comment IS ?"
            " AND state IN ('draft', 'failed') AND deleted_at IS NULL"
            " ORDER BY updated_at DESC, id DESC LIMIT 1",
            (article_url, parent_comment),
        )
        return _draft(row) if row else None

    def all(self, *, include_deleted: bool = False) -> list[Draft]:
        """Every draft and outbox entry, newest first."""
        clause = "" if include_deleted else " WHERE deleted_at IS NULL"
        rows = self.db.query(f"SELECT * FROM drafts{clause} ORDER BY updated_at DESC, id DESC")
        return [_draft(row) for row in rows]

    def outbox(self) -> list[Draft]:
        """Drafts waiting to go out (queued, interrupted while sending, or failed)."""
        rows = self.db.query(
            "SELECT * FROM drafts WHERE state IN ('queued', 'sending') AND deleted_at IS NULL"
            " ORDER BY updated_at, id"
        )
        return [_draft(row) for row in rows]

    def set_state(
        self,
        draft_id: int,
        state: str,
        *,
        error: str | None = None,
        remote_id: str | None = None,
        count_attempt: bool = False,
    ) -> None:
        """Move a draft to ``state`` (recording the error or the remote comment id)."""
        if state not in STATES:
            raise ValueError(f"unknown draft state {state!r}")
        sent_at = now_iso() if state in ("published", "moderation") else None
        self.db.execute(
            "UPDATE drafts SET state = ?, error = ?, remote_id = coalesce(?, remote_id),"
            " sent_at = coalesce(?, sent_at), attempts = attempts + ?, updated_at = ? WHERE id = ?",
            (state, error, remote_id, sent_at, int(count_attempt), now_iso(), draft_id),
        )

    def delete(self, draft_id: int) -> None:
        """Hide a draft (undoable with ``restore``)."""
        self.db.execute("UPDATE drafts SET deleted_at = ? WHERE id = ?", (now_iso(), draft_id))

    def restore(self, draft_id: int) -> None:
        """Undo ``delete``."""
        self.db.execute("UPDATE drafts SET deleted_at = NULL WHERE id = ?", (draft_id,))

    def identity(self, url: str) -> Identity:
        """The name/e-mail/website last used on this URL's site."""
        row = self.db.query_one(
            "SELECT name, email, website FROM identities WHERE site = ?", (site_of(url),)
        )
        return Identity(row["name"], row["email"], row["website"]) if row else Identity()

    def remember_identity(self, url: str, identity: Identity) -> None:
        """Store the identity used on this URL's site."""
        self.db.execute(
            "INSERT INTO identities (site, name, email, website) VALUES (?, ?, ?, ?)"
            " ON CONFLICT (site) DO UPDATE SET name = excluded.name, email = excluded.email,"
            " website = excluded.website",
            (site_of(url), identity.name, identity.email, identity.website),
        )
