"""reader.sources.discover and reader.sources.wordpress, on local servers and the real WordPress."""

from __future__ import annotations

import html
import json
from collections.abc import Iterator
from pathlib import Path

import pytest

from reader.net.client import make_client
from reader.sources.discover import discover, feed_links, wordpress_api_root
from reader.sources.parse import parse_feed
from reader.sources.wordpress import WordPressAPI
from tests.hostile_server import HostileServer
from tests.wordpress_site import wordpress_env

FIXTURES = Path(__file__).parent / "fixtures" / "feeds"
PAGE = (FIXTURES / "page.html").read_bytes()
RSS = (FIXTURES / "rss20.xml").read_bytes()


@pytest.fixture(scope="module")
def server() -> Iterator[HostileServer]:
    with HostileServer() as srv:
        yield srv


def test_feed_links_from_markup():
    links = feed_links(PAGE, "https://harbour.example/about/")
    assert [(link.url, link.kind) for link in links] == [
        ("https://harbour.example/feed/", "rss"),
        ("https://harbour.example/feed/atom/", "atom"),
        ("https://harbour.example/about/feed.json", "json"),
        ("https://harbour.example/comments/feed/", "rss"),  # comment feeds go last
    ]
    assert links[0].title == "Harbour Notes feed"


def test_wordpress_detected_from_header_or_markup():
    header = {"link": '<https://wp.example/wp-json/>; rel="https://api.w.org/"'}
    assert wordpress_api_root(header, None, "https://wp.example/") == "https://wp.example/wp-json/"
    assert (
        wordpress_api_root({}, PAGE, "https://harbour.example/")
        == "https://harbour.example/wp-json/"
    )
    other = {"link": '<https://x/>; rel="next"'}
    assert wordpress_api_root(other, b"<html></html>", "https://x/") is None


async def test_discover_feed_url_page_and_common_paths(server):
    server.route("/blog/feed.xml", RSS, headers={"Content-Type": "application/rss+xml"})
    server.route(
        "/blog/",
        b'<html><head><link rel="alternate" type="application/rss+xml" '
        b'href="feed.xml"></head></html>',
        headers={"Link": f'<{server.url("/wp-json/")}>; rel="https://api.w.org/"'},
    )
    server.route("/plain/", b"<html><head><title>No links</title></head></html>")
    server.route("/feed/", RSS)
    async with make_client() as client:
        direct = await discover(client, server.url("/blog/feed.xml"))
        assert direct.is_feed and direct.feeds[0].url == server.url("/blog/feed.xml")
        page = await discover(client, server.url("/blog/"))
        assert page.feeds[0].url == server.url("/blog/feed.xml")
        assert page.wordpress_api == server.url("/wp-json/")
        probed = await discover(client, server.url("/plain/"))
        assert [link.url for link in probed.feeds] == [server.url("/feed/")]
        assert probed.title == "No links"
        missing = await discover(client, server.url("/nothing-here"))
        assert missing.error == "HTTP 404 not found" and not missing.feeds


def test_rest_route_and_pretty_endpoints():
    pretty = WordPressAPI(None, "https://wp.example/wp-json/")  # type: ignore[arg-type]
    assert (
        pretty.endpoint("/wp/v2/posts", {"page": 2})
        == "https://wp.example/wp-json/wp/v2/posts?page=2"
    )
    plain = WordPressAPI(None, "https://wp.example/?rest_route=/")  # type: ignore[arg-type]
    assert (
        plain.endpoint("/wp/v2/tags", {"_fields": "id,name"})
        == "https://wp.example/?rest_route=/wp/v2/tags&_fields=id,name"
    )


@pytest.fixture(scope="module")
def wordpress() -> dict[str, str]:
    return wordpress_env()


@pytest.mark.wordpress
@pytest.mark.parametrize("style", ["wp-json", "rest_route"])
async def test_real_wordpress_site_url_to_rest_items(wordpress, style):
    manifest = json.loads(Path(wordpress["WP_MANIFEST"]).read_text())
    async with make_client() as client:
        found = await discover(client, wordpress["WP_URL"] + "/")
        assert found.feeds[0].url == wordpress["WP_URL"] + "/feed/"
        assert found.wordpress_api == wordpress["WP_URL"] + "/wp-json/"
        root = found.wordpress_api if style == "wp-json" else wordpress["WP_URL"] + "/?rest_route=/"
        api = WordPressAPI(client, root)
        feed = await api.fetch_feed()
        assert len(feed.items) == 12
        by_id = {item.extra["wp_post_id"]: item for item in feed.items}
        cats = {c["id"]: html.unescape(c["name"]) for c in manifest["categories"]}
        tags = {t["id"]: html.unescape(t["name"]) for t in manifest["tags"]}
        for post in manifest["posts"]:
            item = by_id[post["id"]]
            assert item.url == post["link"]
            assert cats[post["category"]] in item.extra["wp_categories"]
            assert sorted(item.extra["wp_tags"]) == sorted(tags[t] for t in post["tags"])
            assert item.author and item.published
            assert item.comment_count == await api.comment_total(post["id"])
        assert any(item.extra.get("jetpack-related-posts") for item in feed.items)
        rss = await client.get(found.feeds[0].url)
        parsed = parse_feed(rss.content, found.feeds[0].url, rss.headers.get("content-type"))
        assert len(parsed.items) == 10
        assert {i.guid for i in parsed.items} <= {i.guid for i in feed.items}
