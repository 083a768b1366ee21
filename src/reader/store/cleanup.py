"""Migration 10: clean what caches written before the ingest sanitizer already hold.

Older versions stored feed text as it came (escape sequences and C1 controls in summaries,
bodies and the search index, bidi overrides in titles, NUL in feed URLs, ``javascript:`` site
and comment URLs). The sanitizer now runs at the door (``reader.sanitize``); this step applies
the same rules once to existing rows, inside the migration's transaction.

Only rows that can hold something to clean are read: SQLite's GLOB with a character class of
the removed characters, and a few patterns for references and non-web schemes, picks them, so
a clean 100k-article cache is scanned in SQLite without a row reaching Python.
"""

from __future__ import annotations

import sqlite3

from reader.sanitize import clean_html, clean_line, clean_text, http_url
from reader.store.articles import html_to_index_text

_BAD = "[\x01-\x08\x0b-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]"
"""What ``clean_text`` removes, as a GLOB class (NUL cannot appear in a pattern: see ``_NUL``)."""
_NUL = "instr({col}, char(0)) > 0"


def _dirty(column: str, *, url: bool = False, html: bool = False) -> str:
    """An SQL condition: ``column`` may hold something the sanitizer would change."""
    tests = [f"{column} GLOB '*{_BAD}*'", _NUL.format(col=column)]
    if url:
        tests.append(f"({column} IS NOT NULL AND lower({column}) NOT GLOB 'http*://*')")
        tests.append(f"{column} GLOB '*[ \t]*'")
    if html:
        tests += [f"{column} GLOB '*&#[0-9]*'", f"{column} GLOB '*&#[xX]*'",
                  f"lower({column}) GLOB '*script:*'", f"lower({column}) GLOB '*data:*'"]
    return "(" + " OR ".join(tests) + ")"


def clean_existing(conn: sqlite3.Connection) -> None:
    """Run inside the migration's transaction (``Database._migrate``)."""
    _clean_feeds(conn)
    _clean_articles(conn)
    _clean_simple(conn, "comments", ("article_url", "comment_id"),
                  lines=("author",), texts=("body",), urls=("author_url", "link"))
    _clean_simple(conn, "related_links", ("article_id", "url", "source"), lines=("title",))
    _clean_simple(conn, "related_remote", ("url",), lines=("title", "last_error"))


def _clean_feeds(conn: sqlite3.Connection) -> None:
    where = " OR ".join([_dirty("title"), _dirty("last_error"), _dirty("url", url=True),
                         _dirty("site_url", url=True), _dirty("api_url", url=True)])
    rows = conn.execute(
        f"SELECT id, url, title, site_url, api_url, last_error FROM feeds WHERE {where}"
    ).fetchall()
    for feed_id, url, title, site_url, api_url, last_error in rows:
        fixed_url = http_url(url)
        values = {"title": clean_line(title) or None, "site_url": http_url(site_url),
                  "api_url": http_url(api_url), "last_error": clean_line(last_error) or None}
        taken = fixed_url is not None and fixed_url != url and conn.execute(
            "SELECT 1 FROM feeds WHERE url = ? AND id != ?", (fixed_url, feed_id)).fetchone()
        if fixed_url is None or taken:
            # unusable, or a duplicate of another subscription once cleaned: never fetched again
            values.update(gone=1, last_error="the stored feed URL is not a usable http(s) URL")
        else:
            values["url"] = fixed_url
        assignments = ", ".join(f"{name} = ?" for name in values)
        conn.execute(f"UPDATE feeds SET {assignments} WHERE id = ?", (*values.values(), feed_id))


def _clean_articles(conn: sqlite3.Connection) -> None:
    where = " OR ".join([
        _dirty("title"), _dirty("author"), _dirty("categories"),
        _dirty("summary", html=True), _dirty("content_html", html=True),
        _dirty("url", url=True), _dirty("comments_url", url=True),
    ])
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
            (title, clean_line(author) or None, clean_html(summary), body, http_url(url),
             http_url(comments_url), clean_text(categories), article_id),
        )
        conn.execute("DELETE FROM articles_fts WHERE rowid = ?", (article_id,))
        conn.execute(
            "INSERT INTO articles_fts (rowid, title, body) VALUES (?, ?, ?)",
            (article_id, title, clean_text(html_to_index_text(body or clean_html(summary)))),
        )


def _clean_simple(conn: sqlite3.Connection, table: str, key: tuple[str, ...], *,
                  lines: tuple[str, ...] = (), texts: tuple[str, ...] = (),
                  urls: tuple[str, ...] = ()) -> None:
    """Clean the named columns of ``table`` in the rows that need it."""
    columns = (*lines, *texts, *urls)
    where = " OR ".join([_dirty(c) for c in (*lines, *texts)] + [_dirty(c, url=True)
                                                                 for c in urls])
    rows = conn.execute(
        f"SELECT {', '.join(key)}, {', '.join(columns)} FROM {table} WHERE {where}"
    ).fetchall()
    for row in rows:
        keys, values = row[: len(key)], row[len(key):]
        fixed = [*(clean_line(v) if v is not None else None for v in values[: len(lines)]),
                 *(clean_text(v) if v is not None else None
                   for v in values[len(lines): len(lines) + len(texts)]),
                 *(http_url(v) for v in values[len(lines) + len(texts):])]
        assignments = ", ".join(f"{c} = ?" for c in columns)
        condition = " AND ".join(f"{k} = ?" for k in key)
        conn.execute(f"UPDATE {table} SET {assignments} WHERE {condition}", (*fixed, *keys))
