"""Read and saved state: one article, many, or a whole view at once, and undoing it.

Every bulk change returns the ids it really changed, so an undo puts back exactly those (an
article that was already read stays read after "mark all read" is undone).
"""

from __future__ import annotations

from collections.abc import Sequence

from reader.store.db import Database
from reader.store.views import View, Views

CHUNK = 500
"""Ids per statement (SQLite allows 32766 variables; smaller keeps each write short)."""

_COLUMNS = {"read": "read", "saved": "saved"}


class Marks:
    """Set ``read`` and ``saved`` on articles."""

    def __init__(self, db: Database, views: Views) -> None:
        self.db = db
        self.views = views

    def set_read(self, ids: Sequence[int], read: bool = True) -> list[int]:
        """Mark articles read (or unread); the ids whose state changed."""
        return self._set("read", ids, read)

    def set_saved(self, ids: Sequence[int], saved: bool = True) -> list[int]:
        """Save articles for later (or unsave them); the ids whose state changed."""
        return self._set("saved", ids, saved)

    def _set(self, name: str, ids: Sequence[int], value: bool) -> list[int]:
        column = _COLUMNS[name]
        changed: list[int] = []
        with self.db.transaction() as conn:
            for start in range(0, len(ids), CHUNK):
                chunk = list(ids[start : start + CHUNK])
                marks = ", ".join("?" for _ in chunk)
                rows = conn.execute(
                    f"UPDATE articles SET {column} = ? WHERE id IN ({marks})"
                    f" AND {column} != ? RETURNING id",
                    (int(value), *chunk, int(value)),
                )
                changed.extend(int(row[0]) for row in rows)
        return changed

    def read_view(self, view: View, *, up_to: int | None = None) -> list[int]:
        """Mark every unread article of ``view`` read; the ids changed (for an undo).

        ``up_to`` stops at that article: it and the newer ones are marked, older ones are not
        (newsboat's "mark all above as read").
        """
        clause, params = self.views.where(view, unread_only=True)
        if up_to is not None:
            clause += " AND (published, id) >= (SELECT published, id FROM articles WHERE id = ?)"
            params = (*params, up_to)
        with self.db.transaction() as conn:
            rows = conn.execute(
                f"UPDATE articles SET read = 1 WHERE {clause} RETURNING id", params
            ).fetchall()
        return [int(row[0]) for row in rows]
