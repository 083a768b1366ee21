"""Hostile text through the real ``reader refresh``: stored clean, and no feed costs another.

The case that started it: a feed whose item held a lone surrogate (``&#xD800;``) killed the
store process, and every feed after it was silently not stored. Here hostile feeds of each kind
are served by a real local server beside good ones, the real CLI refreshes them all, and the
SQLite file is read back: every good feed complete, every text column and the search index
free of escape sequences, controls, bidi overrides and surrogates, every URL http(s).
"""

from __future__ import annotations

import json
import re
import sqlite3
import subprocess
import sys
from pathlib import Path

from pytest_httpserver import HTTPServer

READER = Path(sys.executable).with_name("reader")
BAD = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069\ud800-\udfff]")

HOSTILE_ITEMS = {
    "surrogate": ("Lone &#xD800; surrogate", "<p>Broken &#xD800; decoder &#xDFFF;</p>", ""),
    "escapes": (
        "Title \x1b]0;OWNED\x07 here".replace("\x1b", "&#x1b;").replace("\x07", "&#7;"),
        "<p>Clear &#27;[2J screen and &#x9b;31m red</p>",
        "",
    ),
    "c1": ("C1 \u009b2J title", "<p>Body with \u009d0;x\u009c OSC</p>", ""),
    "bidi": ("Bidi \u202egnp.exe\u202c title", "<p>Isolate \u2066text\u2069 here</p>", ""),
    "urls": (
        "Bad links",
        '<p><a href="java&#x09;script:alert(1)">x</a>'
        '<img src="data:text/html;base64,PHNjcmlwdD4="></p>',
        "<comments>java&#x09;script:alert(1)</comments>",
    ),
}


def hostile_feed(kind: str) -> str:
    title, body, extra = HOSTILE_ITEMS[kind]
    return (
        '<?xml version="1.0" encoding="utf-8"?><rss version="2.0"><channel>'
        f"<title>Hostile {kind}</title><link>javascript:alert(2)</link>"
        f"<item><title>{title}</title><link>http://hostile.test/{kind}</link>"
        f"<guid>{kind}-1</guid><description><![CDATA[{body}]]></description>{extra}</item>"
        f"<item><title>Fine {kind}</title><link>http://hostile.test/{kind}/2</link>"
        f"<guid>{kind}-2</guid><description>fine</description></item>"
        "</channel></rss>"
    )


def good_feed(n: int, items: int) -> str:
    body = "".join(
        f"<item><title>Good {n}.{i}</title><link>http://good.test/{n}/{i}</link>"
        f"<guid>good-{n}-{i}</guid><description>Text {i}</description></item>"
        for i in range(items)
    )
    return (
        f'<?xml version="1.0"?><rss version="2.0"><channel><title>Good {n}</title>'
        f"{body}</channel></rss>"
    )


def test_hostile_text_is_stored_clean_and_costs_no_other_feed(
    tmp_path: Path,
    httpserver: HTTPServer,
) -> None:
    urls = []
    for kind in HOSTILE_ITEMS:
        httpserver.expect_request(f"/hostile/{kind}.xml").respond_with_data(
            hostile_feed(kind).encode("utf-8", "surrogatepass"), content_type="application/rss+xml"
        )
        urls.append(httpserver.url_for(f"/hostile/{kind}.xml"))
    sizes = [3, 5, 8, 13, 21, 34, 1000]
    for n, size in enumerate(sizes):
        httpserver.expect_request(f"/good/{n}.xml").respond_with_data(
            good_feed(n, size), content_type="application/rss+xml"
        )
        urls.append(httpserver.url_for(f"/good/{n}.xml"))
    listing = tmp_path / "urls"
    listing.write_text("\n".join(urls) + "\n")
    home = tmp_path / "home"
    run = [str(READER), "--home", str(home)]
    subprocess.run([*run, "import", str(listing)], check=True, capture_output=True, timeout=60)
    done = subprocess.run(
        [*run, "refresh", "--no-pages", "--json"], capture_output=True, text=True, timeout=300
    )
    assert done.returncode == 0, done.stderr
    report = json.loads(done.stdout)
    assert report["stored"] == len(urls) and report["errors"] == 0, report
    with sqlite3.connect(home / "data" / "reader.db") as db:
        assert db.execute("SELECT count(*) FROM articles").fetchone()[0] == 2 * len(
            HOSTILE_ITEMS
        ) + sum(sizes)
        for table, columns in (
            ("articles", "title, author, summary, content_html, categories"),
            ("articles_fts", "title, body"),
            ("feeds", "title, last_error"),
        ):
            for row in db.execute(f"SELECT {columns} FROM {table}"):
                for value in row:
                    assert not BAD.search(value or ""), (table, value)
        for (url,) in db.execute(
            "SELECT url FROM articles UNION ALL SELECT comments_url FROM articles "
            "UNION ALL SELECT site_url FROM feeds UNION ALL SELECT url FROM feeds"
        ):
            assert url is None or url.startswith(("http://", "https://")), url
        titles = dict(db.execute("SELECT guid, title FROM articles WHERE guid LIKE '%-1'"))
        summary = db.execute("SELECT summary FROM articles WHERE guid = 'urls-1'").fetchone()[0]
    assert titles["surrogate-1"] == "Lone \ufffd surrogate"
    assert titles["escapes-1"] == "Title here"
    assert titles["bidi-1"] == "Bidi gnp.exe title"
    targets = re.findall(r'(?:href|src)="([^"]*)"', summary)
    assert len(targets) == 2  # the link was resolved as a relative path, the image cut off
    assert all(t == "#" or t.startswith("http://") for t in targets), targets
    assert "data:" not in summary
