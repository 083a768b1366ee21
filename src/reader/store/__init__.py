"""The local cache: one SQLite file holding feeds, articles, related links and drafts.

``Store.open(path)`` migrates the file and exposes one object per table family. Core code and the
UI both go through it; it never imports textual.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from reader.store.articles import ArticleRecord, ArticleRow, Articles, UpsertResult
from reader.store.comments import Comments, StoredComment, StoredThread
from reader.store.db import Database, StoreError
from reader.store.drafts import Draft, Drafts, Identity
from reader.store.marks import Marks
from reader.store.related import RelatedLink, RelatedLinks
from reader.store.related_articles import RelatedArticles
from reader.store.remote import RemotePost, RemotePosts, RemoteState
from reader.store.retention import Policy, PruneReport, Retention
from reader.store.saved_searches import SavedSearch, SavedSearches
from reader.store.search import Hit, Search, SearchResult, Snippet
from reader.store.subscriptions import Feed, FeedKind, Feeds
from reader.store.sync import Account, QueuedChange, ServerItem, SyncState
from reader.store.trash import RemovedFeed, Trash
from reader.store.views import Counts, View, ViewKind, Views

__all__ = [
    "Account",
    "ArticleRecord",
    "ArticleRow",
    "Articles",
    "Comments",
    "Counts",
    "Draft",
    "Drafts",
    "Feed",
    "FeedKind",
    "Feeds",
    "Hit",
    "Identity",
    "Marks",
    "Policy",
    "PruneReport",
    "QueuedChange",
    "RelatedArticles",
    "RelatedLink",
    "RelatedLinks",
    "RemotePost",
    "RemotePosts",
    "RemoteState",
    "RemovedFeed",
    "Retention",
    "SavedSearch",
    "SavedSearches",
    "Search",
    "SearchResult",
    "ServerItem",
    "Snippet",
    "Store",
    "StoreError",
    "StoredComment",
    "StoredThread",
    "SyncState",
    "Trash",
    "UpsertResult",
    "View",
    "ViewKind",
    "Views",
]


class Store:
    """The whole local cache behind one connection."""

    def __init__(self, db: Database) -> None:
        self.db = db
        self.feeds = Feeds(db)
        self.articles = Articles(db)
        self.related = RelatedLinks(db)
        self.related_articles = RelatedArticles(db)
        self.remote_posts = RemotePosts(db)
        self.drafts = Drafts(db)
        self.comments = Comments(db)
        self.views = Views(db)
        self.marks = Marks(db, self.views)
        self.retention = Retention(db)
        self.trash = Trash(db)
        self.search = Search(db)
        self.saved_searches = SavedSearches(db)
        self.sync = SyncState(db)

    @classmethod
    def open(cls, path: Path | str) -> Store:
        """Open (creating and migrating as needed) the store at ``path``; raises StoreError."""
        return cls(Database(path))

    @property
    def path(self) -> Path:
        """The database file."""
        return self.db.path

    @contextmanager
    def transaction(self) -> Iterator[None]:
        """Group writes: one commit for the block; nested blocks are savepoints that fail alone
        (the refresh's store process commits many feeds at once, each in its own savepoint)."""
        with self.db.transaction():
            yield

    def tune_for_bulk_writes(self) -> None:
        """Settings for a connection that only writes a refresh's items, as fast as it can.

        No automatic checkpoints (``store.checkpoint.Checkpointer`` runs them beside the
        writer), an 8 MB page cache, and savepoint journals in memory (no temp files).
        """
        self.db.query("PRAGMA wal_autocheckpoint = 0")
        self.db.query("PRAGMA cache_size = -8000")
        self.db.query("PRAGMA temp_store = MEMORY")

    def close(self) -> None:
        """Close the database."""
        self.db.close()
