"""Migration 10 cleans what a cache written by schema 9 (before the ingest sanitizer) holds.

The old file is built the way the old code wrote it: schema steps 1-9 on a real SQLite file,
then rows with escape sequences, bidi overrides, C1 controls, NUL and non-web URLs inserted
as they once arrived. Opening it with the current store must leave none of it, in any table
or in the search index, and must keep everything that was clean.
"""

from __future__ import annotations

import json
import re
import sqlite3
from pathlib import Path

from reader.store import Store
from reader.store.schema import MIGRATIONS

BAD = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069\ud800-\udfff]")

DIRTY_TITLE = "Council \x1b]0;pwned\x07votes \u202eyes\u202c today"
DIRTY_BODY = (
    "<p>Turnout \x9b2Jwas high.&#27;[31m Red &#8217;quoted&#8217;</p>"
    '<a href="java&#x09;script:alert(1)">click</a>'
)


def old_cache(path: Path) -> None:
    conn = sqlite3.connect(path)
    for version in range(1, 10):
        step = MIGRATIONS[version]
        assert isinstance(step, str)
        conn.executescript(step)
    conn.execute("PRAGMA user_version = 9")
    conn.executemany(
        "INSERT INTO feeds (id, url, title, site_url, added_at) VALUES (?, ?, ?, ?, 'x')",
        [
            (1, "https://news.test/feed\x00.xml", "News\x1b[2J", "javascript:alert(1)"),
            (2, "https://clean.test/feed", "Clean feed", "https://clean.test/"),
        ],
    )
    rows = [
        (
            1,
            1,
            "g1",
            "https://news.test/1",
            DIRTY_TITLE,
            "Ann\x07",
            DIRTY_BODY,
            DIRTY_BODY,
            "java&#x09;script:void(0)",
        ),
        (
            2,
            2,
            "g2",
            "https://clean.test/2",
            "Plain title",
            "Bo",
            "<p>fine</p>",
            "<p>fine</p>",
            "https://clean.test/2#comments",
        ),
    ]
    for aid, fid, guid, url, title, author, summary, content, comments in rows:
        conn.execute(
            "INSERT INTO articles (id, feed_id, guid, url, title, author, published, summary,"
            " content_html, comments_url, rendered, rendered_version)"
            " VALUES (?, ?, ?, ?, ?, ?, '2024-01-01T00:00:00+00:00', ?, ?, ?, 'cached', 'v')",
            (aid, fid, guid, url, title, author, summary, content, comments),
        )
        index_body = summary.replace("&#27;", "\x1b")
        conn.execute(
            "INSERT INTO articles_fts (rowid, title, body) VALUES (?, ?, ?)",
            (aid, title, index_body),
        )
    conn.execute(
        "INSERT INTO comments (article_url, comment_id, author, author_url, body, link)"
        " VALUES ('https://news.test/1', 'c1', 'Eve\u202e', 'javascript:x', 'hi\x1b[5m', NULL)"
    )
    conn.execute(
        "INSERT INTO drafts (article_url, body, created_at, updated_at)"
        " VALUES ('https://news.test/1', 'my own \x1b text stays mine', 'x', 'x')"
    )
    conn.commit()
    conn.close()


def test_an_old_cache_is_cleaned_on_open(tmp_path: Path) -> None:
    path = tmp_path / "reader.db"
    old_cache(path)
    store = Store.open(path)
    db = store.db
    feed = store.feeds.get(1)
    assert feed.url == "https://news.test/feed.xml" and feed.title == "News"
    assert feed.site_url is None
    article = store.articles.get(1)
    assert article.title == "Council votes yes today"
    assert article.author == "Ann" and article.comments_url is None
    assert "Turnout was high. Red &#8217;quoted&#8217;" in (article.content_html or "")
    assert 'href="#"' in (article.content_html or "") and "script" not in article.content_html
    for column in ("title", "author", "summary", "content_html", "url", "comments_url"):
        for (value,) in db.query(f"SELECT {column} FROM articles"):
            assert not BAD.search(value or ""), (column, value)
    for title, body in db.query("SELECT title, body FROM articles_fts"):
        assert not BAD.search(title) and not BAD.search(body), (title, body)
    assert db.query_one("SELECT rendered FROM articles WHERE id = 1")[0] is None  # re-rendered
    assert db.query_one("SELECT rendered FROM articles WHERE id = 2")[0] == "cached"  # untouched
    comment = db.query_one("SELECT author, author_url, body FROM comments")
    assert tuple(comment) == ("Eve", None, "hi")
    # the user's own draft is not network input: kept byte for byte
    assert db.query_one("SELECT body FROM drafts")[0] == "my own \x1b text stays mine"
    clean = store.articles.get(2)
    assert (clean.title, clean.content_html) == ("Plain title", "<p>fine</p>")
    assert store.search.find("turnout").ids == [1]
    assert json.loads(db.query_one("SELECT categories FROM articles WHERE id = 1")[0]) == []
    store.close()


def test_a_feed_url_that_cleans_into_another_subscription_is_retired(tmp_path: Path) -> None:
    path = tmp_path / "reader.db"
    old_cache(path)
    conn = sqlite3.connect(path)
    conn.execute(
        "INSERT INTO feeds (id, url, added_at) VALUES (3, ?, 'x')", ("https://clean.test/fe\x00ed",)
    )
    conn.commit()
    conn.close()
    store = Store.open(path)
    feed = store.feeds.get(3)
    assert feed.gone and "not a usable http(s) URL" in (feed.last_error or "")
    assert store.feeds.get(2).url == "https://clean.test/feed"
    store.close()


def test_comments_and_related_links_are_stored_clean(tmp_path: Path) -> None:
    """Whatever parsed them (REST, a comment feed, a page), the store keeps them clean."""
    from reader.comments.thread import StoredComment
    from reader.store.related import RelatedLink

    store = Store.open(tmp_path / "reader.db")
    page = "https://news.test/p"
    store.comments.replace(
        page,
        [
            StoredComment(
                "1",
                None,
                "Eve\u202e\x1b[2J",
                None,
                "hi \x1b]0;t\x07there\nnext line",
                "javascript:alert(1)",
                "data:text/html,x",
            )
        ],
        source="rest",
    )
    (comment,) = store.comments.thread(page).comments
    assert (comment.author, comment.text) == ("Eve", "hi there\nnext line")
    assert comment.author_url is None and comment.link is None
    feed, _ = store.feeds.add("https://news.test/feed")
    from reader.sources.items import FeedItem

    store.articles.upsert(feed.id, [FeedItem(guid="a", url=page, title="A")])
    article = store.articles.by_url(page)
    store.related.replace(
        article.id,
        "page",
        [
            RelatedLink("javascript:alert(1)", "Bad", "page", 0),
            RelatedLink("https://news.test/q", "Good \x9b2J one", "page", 1),
        ],
    )
    assert [(r.url, r.title) for r in store.related.for_article(article.id)] == [
        ("https://news.test/q", "Good one")
    ]
    store.close()
