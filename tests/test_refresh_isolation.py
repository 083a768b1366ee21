"""One bad feed never costs the others: the real ``reader refresh`` against a local server.

50 feeds are served by a real HTTP server on 127.0.0.1; one of them carries a poison item. The
fault is injected into the real child processes through a ``sitecustomize`` module on
``PYTHONPATH`` (every Python process imports it at start, spawned children included): the
store process's upsert raises, or the process SIGKILLs itself, when it meets the poison item.
Nothing in the refresh is mocked; the checks read the real SQLite file afterwards.
"""

from __future__ import annotations

import json
import os
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest
from pytest_httpserver import HTTPServer

READER = Path(sys.executable).with_name("reader")
FEEDS = 50
ITEMS = 4
POISON_FEED = 17

INJECTOR = """
import os, signal
from reader.store import articles

_mode = os.environ.get("READER_TEST_POISON")
_marker = os.environ.get("READER_TEST_MARKER")
_upsert = articles.Articles.upsert


def upsert(self, feed_id, items):
    items = list(items)
    if any(getattr(i, "guid", "").startswith("poison") for i in items):
        if _mode == "raise":
            raise RuntimeError("poisoned item")
        if _mode == "kill-once" and not os.path.exists(_marker):
            open(_marker, "w").close()
            os.kill(os.getpid(), signal.SIGKILL)
        if _mode == "kill-always":
            os.kill(os.getpid(), signal.SIGKILL)
    return _upsert(self, feed_id, items)


articles.Articles.upsert = upsert
"""


def rss(feed: int) -> str:
    items = "".join(
        f"<item><title>Feed {feed} story {n}</title><link>http://site.test/{feed}/{n}</link>"
        f"<guid>{'poison' if feed == POISON_FEED and n == 2 else 'g'}-{feed}-{n}</guid>"
        f"<description>Story {n} of feed {feed}.</description></item>"
        for n in range(ITEMS)
    )
    return (
        f'<?xml version="1.0"?><rss version="2.0"><channel><title>Feed {feed}</title>'
        f"<link>http://site.test/{feed}/</link>{items}</channel></rss>"
    )


@pytest.fixture
def home(tmp_path: Path, httpserver: HTTPServer) -> Path:
    """A READER_HOME subscribed to 50 feeds served by the local server."""
    for n in range(FEEDS):
        httpserver.expect_request(f"/feed/{n}.xml").respond_with_data(
            rss(n), content_type="application/rss+xml"
        )
    listing = "\n".join(httpserver.url_for(f"/feed/{n}.xml") for n in range(FEEDS))
    urls = tmp_path / "urls"
    urls.write_text(listing + "\n")
    home = tmp_path / "home"
    done = subprocess.run(
        [str(READER), "--home", str(home), "import", str(urls)],
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert done.returncode == 0, done.stderr
    return home


def refresh(home: Path, tmp_path: Path, mode: str) -> subprocess.CompletedProcess[str]:
    site = tmp_path / "site"
    site.mkdir(exist_ok=True)
    (site / "sitecustomize.py").write_text(INJECTOR)
    env = {
        **os.environ,
        "PYTHONPATH": str(site),
        "READER_TEST_POISON": mode,
        "READER_TEST_MARKER": str(tmp_path / "killed-once"),
    }
    return subprocess.run(
        [str(READER), "--home", str(home), "refresh", "--no-pages", "--json"],
        capture_output=True,
        text=True,
        env=env,
        timeout=300,
    )


def stored_per_feed(home: Path) -> dict[str, int]:
    with sqlite3.connect(home / "data" / "reader.db") as db:
        rows = db.execute(
            "SELECT f.url, count(a.id) FROM feeds f LEFT JOIN articles a ON a.feed_id = f.id"
            " WHERE f.kind = 'feed' GROUP BY f.id"
        ).fetchall()
        assert db.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
    return {url.rsplit("/", 1)[1]: count for url, count in rows}


def feed_error(home: Path, name: str) -> str | None:
    with sqlite3.connect(home / "data" / "reader.db") as db:
        row = db.execute("SELECT last_error FROM feeds WHERE url LIKE ?", (f"%/{name}",)).fetchone()
    return row[0]


def test_an_exception_while_storing_one_feed_costs_that_feed_only(
    home: Path,
    tmp_path: Path,
) -> None:
    done = refresh(home, tmp_path, "raise")
    assert done.returncode == 3, done.stderr  # an internal error: reported, not hidden
    assert "Traceback" not in done.stderr
    report = json.loads(done.stdout)
    assert report["stored"] == FEEDS - 1 and report["internal_errors"] == 1
    (failure,) = report["failures"]
    assert failure["url"].endswith(f"/{POISON_FEED}.xml") and failure["internal"]
    assert "RuntimeError: poisoned item" in failure["error"]
    counts = stored_per_feed(home)
    poison = f"{POISON_FEED}.xml"
    assert counts.pop(poison) == 0  # its savepoint was rolled back whole
    assert set(counts.values()) == {ITEMS} and len(counts) == FEEDS - 1
    assert "poisoned item" in (feed_error(home, poison) or "")
    log = (home / "cache" / "reader.log").read_text()
    assert "Traceback" in log and "poisoned item" in log  # the whole story is in the log


def test_a_store_process_killed_once_is_replaced_and_nothing_is_lost(
    home: Path,
    tmp_path: Path,
) -> None:
    done = refresh(home, tmp_path, "kill-once")
    assert (tmp_path / "killed-once").exists()  # the store process really was SIGKILLed
    assert done.returncode == 0, done.stderr
    report = json.loads(done.stdout)
    assert report["stored"] == FEEDS and report["errors"] == 0
    assert set(stored_per_feed(home).values()) == {ITEMS}


def test_a_feed_that_kills_the_store_process_every_time_fails_alone(
    home: Path,
    tmp_path: Path,
) -> None:
    done = refresh(home, tmp_path, "kill-always")
    assert done.returncode == 3, done.stderr
    report = json.loads(done.stdout)
    (failure,) = report["failures"]
    assert failure["url"].endswith(f"/{POISON_FEED}.xml") and failure["internal"]
    assert "killed by SIGKILL" in failure["error"] and "twice" in failure["error"]
    counts = stored_per_feed(home)
    assert counts.pop(f"{POISON_FEED}.xml") == 0
    assert set(counts.values()) == {ITEMS} and len(counts) == FEEDS - 1


async def test_the_in_process_refresh_of_the_app_isolates_a_failing_feed_too(
    tmp_path: Path,
    httpserver: HTTPServer,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """The TUI refreshes with parser threads in its own process: same rule, same account."""
    from reader.refresh.engine import refresh
    from reader.store import Store
    from reader.store.articles import Articles

    for n in range(FEEDS):
        httpserver.expect_request(f"/feed/{n}.xml").respond_with_data(
            rss(n), content_type="application/rss+xml"
        )
    store = Store.open(tmp_path / "reader.db")
    for n in range(FEEDS):
        store.feeds.add(httpserver.url_for(f"/feed/{n}.xml"))
    real_upsert = Articles.upsert

    def upsert(self: Articles, feed_id: int, items: object) -> object:
        items = list(items)  # type: ignore[call-overload]
        if any(i.guid.startswith("poison") for i in items):
            raise RuntimeError("poisoned item")
        return real_upsert(self, feed_id, items)

    monkeypatch.setattr(Articles, "upsert", upsert)
    summary = await refresh(store, parse_in="thread", prefetch_pages=0)
    assert summary.stored == FEEDS - 1
    (failure,) = summary.internal_errors
    assert failure.url.endswith(f"/{POISON_FEED}.xml")
    assert "RuntimeError: poisoned item" in (failure.error or "")
    assert store.articles.count() == (FEEDS - 1) * ITEMS
    assert "poisoned item" in (store.feeds.get(failure.feed_id).last_error or "")
    store.close()
