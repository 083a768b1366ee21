"""``reader add --account`` and a refused stored token, against the real FreshRSS 1.24.3."""

from __future__ import annotations

import os
import pty
import sys
import time
from pathlib import Path
from typing import Any

from tests.test_sync_freshrss import Api, add_account, open_store, reader

pytest_plugins = ("tests.freshrss",)


def test_add_on_an_account_subscribes_on_the_server_and_brings_its_items(
    freshrss: dict[str, Any], capsys: Any
) -> None:
    assert add_account(freshrss) == 0 and reader("sync") == 0
    spare = next(f for f in freshrss["manifest"]["feeds"] if f["key"] == "spare")
    assert reader("add", spare["url"], "--account", "fr", "--tag", "Extras") == 0
    listed = Api(freshrss).http.get("subscription/list", params={"output": "json"}).json()
    on_server = {s["url"]: s for s in listed["subscriptions"]}
    assert spare["url"] in on_server
    assert "user/-/label/Extras" in {c["id"] for c in on_server[spare["url"]]["categories"]}
    store = open_store()
    feed = store.feeds.by_url(spare["url"])
    assert feed is not None and feed.kind == "synced" and feed.tags == ("Extras",)
    for item in spare["items"]:
        assert store.articles.by_url(item["link"]) is not None, item["link"]
    assert store.sync.pending_ops("fr") == []
    capsys.readouterr()
    assert reader("add", "http://127.0.0.1:8777/no/such/feed.xml", "--account", "fr") == 1
    assert "did not subscribe" in capsys.readouterr().err
    assert open_store().sync.pending_ops("fr") == []  # refused for good: not sent again
    assert reader("add", spare["url"], "--account", "nobody") == 2


def _spoil_token() -> Path:
    token = Path(os.environ["READER_HOME"]) / "data" / "sync" / "fr.token"
    token.write_text("reader/0123456789abcdef0123456789abcdef01234567", encoding="utf-8")
    return token


def test_a_refused_token_off_a_terminal_says_to_log_in_again(
    freshrss: dict[str, Any], capsys: Any
) -> None:
    assert add_account(freshrss) == 0
    _spoil_token()
    capsys.readouterr()
    assert reader("sync") == 1
    err = capsys.readouterr().err
    assert "refused the login" in err and "reader account add --name fr" in err
    assert err.count("\n") == 1, err
    assert open_store().sync.account("fr").last_error


def test_a_refused_token_on_a_terminal_asks_for_the_password_once(
    freshrss: dict[str, Any],
) -> None:
    assert add_account(freshrss) == 0
    token = _spoil_token()
    spoiled = token.read_text(encoding="utf-8")
    pid, fd = pty.fork()
    if pid == 0:  # the child: `reader sync` with the pty as its terminal
        os.execv(sys.executable, [sys.executable, "-m", "reader", "sync"])
    seen = b""
    deadline = time.monotonic() + 300
    while b"Password for" not in seen and time.monotonic() < deadline:
        seen += os.read(fd, 1024)
    assert b"refused the saved login" in seen, seen
    os.write(fd, (freshrss["SYNC_PASSWORD"] + "\n").encode())
    while True:
        try:
            chunk = os.read(fd, 1024)
        except OSError:  # the child closed the terminal
            break
        if not chunk:
            break
        seen += chunk
    _, status = os.waitpid(pid, 0)
    assert os.waitstatus_to_exitcode(status) == 0, seen
    assert seen.count(b"Password for") == 1
    assert token.read_text(encoding="utf-8") != spoiled
    assert token.stat().st_mode & 0o777 == 0o600
    assert open_store().articles.count() == freshrss["manifest"]["expected"]["items"]
