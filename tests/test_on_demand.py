"""Pages fetched when the user asks (``reader.on_demand``), against a real local HTTP server:
stored with their search text, or one clear line saying why not."""

from __future__ import annotations

import socket
from dataclasses import dataclass

from reader.config import RefreshConfig
from reader.on_demand import fetch_article_page, fetch_url
from reader.related.prefetch import PAGE_KIND
from reader.store import Store
from tests.hostile_server import HostileServer

HTML = {"Content-Type": "text/html; charset=utf-8"}
CONFIG = RefreshConfig(timeout=5.0)


def page(title: str, words: str) -> str:
    return (
        f"<!DOCTYPE html><html lang='en'><head><title>{title}</title></head><body>"
        f"<nav><a href='/'>Home</a></nav><article><h1>{title}</h1>"
        f"<p>{words} The harbour master keeps the tide tables by the door.</p>"
        "<p>Boats leave at dawn and come back when the light goes.</p></article></body></html>"
    )


@dataclass(frozen=True)
class Item:
    """A feed item as ``Articles.upsert`` reads it (only a summary, no page yet)."""

    guid: str
    url: str | None
    title: str
    author: str | None = None
    published: str | None = "2026-01-05T10:00:00+00:00"
    updated: str | None = None
    summary_html: str | None = "<p>Only the summary.</p>"
    content_html: str | None = None


def feed_article(store: Store, url: str | None, title: str = "Quay notes") -> int:
    feed, _ = store.feeds.add("http://127.0.0.1:9/feed.xml", title="Quay")
    result = store.articles.upsert(feed.id, [Item(guid=title, url=url, title=title)])
    return result.new_ids[0]


def closed_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


async def test_article_page_is_stored_with_its_search_text(store: Store) -> None:
    with HostileServer() as server:
        server.route(
            "/notes/", page("Quay notes", "Cormorants nest on the breakwater."), headers=HTML
        )
        article_id = feed_article(store, server.url("/notes/"))
        agent = "reader-test/1.0 (+http://127.0.0.1/)"
        got = await fetch_article_page(store, article_id, RefreshConfig(user_agent=agent))
        request = server.requests[0]
    assert got.ok and got.error is None and got.article_id == article_id
    assert got.url == server.url("/notes/") and got.size > 100 and not got.cached
    record = store.articles.get(article_id)
    assert record is not None and record.raw_html and b"Cormorants" in record.raw_html
    assert [hit.row.id for hit in store.search.find("cormorants").hits] == [article_id]
    assert request.headers["user-agent"] == agent
    assert request.headers["accept"].startswith("text/html")


async def test_http_errors_are_one_line_and_store_nothing(store: Store) -> None:
    with HostileServer() as server:
        server.route("/pdf", b"%PDF-1.7 binary", headers={"Content-Type": "application/pdf"})
        server.route("/empty/", "<html><body><nav>menu</nav></body></html>", headers=HTML)
        answers = {}
        for path in ("/missing/", "/pdf", "/empty/"):
            article_id = feed_article(store, server.url(path), title=path)
            answers[path] = await fetch_article_page(store, article_id, CONFIG)
            record = store.articles.get(article_id)
            assert record is not None and record.raw_html is None, path
    assert answers["/missing/"].error == "HTTP 404 Not Found"
    assert answers["/pdf"].error == "not HTML (application/pdf)"
    assert (answers["/empty/"].error or "").startswith("could not extract the page:")
    assert not any(got.ok for got in answers.values())


async def test_a_stalled_server_times_out_at_the_configured_deadline(store: Store) -> None:
    with HostileServer() as server:
        article_id = feed_article(store, server.url("/stall"))
        got = await fetch_article_page(store, article_id, RefreshConfig(timeout=0.5))
    assert not got.ok and got.error == "timed out after 500 ms"


async def test_network_errors_and_articles_without_a_link(store: Store) -> None:
    refused = feed_article(store, f"http://127.0.0.1:{closed_port()}/post/", title="refused")
    got = await fetch_article_page(store, refused, CONFIG)
    assert not got.ok and got.error == "connection refused"
    linkless = feed_article(store, None, title="no link")
    got = await fetch_article_page(store, linkless, CONFIG)
    assert not got.ok and got.error == "the article has no link to fetch"
    got = await fetch_article_page(store, 999_999, CONFIG)
    assert not got.ok and got.error == "no article with id 999999"


async def test_a_new_url_becomes_a_page_article_after_redirects(store: Store) -> None:
    with HostileServer() as server:
        server.redirect("/p/7", "/2026/quay-notes/")
        server.route("/2026/quay-notes/", page("Quay notes", "Terns arrive in May."), headers=HTML)
        got = await fetch_url(store, server.url("/p/7"), CONFIG)
        assert len(server.requests) == 2
    assert got.ok and got.url == server.url("/2026/quay-notes/")
    record = store.articles.by_url(server.url("/2026/quay-notes/"))
    assert record is not None and record.id == got.article_id
    assert record.title == "Quay notes" and record.raw_html and b"Terns" in record.raw_html
    feed = store.feeds.get(record.feed_id)
    assert feed is not None and feed.kind == PAGE_KIND
    assert [hit.row.id for hit in store.search.find("terns").hits] == [record.id]


async def test_a_cached_url_is_returned_without_fetching(store: Store) -> None:
    with HostileServer() as server:
        server.route("/a/", page("Alpha", "Kelp grows fast."), headers=HTML)
        first = await fetch_url(store, server.url("/a/"), CONFIG)
        again = await fetch_url(store, server.url("/a/#comments"), CONFIG)
        assert len(server.requests) == 1
    assert first.ok and not first.cached
    assert again.ok and again.cached and again.article_id == first.article_id
    assert again.size == first.size


async def test_a_cached_url_without_its_page_gets_the_page_on_that_article(store: Store) -> None:
    with HostileServer() as server:
        server.route("/b/", page("Beta", "Seals sleep on the slipway."), headers=HTML)
        article_id = feed_article(store, server.url("/b/"))
        got = await fetch_url(store, server.url("/b/"), CONFIG)
    assert got.ok and got.article_id == article_id and not got.cached
    assert store.articles.count() == 1
    assert not [f for f in store.feeds.all(include_hidden=True) if f.kind == PAGE_KIND]


async def test_failed_new_urls_leave_no_article(store: Store) -> None:
    with HostileServer() as server:
        server.route("/doc", b"%PDF-1.7", headers={"Content-Type": "application/pdf"})
        gone = await fetch_url(store, server.url("/gone/"), CONFIG)
        pdf = await fetch_url(store, server.url("/doc"), CONFIG)
    assert gone.error == "HTTP 404 Not Found" and gone.article_id is None
    assert pdf.error == "not HTML (application/pdf)"
    assert store.articles.count() == 0
    assert store.feeds.all(include_hidden=True) == []


async def test_bad_urls_are_refused_without_a_request(store: Store) -> None:
    with HostileServer() as server:
        bad = [
            "ftp://127.0.0.1/file",
            "javascript:alert(1)",
            "file:///etc/passwd",
            "http://",
            "not a url",
            server.url("/a page/"),
            f"http://127.0.0.1:{server.port}0000/",
            "",
        ]
        answers = [await fetch_url(store, url, CONFIG) for url in bad]
        assert server.requests == []
    for url, got in zip(bad, answers, strict=True):
        assert not got.ok and got.article_id is None, url
        assert got.error and "\n" not in got.error, url
    assert answers[0].error == "not a web address (http:// or https://): 'ftp://127.0.0.1/file'"
    assert answers[3].error == "no host name in 'http://'"
    assert store.articles.count() == 0


async def test_the_bundled_demo_is_fetched_from_the_package_offline(demo_store: Store) -> None:
    from reader.demo import DEMO_SITE_URL, demo_pages

    url, body = next(iter(demo_pages().items()))
    record = demo_store.articles.by_url(url)
    assert record is not None
    got = await fetch_article_page(demo_store, record.id, RefreshConfig(timeout=0.5))
    assert got.ok and got.size == len(body) and got.url == url
    missing = await fetch_url(demo_store, DEMO_SITE_URL + "no-such-post/", CONFIG)
    assert missing.error == "HTTP 404 Not Found"
