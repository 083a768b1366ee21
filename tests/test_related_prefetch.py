"""Background prefetch of related posts against a real local HTTP server: bounded, polite,
offline-safe (queued, no retry storm), 404 as a clear final state."""

from __future__ import annotations

from pathlib import Path

from reader.extract.model import RelatedLink
from reader.reading import Readable, open_article
from reader.related import RelatedEntry, fetch_queued, prefetch_related, related_entries
from reader.related.prefetch import PAGE_KIND
from reader.related.remote import lookup
from reader.store import Store
from tests.hostile_server import HostileServer

FIXTURES = Path(__file__).parent / "fixtures" / "related"
HTML = {"Content-Type": "text/html; charset=utf-8"}


def post_page(title: str, body: str = "A post body with several words in it.") -> str:
    return (
        f"<!DOCTYPE html><html lang='en'><head><title>{title}</title>"
        "<meta property='article:published_time' content='2025-02-03T10:00:00+00:00'>"
        f"</head><body><article><h1>{title}</h1><p>{body}</p></article></body></html>"
    )


def entry(url: str, title: str = "", **kw: object) -> RelatedEntry:
    return RelatedEntry(url=url, title=title or url, sources=("page",), **kw)  # type: ignore[arg-type]


async def test_fetches_top_uncached_as_hidden_site_feed(store: Store) -> None:
    with HostileServer() as server:
        for n in range(8):
            server.route(f"/post-{n}/", post_page(f"Post number {n}"), headers=HTML)
        entries = [entry(server.url(f"/post-{n}/"), f"Post {n}") for n in range(8)]
        stored = await prefetch_related(store, entries, per_host_delay=0)
        assert stored == 5, "only the top five are fetched"
        assert len(server.requests) == 5
    feeds = [f for f in store.feeds.all(include_hidden=True) if f.kind == PAGE_KIND]
    assert len(feeds) == 1 and feeds[0].title == "127.0.0.1"
    assert feeds[0].url.endswith("#related-pages")
    record = store.articles.by_url(server.url("/post-0/"))
    assert record is not None and record.raw_html and record.title == "Post number 0"
    assert record.feed_id == feeds[0].id
    assert lookup(store, [server.url("/post-0/")])[server.url("/post-0/")].state == "fetched"


async def test_page_of_a_subscribed_site_joins_that_feed(store: Store) -> None:
    with HostileServer() as server:
        feed, _ = store.feeds.add(server.url("/feed/"), title="Mine", site_url=server.url("/"))
        server.route("/a/", post_page("Alpha"), headers=HTML)
        assert await prefetch_related(store, [entry(server.url("/a/"))], per_host_delay=0) == 1
    record = store.articles.by_url(server.url("/a/"))
    assert record is not None and record.feed_id == feed.id
    assert not [f for f in store.feeds.all() if f.kind == PAGE_KIND]


async def test_404_is_missing_and_never_retried(store: Store) -> None:
    with HostileServer() as server:
        gone = entry(server.url("/gone/"), "Gone post")
        assert await prefetch_related(store, [gone], per_host_delay=0) == 0
        assert await prefetch_related(store, [gone], per_host_delay=0) == 0
        assert await fetch_queued(store, per_host_delay=0) == 0
        assert len(server.requests) == 1
    row = lookup(store, [gone.url])[gone.url]
    assert row.state == "missing" and "404" in (row.last_error or "")
    readable = Readable(
        article_id=0,
        url="https://elsewhere.example/x/",
        title="x",
        related=[RelatedLink("Gone post", gone.url)],
    )
    shown = related_entries(store, readable, similar=False)
    assert shown[0].state == "missing" and not shown[0].cached


async def test_offline_queues_without_a_retry_storm(store: Store) -> None:
    ports = [_closed_port(), _closed_port()]
    urls = [f"http://127.0.0.1:{ports[n % 2]}/post-{n}/" for n in range(5)]
    entries = [entry(u) for u in urls]
    assert await prefetch_related(store, entries, per_host_delay=0, total_timeout=5) == 0
    rows = lookup(store, urls)
    assert {r.state for r in rows.values()} == {"queued"}
    assert sorted(r.attempts for r in rows.values()) == [0, 0, 0, 1, 1], (
        "one try per unreachable server, then the batch is queued as offline"
    )
    # The two that were tried wait for their backoff; the others are due when online.
    assert await prefetch_related(store, entries, per_host_delay=0, total_timeout=5) == 0
    assert max(r.attempts for r in lookup(store, urls).values()) == 1


async def test_queued_posts_are_fetched_when_back_online(store: Store) -> None:
    with HostileServer() as server:
        url = server.url("/later/")
        server.route("/later/", post_page("Later post"), headers=HTML)
        offline = [
            f"http://127.0.0.1:{_closed_port()}/first/",
            f"http://127.0.0.1:{_closed_port()}/second/",
        ]
        # Offline: two servers give no answer, the third post is queued untried.
        await prefetch_related(
            store, [*map(entry, offline), entry(url)], per_host_delay=0, total_timeout=5
        )
        assert lookup(store, [url])[url].state == "queued"
        assert server.requests == []
        assert await fetch_queued(store, per_host_delay=0) == 1
        assert store.articles.by_url(url) is not None
        assert await fetch_queued(store, per_host_delay=0) == 0, "nothing left to do"
        assert len(server.requests) == 1


async def test_server_errors_back_off_and_non_html_fails(store: Store) -> None:
    with HostileServer() as server:
        server.route("/busy/", "busy", status=503)
        server.route("/file/", b"%PDF-1.4", headers={"Content-Type": "application/pdf"})
        busy, pdf = server.url("/busy/"), server.url("/file/")
        await prefetch_related(store, [entry(busy), entry(pdf)], per_host_delay=0)
        await prefetch_related(store, [entry(busy), entry(pdf)], per_host_delay=0)
        assert len(server.requests) == 2
    rows = lookup(store, [busy, pdf])
    assert rows[busy].state == "queued" and rows[busy].next_try
    assert rows[pdf].state == "failed" and "not a web page" in (rows[pdf].last_error or "")


async def test_prefetched_post_becomes_readable_offline(store: Store) -> None:
    raw = (FIXTURES / "yarpp.html").read_bytes()
    with HostileServer() as server:
        server.route("/seed-swap-library/", post_page("A seed swap at the library"), headers=HTML)
        page = raw.replace(
            b"https://greenway.example/seed-swap-library/",
            server.url("/seed-swap-library/").encode(),
        )
        feed, _ = store.feeds.add("https://greenway.example/feed/", title="Greenway")
        from reader.sources.items import FeedItem

        url = "https://greenway.example/allotment-waiting-list-halves/"
        article_id = store.articles.upsert(feed.id, [FeedItem(guid=url, url=url)]).new_ids[0]
        store.articles.set_page(article_id, page)
        readable = open_article(store, article_id)
        assert readable is not None
        before = related_entries(store, readable)
        target = next(e for e in before if e.title == "A seed swap at the library")
        assert not target.cached and target.offsite
        await prefetch_related(store, before, per_host_delay=0, total_timeout=5)
    after = related_entries(store, readable)
    target = next(e for e in after if e.title == "A seed swap at the library")
    assert target.cached and open_article(store, target.article_id) is not None
    assert target.site == "127.0.0.1"


def _closed_port() -> int:
    import socket

    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def test_queue_states_and_backoff(store: Store) -> None:
    from datetime import UTC, datetime, timedelta

    from reader.related.remote import MAX_ATTEMPTS, due, record_failure

    offline, busy = "https://q.example/offline/", "https://q.example/busy/"
    for _ in range(MAX_ATTEMPTS + 3):
        record_failure(store, offline, "no answer", permanent=False, offline=True)
        record_failure(store, busy, "HTTP 503", permanent=False)
    rows = lookup(store, [offline, busy])
    assert rows[offline].state == "queued", "being offline never gives up on a post"
    assert rows[offline].attempts == MAX_ATTEMPTS - 1
    assert rows[busy].state == "failed" and not due(rows[busy])
    assert not due(rows[offline]), "waits for its backoff"
    later = datetime.now(UTC) + timedelta(hours=1)
    assert due(rows[offline], later)
    assert due(rows[offline], ignore_backoff=True)
    assert due(None)
