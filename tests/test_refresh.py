"""reader.refresh.engine against real local servers and a real store: state rules and bad feeds."""

from __future__ import annotations

import asyncio
import socket
from collections.abc import Iterator
from pathlib import Path

import pytest

from reader.refresh.engine import RefreshProgress, refresh
from reader.store import Store
from tests.hostile_server import CONDITIONAL_ETAG, HostileServer, Request, response_head
from tests.wordpress_site import wordpress_env

FIXTURES = Path(__file__).parent / "fixtures" / "feeds"


@pytest.fixture(scope="module")
def server() -> Iterator[HostileServer]:
    with HostileServer(drip_interval=0.3) as srv:
        yield srv


def etag_route(server: HostileServer, path: str, body: bytes, etag: str) -> None:
    """A feed that answers 304 to its ETag, like a well-behaved server."""

    async def handler(request: Request, writer: asyncio.StreamWriter) -> None:
        if request.headers.get("if-none-match") == etag:
            writer.write(response_head(304, {"ETag": etag}))
            return
        writer.write(
            response_head(
                200,
                {"ETag": etag, "Content-Length": str(len(body)), "Content-Type": "application/xml"},
            )
            + body
        )

    server.handle(path, handler)


def rss_with_pages(server: HostileServer, count: int) -> bytes:
    items = "".join(
        f"<item><title>Post {n}</title><link>{server.url(f'/pages/{n}.html')}</link>"
        f"<guid>p{n}</guid><pubDate>Mon, 0{n % 9 + 1} Jan 2024 10:00:00 GMT</pubDate></item>"
        for n in range(count)
    )
    return f'<rss version="2.0"><channel><title>Paged</title>{items}</channel></rss>'.encode()


async def test_cold_then_warm_uses_conditional_get(server, store: Store):
    etag_route(server, "/w/rss.xml", (FIXTURES / "rss20.xml").read_bytes(), '"r1"')
    etag_route(server, "/w/atom.xml", (FIXTURES / "atom10.xml").read_bytes(), '"a1"')
    etag_route(server, "/w/feed.json", (FIXTURES / "feed11.json").read_bytes(), '"j1"')
    for path in ("/w/rss.xml", "/w/atom.xml", "/w/feed.json"):
        store.feeds.add(server.url(path))
    seen: list[RefreshProgress] = []
    cold = await refresh(store, on_progress=seen.append, prefetch_pages=0)  # default: process
    assert cold.new_items == 3 + 2 + 2 and not cold.errors
    assert sorted(p.done for p in seen) == [1, 2, 3] and seen[-1].total == 3
    feed = store.feeds.by_url(server.url("/w/rss.xml"))
    assert feed is not None and feed.etag == '"r1"' and feed.title == "Harbour Notes & Letters"
    assert feed.last_status == 200 and feed.last_error is None and feed.item_count == 3
    warm = await refresh(store, parse_in="inline", prefetch_pages=0)
    assert warm.count("not-modified") == 3 and warm.new_items == 0
    assert server.requests[-1].headers.get("if-none-match") in ('"r1"', '"a1"', '"j1"')


@pytest.mark.parametrize("parse_in", ["inline", "process"])
async def test_every_bad_feed_gets_its_own_error_and_good_ones_still_store(server, store, parse_in):
    server.route("/b/404", b"no", 404)
    server.route("/b/410", b"", 410)
    server.route("/b/500", b"boom", 500)
    server.route("/b/429", b"", 429, {"Retry-After": "3600"})
    server.route(
        "/b/html", (FIXTURES / "page.html").read_bytes(), headers={"Content-Type": "text/html"}
    )
    server.route("/b/empty", b"")
    server.route("/b/laughs", (FIXTURES / "billion_laughs.xml").read_bytes())
    server.redirect("/b/loop1", "/b/loop2", 302)
    server.redirect("/b/loop2", "/b/loop1", 302)
    server.redirect("/b/moved", "/conditional", 301)
    server.route("/b/good", (FIXTURES / "rss10.rdf").read_bytes())
    closed = socket.socket()
    closed.bind(("127.0.0.1", 0))
    refused_url = f"http://127.0.0.1:{closed.getsockname()[1]}/feed"
    closed.close()
    expected = {
        server.url("/b/404"): "HTTP 404 not found",
        server.url("/b/410"): "HTTP 410 gone (the feed was removed)",
        server.url("/b/500"): "HTTP 500 server error",
        server.url("/b/429"): "HTTP 429 too many requests, retry after 3600 s",
        server.url("/b/html"): "not a feed (HTML page)",
        server.url("/b/empty"): "empty response (0 bytes)",
        server.url("/b/laughs"): "rejected: XML entity declarations that expand or load files",
        server.url("/b/loop1"): "redirect loop",
        server.url("/drip"): "timed out after 1 s",
        server.url("/endless"): "response larger than 256 KB",
        refused_url: "connection refused",
        "http://feeds.invalid/rss": "DNS lookup failed for feeds.invalid",
    }
    for url in [*expected, server.url("/b/moved"), server.url("/b/good")]:
        store.feeds.add(url)
    summary = await asyncio.wait_for(
        # process: error rows are written through the store process, the one writer
        refresh(
            store, parse_in=parse_in, total_timeout=1.0, max_bytes=256 * 1024, prefetch_pages=0
        ),
        20,
    )
    assert not summary.all_failed
    for url, message in expected.items():
        feed = store.feeds.by_url(url)
        assert feed is not None and feed.last_error == message, (url, feed)
    gone = store.feeds.by_url(server.url("/b/410"))
    assert gone is not None and gone.gone
    limited = store.feeds.by_url(server.url("/b/429"))
    assert limited is not None and limited.retry_after
    moved = store.feeds.by_url(server.url("/conditional"))
    assert moved is not None and moved.item_count == 1 and moved.etag == CONDITIONAL_ETAG
    assert store.feeds.by_url(server.url("/b/moved")) is None
    good = store.feeds.by_url(server.url("/b/good"))
    assert good is not None and good.item_count == 1 and good.last_error is None
    again = await refresh(
        store,
        [f for f in store.feeds.all() if "/b/4" in f.url],
        parse_in="inline",
        prefetch_pages=0,
    )
    assert {o.url: o.state for o in again.outcomes}[server.url("/b/410")] == "skipped"
    assert {o.url: o.state for o in again.outcomes}[server.url("/b/429")] == "skipped"


async def test_all_failed_is_reported(server, store):
    server.route("/f/1", b"", 500)
    store.feeds.add(server.url("/f/1"))
    store.feeds.add("http://nowhere.invalid/feed")
    before = store.db.query("PRAGMA wal_autocheckpoint")[0][0]
    summary = await refresh(store, parse_in="inline", prefetch_pages=0)
    assert summary.all_failed and len(summary.errors) == 2
    assert summary.as_dict()["errors"] == 2
    # checkpoints were moved to a background thread during the run and are restored after it
    assert store.db.query("PRAGMA wal_autocheckpoint")[0][0] == before


@pytest.mark.parametrize("parse_in", ["inline", "process"])
async def test_prefetch_stores_pages_of_newest_items(server, store, parse_in):
    server.route("/p/feed.xml", rss_with_pages(server, 6))
    for n in range(6):
        server.route(
            f"/pages/{n}.html",
            f"<html><body><p>page {n}</p></body></html>",
            headers={"Content-Type": "text/html"},
        )
    feed, _ = store.feeds.add(server.url("/p/feed.xml"))
    # process: the pages go through the store process, the one writer during the refresh
    seen: list[tuple[int, int, int]] = []
    summary = await refresh(
        store,
        parse_in=parse_in,
        prefetch_pages=3,
        on_progress=lambda p: seen.append((p.done, p.outcome.pages, p.pages_pending)),
    )
    assert summary.new_items == 6 and summary.pages == 3
    # the feed was reported done as soon as its articles were stored, its pages still coming
    assert seen == [(1, 0, 1)]
    with_pages = [store.articles.get(i) for i in store.articles.ordered_ids(feed_id=feed.id)]
    stored = sorted(a.url.rsplit("/", 1)[1] for a in with_pages if a and a.raw_html)
    assert len(stored) == 3 and all(b"page" in a.raw_html for a in with_pages if a and a.raw_html)


async def test_items_without_dates_get_fetch_time_and_update_in_place(server, store):
    body = (
        b'<rss version="2.0"><channel><title>D</title><item><title>A</title><guid>d1</guid>'
        b"</item></channel></rss>"
    )
    server.route("/d/feed.xml", body)
    feed, _ = store.feeds.add(server.url("/d/feed.xml"))
    await refresh(store, parse_in="inline", prefetch_pages=0)
    (article_id,) = store.articles.ordered_ids(feed_id=feed.id)
    first = store.articles.get(article_id)
    assert first is not None and first.published  # the store gave it the fetch time
    server.route("/d/feed.xml", body.replace(b"<title>A</title>", b"<title>A, fixed</title>"))
    summary = await refresh(store, parse_in="inline", prefetch_pages=0)
    assert summary.updated_items == 1 and summary.new_items == 0
    assert store.articles.get(article_id).title == "A, fixed"


@pytest.mark.wordpress
async def test_wordpress_feed_is_read_through_rest(store):
    wp = wordpress_env()
    feed, _ = store.feeds.add(
        wp["WP_URL"] + "/feed/", kind="wordpress", api_url=wp["WP_URL"] + "/wp-json/"
    )
    summary = await refresh(store, parse_in="inline", prefetch_pages=2)
    assert not summary.errors, summary.errors
    assert summary.new_items == 12 and summary.pages == 2
    records = [store.articles.get(i) for i in store.articles.ordered_ids(feed_id=feed.id)]
    assert all(r is not None and r.categories and r.extra.get("wp_post_id") for r in records)
    assert any(r.extra.get("jetpack-related-posts") for r in records if r)
    assert sum(r.comment_count or 0 for r in records if r) > 0


@pytest.mark.wordpress
async def test_wordpress_site_without_feed_is_read_through_rest_alone(store):
    wp = wordpress_env()
    api = wp["WP_URL"] + "/?rest_route=/"
    feed, _ = store.feeds.add(api, kind="wordpress", api_url=api)
    summary = await refresh(store, parse_in="inline", prefetch_pages=0)
    assert not summary.errors and summary.new_items == 12
    assert store.feeds.get(feed.id).last_status == 200


async def test_worker_process_records_parse_errors_and_titles(server, store):
    server.route(
        "/wk/page", (FIXTURES / "page.html").read_bytes(), headers={"Content-Type": "text/html"}
    )
    server.route("/wk/feed", (FIXTURES / "atom03.xml").read_bytes(), headers={"ETag": '"k"'})
    store.feeds.add(server.url("/wk/page"))
    store.feeds.add(server.url("/wk/feed"))
    summary = await refresh(store, prefetch_pages=0)  # default: worker process parses and stores
    assert summary.new_items == 1 and len(summary.errors) == 1
    page = store.feeds.by_url(server.url("/wk/page"))
    assert page is not None and page.last_error == "not a feed (HTML page)"
    assert page.last_status == 200 and page.last_success is None
    feed = store.feeds.by_url(server.url("/wk/feed"))
    assert feed is not None and feed.title == "Lighthouse Log" and feed.etag == '"k"'
    assert feed.site_url == "http://lighthouse.example/" and feed.last_error is None
