"""The `reader` command for scripts: subscriptions, import/export, show, search, errors."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest
from pytest_httpserver import HTTPServer

from reader.cli import run

RSS = """<?xml version="1.0" encoding="utf-8"?>
<rss version="2.0"><channel><title>Quay News</title><link>{base}/</link>
<item><title>Tide tables for December</title><link>{base}/tides</link><guid>t1</guid>
<pubDate>Mon, 23 Nov 2026 08:00:00 +0000</pubDate>
<description>&lt;p&gt;The “spring tide” comes early.&lt;/p&gt;</description></item>
</channel></rss>"""


def reader(*args: str) -> int:
    return run(list(args))


def test_add_discovers_feed_from_page_then_lists_it(
    httpserver: HTTPServer, capsys: pytest.CaptureFixture[str]
) -> None:
    base = httpserver.url_for("").rstrip("/")
    httpserver.expect_request("/").respond_with_data(
        '<html><head><title>Quay</title><link rel="alternate" type="application/rss+xml" '
        'href="/feed.xml"></head><body>hi</body></html>',
        content_type="text/html",
    )
    httpserver.expect_request("/feed.xml").respond_with_data(
        RSS.format(base=base), content_type="application/rss+xml"
    )
    assert reader("add", httpserver.url_for("/"), "--tag", "local") == 0
    out = capsys.readouterr().out
    assert "subscribed to" in out and "1 articles" in out
    assert reader("list", "--json") == 0
    feeds = json.loads(capsys.readouterr().out)
    assert [f["url"] for f in feeds] == [httpserver.url_for("/feed.xml")]
    assert feeds[0]["tags"] == ["local"]
    assert reader("search", "tide", "--json") == 0
    assert json.loads(capsys.readouterr().out)[0]["title"] == "Tide tables for December"
    assert reader("feeds") == 0
    assert "✓" in capsys.readouterr().out


def test_add_errors_are_one_line_not_tracebacks(capsys: pytest.CaptureFixture[str]) -> None:
    assert reader("add", "not a url") == 1
    assert "is not a web address" in capsys.readouterr().err
    assert reader("add", "http://127.0.0.1:9/") == 1
    err = capsys.readouterr().err
    assert err.startswith("reader: could not subscribe") and "refused" in err
    assert "Traceback" not in err


def test_refresh_exit_status_only_fails_when_every_feed_fails(
    httpserver: HTTPServer, capsys: pytest.CaptureFixture[str]
) -> None:
    base = httpserver.url_for("").rstrip("/")
    httpserver.expect_request("/feed.xml").respond_with_data(
        RSS.format(base=base), content_type="application/rss+xml"
    )
    assert reader("refresh") == 1  # nothing subscribed
    assert "no subscriptions" in capsys.readouterr().err
    assert reader("add", "--no-refresh", "http://127.0.0.1:9/feed") == 1  # refused at discovery
    from reader.cli.context import Context

    context = Context()
    context.store.feeds.add("http://127.0.0.1:9/feed", title="Dead")
    context.close()
    assert reader("refresh", "--json") == 1
    assert json.loads(capsys.readouterr().out)["errors"] == 1
    context = Context()
    context.store.feeds.add(httpserver.url_for("/feed.xml"), title="Alive")
    context.close()
    assert reader("refresh", "--json") == 0
    summary = json.loads(capsys.readouterr().out)
    assert summary["new_items"] == 1 and summary["errors"] == 1


def test_import_export_round_trip(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    urls = tmp_path / "urls"
    urls.write_text(
        "# my feeds\n"
        'https://a.test/feed news "~Alpha News"\n'
        "https://b.test/rss tech local\n"
        '"query:unread:unread = \\"yes\\""\n'
    )
    assert reader("import", str(urls)) == 0
    out = capsys.readouterr().out
    assert "imported 2 feeds" in out and "warning" in out
    opml = tmp_path / "out.opml"
    assert reader("export", str(opml)) == 0
    capsys.readouterr()
    assert reader("--home", str(tmp_path / "other"), "import", str(opml), "--json") == 0
    added = json.loads(capsys.readouterr().out)["added"]
    assert {(f["url"], f["title"], tuple(f["tags"])) for f in added} == {
        ("https://a.test/feed", "Alpha News", ("news",)),
        ("https://b.test/rss", None, ("tech", "local")),
    }
    assert reader("import", str(tmp_path / "missing.opml")) == 1
    assert "cannot read" in capsys.readouterr().err


def test_show_and_related_on_the_demo(capsys: pytest.CaptureFixture[str]) -> None:
    from reader.cli.context import Context
    from reader.seed import ensure_demo

    context = Context()
    ensure_demo(context.store)
    first = context.store.articles.ordered_ids()[0]
    context.close()
    assert reader("show", str(first), "--json") == 0
    shown = json.loads(capsys.readouterr().out)
    assert shown["title"] and shown["markdown"] and shown["quotes"]
    assert reader("show", str(first)) == 0
    text = capsys.readouterr().out
    # Standard Markdown with reference links, numbered as the reading pane numbers them.
    assert text.startswith("# ") and "\n[1]: https://" in text
    assert reader("related", str(first), "--json") == 0
    related = json.loads(capsys.readouterr().out)
    assert related and all(entry["cached"] for entry in related)
    assert reader("show", "999999") == 1
    assert "no article with id" in capsys.readouterr().err


def test_bad_config_is_reported_with_file_and_line(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    home = tmp_path / "h"
    (home / "config").mkdir(parents=True)
    (home / "config" / "config.toml").write_text("theme = \n")
    assert reader("--home", str(home), "refresh") == 1
    err = capsys.readouterr().err
    assert "config.toml: at line 1" in err


def test_corrupt_store_is_a_clear_error(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    home = tmp_path / "h"
    (home / "data").mkdir(parents=True)
    (home / "data" / "reader.db").write_text("not a database at all")
    assert reader("--home", str(home), "list") == 1
    err = capsys.readouterr().err
    assert "not a reader database" in err and str(home / "data" / "reader.db") in err


def test_every_command_has_help() -> None:
    for command in (
        "add",
        "import",
        "export",
        "feeds",
        "list",
        "remove",
        "refresh",
        "show",
        "related",
        "comments",
        "draft",
        "outbox",
        "send",
        "search",
    ):
        result = subprocess.run(
            [sys.executable, "-m", "reader", command, "--help"], capture_output=True, text=True
        )
        assert result.returncode == 0, command
        assert "usage: reader" in result.stdout


def test_output_into_a_closed_pipe_is_not_a_traceback(tmp_path: Path) -> None:
    env = {"READER_HOME": str(tmp_path / "h"), "PATH": "/usr/bin:/bin"}
    seed = [
        sys.executable,
        "-c",
        "from reader.cli.context import Context;"
        "from reader.seed import ensure_demo; ensure_demo(Context().store)",
    ]
    subprocess.run(seed, check=True, env=env)
    result = subprocess.run(
        f"{sys.executable} -m reader show 5 | head -1",
        shell=True,
        capture_output=True,
        text=True,
        env=env,
    )
    assert result.stdout.startswith("# ")
    assert "Traceback" not in result.stderr


def test_counts_of_one_are_singular() -> None:
    from reader.cells import plural

    assert plural(1, "feed") == "1 feed" and plural(0, "feed") == "0 feeds"
    assert plural(2, "old article") == "2 old articles" and plural(3, "entry", "entries")


def test_show_on_an_empty_cache_says_how_to_fill_it(capsys: pytest.CaptureFixture[str]) -> None:
    from reader.cli import run

    assert run(["show", "1"]) == 1
    err = capsys.readouterr().err
    assert "no article with id 1" in err and "the cache is empty" in err and "reader add" in err
