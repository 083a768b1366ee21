"""Saved searches: a search kept by name (schema step 14), shown as a view of the feeds pane.

Only the name and the query text are stored; the query runs again whenever the view's articles
or its unread count are read (``Search.matching_ids``, ``Search.count_unread``), so new
articles that match show up without anything to keep in step.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

from reader.sanitize import clean_line
from reader.store.db import Database
from reader.store.timeutil import now_iso

MAX_NAME = 80


@dataclass(frozen=True)
class SavedSearch:
    """One saved search."""

    name: str
    query: str
    added_at: str


class SavedSearches:
    """Save, list and remove searches by name (names compare without case)."""

    def __init__(self, db: Database) -> None:
        self.db = db

    def all(self) -> list[SavedSearch]:
        """Every saved search, by name."""
        rows = self.db.query(
            "SELECT name, query, added_at FROM saved_searches ORDER BY name COLLATE NOCASE"
        )
        return [SavedSearch(row[0], row[1], row[2]) for row in rows]

    def get(self, name: str) -> SavedSearch | None:
        """The saved search called ``name`` (any case), or None."""
        row = self.db.query_one(
            "SELECT name, query, added_at FROM saved_searches WHERE name = ?", (name.strip(),)
        )
        return SavedSearch(row[0], row[1], row[2]) if row else None

    def save(self, name: str, query: str) -> SavedSearch:
        """Keep ``query`` as ``name`` (replacing a search of that name); ValueError when the
        name or the query is empty."""
        name, query = clean_name(name), " ".join(query.split())
        if not name:
            raise ValueError("a saved search needs a name")
        if not query:
            raise ValueError("a saved search needs a query")
        saved = SavedSearch(name, query, now_iso())
        with self.db.transaction() as conn:
            conn.execute("DELETE FROM saved_searches WHERE name = ?", (name,))
            conn.execute(
                "INSERT INTO saved_searches (name, query, added_at) VALUES (?, ?, ?)",
                (saved.name, saved.query, saved.added_at),
            )
        return saved

    def adopt(self, searches: Mapping[str, str]) -> list[str]:
        """Make the cache hold ``searches`` (name → query: config.toml's ``[searches]``, read at
        start): a missing one is added, one whose query differs is replaced, the cache's other
        searches are left alone. The names added or changed (none when all were there)."""
        changed: list[str] = []
        for name, query in searches.items():
            current = self.get(clean_name(name))
            if current is not None and current.query == " ".join(query.split()):
                continue
            try:
                changed.append(self.save(name, query).name)
            except ValueError:
                continue  # an empty name or query (config.py reports those)
        return changed

    def remove(self, name: str) -> SavedSearch | None:
        """Forget the search called ``name``; what was removed (None: there was none)."""
        found = self.get(name)
        if found is not None:
            self.db.execute("DELETE FROM saved_searches WHERE name = ?", (found.name,))
        return found


def clean_name(name: str) -> str:
    """A search's name as stored: one clean line, at most ``MAX_NAME`` characters."""
    return clean_line(name)[:MAX_NAME].strip()
