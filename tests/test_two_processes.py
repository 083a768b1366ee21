"""Two processes, one cache: concurrent `reader refresh` runs, a draft writer and a TUI-like reader.

Everything is real: `reader refresh` subprocesses (with their own parser and store processes)
against 40 feeds served by a local HTTP server, a third process saving comment drafts through the
store API in a loop, and a fourth holding one long-lived connection the way the TUI does (list
ids, list rows, open an article, mark it read). Afterwards the cache must pass
``PRAGMA integrity_check``, hold exactly the served items and every draft as last saved, the
second refresh must have said why it did not run (exit 75) or waited (``--wait``), and no reader
or writer in the other processes may have failed.

The feeds are held back by a gate until the competing refresh has been started, so the overlap
does not depend on timing.
"""

from __future__ import annotations

import asyncio
import json
import os
import sqlite3
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.hostile_server import HostileServer, Request, response_head

FEEDS = 40
ITEMS = 30
ROOT = Path(__file__).resolve().parent.parent
BUSY = 75


def rss(feed: int) -> bytes:
    text = "Tide and harbour notes. " * 40  # ~1 KB per item: real write work for the store
    entries = "".join(
        f"<item><title>Feed {feed} post {n}</title><link>/page/{feed}/{n}</link>"
        f"<guid>f{feed}-{n}</guid><pubDate>Mon, 0{1 + n % 9} Mar 2026 08:{n:02d}:00 +0000"
        f"</pubDate><description>{text} {feed}/{n}</description></item>"
        for n in range(ITEMS)
    )
    return (
        f'<?xml version="1.0"?><rss version="2.0"><channel><title>Feed {feed}</title>'
        f"<link>/</link>{entries}</channel></rss>"
    ).encode()


class Site:
    """40 feeds whose answers wait until ``gate`` opens (pages 404 at once)."""

    def __init__(self, server: HostileServer) -> None:
        self.server = server
        self.gate = threading.Event()
        for n in range(FEEDS):
            server.handle(f"/feed/{n}.xml", self._feed(rss(n)))

    def _feed(self, body: bytes):  # -> Handler
        async def answer(_request: Request, writer: asyncio.StreamWriter) -> None:
            while not self.gate.is_set():
                await asyncio.sleep(0.02)
            writer.write(
                response_head(
                    200, {"Content-Type": "application/rss+xml", "Content-Length": str(len(body))}
                )
                + body
            )

        return answer


@pytest.fixture
def site() -> Iterator[Site]:
    with HostileServer() as server:
        yield Site(server)


def env_for(home: Path) -> dict[str, str]:
    return {**os.environ, "READER_HOME": str(home), "PYTHONPATH": str(ROOT)}


def reader(home: Path, *args: str) -> subprocess.Popen[str]:
    return subprocess.Popen(
        [sys.executable, "-m", "reader", *args],
        env=env_for(home),
        cwd=ROOT,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )


def helper(home: Path, function: str, *args: str) -> subprocess.Popen[str]:
    """Run one of this module's loops in its own process (a real second reader of the cache)."""
    code = f"import sys; from tests.test_two_processes import {function}; {function}(*sys.argv[1:])"
    return subprocess.Popen(
        [sys.executable, "-c", code, *args],
        env=env_for(home),
        cwd=ROOT,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )


def subscribe(site: Site, home: Path) -> Path:
    urls = home.parent / "urls"
    urls.write_text("".join(f"{site.server.url(f'/feed/{n}.xml')}\n" for n in range(FEEDS)))
    done = subprocess.run(
        [sys.executable, "-m", "reader", "import", str(urls)],
        env=env_for(home),
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert done.returncode == 0, done.stderr
    return home / "data" / "reader.db"


def wait_for_lock_holder(db: Path, pid: int, timeout: float = 30.0) -> None:
    """Until ``pid`` has written itself into the refresh lock file (it holds the lock then)."""
    lock = Path(f"{db}.refresh.lock")
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if lock.exists() and lock.read_text().split()[:1] == [str(pid)]:
            return
        time.sleep(0.02)
    raise AssertionError(f"refresh {pid} never took the lock")


def finish(process: subprocess.Popen[str], timeout: float = 120.0) -> tuple[int, str, str]:
    out, err = process.communicate(timeout=timeout)
    return process.returncode, out, err


# -- the other processes -----------------------------------------------------------------------


def draft_loop(db: str, stop: str, report: str) -> None:
    """Save and re-edit drafts until ``stop`` exists; write what was saved to ``report``."""
    from reader.store import Store

    store = Store.open(db)
    saved: dict[int, str] = {}
    slowest, errors, n = 0.0, [], 0
    while not os.path.exists(stop) or n < 20:
        n += 1
        try:
            started = time.perf_counter()
            draft = store.drafts.save(
                article_url=f"https://quay.test/post/{n}", body=f"first words of draft {n}"
            )
            draft = store.drafts.save(
                article_url=draft.article_url,
                draft_id=draft.id,
                body=f"draft {n}, edited: ✓ {'x' * (n % 50)}",
            )
            slowest = max(slowest, time.perf_counter() - started)
            saved[draft.id] = draft.body
        except Exception as error:  # recorded: the test fails on any
            errors.append(f"{type(error).__name__}: {error}")
        time.sleep(0.005)
    store.close()
    Path(report).write_text(json.dumps({"saved": saved, "errors": errors, "slowest": slowest}))


def tui_like_loop(db: str, stop: str, report: str) -> None:
    """One long-lived connection reading the article list like the TUI, marking some read."""
    from reader.store import Store

    store = Store.open(db)
    errors: list[str] = []
    slowest_read = slowest_write = 0.0
    rounds = seen = 0
    while not os.path.exists(stop) or rounds < 20:
        rounds += 1
        try:
            started = time.perf_counter()
            ids = store.articles.ordered_ids()
            rows = store.articles.rows(ids[:60])
            article = store.articles.get(ids[rounds % len(ids)]) if ids else None
            store.feeds.health()
            slowest_read = max(slowest_read, time.perf_counter() - started)
            seen = max(seen, len(ids))
            assert len(rows) == min(60, len(ids))
            if article is not None and rounds % 5 == 0:
                started = time.perf_counter()
                store.articles.set_read(article.id)
                slowest_write = max(slowest_write, time.perf_counter() - started)
        except Exception as error:
            errors.append(f"{type(error).__name__}: {error}")
        time.sleep(0.01)
    store.close()
    Path(report).write_text(
        json.dumps(
            {
                "errors": errors,
                "slowest_read": slowest_read,
                "slowest_write": slowest_write,
                "rounds": rounds,
                "seen": seen,
            }
        )
    )


# -- checks ------------------------------------------------------------------------------------


def check_cache(db: Path, drafts: dict[str, str]) -> None:
    with sqlite3.connect(db) as conn:
        assert conn.execute("PRAGMA integrity_check").fetchall() == [("ok",)]
        assert conn.execute("PRAGMA foreign_key_check").fetchall() == []
        assert conn.execute("SELECT count(*) FROM articles").fetchone()[0] == FEEDS * ITEMS
        per_feed = conn.execute(
            "SELECT count(*) FROM feeds f WHERE (SELECT count(*) FROM articles a"
            " WHERE a.feed_id = f.id) = ?",
            (ITEMS,),
        ).fetchone()[0]
        assert per_feed == FEEDS
        assert (
            conn.execute("SELECT count(*) FROM feeds WHERE last_error IS NOT NULL").fetchone()[0]
            == 0
        )
        stored = dict(conn.execute("SELECT id, body FROM drafts WHERE deleted_at IS NULL"))
    assert {int(k): v for k, v in drafts.items()} == stored


def test_a_second_refresh_exits_75_while_drafts_and_reads_go_on(site: Site, tmp_path: Path) -> None:
    home = tmp_path / "home"
    db = subscribe(site, home)
    stop, draft_report, read_report = (tmp_path / n for n in ("stop", "drafts", "reads"))
    first = reader(home, "refresh")
    wait_for_lock_holder(db, first.pid)
    writers = [
        helper(home, "draft_loop", str(db), str(stop), str(draft_report)),
        helper(home, "tui_like_loop", str(db), str(stop), str(read_report)),
    ]
    second = reader(home, "refresh", "--json")
    code, out, err = finish(second, 60)
    assert code == BUSY, err
    assert out == ""
    assert err.startswith(f"reader: another refresh is running (pid {first.pid}, started ")
    assert err.rstrip().endswith("ago); try again when it ends")
    site.gate.set()
    code, out, err = finish(first)
    assert code == 0, err
    assert f"{FEEDS} feeds in" in out
    stop.touch()
    for process in writers:
        assert finish(process)[0] == 0
    drafts = json.loads(draft_report.read_text())
    reads = json.loads(read_report.read_text())
    assert drafts["errors"] == [] and reads["errors"] == []
    check_cache(db, drafts["saved"])
    assert not Path(f"{db}.refresh.lock").read_text()  # released: no stale pid left behind


def test_refresh_wait_runs_after_the_first_one_ends(site: Site, tmp_path: Path) -> None:
    home = tmp_path / "home"
    db = subscribe(site, home)
    stop, draft_report, read_report = (tmp_path / n for n in ("stop", "drafts", "reads"))
    writers = [
        helper(home, "draft_loop", str(db), str(stop), str(draft_report)),
        helper(home, "tui_like_loop", str(db), str(stop), str(read_report)),
    ]
    first = reader(home, "refresh", "--json")
    wait_for_lock_holder(db, first.pid)
    second = reader(home, "refresh", "--json", "--wait")
    assert second.stderr is not None
    line = second.stderr.readline()  # printed before it blocks
    assert line.startswith(f"reader: waiting for the refresh that is running (pid {first.pid}")
    assert second.poll() is None  # still waiting: the first one is held at the gate
    site.gate.set()
    first_code, first_out, first_err = finish(first)
    second_code, second_out, second_err = finish(second)
    assert (first_code, second_code) == (0, 0), first_err + second_err
    assert json.loads(first_out)["new_items"] == FEEDS * ITEMS
    again = json.loads(second_out)  # ran after the first: everything already there
    assert again["new_items"] == 0 and again["stored"] + again["not_modified"] == FEEDS
    stop.touch()
    for process in writers:
        assert finish(process)[0] == 0
    drafts = json.loads(draft_report.read_text())
    reads = json.loads(read_report.read_text())
    assert drafts["errors"] == [] and reads["errors"] == []
    assert reads["seen"] == FEEDS * ITEMS
    check_cache(db, drafts["saved"])


def test_reader_add_during_a_refresh_subscribes_and_defers_the_fetch(
    site: Site, tmp_path: Path
) -> None:
    home = tmp_path / "home"
    db = subscribe(site, home)
    first = reader(home, "refresh")
    wait_for_lock_holder(db, first.pid)
    site.server.route("/late.xml", rss(99), headers={"Content-Type": "application/rss+xml"})
    added = subprocess.run(
        [sys.executable, "-m", "reader", "add", site.server.url("/late.xml")],
        env=env_for(home),
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert added.returncode == 0, added.stderr
    assert "subscribed to" in added.stdout
    assert f"not fetched yet: another refresh is running (pid {first.pid}" in added.stderr
    assert "the next `reader refresh` fetches it" in added.stderr
    site.gate.set()
    assert finish(first)[0] == 0
    again = subprocess.run(
        [sys.executable, "-m", "reader", "refresh", "--json"],
        env=env_for(home),
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert again.returncode == 0, again.stderr
    assert json.loads(again.stdout)["new_items"] == ITEMS  # the late feed, now fetched


# -- the TUI -----------------------------------------------------------------------------------


async def _run_cli(home: Path, *args: str) -> tuple[int, str, str]:
    """`reader ARGS` without blocking the app's event loop."""
    process = await asyncio.create_subprocess_exec(
        sys.executable,
        "-m",
        "reader",
        *args,
        env=env_for(home),
        cwd=ROOT,
        stdout=asyncio.subprocess.PIPE,
        stderr=asyncio.subprocess.PIPE,
    )
    out, err = await asyncio.wait_for(process.communicate(), 120)
    return process.returncode or 0, out.decode(), err.decode()


def _messages(app: object) -> str:
    return " | ".join(n.message for n in app._notifications)  # type: ignore[attr-defined]


async def test_tui_reads_through_a_cli_refresh_and_R_says_it_is_running(
    site: Site, tmp_path: Path
) -> None:
    from reader.paths import resolve_paths
    from reader.store import Store
    from tests.ui.helpers import main_screen, make_app, settle

    home = tmp_path / "home"
    paths = resolve_paths(home).ensure()
    db = subscribe(site, home)
    store = Store.open(db)  # the app's long-lived connection
    app = make_app(store, paths)
    try:
        async with app.run_test(size=(120, 36)) as pilot:
            await settle(pilot, app)
            screen = main_screen(app)
            cli = reader(home, "refresh")
            await asyncio.to_thread(wait_for_lock_holder, db, cli.pid)
            await pilot.press("R")
            await pilot.pause()
            assert f"Another refresh is running (pid {cli.pid}, started " in _messages(app)
            assert not [w for w in app.workers if w.group == "refresh"]
            site.gate.set()
            counts = []  # the app keeps reading while the other process writes
            while cli.poll() is None:
                counts.append(len(store.articles.ordered_ids()))
                store.articles.rows(store.articles.ordered_ids()[:60])
                await pilot.pause(0.02)
            assert cli.returncode == 0, cli.stderr.read() if cli.stderr else ""
            assert counts == sorted(counts)
            screen.article_list.load(keep=None, open_first=False)
            await settle(pilot, app)
            assert len(screen.article_list.article_ids) == FEEDS * ITEMS
    finally:
        store.close()
    check_cache(db, {})


async def test_cli_refresh_exits_75_while_the_tui_refreshes(site: Site, tmp_path: Path) -> None:
    from reader.paths import resolve_paths
    from reader.store import Store
    from tests.ui.helpers import make_app, settle

    home = tmp_path / "home"
    paths = resolve_paths(home).ensure()
    db = subscribe(site, home)
    store = Store.open(db)
    app = make_app(store, paths)
    try:
        async with app.run_test(size=(120, 36)) as pilot:
            await settle(pilot, app)
            await pilot.press("R")  # held at the gate: the app's refresh holds the lock
            await asyncio.to_thread(wait_for_lock_holder, db, os.getpid())
            code, out, err = await _run_cli(home, "refresh")
            assert code == BUSY, out + err
            assert f"another refresh is running (pid {os.getpid()}, started " in err
            await pilot.press("R")  # a second R in the app: no second run, no restart
            await pilot.pause()
            assert "A refresh is already running" in _messages(app)
            site.gate.set()
            await settle(pilot, app)
            assert f"{FEEDS * ITEMS} new articles from {FEEDS} feeds" in _messages(app)
    finally:
        store.close()
    assert not Path(f"{db}.refresh.lock").read_text()
    check_cache(db, {})
    code, out, err = await _run_cli(home, "refresh", "--json", "--no-pages")
    assert code == 0, err  # the app's lock is gone with its refresh
    assert json.loads(out)["new_items"] == 0


# -- opening one new cache from several processes at once -------------------------------------


def _open_store(path: str) -> None:
    from reader.store import Store

    Store.open(path).close()


def test_processes_creating_the_same_cache_at_once_all_succeed(tmp_path: Path) -> None:
    """Before the fixes in store/db.py about half of such three-way races failed with a second
    migration of the new file ("table feeds already exists"), and ~1 in 150 with "database is
    locked" from switching it to WAL."""
    import multiprocessing

    context = multiprocessing.get_context("spawn")
    for round_ in range(8):
        path = str(tmp_path / f"{round_}.db")
        processes = [context.Process(target=_open_store, args=(path,)) for _ in range(3)]
        for process in processes:
            process.start()
        for process in processes:
            process.join(60)
        assert [p.exitcode for p in processes] == [0, 0, 0]
        with sqlite3.connect(path) as conn:
            assert conn.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
            assert conn.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
