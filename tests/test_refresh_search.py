"""Words from item bodies are searchable as soon as ``reader refresh`` exits (issue 14).

Full-content bodies (RSS ``content:encoded``, Atom escaped ``type="html"`` and inline
``type="xhtml"``) go through the real CLI, then the real ``reader search`` must find words that
occur only in those bodies, inside markup, in a non-Latin script too, and must not match
attribute values (an image's URL is not text).
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

from pytest_httpserver import HTTPServer

READER = Path(sys.executable).with_name("reader")

BODY = (
    "<p>First paragraph about <strong>zebrafinch</strong> migration.</p>"
    '<figure><img src="http://x.test/hiddenword.jpg" alt="a bird"/><figcaption>Caption '
    "of a kestrel</figcaption></figure><ul><li>List item on <em>библиотека</em></li></ul>"
)


def rss() -> str:
    return (
        '<?xml version="1.0" encoding="utf-8"?><rss version="2.0" '
        'xmlns:content="http://purl.org/rss/1.0/modules/content/"><channel><title>R</title>'
        "<item><title>Plain title one</title><link>http://r.test/1</link><guid>r1</guid>"
        f"<description>short</description><content:encoded><![CDATA[{BODY}]]>"
        "</content:encoded></item></channel></rss>"
    )


def atom() -> str:
    escaped = "<p>Atom body with &lt;b&gt;quokkas&lt;/b&gt; in it</p>"
    return (
        '<?xml version="1.0" encoding="utf-8"?><feed xmlns="http://www.w3.org/2005/Atom">'
        "<title>A</title><id>urn:a</id><updated>2024-01-01T00:00:00Z</updated>"
        "<entry><title>Plain title two</title><id>urn:a:1</id>"
        '<link href="http://a.test/1"/><updated>2024-01-01T00:00:00Z</updated>'
        f'<content type="html">{escaped.replace("<p>", "&lt;p&gt;").replace("</p>", "&lt;/p&gt;")}'
        "</content></entry><entry><title>Plain title three</title><id>urn:a:2</id>"
        '<link href="http://a.test/2"/><updated>2024-01-02T00:00:00Z</updated>'
        '<content type="xhtml"><div xmlns="http://www.w3.org/1999/xhtml"><p>Inline '
        "<em>wombats</em> here</p></div></content></entry></feed>"
    )


def search(run: list[str], *words: str) -> list[str]:
    done = subprocess.run(
        [*run, "search", "--json", *words], capture_output=True, text=True, timeout=60
    )
    assert done.returncode == 0, done.stderr
    return sorted(hit["title"] for hit in json.loads(done.stdout))


def test_body_words_are_searchable_right_after_refresh(
    tmp_path: Path, httpserver: HTTPServer
) -> None:
    httpserver.expect_request("/r.xml").respond_with_data(rss(), content_type="application/rss+xml")
    httpserver.expect_request("/a.xml").respond_with_data(
        atom(), content_type="application/atom+xml"
    )
    listing = tmp_path / "urls"
    listing.write_text(f"{httpserver.url_for('/r.xml')}\n{httpserver.url_for('/a.xml')}\n")
    run = [str(READER), "--home", str(tmp_path / "home")]
    subprocess.run([*run, "import", str(listing)], check=True, capture_output=True, timeout=60)
    done = subprocess.run(
        [*run, "refresh", "--no-pages", "--json"], capture_output=True, text=True, timeout=120
    )
    assert done.returncode == 0, done.stderr
    assert search(run, "zebrafinch") == ["Plain title one"]
    assert search(run, "kestrel") == ["Plain title one"]
    assert search(run, "библиотека") == ["Plain title one"]
    assert search(run, "quokkas") == ["Plain title two"]
    assert search(run, "wombats") == ["Plain title three"]
    assert search(run, "hiddenword") == []
