"""Schema migrations, oldest first. Never edit a released step: add a new one.

``MIGRATIONS[n]`` takes a store from version ``n - 1`` to ``n``; ``PRAGMA user_version`` records
where a file is. Dates are ISO 8601 UTC strings so they sort as text.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Callable


def _clean_existing(conn: sqlite3.Connection) -> None:
    """Step 10 is Python: the ingest sanitizer's rules applied to rows already stored."""
    from reader.store.cleanup import clean_existing  # imports the store: not at module load

    clean_existing(conn)


MIGRATIONS: dict[int, str | Callable[[sqlite3.Connection], None]] = {
    1: """
CREATE TABLE feeds (
    id INTEGER PRIMARY KEY,
    url TEXT NOT NULL UNIQUE,
    title TEXT,
    site_url TEXT,
    kind TEXT NOT NULL DEFAULT 'feed',
    tags TEXT NOT NULL DEFAULT '[]',
    added_at TEXT NOT NULL,
    etag TEXT,
    last_modified TEXT,
    last_status INTEGER,
    last_error TEXT,
    last_checked TEXT,
    last_success TEXT
);
CREATE TABLE articles (
    id INTEGER PRIMARY KEY,
    feed_id INTEGER NOT NULL REFERENCES feeds(id) ON DELETE CASCADE,
    guid TEXT NOT NULL,
    url TEXT,
    title TEXT NOT NULL DEFAULT '',
    author TEXT,
    published TEXT NOT NULL,
    updated TEXT,
    summary TEXT,
    content_html TEXT,
    raw_html BLOB,
    fetched_at TEXT,
    read INTEGER NOT NULL DEFAULT 0,
    UNIQUE (feed_id, guid)
);
CREATE INDEX articles_by_date ON articles (published DESC, id DESC);
CREATE INDEX articles_by_url ON articles (url);
CREATE INDEX articles_by_feed ON articles (feed_id, published DESC);
""",
    2: """
ALTER TABLE feeds ADD COLUMN user_agent TEXT;
ALTER TABLE feeds ADD COLUMN gone INTEGER NOT NULL DEFAULT 0;
ALTER TABLE feeds ADD COLUMN retry_after TEXT;
ALTER TABLE feeds ADD COLUMN api_url TEXT;
ALTER TABLE articles ADD COLUMN categories TEXT NOT NULL DEFAULT '[]';
ALTER TABLE articles ADD COLUMN comments_url TEXT;
ALTER TABLE articles ADD COLUMN comment_count INTEGER;
ALTER TABLE articles ADD COLUMN extra TEXT NOT NULL DEFAULT '{}';
ALTER TABLE articles ADD COLUMN rendered TEXT;
ALTER TABLE articles ADD COLUMN rendered_version TEXT;
CREATE TABLE related_links (
    article_id INTEGER NOT NULL REFERENCES articles(id) ON DELETE CASCADE,
    url TEXT NOT NULL,
    title TEXT NOT NULL DEFAULT '',
    source TEXT NOT NULL,
    rank INTEGER NOT NULL DEFAULT 0,
    PRIMARY KEY (article_id, url, source)
);
CREATE TABLE drafts (
    id INTEGER PRIMARY KEY,
    article_id INTEGER REFERENCES articles(id) ON DELETE SET NULL,
    article_url TEXT NOT NULL,
    parent_comment INTEGER,
    body TEXT NOT NULL DEFAULT '',
    name TEXT NOT NULL DEFAULT '',
    email TEXT NOT NULL DEFAULT '',
    website TEXT NOT NULL DEFAULT '',
    state TEXT NOT NULL DEFAULT 'draft',
    error TEXT,
    remote_id TEXT,
    attempts INTEGER NOT NULL DEFAULT 0,
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL,
    sent_at TEXT,
    deleted_at TEXT
);
CREATE INDEX drafts_by_article ON drafts (article_url, state);
CREATE TABLE identities (
    site TEXT PRIMARY KEY,
    name TEXT NOT NULL DEFAULT '',
    email TEXT NOT NULL DEFAULT '',
    website TEXT NOT NULL DEFAULT ''
);
""",
    3: """
CREATE VIRTUAL TABLE articles_fts USING fts5(
    title, body, tokenize = 'unicode61 remove_diacritics 2'
);
INSERT INTO articles_fts (rowid, title, body)
    SELECT id, title, coalesce(summary, '') FROM articles;
""",
    4: """
CREATE TABLE comments (
    article_url TEXT NOT NULL,
    comment_id TEXT NOT NULL,
    parent_id TEXT,
    author TEXT NOT NULL DEFAULT '',
    author_url TEXT,
    published TEXT,
    body TEXT NOT NULL DEFAULT '',
    link TEXT,
    position INTEGER NOT NULL DEFAULT 0,
    PRIMARY KEY (article_url, comment_id)
);
CREATE TABLE comment_threads (
    article_url TEXT PRIMARY KEY,
    article_id INTEGER REFERENCES articles(id) ON DELETE SET NULL,
    source TEXT NOT NULL,
    total INTEGER NOT NULL DEFAULT 0,
    fetched_at TEXT NOT NULL
);
""",
    5: """
DELETE FROM articles_fts WHERE rowid NOT IN (SELECT id FROM articles);
CREATE TRIGGER articles_fts_cleanup AFTER DELETE ON articles BEGIN
    DELETE FROM articles_fts WHERE rowid = old.id;
END;
""",
    6: """
CREATE TABLE related_remote (
    url TEXT PRIMARY KEY,
    title TEXT NOT NULL DEFAULT '',
    published TEXT,
    state TEXT NOT NULL DEFAULT 'known',
    attempts INTEGER NOT NULL DEFAULT 0,
    last_error TEXT,
    next_try TEXT,
    updated_at TEXT NOT NULL
);
CREATE INDEX related_remote_due ON related_remote (state, next_try);
""",
    7: """
-- Covering index for related posts (same-feed categories/tags): the categories column sits
-- after raw_html in each row, so without it the scan reads every page's overflow chain.
CREATE INDEX articles_feed_terms ON articles (feed_id, published DESC, categories);
""",
    8: """
-- The unread view reads only unread rows; the per-feed view needs no sort for the id tie-break.
CREATE INDEX articles_unread ON articles (published DESC, id DESC) WHERE read = 0;
DROP INDEX articles_by_feed;
CREATE INDEX articles_by_feed ON articles (feed_id, published DESC, id DESC);
""",
    9: """
-- detail=column: no token positions (we never run phrase queries); bm25 and column weights
-- still work, and indexing a 5 KB article costs ~58 µs instead of ~95 µs during a refresh.
DROP TRIGGER articles_fts_cleanup;
CREATE VIRTUAL TABLE articles_fts_new USING fts5(
    title, body, tokenize = 'unicode61 remove_diacritics 2', detail = column
);
INSERT INTO articles_fts_new (rowid, title, body) SELECT rowid, title, body FROM articles_fts;
DROP TABLE articles_fts;
ALTER TABLE articles_fts_new RENAME TO articles_fts;
CREATE TRIGGER articles_fts_cleanup AFTER DELETE ON articles BEGIN
    DELETE FROM articles_fts WHERE rowid = old.id;
END;
""",
    10: _clean_existing,
    11: """
-- Saved articles (never pruned) and the indexes behind the views and their counts: the saved
-- view and its count read only saved rows; a feed's unread view and every feed's unread count
-- read only unread rows of that feed.
ALTER TABLE articles ADD COLUMN saved INTEGER NOT NULL DEFAULT 0;
CREATE INDEX articles_saved ON articles (published DESC, id DESC) WHERE saved = 1;
CREATE INDEX articles_feed_unread ON articles (feed_id, published DESC, id DESC) WHERE read = 0;
""",
    12: """
-- Tombstones of pruned articles (store/retention.py): a refresh must not store an article the
-- retention policy deleted as new again while its feed still lists it.
CREATE TABLE pruned (
    feed_id INTEGER NOT NULL REFERENCES feeds(id) ON DELETE CASCADE,
    guid TEXT NOT NULL,
    url TEXT,
    published TEXT NOT NULL,
    PRIMARY KEY (feed_id, guid)
) WITHOUT ROWID;
CREATE INDEX pruned_by_url ON pruned (feed_id, url) WHERE url IS NOT NULL;
-- Deleting an article sets these links to NULL: without an index each deleted article scanned
-- both tables (pruning deletes articles by the thousand).
CREATE INDEX drafts_by_article_id ON drafts (article_id) WHERE article_id IS NOT NULL;
CREATE INDEX comment_threads_by_article_id ON comment_threads (article_id)
    WHERE article_id IS NOT NULL;
""",
    13: """
-- Sync with a Google Reader API server (reader/sync/). An account's feeds and items are the
-- ordinary feeds and articles rows plus these links; read/saved changes made locally are
-- queued by the triggers below (whatever code path changed them), in the same transaction as
-- the change, and only when they differ from what the server last said (server_read,
-- server_starred): pulling the server's state sets those first, so it is never queued back.
CREATE TABLE sync_accounts (
    name TEXT PRIMARY KEY,
    kind TEXT NOT NULL,
    url TEXT NOT NULL,
    username TEXT NOT NULL,
    added_at TEXT NOT NULL,
    last_sync TEXT,
    last_error TEXT,
    since INTEGER
);
CREATE TABLE sync_feeds (
    feed_id INTEGER PRIMARY KEY REFERENCES feeds(id) ON DELETE CASCADE,
    account TEXT NOT NULL REFERENCES sync_accounts(name) ON DELETE CASCADE,
    stream_id TEXT NOT NULL,
    UNIQUE (account, stream_id)
);
CREATE TABLE sync_items (
    article_id INTEGER PRIMARY KEY REFERENCES articles(id) ON DELETE CASCADE,
    account TEXT NOT NULL REFERENCES sync_accounts(name) ON DELETE CASCADE,
    item_id TEXT NOT NULL,
    server_read INTEGER NOT NULL DEFAULT 0,
    server_starred INTEGER NOT NULL DEFAULT 0,
    UNIQUE (account, item_id)
);
CREATE TABLE sync_queue (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    account TEXT NOT NULL REFERENCES sync_accounts(name) ON DELETE CASCADE,
    item_id TEXT NOT NULL,
    state TEXT NOT NULL,
    value INTEGER NOT NULL,
    queued_at TEXT NOT NULL,
    UNIQUE (account, item_id, state)
);
CREATE TABLE sync_ops (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    account TEXT NOT NULL REFERENCES sync_accounts(name) ON DELETE CASCADE,
    op TEXT NOT NULL,
    args TEXT NOT NULL DEFAULT '{}',
    queued_at TEXT NOT NULL
);
CREATE TRIGGER sync_queue_read AFTER UPDATE OF read ON articles
WHEN new.read IS NOT old.read AND EXISTS (SELECT 1 FROM sync_items WHERE article_id = new.id)
BEGIN
    DELETE FROM sync_queue WHERE state = 'read' AND (account, item_id) =
        (SELECT account, item_id FROM sync_items WHERE article_id = new.id);
    INSERT INTO sync_queue (account, item_id, state, value, queued_at)
        SELECT account, item_id, 'read', new.read, strftime('%Y-%m-%dT%H:%M:%fZ', 'now')
        FROM sync_items WHERE article_id = new.id AND server_read IS NOT new.read;
END;
CREATE TRIGGER sync_queue_saved AFTER UPDATE OF saved ON articles
WHEN new.saved IS NOT old.saved AND EXISTS (SELECT 1 FROM sync_items WHERE article_id = new.id)
BEGIN
    DELETE FROM sync_queue WHERE state = 'starred' AND (account, item_id) =
        (SELECT account, item_id FROM sync_items WHERE article_id = new.id);
    INSERT INTO sync_queue (account, item_id, state, value, queued_at)
        SELECT account, item_id, 'starred', new.saved, strftime('%Y-%m-%dT%H:%M:%fZ', 'now')
        FROM sync_items WHERE article_id = new.id AND server_starred IS NOT new.saved;
END;
""",
    14: """
-- Saved searches (store/saved_searches.py): a search kept by name, shown as a view of the feeds
-- pane with its unread count; the query is stored as typed and run again on each read.
CREATE TABLE saved_searches (
    name TEXT PRIMARY KEY COLLATE NOCASE,
    query TEXT NOT NULL,
    added_at TEXT NOT NULL
);
""",
}

SCHEMA_VERSION = max(MIGRATIONS)
