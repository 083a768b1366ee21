"""Migration 10: clean what caches written before the ingest sanitizer already hold.

Older versions stored feed text as it came (escape sequences and C1 controls in summaries,
bodies and the search index, bidi overrides in titles, NUL in feed URLs, ``javascript:`` site
and comment URLs). The sanitizer now runs at the door (``reader.sanitize``); this step applies
the same rules once to existing rows, inside the migration's transaction.

Only rows that need it reach Python as rows: the check itself is the sanitizer, registered as
SQL functions, so it cannot disagree with what is applied. Measured on a 100k-article cache of
1.1 GB (bench/seed.py): 2.6 s, once.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Callable

from reader.sanitize import clean_html, clean_line, clean_text, http_url
from reader.store.articles import html_to_index_text

_CHECKS: dict[str, Callable[[str], str | None]] = {
    "line": clean_line,
    "text": clean_text,
    "html": clean_html,
    "url": http_url,
}


def _register(conn: sqlite3.Connection) -> None:
    """``dirty_line(x)`` etc.: 1 when the sanitizer would change ``x``."""
    for kind, clean in _CHECKS.items():

        def dirty(value: object, clean: Callable[[str], str | None] = clean) -> int:
            return int(isinstance(value, str) and clean(value) != value)

        conn.create_function(f"dirty_{kind}", 1, dirty, deterministic=True)


def _dirty(column: str, kind: str = "line") -> str:
    return f"dirty_{kind}({column})"


def clean_existing(conn: sqlite3.Connection) -> None:
    """Run inside the migration's transaction (``Database._migrate``)."""
    _register(conn)
    _clean_feeds(conn)
    _clean_articles(conn)
    _clean_simple(
        conn,
        "comments",
        ("article_url", "comment_id"),
        lines=("author",),
        texts=("body",),
        urls=("author_url", "link"),
    )
    _clean_simple(conn, "related_links", ("article_id", "url", "source"), lines=("title",))
    _clean_simple(conn, "related_remote", ("url",), lines=("title", "last_error"))


def _clean_feeds(conn: sqlite3.Connection) -> None:
    where = " OR ".join(
        [
            _dirty("title"),
            _dirty("last_error"),
            _dirty("url", "url"),
            _dirty("site_url", "url"),
            _dirty("api_url", "url"),
        ]
    )
    rows = conn.execute(
        f"SELECT id, url, title, site_url, api_url, last_error FROM feeds WHERE {where}"
    ).fetchall()
    for feed_id, url, title, site_url, api_url, last_error in rows:
        fixed_url = http_url(url)
        values = {
            "title": clean_line(title) or None,
            "site_url": http_url(site_url),
            "api_url": http_url(api_url),
            "last_error": clean_line(last_error) or None,
        }
        taken = (
            fixed_url is not None
            and fixed_url != url
            and conn.execute(
                "SELECT 1 FROM feeds WHERE url = ? AND id != ?", (fixed_url, feed_id)
            ).fetchone()
        )
        if fixed_url is None or taken:
            # unusable, or a duplicate of another subscription once cleaned: never fetched again
            values.update(gone=1, last_error="the stored feed URL is not a usable http(s) URL")
        else:
            values["url"] = fixed_url
        assignments = ", ".join(f"{name} = ?" for name in values)
        conn.execute(f"UPDATE feeds SET {assignments} WHERE id = ?", (*values.values(), feed_id))


def _clean_articles(conn: sqlite3.Connection) -> None:
    where = " OR ".join(
        [
            _dirty("title"),
            _dirty("author"),
            _dirty("categories", "text"),
            _dirty("summary", "html"),
            _dirty("content_html", "html"),
            _dirty("url", "url"),
            _dirty("comments_url", "url"),
        ]
    )
    rows = conn.execute(
        "SELECT id, title, author, summary, content_html, url, comments_url, categories"
        f" FROM articles WHERE {where}"
    ).fetchall()
    for article_id, title, author, summary, content, url, comments_url, categories in rows:
        title, body = clean_line(title), clean_html(content)
        conn.execute(
            "UPDATE articles SET title = ?, author = ?, summary = ?, content_html = ?, url = ?,"
            " comments_url = ?, categories = ?, rendered = NULL, rendered_version = NULL"
            " WHERE id = ?",
            (
                title,
                clean_line(author) or None,
                clean_html(summary),
                body,
                http_url(url),
                http_url(comments_url),
                clean_text(categories),
                article_id,
            ),
        )
        conn.execute("DELETE FROM articles_fts WHERE rowid = ?", (article_id,))
        conn.execute(
            "INSERT INTO articles_fts (rowid, title, body) VALUES (?, ?, ?)",
            (article_id, title, clean_text(html_to_index_text(body or clean_html(summary)))),
        )


def _clean_simple(
    conn: sqlite3.Connection,
    table: str,
    key: tuple[str, ...],
    *,
    lines: tuple[str, ...] = (),
    texts: tuple[str, ...] = (),
    urls: tuple[str, ...] = (),
) -> None:
    """Clean the named columns of ``table`` in the rows that need it."""
    columns = (*lines, *texts, *urls)
    where = " OR ".join(
        [_dirty(c) for c in lines]
        + [_dirty(c, "text") for c in texts]
        + [_dirty(c, "url") for c in urls]
    )
    rows = conn.execute(
        f"SELECT {', '.join(key)}, {', '.join(columns)} FROM {table} WHERE {where}"
    ).fetchall()
    for row in rows:
        keys, values = row[: len(key)], row[len(key) :]
        fixed = [
            *(clean_line(v) if v is not None else None for v in values[: len(lines)]),
            *(
                clean_text(v) if v is not None else None
                for v in values[len(lines) : len(lines) + len(texts)]
            ),
            *(http_url(v) for v in values[len(lines) + len(texts) :]),
        ]
        assignments = ", ".join(f"{c} = ?" for c in columns)
        condition = " AND ".join(f"{k} = ?" for k in key)
        conn.execute(f"UPDATE {table} SET {assignments} WHERE {condition}", (*fixed, *keys))
