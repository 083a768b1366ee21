"""reader.sources.parse: every format, and every hostile input class for parsing."""

from __future__ import annotations

import time
from datetime import UTC, datetime, timedelta
from email.utils import format_datetime
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from reader.sources.parse import FeedError, parse_feed, sniff_kind

FIXTURES = Path(__file__).parent / "fixtures" / "feeds"


def load(name: str, url: str = "https://harbour.example/feed/"):
    return parse_feed((FIXTURES / name).read_bytes(), url)


def rss(items: str, head: str = '<?xml version="1.0" encoding="utf-8"?>') -> bytes:
    return f'{head}<rss version="2.0"><channel><title>T</title>{items}</channel></rss>'.encode()


def test_rss20_fields_and_relative_urls():
    feed = load("rss20.xml")
    assert (feed.kind, feed.version, feed.title) == ("rss", "rss2.0", "Harbour Notes & Letters")
    first, second, undated = feed.items
    assert first.title == "“Tides” and the morning boats"
    assert first.url == "https://harbour.example/2024/03/tides/"
    assert first.guid == "https://harbour.example/?p=101"
    assert first.author == "Mara Lind"
    assert first.published == "2024-03-04T09:00:00+00:00"
    assert first.categories == ("Sea", "Boats")
    assert first.comments_url == "https://harbour.example/2024/03/tides/#comments"
    assert first.comment_count == 4
    assert first.summary_html == "The boats leave at six."
    assert 'href="https://harbour.example/2024/02/nets/"' in first.content_html
    assert 'src="https://harbour.example/feed/img/boat.jpg"' in first.content_html
    assert second.summary_html == "Short <em>note</em> about lanterns."
    assert undated.url == "https://harbour.example/undated/"
    assert undated.published is None and "no-date" in undated.flags


def test_rss091_with_html_entities_and_doctype():
    feed = load("rss091.xml", "http://station.example/rss")
    assert feed.version == "rss0.91"
    assert feed.title == "Old Station News"  # nbsp collapses in one-line text
    assert feed.items[0].title == "Platform two reopens"
    assert feed.items[0].summary_html.endswith("Monday…")


def test_rss10_rdf():
    feed = load("rss10.rdf", "http://orchard.example/rss")
    assert (feed.kind, feed.version, feed.title) == ("rss", "rss1.0", "Orchard Journal")
    item = feed.items[0]
    assert item.title == "Pruning in March" and item.author == "Ilse Korb"
    assert item.published == "2024-03-10T08:00:00+00:00" and item.categories == ("Trees",)


def test_atom10_xml_base_xhtml_and_replies():
    feed = load("atom10.xml", "https://meadow.example/blog/atom.xml")
    assert (feed.kind, feed.version, feed.title) == ("atom", "atom1.0", "Meadow & Field")
    bees, rain = feed.items
    assert bees.url == "https://meadow.example/blog/posts/bees.html"
    assert bees.comments_url == "https://meadow.example/blog/posts/bees.html#comments"
    assert bees.comment_count == 7
    assert bees.published == "2024-03-30T05:00:00+00:00"
    assert bees.updated == "2024-04-01T12:00:00+00:00"
    assert bees.categories == ("Insects", "spring") and bees.author == "Jon Heath"
    assert bees.summary_html == "Bees &amp; blossoms"
    assert bees.content_html.startswith('<p>The first <a href="https://meadow.example/blog/hives/')
    assert "xmlns" not in bees.content_html
    assert rain.title == "Rain again" and rain.content_html == "<p>It rained.</p>"


def test_atom03():
    feed = load("atom03.xml", "http://lighthouse.example/atom")
    assert feed.version == "atom0.3" and feed.title == "Lighthouse Log"
    item = feed.items[0]
    assert item.published == "2005-06-01T09:00:00+00:00"
    assert item.content_html == "<p>Polished the lens.</p>"


def test_json_feed_11_and_10():
    feed = load("feed11.json", "https://kettle.example/feed.json")
    assert (feed.kind, feed.version, feed.title) == ("json", "json1.1", "Copper Kettle")
    tea, water = feed.items  # duplicate id "1" and the non-object were dropped
    assert tea.url == "https://kettle.example/posts/tea"
    assert 'href="https://kettle.example/timer"' in tea.content_html
    assert tea.author == "Ada Brass" and tea.categories == ("tea", "habits")
    assert water.author == "Guest Writer"
    assert water.content_html == "<p>Descale monthly.</p><p>Use vinegar.</p>"
    assert water.published is None and water.updated == "2024-04-01T09:00:00+00:00"
    old = load("feed10.json", "https://old.example/feed.json")
    assert old.version == "json1.0" and old.items[0].guid == "7"
    assert old.items[0].author == "Solo"


def test_malformed_xml_is_still_read():
    feed = load("malformed.xml", "https://broken.example/feed")
    assert [item.guid for item in feed.items] == ["b-1", "b-2"]
    # the bare '&' and the unclosed <b> read as text, as the strict parser would read them
    assert feed.items[0].title == "AT&T rates rise"
    assert feed.title == "Broken & Proud"
    assert any(w.startswith("malformed XML recovered") for w in feed.warnings)


def test_html_page_is_not_a_feed():
    with pytest.raises(FeedError, match=r"^not a feed \(HTML page\)$"):
        load("page.html")
    with pytest.raises(FeedError, match=r"HTML page"):
        parse_feed(b"\n\n<html><body>hi</body></html>", "https://x.example/")


@pytest.mark.parametrize("body", [b"", b"   \n "])
def test_empty_body(body):
    with pytest.raises(FeedError, match="empty response"):
        parse_feed(body, "https://x.example/")


def test_other_xml_and_json_are_not_feeds():
    with pytest.raises(FeedError, match=r"root element <svg>"):
        parse_feed(b"<svg xmlns='http://www.w3.org/2000/svg'/>", "https://x.example/")
    with pytest.raises(FeedError, match="not a JSON Feed"):
        parse_feed(b'{"hello": 1}', "https://x.example/")
    with pytest.raises(FeedError, match="invalid JSON"):
        parse_feed(b'{"items": [', "https://x.example/")


@pytest.mark.parametrize(
    ("body", "content_type"),
    [
        ("\ufeff".encode() + rss("<item><title>Café</title><guid>1</guid></item>"), None),
        (rss("<item><title>Café</title><guid>1</guid></item>").decode().encode("utf-16"), None),
        # declared UTF-8, actually cp1252: the classic mislabelled feed
        (rss("<item><title>Café</title><guid>1</guid></item>").decode().encode("cp1252"), None),
        # no declaration at all, cp1252 bytes, charset only in the HTTP header
        (
            rss("<item><title>Café</title><guid>1</guid></item>", head="")
            .decode()
            .encode("cp1252"),
            "application/rss+xml; charset=windows-1252",
        ),
        (
            rss(
                "<item><title>Café</title><guid>1</guid></item>",
                head='<?xml version="1.0" encoding="ISO-8859-1"?>',
            )
            .decode()
            .encode("latin-1"),
            None,
        ),
    ],
    ids=["utf8-bom", "utf16-bom", "wrong-declared", "http-charset", "latin1-declared"],
)
def test_charsets_and_boms(body, content_type):
    feed = parse_feed(body, "https://x.example/", content_type)
    assert feed.items[0].title == "Café"


def _refuse_entity_bombs() -> None:
    with pytest.raises(FeedError, match="entity declarations"):
        load("billion_laughs.xml")
    with pytest.raises(FeedError, match="entity declarations"):
        load("external_entity.xml")


def test_billion_laughs_rejected():
    _refuse_entity_bombs()


@pytest.mark.slow
def test_billion_laughs_rejected_quickly():
    """Wall clock (``pytest -m slow``): refused before expanding, not after a long parse."""
    started = time.monotonic()
    _refuse_entity_bombs()
    assert time.monotonic() - started < 5


def test_simple_internal_entities_still_work():
    feed = load("simple_entity.xml")
    assert feed.title == "Quiet Garden news" and feed.items[0].title == "From Quiet Garden"


def test_duplicate_guids_are_dropped():
    items = "".join(f"<item><title>{n}</title><guid>same</guid></item>" for n in range(3))
    feed = parse_feed(rss(items + "<item><title>other</title><guid>x</guid></item>"), "https://x/")
    assert [item.title for item in feed.items] == ["0", "other"]
    assert "2 duplicate GUIDs dropped" in feed.warnings


def test_future_dates_are_dropped_and_flagged():
    soon = datetime.now(UTC) + timedelta(hours=2)
    far = datetime.now(UTC) + timedelta(days=3650)
    items = (
        f"<item><guid>a</guid><pubDate>{format_datetime(far)}</pubDate></item>"
        f"<item><guid>b</guid><pubDate>{format_datetime(soon)}</pubDate></item>"
    )
    far_item, soon_item = parse_feed(rss(items), "https://x/").items
    assert far_item.published is None and "future-date" in far_item.flags
    assert soon_item.published is not None and not soon_item.flags


def test_escape_sequences_and_controls_stripped_from_titles():
    evil = (
        "\x1b[2J\x1b]0;pwned\x07Bank\x1b[31m \u202enoitces\u202c news\x9b1m"
        "\x1b]52;c;ZXZpbA==\x07\x07"
    )
    payload = evil.replace("\x1b", "&#27;").replace("\x07", "&#7;").replace("\x9b", "&#155;")
    xml_feed = parse_feed(
        rss(
            f"<item><title>{payload}</title><guid>e</guid><dc:creator>x\x1b[1mY</dc:creator></item>"
        ),
        "https://x/",
    )
    json_feed = parse_feed(
        (
            b'{"version": "https://jsonfeed.org/version/1.1", "title": "\\u001b[5mT", "items": '
            b'[{"id": "1", "title": "Bank\\u001b[31m \\u202enoitces\\u202c news"}]}'
        ),
        "https://x/",
    )
    for title in (xml_feed.items[0].title, json_feed.items[0].title, json_feed.title):
        assert not any(ord(c) < 32 or 0x7F <= ord(c) <= 0x9F for c in title)
        assert "\u202e" not in title and "pwned" not in title
    assert xml_feed.items[0].title == "Bank noitces news"


def test_sniff_kind():
    assert sniff_kind((FIXTURES / "rss20.xml").read_bytes()) == "rss"
    assert sniff_kind((FIXTURES / "atom10.xml").read_bytes()) == "atom"
    assert sniff_kind((FIXTURES / "feed11.json").read_bytes()) == "json"
    assert sniff_kind((FIXTURES / "page.html").read_bytes()) is None


@settings(max_examples=150, deadline=None)
@given(st.binary(max_size=400) | st.text(max_size=400).map(lambda s: rss(s)))
def test_arbitrary_bytes_never_crash(body):
    try:
        parse_feed(body, "https://x.example/")
    except FeedError:
        pass


def test_lenient_parse_reads_titles_as_text_keeping_real_entities():
    body = (
        b'<?xml version="1.0"?><rss version="2.0"><channel><title>Q&A</title>'
        b"<item><title>Caf&eacute; &amp; R&D <i>now</title><guid>1</guid></item>"
        b"<item><title>Second</title><guid>2</guid><description><p>open</description></item>"
        b"<item><title>Third &#8220;quoted&#8221;</title><guid>3</guid></item>"
        b"</channel></rss>"
    )
    feed = parse_feed(body, "https://broken.example/feed")
    assert "parsed leniently (not well-formed XML)" in feed.warnings
    assert [item.title for item in feed.items] == ["Café & R&D now", "Second", "Third “quoted”"]
    assert feed.title == "Q&A"


def test_a_body_cut_inside_an_item_leaves_no_blank_article():
    head = b'<?xml version="1.0"?><rss version="2.0"><channel><title>T</title>'
    whole = b"<item><title>A</title><link>http://a.test/1</link></item>"
    parsed = parse_feed(head + whole + b"<item", "https://x/")
    assert [i.title for i in parsed.items] == ["A"]
    assert "1 empty item(s) dropped" in parsed.warnings
    with pytest.raises(FeedError, match=r"not well-formed .*0 items read"):
        parse_feed(head + b"<item", "https://x/")
