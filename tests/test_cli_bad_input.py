"""Input we cannot use says so: truncated feeds (add, refresh), non-lists given to `import`.

Everything goes through the real ``reader`` command in a subprocess with its own READER_HOME, and
feeds come from a real HTTP server on 127.0.0.1 (``tests/hostile_server.py``).
"""

from __future__ import annotations

import json
import os
import sqlite3
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.hostile_server import HostileServer

ITEMS = "".join(
    f"<item><title>Item {n}</title><link>https://quay.test/{n}</link><guid>q{n}</guid>"
    f"<description>Tide note number {n}.</description></item>"
    for n in range(5)
)
FEED = (
    '<?xml version="1.0" encoding="utf-8"?>\n<rss version="2.0"><channel><title>Quay</title>'
    f"<link>https://quay.test/</link>{ITEMS}</channel></rss>\n"
)
TRUNCATED = FEED[: FEED.index("<link>") + 10]  # cut off before the first item
EMPTY_FEED = (
    '<?xml version="1.0"?><rss version="2.0"><channel><title>Quiet</title>'
    "<link>https://quiet.test/</link></channel></rss>"
)
RSS = {"Content-Type": "application/rss+xml"}


def cli(home: Path, *args: str, stdin: bytes | None = None) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "READER_HOME": str(home)}
    return subprocess.run(
        [sys.executable, "-m", "reader", *args],
        capture_output=True,
        text=True,
        env=env,
        timeout=120,
        input=stdin.decode() if stdin is not None else None,
    )


@pytest.fixture
def server() -> Iterator[HostileServer]:
    with HostileServer() as running:
        running.route("/feed.xml", FEED, headers=RSS)
        running.route("/truncated.xml", TRUNCATED, headers=RSS)
        running.route("/quiet.xml", EMPTY_FEED, headers=RSS)
        yield running


def test_add_a_truncated_feed_says_it_is_not_well_formed(
    server: HostileServer, tmp_path: Path
) -> None:
    home = tmp_path / "home"
    url = server.url("/truncated.xml")
    result = cli(home, "add", url)
    assert result.returncode == 1, result
    assert "subscribed to" in result.stdout  # the address is a feed: it stays subscribed
    assert "articles" not in result.stdout
    assert f"first fetch of {url} failed: feed is not well-formed (line " in result.stderr
    assert "; 0 items read" in result.stderr
    assert "retried by `reader refresh`" in result.stderr and "reader remove" in result.stderr
    assert "Traceback" not in result.stderr
    feeds = json.loads(cli(home, "feeds", "--json").stdout)
    assert [f["url"] for f in feeds] == [url]
    assert feeds[0]["last_error"].startswith("feed is not well-formed (")
    assert feeds[0]["item_count"] == 0


def test_add_a_well_formed_empty_feed_is_quiet(server: HostileServer, tmp_path: Path) -> None:
    result = cli(tmp_path / "home", "add", server.url("/quiet.xml"))
    assert result.returncode == 0, result
    assert "0 articles" in result.stdout and result.stderr == ""


def test_refresh_records_a_truncated_feed_as_its_error(
    server: HostileServer, tmp_path: Path
) -> None:
    home = tmp_path / "home"
    assert cli(home, "add", server.url("/feed.xml")).returncode == 0
    server.route("/feed.xml", TRUNCATED, headers=RSS)  # the site now sends a cut-off body
    assert cli(home, "add", server.url("/quiet.xml")).returncode == 0
    result = cli(home, "refresh", "--json", "--no-pages")
    assert result.returncode == 0, result  # one of two failed: not every feed
    summary = json.loads(result.stdout)
    assert summary["errors"] == 1
    [failure] = summary["failures"]
    assert failure["url"] == server.url("/feed.xml")
    assert failure["error"].startswith("feed is not well-formed (")
    assert failure["error"].endswith("; 0 items read")
    feeds = {f["url"]: f for f in json.loads(cli(home, "feeds", "--json").stdout)}
    broken = feeds[server.url("/feed.xml")]
    assert broken["last_error"] == failure["error"]
    assert broken["item_count"] == 5  # what the last good fetch stored is kept
    assert feeds[server.url("/quiet.xml")]["last_error"] is None
    human = cli(home, "feeds").stdout
    assert "feed is not well-formed" in human
    broken_line = next(line for line in human.splitlines() if line.startswith("✗"))
    assert "failing, last ok " in broken_line and "  ok " not in broken_line


@pytest.mark.parametrize(
    ("name", "data", "reason"),
    [
        ("random.bin", bytes(range(256)) * 8, "(binary data)"),
        ("logo.png", b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + bytes(64), "(binary data)"),
        ("subs.opml.gz", b"\x1f\x8b\x08\x00" + b"abc" * 20, "gzip-compressed?"),
        ("feed.xml", FEED.encode(), "not an OPML file (no <opml> root)"),
        ("letter.txt", b"Dear reader,\nplease subscribe me.\n", "no line is a feed URL"),
    ],
)
def test_import_of_a_file_that_is_not_a_list_exits_2(
    tmp_path: Path, name: str, data: bytes, reason: str
) -> None:
    home = tmp_path / "home"
    path = tmp_path / name
    path.write_bytes(data)
    result = cli(home, "import", str(path))
    assert result.returncode == 2, result
    assert result.stderr.startswith(f"reader: {path}: neither OPML nor a newsboat urls file")
    assert reason in result.stderr
    assert "imported" not in result.stdout and "Traceback" not in result.stderr
    assert _feed_count(home) == 0


def test_import_from_stdin_of_binary_exits_2(tmp_path: Path) -> None:
    env = {**os.environ, "READER_HOME": str(tmp_path / "home")}
    result = subprocess.run(
        [sys.executable, "-m", "reader", "import", "-"],
        input=b"\x00\x01\x02garbage",
        capture_output=True,
        env=env,
        timeout=60,
    )
    assert result.returncode == 2
    assert b"neither OPML nor a newsboat urls file (binary data)" in result.stderr


@pytest.mark.parametrize(
    ("text", "note"),
    [
        ("", "the file is empty; nothing to import"),
        ("\n   \n", "the file is empty; nothing to import"),
        ("# my feeds\n\n# (none yet)\n", "no feeds in the file (only comments and blank lines)"),
    ],
)
def test_import_of_an_empty_list_exits_0_and_says_so(tmp_path: Path, text: str, note: str) -> None:
    path = tmp_path / "urls"
    path.write_text(text)
    result = cli(tmp_path / "home", "import", str(path))
    assert result.returncode == 0, result
    assert f"no feeds in {path}; nothing imported" in result.stdout
    assert note in result.stdout


def test_export_of_nothing_as_newsboat_reimports(tmp_path: Path) -> None:
    """Our own empty urls export (an empty file) is a valid, empty list."""
    home = tmp_path / "home"
    path = tmp_path / "urls"
    assert cli(home, "export", str(path), "--format", "newsboat").returncode == 0
    assert path.read_bytes() == b""
    assert cli(home, "import", str(path)).returncode == 0


def test_import_of_a_urls_file_with_unusable_lines_still_imports_the_good_ones(
    tmp_path: Path,
) -> None:
    path = tmp_path / "urls"
    path.write_text("ftp://old.test/feed\nhttps://a.test/feed news\nnot a url\n")
    result = cli(tmp_path / "home", "import", str(path))
    assert result.returncode == 0, result
    assert "imported 1 feed (" in result.stdout
    assert "line 1: not an http(s) URL; skipped" in result.stdout


def _feed_count(home: Path) -> int:
    db = home / "data" / "reader.db"
    if not db.exists():
        return 0
    with sqlite3.connect(db) as conn:
        return int(conn.execute("SELECT count(*) FROM feeds").fetchone()[0])
