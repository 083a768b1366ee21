"""The Markdown converter: numbered links, tables, lists, quotes, no scripts."""

from __future__ import annotations

import subprocess
import sys

from reader.render.markdown import CONVERTER_VERSION, html_to_markdown


def test_links_are_standard_markdown() -> None:
    md, links = html_to_markdown(
        '<p>See <a href="/a">one</a>, <a href="https://b.example/">two</a> and '
        '<a href="/a">one again</a>.</p>',
        "https://site.example/post/",
    )
    assert md == (
        "See [one](https://site.example/a), [two](https://b.example/) and "
        "[one again](https://site.example/a)."
    )
    assert links == ["https://site.example/a", "https://b.example/"]


def test_unsafe_and_inpage_links_are_plain_text() -> None:
    md, links = html_to_markdown(
        '<p><a href="javascript:alert(1)">click</a> <a href="data:x">data</a> '
        '<a href="#top">top</a> <a href="vbscript:x">vb</a></p>',
        "https://site.example/",
    )
    assert md == "click data top vb"
    assert links == []


def test_tables_lists_quotes_code() -> None:
    html = (
        "<table><tr><th>A</th><th>B</th></tr><tr><td>1</td><td>2</td></tr></table>"
        "<ol><li>first<ul><li>inner</li></ul></li><li>second</li></ol>"
        "<p><q>outer <q>inner</q> end</q></p><pre><code>x = 1\ny = 2</code></pre>"
        "<script>alert(1)</script><style>p{}</style>"
    )
    md, _ = html_to_markdown(html)
    assert "| A | B |" in md and "| 1 | 2 |" in md
    assert "1. first\n   - inner\n2. second" in md
    assert "“outer ‘inner’ end”" in md
    assert "```\nx = 1\ny = 2\n```" in md
    assert "alert" not in md and "p{}" not in md


def test_images_are_markdown_images() -> None:
    md, links = html_to_markdown(
        '<p><img src="/i.png" alt="A boat"></p><img src="/j.png">', "https://s.example/"
    )
    assert "![A boat](https://s.example/i.png)" in md
    assert "![](https://s.example/j.png)" in md
    assert links == ["https://s.example/i.png", "https://s.example/j.png"]


def test_output_is_sanitized() -> None:
    md, _ = html_to_markdown("<p>bad \x1b[31mred\x1b[0m \u202eevil</p>")
    assert md == "bad red evil"


def test_converter_version_is_an_int() -> None:
    assert isinstance(CONVERTER_VERSION, int) and CONVERTER_VERSION >= 1


def test_importing_extract_is_lazy() -> None:
    """Startup time: importing reader.extract or reader.render.markdown loads no heavy module."""
    code = (
        "import sys, reader.extract, reader.render.markdown\n"
        "heavy = [m for m in ('markdownify', 'bs4', 'lxml', 'lxml.html', 'textual') "
        "if m in sys.modules]\n"
        "print(','.join(heavy))"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == ""


def test_link_split_in_pieces_is_one_link() -> None:
    md, links = html_to_markdown(
        '<p>the <a href="/m">Arte</a><a href="/m">mis m</a><a href="/m">oon</a> plan</p>',
        "https://s.example/",
    )
    assert md == "the [Artemis moon](https://s.example/m) plan"
    assert links == ["https://s.example/m"]


def test_image_sources_and_linked_images() -> None:
    md, links = html_to_markdown(
        '<p><a href="/big.jpg"><img src="/s.jpg" alt="Boat"></a></p>'
        '<img src="/lazy.gif" data-src="/real.jpg" alt="R">'
        '<img src="data:image/gif;base64,xx" srcset="/a.jpg 1x, /b.jpg 2x">'
        '<img src="data:image/gif;base64,xx">',
        "https://s.example/",
    )
    assert md == (
        "[![Boat](https://s.example/s.jpg)](https://s.example/big.jpg)\n\n"
        "![R](https://s.example/real.jpg) ![](https://s.example/a.jpg)"
    )
    assert links == [
        "https://s.example/big.jpg",
        "https://s.example/real.jpg",
        "https://s.example/a.jpg",
    ]


def test_adjacent_bold_runs_are_joined() -> None:
    md, _ = html_to_markdown(
        "<p><strong>See it:</strong><strong>Shop</strong> <b>a</b> <b>b</b></p>"
    )
    assert md == "**See it:Shop** **a** **b**"


def test_link_destinations_and_texts_stay_one_link() -> None:
    md, links = html_to_markdown(
        '<p><a href="/a(b) c">the [draft] notes</a></p>', "https://s.example/"
    )
    assert md == "[the \\[draft\\] notes](https://s.example/a%28b%29c)"
    assert links == ["https://s.example/a(b)c"]
