"""Reading comment threads from the real WordPress: REST, comment feed, page; offline cache."""

from __future__ import annotations

import json
import uuid
from typing import Any

import httpx
import pytest

from reader.cli import run as cli_run
from reader.comments.page_parts import read_page
from reader.comments.thread import cached_thread, fetch_thread, parse_comment_feed, threaded
from reader.store import Store

pytest_plugins = ("tests.wordpress",)
pytestmark = pytest.mark.wordpress


def expected_tree(wp: Any, post_id: int) -> list[tuple[str, str | None, str, int]]:
    """(id, parent, author, depth) of the post's public seeded comments, from the manifest."""
    seeded = [c for c in wp["manifest"]["comments"] if c["post"] == post_id and c["approved"]]
    by_id = {c["id"]: c for c in seeded}

    def depth(c: dict[str, Any]) -> int:
        return 0 if not c["parent"] else 1 + depth(by_id[c["parent"]])

    return sorted(
        (str(c["id"]), str(c["parent"]) if c["parent"] else None, c["author"], depth(c))
        for c in seeded
    )


def seeded_only(comments: Any, wp: Any) -> list[tuple[str, str | None, str, int]]:
    ids = {str(c["id"]) for c in wp["manifest"]["comments"]}
    return sorted((c.id, c.parent, c.author, c.depth) for c in comments if c.id in ids)


@pytest.mark.parametrize("post_id", [1, 2, 11])
async def test_rest_thread_matches_the_manifest(wp, store, client, post_id):
    record = wp.store_post(store, post_id)
    thread = await fetch_thread(store, record, client=client)
    assert thread.source == "rest" and not thread.offline
    assert seeded_only(thread.comments, wp) == expected_tree(wp, post_id)
    # reading order: every reply comes after its parent
    position = {c.id: i for i, c in enumerate(thread.comments)}
    assert all(position[c.parent] < position[c.id] for c in thread.comments if c.parent)
    assert store.articles.get(record.id).comment_count == thread.count
    assert all(c.date and c.date.endswith("+00:00") for c in thread.comments)


async def test_pending_comment_is_not_shown(wp, store, client):
    thread = await fetch_thread(store, wp.post(6)["link"], client=client)
    pending = [str(c["id"]) for c in wp["manifest"]["comments"] if not c["approved"]]
    assert pending and not {c.id for c in thread.comments} & set(pending)


@pytest.mark.parametrize("post_id", [1, 11])
def test_comment_feed_and_page_agree_with_rest(wp, post_id):
    link = wp.post(post_id)["link"]
    feed = parse_comment_feed(httpx.get(link + "feed/").content, link + "feed/")
    page = read_page(httpx.get(link).content, link)
    from_page = [c for c in page.comments]
    expected = expected_tree(wp, post_id)
    assert seeded_only(threaded(feed), wp) == expected
    from reader.comments.thread import _from_page

    assert seeded_only(threaded([_from_page(c) for c in from_page]), wp) == expected
    assert page.comment_feed == link + "feed/" and page.post_id == post_id


async def test_offline_returns_the_cached_thread(wp, store, client):
    record = wp.store_post(store, 1)
    online = await fetch_thread(store, record, client=client)
    down = httpx.AsyncClient(proxy=f"http://127.0.0.1:{wp.closed_port()}", trust_env=False)
    async with down:
        offline = await fetch_thread(store, record, client=down)
    assert offline.offline and "refused" in offline.error
    assert offline.comments == online.comments
    # a new Store object on the same file still has it
    reopened = Store.open(store.path)
    try:
        assert cached_thread(reopened, record.url + "#comments").comments == online.comments
    finally:
        reopened.close()


async def test_hostile_comment_text_is_cleaned(wp, store, client, wp_comment_marker):
    """WordPress drops ESC and BEL itself but keeps bidi overrides; neither may reach us."""
    token = uuid.uuid4().hex
    evil = (
        f"Look \x1b]0;owned\x07here \x1b[31mred\x1b[0m \u202eevil\u202c {wp_comment_marker} {token}"
    )
    answer = httpx.post(
        f"{wp['WP_URL']}/wp-json/wp/v2/comments",
        json={
            "post": 4,
            "author_name": "Eve \x1b[2J\u202e",
            "author_email": "eve@example.org",
            "content": evil,
        },
    )
    assert answer.status_code == 201, answer.text
    thread = await fetch_thread(store, wp.post(4)["link"], client=client)
    [mine] = [c for c in thread.comments if token in c.text]
    for text in (mine.text, mine.author):
        assert "\x1b" not in text and "\u202e" not in text and "\x07" not in text
    assert mine.author.startswith("Eve") and "here" in mine.text and "red" in mine.text


def test_cli_comments(wp, tmp_path, capsys):
    home = str(tmp_path / "clihome")
    link = wp.post(1)["link"]
    assert cli_run(["--home", home, "comments", link + "#comments", "--json"]) == 0
    data = json.loads(capsys.readouterr().out)
    assert data["source"] == "rest" and data["count"] >= 4
    assert cli_run(["--home", home, "comments", link, "--offline"]) == 0
    out = capsys.readouterr().out
    assert "Henrik Saal" in out and "\n        #3 Henrik Saal" in out  # depth 2, indented
    assert cli_run(["--home", home, "comments", "12345"]) == 1
    assert "no article with id 12345" in capsys.readouterr().err
