"""Sync against the real FreshRSS 1.24.3 (``../shared/sync``), read back through its API.

Each test gets the seeded server (``tests.freshrss``): 4 feeds in 2 folders, 16 items, 4 read,
1 starred. The interruption tests put a small forwarding proxy between reader and FreshRSS
(``Cut``): the server is real, only the connection fails, at the request the test chooses.
"""

from __future__ import annotations

import http.client
import http.server
import os
import signal
import subprocess
import sys
import threading
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest

from reader.cli import run
from reader.store import Store

pytest_plugins = ("tests.freshrss",)
READING_LIST = "user/-/state/com.google/reading-list"
READ = "user/-/state/com.google/read"
STARRED = "user/-/state/com.google/starred"


class Api:
    """The server as another client sees it (httpx straight to the API, not our client)."""

    def __init__(self, fresh: dict[str, Any]) -> None:
        base = fresh["SYNC_GREADER_URL"]
        login = httpx.post(
            f"{base}/accounts/ClientLogin",
            data={"Email": fresh["SYNC_USER"], "Passwd": fresh["SYNC_PASSWORD"]},
        )
        auth = next(x[5:] for x in login.text.splitlines() if x.startswith("Auth="))
        self.http = httpx.Client(
            base_url=f"{base}/reader/api/0/",
            headers={"Authorization": f"GoogleLogin auth={auth}"},
            timeout=60,
        )

    def ids(self, stream: str, **params: str) -> set[str]:
        answer = self.http.get("stream/items/ids", params={"s": stream, "n": 1000, **params})
        return {ref["id"] for ref in answer.json()["itemRefs"]}

    def unread(self) -> set[str]:
        return self.ids(READING_LIST, xt=READ)

    def starred(self) -> set[str]:
        return self.ids(STARRED)

    def edit(self, item_id: str, **form: str) -> None:
        token = self.http.get("token").text.strip()
        self.http.post("edit-tag", data={"i": item_id, **form, "T": token}).raise_for_status()


def reader(*args: str, stdin: str = "", capsys: Any = None) -> int:
    """Run the CLI in this process (stdin given)."""
    import io

    saved = sys.stdin
    sys.stdin = io.StringIO(stdin)
    try:
        return run(list(args))
    finally:
        sys.stdin = saved


def add_account(fresh: dict[str, Any], url: str | None = None) -> int:
    return reader(
        "account",
        "add",
        "--url",
        url or fresh["SYNC_GREADER_URL"],
        "--user",
        fresh["SYNC_USER"],
        "--name",
        "fr",
        "--password-stdin",
        stdin=fresh["SYNC_PASSWORD"] + "\n",
    )


def open_store() -> Store:
    return Store.open(Path(os.environ["READER_HOME"]) / "data" / "reader.db")


def local_ids(store: Store, column: str) -> set[str]:
    """The server ids of the local articles that are unread ('read' = 0) or saved."""
    where = "a.read = 0" if column == "unread" else "a.saved = 1"
    rows = store.db.query(
        f"SELECT s.item_id FROM sync_items s JOIN articles a ON a.id = s.article_id WHERE {where}"
    )
    return {row[0] for row in rows}


def test_first_sync_matches_the_server(freshrss: dict[str, Any], capsys: Any) -> None:
    assert add_account(freshrss) == 0
    home = Path(os.environ["READER_HOME"])
    token_file = home / "data" / "sync" / "fr.token"
    assert token_file.stat().st_mode & 0o777 == 0o600
    for path in home.rglob("*"):  # the password is never written anywhere
        if path.is_file():
            assert freshrss["SYNC_PASSWORD"].encode() not in path.read_bytes()
    assert reader("sync", "--json") == 0
    store = open_store()
    manifest = freshrss["manifest"]
    feeds = {f.url: f for f in store.feeds.subscriptions()}
    subscribed = [f for f in manifest["feeds"] if f["subscribed"]]
    assert set(feeds) == {f["url"] for f in subscribed}
    for entry in subscribed:  # FreshRSS's full-width title rewrites are undone
        assert feeds[entry["url"]].title == entry["title"]
        assert feeds[entry["url"]].tags == (entry["category"],)
        assert feeds[entry["url"]].kind == "synced"
    api = Api(freshrss)
    assert local_ids(store, "unread") == api.unread()
    assert len(api.unread()) == manifest["expected"]["unread"]
    assert local_ids(store, "saved") == set(manifest["expected"]["starred_ids"])
    for feed in subscribed:
        for item in feed["items"]:
            record = store.articles.by_url(item["link"])  # the original URL is kept
            assert record is not None and record.title == item["title"]
    assert store.feeds.polled() == []  # the server refreshes them, not `reader refresh`
    capsys.readouterr()
    assert reader("account", "list", "--json") == 0
    assert '"feeds": 4' in capsys.readouterr().out


def test_local_changes_made_offline_reach_the_server(freshrss: dict[str, Any]) -> None:
    assert add_account(freshrss) == 0 and reader("sync") == 0
    store = open_store()
    unread_item, read_item = freshrss.item("news-atom", 1), freshrss.item("tech-rss", 1)
    unread_id = store.articles.by_url(unread_item["link"]).id
    store.marks.set_read([unread_id])  # no network involved: the store queues it
    store.marks.set_read([store.articles.by_url(read_item["link"]).id], False)
    store.marks.set_saved([unread_id])
    assert store.sync.queued_count() == 3
    store.close()
    assert reader("sync") == 0
    api = Api(freshrss)
    assert unread_item["id"] not in api.unread() and read_item["id"] in api.unread()
    assert unread_item["id"] in api.starred()
    assert open_store().sync.queued_count() == 0
    assert reader("sync") == 0  # a second sync pushes nothing and changes nothing
    assert api.unread() == local_ids(open_store(), "unread")


def test_changes_on_the_server_and_new_items_appear_after_sync(freshrss: dict[str, Any]) -> None:
    assert add_account(freshrss) == 0 and reader("sync") == 0
    api = Api(freshrss)
    first, second = freshrss.item("tech-atom", 2), freshrss.item("tech-rss", 1)
    api.edit(first["id"], a=READ)
    api.edit(second["id"], r=READ)
    api.edit(second["id"], a=STARRED)
    feed_file = Path(freshrss["SYNC_FEEDS_DIR"]) / "tech" / "rss.xml"
    text = feed_file.read_text(encoding="utf-8")
    new_item = (
        "<item><title>Brand new: sync &amp; you</title>"
        f"<link>{freshrss['SYNC_FEEDS_URL']}/tech/posts/brand-new.html</link>"
        "<guid>brand-new-item</guid><pubDate>Sun, 15 Sep 2024 08:00:00 GMT</pubDate>"
        "<description>fresh</description></item>"
    )
    feed_file.write_text(text.replace("<item>", new_item + "<item>", 1), encoding="utf-8")
    assert "1 new" in freshrss.actualize()
    assert reader("sync") == 0
    store = open_store()
    assert store.articles.by_url(first["link"]).read
    record = store.articles.by_url(second["link"])
    assert not record.read and record.saved
    new = store.articles.by_url(f"{freshrss['SYNC_FEEDS_URL']}/tech/posts/brand-new.html")
    assert new is not None and new.title == "Brand new: sync & you" and not new.read
    assert local_ids(store, "unread") == api.unread()
    assert store.sync.account("fr").since is not None  # the next sync asks only for newer items


def test_wrong_password_unreachable_server_and_web_page_are_one_line_each(
    freshrss: dict[str, Any], capsys: Any
) -> None:
    base = ["account", "add", "--user", "reader", "--password-stdin", "--url"]
    cases = [
        (freshrss["SYNC_GREADER_URL"], freshrss["SYNC_WEB_PASSWORD"], "refused the login"),
        ("http://127.0.0.1:9/api/greader.php", "x", "cannot reach 127.0.0.1:9"),
        (f"{freshrss['SYNC_FEEDS_URL']}/tech/", "x", "web page, not the Google Reader API"),
    ]
    for url, password, message in cases:
        capsys.readouterr()
        assert reader(*base, url, stdin=password + "\n") == 1
        err = capsys.readouterr().err
        assert message in err and err.count("\n") == 1, err
    assert reader("account", "add", "--user", "u", "--url", "http://x.test/") == 2
    assert reader("account", "list") == 0 and "no accounts" in capsys.readouterr().out


class Cut(http.server.ThreadingHTTPServer):
    """A forwarding proxy to FreshRSS that fails on purpose: ``drop_after`` requests pass, then
    connections close unanswered; ``kill_on`` (a path part) forwards that request, lets the
    server apply it, then SIGKILLs ``victim`` before the answer reaches it."""

    def __init__(self, upstream: str) -> None:
        self.upstream = httpx.URL(upstream)
        self.drop_after: int | None = None
        self.kill_on: str | None = None
        self.victim: int | None = None
        self.seen = 0
        super().__init__(("127.0.0.1", 0), _Forward)

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.server_address[1]}{self.upstream.path}"


class _Forward(http.server.BaseHTTPRequestHandler):
    server: Cut

    def log_message(self, *args: object) -> None:
        pass

    def _forward(self) -> None:
        proxy = self.server
        proxy.seen += 1
        if proxy.drop_after is not None and proxy.seen > proxy.drop_after:
            self.close_connection = True
            return
        body = self.rfile.read(int(self.headers.get("Content-Length") or 0))
        upstream = http.client.HTTPConnection(proxy.upstream.host, proxy.upstream.port, timeout=60)
        headers = {k: v for k, v in self.headers.items() if k.lower() not in ("host", "connection")}
        upstream.request(self.command, self.path, body=body or None, headers=headers)
        answer = upstream.getresponse()
        data = answer.read()
        if proxy.kill_on and proxy.kill_on in self.path and proxy.victim:
            os.kill(proxy.victim, signal.SIGKILL)  # the server applied it; reader never hears
            self.close_connection = True
            return
        self.send_response(answer.status)
        for key, value in answer.getheaders():
            if key.lower() not in ("transfer-encoding", "connection", "content-length"):
                self.send_header(key, value)
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        self.wfile.write(data)

    do_GET = do_POST = _forward


@pytest.fixture
def cut(freshrss: dict[str, Any]) -> Iterator[Cut]:
    proxy = Cut(freshrss["SYNC_GREADER_URL"])
    thread = threading.Thread(target=proxy.serve_forever, daemon=True)
    thread.start()
    yield proxy
    proxy.shutdown()
    proxy.server_close()


def test_connection_lost_mid_sync_loses_nothing_and_the_next_sync_completes(
    freshrss: dict[str, Any], cut: Cut
) -> None:
    assert add_account(freshrss, cut.url) == 0
    cut.drop_after = cut.seen + 2  # the feeds and the items pass, the state sets do not
    assert reader("sync") == 1
    store = open_store()
    assert store.sync.account("fr").last_error
    assert store.sync.account("fr").since is None  # not complete: the next one starts over
    store.close()
    cut.drop_after = None
    assert reader("sync") == 0
    store = open_store()
    assert local_ids(store, "unread") == Api(freshrss).unread()
    assert store.articles.count() == freshrss["manifest"]["expected"]["items"]


def test_queue_survives_sigkill_between_push_and_record(freshrss: dict[str, Any], cut: Cut) -> None:
    assert add_account(freshrss, cut.url) == 0 and reader("sync") == 0
    store = open_store()
    item = freshrss.item("news-rss", 2)
    store.marks.set_read([store.articles.by_url(item["link"]).id])
    store.close()
    cut.kill_on = "edit-tag"
    child = subprocess.Popen(
        [sys.executable, "-m", "reader", "sync"],
        env=dict(os.environ),
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    cut.victim = child.pid
    assert child.wait(timeout=300) == -signal.SIGKILL
    api = Api(freshrss)
    assert item["id"] not in api.unread()  # the server applied it...
    assert open_store().sync.queued_count() == 1  # ...and the queue still has it
    cut.kill_on = None
    before = api.unread()
    assert reader("sync") == 0
    store = open_store()
    assert store.sync.queued_count() == 0 and api.unread() == before  # applied once
    assert local_ids(store, "unread") == before


def test_rename_tag_and_remove_a_synced_feed_reach_the_server(freshrss: dict[str, Any]) -> None:
    assert add_account(freshrss) == 0 and reader("sync") == 0
    feeds = {f["key"]: f for f in freshrss["manifest"]["feeds"]}
    assert reader("rename", feeds["tech-rss"]["url"], "Loopback notes") == 0
    assert reader("tag", feeds["tech-atom"]["url"], "Systems") == 0
    assert reader("remove", feeds["news-atom"]["url"]) == 0
    assert open_store().sync.pending_ops("fr")  # queued: nothing sent until the sync
    assert reader("sync") == 0
    listed = Api(freshrss).http.get("subscription/list", params={"output": "json"}).json()
    by_url = {s["url"]: s for s in listed["subscriptions"]}
    assert by_url[feeds["tech-rss"]["url"]]["title"] == "Loopback notes"
    assert "user/-/label/Systems" in {
        c["id"] for c in by_url[feeds["tech-atom"]["url"]]["categories"]
    }
    assert feeds["news-atom"]["url"] not in by_url
    store = open_store()
    assert store.sync.pending_ops("fr") == []
    assert store.feeds.by_url(feeds["tech-rss"]["url"]).title == "Loopback notes"
    assert store.feeds.by_url(feeds["news-atom"]["url"]) is None
