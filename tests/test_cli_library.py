"""``reader articles``, ``mark``, ``fetch``, ``tag``/``untag``/``rename`` and ``show URL``: the
real CLI entry (``reader.cli.run``) on a private READER_HOME against a real local server."""

from __future__ import annotations

import json
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest

from reader.cli import run
from reader.cli.context import Context
from reader.paths import Paths
from tests.hostile_server import HostileServer

HTML = {"Content-Type": "text/html; charset=utf-8"}
ARTICLE_KEYS = {
    "id",
    "title",
    "url",
    "feed",
    "feed_id",
    "published",
    "read",
    "saved",
    "comment_count",
}


def page(title: str, words: str) -> str:
    return (
        f"<!DOCTYPE html><html lang='en'><head><title>{title}</title></head><body>"
        f"<article><h1>{title}</h1><p>{words} The harbour master keeps the tables.</p>"
        "<p>Boats leave at dawn and come back when the light goes.</p></article></body></html>"
    )


@dataclass(frozen=True)
class Item:
    """A feed item as ``Articles.upsert`` reads it: a summary, no page yet."""

    guid: str
    url: str | None
    title: str
    published: str
    author: str | None = None
    updated: str | None = None
    summary_html: str | None = "<p>Only the summary.</p>"
    content_html: str | None = None


@dataclass
class Library:
    server: HostileServer
    quay: int
    ferry: int
    ids: dict[str, int]

    def url(self, path: str) -> str:
        return self.server.url(path)


def reader(*args: str) -> int:
    return run(list(args))


def out_json(capsys: pytest.CaptureFixture[str]) -> object:
    return json.loads(capsys.readouterr().out)


@pytest.fixture
def library(paths: Paths) -> Iterator[Library]:
    """Two feeds (Quay tagged ``local``, Ferry untagged), four articles without pages."""
    with HostileServer() as server:
        server.route(
            "/one/", page("Tide tables", "Cormorants nest on the breakwater."), headers=HTML
        )
        server.route("/two/", page("Night ferry", "Terns arrive in May."), headers=HTML)
        server.route("/doc", b"%PDF-1.7", headers={"Content-Type": "application/pdf"})
        context = Context()
        store = context.store
        quay, _ = store.feeds.add(server.url("/quay.xml"), title="Quay", tags=["local"])
        ferry, _ = store.feeds.add(server.url("/ferry.xml"), title="Ferry")
        items = {
            "one": (quay.id, "/one/", "2026-01-04T08:00:00+00:00"),
            "gone": (quay.id, "/gone/", "2026-01-03T08:00:00+00:00"),
            "nolink": (quay.id, None, "2026-01-02T08:00:00+00:00"),
            "two": (ferry.id, "/two/", "2026-01-01T08:00:00+00:00"),
        }
        ids = {}
        for name, (feed_id, path, date) in items.items():
            url = server.url(path) if path else None
            result = store.articles.upsert(feed_id, [Item(name, url, f"Post {name}", date)])
            ids[name] = result.new_ids[0]
        context.close()
        yield Library(server, quay.id, ferry.id, ids)


def test_articles_lists_views_narrowed_by_feed_and_tag(
    library: Library, capsys: pytest.CaptureFixture[str]
) -> None:
    ids = library.ids
    assert reader("articles", "--json") == 0
    rows = out_json(capsys)
    assert isinstance(rows, list) and [row["id"] for row in rows] == list(ids.values())
    assert all(set(row) == ARTICLE_KEYS for row in rows)
    assert rows[0]["feed"] == "Quay" and rows[0]["feed_id"] == library.quay
    assert rows[0]["url"] == library.url("/one/") and rows[0]["read"] is False
    assert reader("mark", "read", str(ids["one"])) == 0
    assert reader("mark", "saved", str(ids["nolink"])) == 0  # no link: nothing to fetch
    capsys.readouterr()

    def listed(*args: str) -> list[int]:
        assert reader("articles", "--json", *args) == 0
        return [row["id"] for row in out_json(capsys)]  # type: ignore[union-attr]

    assert listed("--view", "unread") == [ids["gone"], ids["nolink"], ids["two"]]
    assert listed("--view", "saved") == [ids["nolink"]]
    assert listed("--feed", library.url("/ferry.xml")) == [ids["two"]]
    assert listed("--feed", str(library.ferry), "--view", "saved") == []
    assert listed("--tag", "local", "--view", "unread") == [ids["gone"], ids["nolink"]]
    assert listed("--tag", "local", "--feed", str(library.ferry)) == []
    assert listed("--limit", "2") == [ids["one"], ids["gone"]]
    assert listed("--limit", "0") == list(ids.values())
    assert reader("articles", "--view", "saved") == 0
    line = capsys.readouterr().out.strip()
    assert line.split()[:2] == [str(ids["nolink"]), "2026-01-02"]
    assert "●★ Post nolink  — Quay" in line


def test_articles_usage_and_unknown_names(
    library: Library, capsys: pytest.CaptureFixture[str]
) -> None:
    assert reader("articles", "--feed", "https://nowhere.test/feed") == 1
    assert (
        capsys.readouterr().err == "reader: no feed https://nowhere.test/feed (see `reader list`)\n"
    )
    assert reader("articles", "--limit", "-1") == 2
    assert reader("articles", "--tag", "nosuch", "--json") == 0
    captured = capsys.readouterr()
    assert json.loads(captured.out) == [] and "no feed has the tag 'nosuch'" in captured.err
    with pytest.raises(SystemExit) as exit_:
        reader("articles", "--view", "starred")
    assert exit_.value.code == 2


def test_mark_read_unread_by_id_with_unknown_ids(
    library: Library, capsys: pytest.CaptureFixture[str]
) -> None:
    one, two = library.ids["one"], library.ids["two"]
    assert reader("mark", "read", str(one), str(two), "999999", "--json") == 1
    captured = capsys.readouterr()
    report = json.loads(captured.out)
    assert report["changed"] == [one, two] and report["unknown"] == [999999]
    assert captured.err == "reader: no article with id 999999 in the cache\n"
    assert reader("mark", "read", str(one)) == 0
    assert capsys.readouterr().out == "marked 0 articles read (1 already read)\n"
    assert reader("mark", "unread", str(one)) == 0
    assert capsys.readouterr().out == "marked 1 article unread\n"
    assert reader("articles", "--view", "unread", "--json") == 0
    assert two not in [row["id"] for row in out_json(capsys)]  # type: ignore[union-attr]
    assert library.server.requests == []  # read marks never fetch


@pytest.mark.parametrize(
    "args",
    [
        ("read",),
        ("read", "x1"),
        ("saved", "--all"),
        ("read", "1", "--all"),
        ("read", "--feed", "1"),
    ],
)
def test_mark_usage_errors_exit_2(
    library: Library, capsys: pytest.CaptureFixture[str], args: tuple[str, ...]
) -> None:
    assert reader("mark", *args) == 2
    err = capsys.readouterr().err
    assert err.startswith("reader: ") and err.count("\n") == 1
    assert reader("articles", "--view", "unread", "--json") == 0
    assert len(out_json(capsys)) == 4  # type: ignore[arg-type]


def test_mark_all_read_and_unread_for_a_feed_or_everything(
    library: Library, capsys: pytest.CaptureFixture[str]
) -> None:
    ids = library.ids
    assert reader("mark", "read", "--feed", library.url("/quay.xml"), "--all", "--json") == 0
    report = out_json(capsys)
    assert report["view"] == f"feed:{library.quay}"  # type: ignore[index]
    assert sorted(report["changed"]) == sorted([ids["one"], ids["gone"], ids["nolink"]])  # type: ignore[index]
    assert reader("articles", "--view", "unread", "--json") == 0
    assert [row["id"] for row in out_json(capsys)] == [ids["two"]]  # type: ignore[union-attr]
    assert reader("mark", "read", "--all") == 0
    assert capsys.readouterr().out == "marked 1 article read\n"
    assert reader("mark", "unread", "--all") == 0
    assert capsys.readouterr().out == "marked 4 articles unread\n"


def test_saving_fetches_the_missing_pages(
    library: Library, capsys: pytest.CaptureFixture[str]
) -> None:
    one, gone, nolink = library.ids["one"], library.ids["gone"], library.ids["nolink"]
    code = reader("mark", "saved", str(one), str(gone), str(nolink), "--json")
    captured = capsys.readouterr()
    assert code == 1  # saved, but one page could not be fetched
    report = json.loads(captured.out)
    assert sorted(report["changed"]) == sorted([one, gone, nolink])
    pages = {page["article_id"]: page for page in report["pages"]}
    assert set(pages) == {one, gone}  # the linkless article reads from the feed's text
    assert pages[one]["ok"] and pages[one]["size"] > 100
    assert pages[gone] == {
        "article_id": gone,
        "ok": False,
        "error": "HTTP 404 Not Found",
        "size": 0,
    }
    assert captured.err.count("\n") == 1
    assert f"reader: saved {gone}, but its page could not be fetched: HTTP 404 Not Found" in (
        captured.err
    )
    context = Context()
    record = context.store.articles.get(one)
    context.close()
    assert record is not None and record.saved and record.raw_html
    assert b"Cormorants" in record.raw_html
    requests = len(library.server.requests)
    assert reader("mark", "saved", str(one)) == 0  # page cached: nothing fetched again
    assert capsys.readouterr().out == "marked 0 articles saved (1 already saved)\n"
    assert len(library.server.requests) == requests
    assert reader("mark", "unsaved", str(one), str(gone)) == 0
    assert capsys.readouterr().out == "marked 2 articles unsaved\n"
    assert reader("articles", "--view", "saved", "--json") == 0
    assert [row["id"] for row in out_json(capsys)] == [nolink]  # type: ignore[union-attr]


def test_tag_untag_and_rename_a_feed(library: Library, capsys: pytest.CaptureFixture[str]) -> None:
    ferry = library.url("/ferry.xml")
    assert reader("tag", ferry, "boats", "local", "--json") == 0
    assert out_json(capsys)["tags"] == ["boats", "local"]  # type: ignore[index]
    assert reader("tag", str(library.ferry), "boats") == 0
    captured = capsys.readouterr()
    assert captured.err == "reader: already tagged boats\n"
    assert captured.out == f"Ferry  [boats, local]\n  {ferry}\n"
    assert reader("articles", "--tag", "local", "--json") == 0
    assert len(out_json(capsys)) == 4  # type: ignore[arg-type]
    assert reader("untag", ferry, "local", "rowing") == 0
    captured = capsys.readouterr()
    assert captured.err == "reader: not tagged rowing\n" and "[boats]" in captured.out
    assert reader("rename", str(library.ferry), "Night", "boats") == 0
    capsys.readouterr()
    assert reader("list", "--json") == 0
    feeds = {feed["url"]: feed for feed in out_json(capsys)}  # type: ignore[union-attr]
    assert feeds[ferry]["title"] == "Night boats" and feeds[ferry]["tags"] == ["boats"]
    assert reader("feeds") == 0
    assert "    tags: boats\n" in capsys.readouterr().out
    assert reader("tag", "https://nowhere.test/feed", "x") == 1
    assert reader("tag", ferry, " ") == 2
    assert reader("rename", ferry, "\x1b[31m") == 2
    assert "Traceback" not in capsys.readouterr().err


def test_fetch_by_id_by_url_and_a_new_url(
    library: Library, capsys: pytest.CaptureFixture[str]
) -> None:
    one = library.ids["one"]
    assert reader("fetch", str(one)) == 0
    size = len(page("Tide tables", "Cormorants nest on the breakwater.").encode())
    assert capsys.readouterr().out == f"Post one  (id {one}, {size} bytes)\n"
    assert reader("fetch", library.url("/one/")) == 0  # cached: fetched again now
    assert capsys.readouterr().out == f"Post one  (id {one}, {size} bytes)\n"
    assert len(library.server.requests) == 2
    library.server.route("/three/", page("Slipway", "Seals sleep there."), headers=HTML)
    assert reader("fetch", library.url("/three/"), "--json") == 0
    got = out_json(capsys)
    assert isinstance(got, dict) and got["ok"] and got["title"] == "Slipway"
    assert got["url"] == library.url("/three/") and got["error"] is None
    assert reader("articles", "--json", "--limit", "0") == 0
    assert got["article_id"] in [row["id"] for row in out_json(capsys)]  # type: ignore[union-attr]


@pytest.mark.parametrize(
    ("ref", "code", "message"),
    [
        ("/missing/", 1, "HTTP 404 Not Found"),
        ("/doc", 1, "not HTML (application/pdf)"),
        ("999999", 1, "no article with id 999999 in the cache"),
        ("ftp://127.0.0.1/x", 2, "not a web address (http:// or https://)"),
    ],
)
def test_fetch_failures_are_one_line(
    library: Library, capsys: pytest.CaptureFixture[str], ref: str, code: int, message: str
) -> None:
    arg = library.url(ref) if ref.startswith("/") else ref
    assert reader("fetch", arg) == code
    err = capsys.readouterr().err
    assert err.startswith("reader: ") and message in err and err.count("\n") == 1


def test_fetch_failure_with_json_still_prints_json(
    library: Library, capsys: pytest.CaptureFixture[str]
) -> None:
    assert reader("fetch", library.url("/gone/"), "--json") == 1
    got = out_json(capsys)
    assert got == {
        "ok": False,
        "article_id": library.ids["gone"],
        "title": None,
        "url": library.url("/gone/"),
        "size": 0,
        "error": "HTTP 404 Not Found",
    }


def test_show_fetches_a_url_that_is_not_cached(
    library: Library, capsys: pytest.CaptureFixture[str]
) -> None:
    library.server.route("/fresh/", page("Harbour lights", "Lamps burn all night."), headers=HTML)
    assert reader("show", library.url("/fresh/")) == 0
    text = capsys.readouterr().out
    assert text.startswith("# Harbour lights\n") and "Lamps burn all night." in text
    assert reader("show", library.url("/fresh/"), "--json") == 0  # now cached: no request
    assert out_json(capsys)["title"] == "Harbour lights"  # type: ignore[index]
    assert [r.path for r in library.server.requests] == ["/fresh/"]
    assert reader("show", library.url("/nothing-here/")) == 1
    err = capsys.readouterr().err
    assert err == f"reader: could not fetch {library.url('/nothing-here/')}: HTTP 404 Not Found\n"
    assert reader("show", "tides") == 2
    assert "not a web address" in capsys.readouterr().err


def test_show_times_out_at_the_configured_deadline(
    library: Library, paths: Paths, capsys: pytest.CaptureFixture[str]
) -> None:
    paths.config_file.parent.mkdir(parents=True, exist_ok=True)
    paths.config_file.write_text("[refresh]\ntimeout = 0.5\n", encoding="utf-8")
    assert reader("show", library.url("/stall")) == 1
    err = capsys.readouterr().err
    assert err == f"reader: could not fetch {library.url('/stall')}: timed out after 500 ms\n"


@pytest.mark.parametrize("command", ["articles", "mark", "fetch", "tag", "untag", "rename"])
def test_every_new_command_has_help(
    command: str, capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    with pytest.raises(SystemExit) as exit_:
        reader(command, "--help")
    assert exit_.value.code == 0
    assert capsys.readouterr().out.startswith(f"usage: reader {command}")
