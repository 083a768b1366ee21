"""A refresh under per-feed settings and the retention policy, against a real local server and a
real store: refresh_interval (skipped unless forced), prefetch on every refresh (and off per
feed), and old articles pruned when the run ends without coming back on the next one."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime, timedelta

import pytest

from reader.config import config_from_dict
from reader.refresh.engine import refresh
from reader.refresh.rules import RunRules
from reader.store import Policy, Store
from tests.hostile_server import HostileServer


@pytest.fixture
def server() -> Iterator[HostileServer]:
    with HostileServer() as srv:
        yield srv


def rss(server: HostileServer, prefix: str, numbers: range) -> bytes:
    """Items ``prefix``-N linking to /PREFIX/pages/N.html; a higher N is a newer item."""
    items = "".join(
        f"<item><title>{prefix} {n}</title><link>{server.url(f'/{prefix}/pages/{n}.html')}</link>"
        f"<guid>{prefix}-{n}</guid><pubDate>{_date(n)}</pubDate>"
        f"<description>summary {n}</description></item>"
        for n in numbers
    )
    return f'<rss version="2.0"><channel><title>{prefix}</title>{items}</channel></rss>'.encode()


def _date(n: int) -> str:
    return (datetime(2024, 1, 1, tzinfo=UTC) + timedelta(hours=n)).strftime(
        "%a, %d %b %Y %H:%M:%S GMT"
    )


def serve_feed(server: HostileServer, prefix: str, numbers: range) -> str:
    """The feed (replacing what was served before) and a page for each of its items."""
    server.route(f"/{prefix}/feed.xml", rss(server, prefix, numbers))
    for n in numbers:
        server.route(
            f"/{prefix}/pages/{n}.html",
            f"<html><body><article><p>full text {n}</p></article></body></html>",
            headers={"Content-Type": "text/html"},
        )
    return server.url(f"/{prefix}/feed.xml")


def hits(server: HostileServer, path: str) -> int:
    return sum(1 for request in server.requests if request.path == path)


def pages_stored(store: Store, feed_id: int) -> list[str]:
    records = [store.articles.get(i) for i in store.articles.ordered_ids(feed_id=feed_id)]
    return sorted(r.guid for r in records if r is not None and r.raw_html)


@pytest.mark.parametrize("parse_in", ["inline", "process"])
async def test_every_refresh_prefetches_the_pages_of_its_new_articles(
    server: HostileServer, store: Store, parse_in: str
) -> None:
    url = serve_feed(server, "s", range(3))
    feed, _ = store.feeds.add(url)
    first = await refresh(store, parse_in=parse_in, prefetch_pages=5)  # type: ignore[arg-type]
    assert first.new_items == 3 and first.pages == 3
    serve_feed(server, "s", range(6))  # the second refresh brings three new items
    second = await refresh(store, parse_in=parse_in, prefetch_pages=5)  # type: ignore[arg-type]
    assert second.new_items == 3 and second.pages == 3
    assert pages_stored(store, feed.id) == [f"s-{n}" for n in range(6)]
    for n in range(6):  # each page fetched once: nothing fetched again
        assert hits(server, f"/s/pages/{n}.html") == 1
    # a summary-only feed now reads offline: the page of a new article is in the cache
    newest = store.articles.get(store.articles.ordered_ids(feed_id=feed.id)[0])
    assert newest is not None and b"full text 5" in (newest.raw_html or b"")


async def test_prefetch_off_for_one_feed_leaves_its_pages_alone(
    server: HostileServer, store: Store
) -> None:
    quiet_url = serve_feed(server, "q", range(2))
    loud_url = serve_feed(server, "l", range(2))
    config, _ = config_from_dict({"feeds": {quiet_url: {"prefetch": False}}})
    quiet, _ = store.feeds.add(quiet_url)
    loud, _ = store.feeds.add(loud_url)
    summary = await refresh(store, parse_in="inline", rules=RunRules.from_config(config))
    assert summary.new_items == 4 and summary.pages == 2
    assert pages_stored(store, quiet.id) == [] and hits(server, "/q/pages/0.html") == 0
    assert pages_stored(store, loud.id) == ["l-0", "l-1"]


async def test_refresh_interval_skips_a_feed_checked_recently_unless_forced(
    server: HostileServer, store: Store
) -> None:
    slow_url = serve_feed(server, "slow", range(2))
    fast_url = serve_feed(server, "fast", range(2))
    config, _ = config_from_dict({"feeds": {slow_url: {"refresh_interval": 60}}})
    slow, _ = store.feeds.add(slow_url)
    store.feeds.add(fast_url)
    run = {"parse_in": "inline", "prefetch_pages": 0}
    rules = RunRules.from_config(config)
    first = await refresh(store, rules=rules, **run)  # type: ignore[arg-type]
    assert first.count("not-due") == 0 and hits(server, "/slow/feed.xml") == 1  # never checked
    second = await refresh(store, rules=rules, **run)  # type: ignore[arg-type]
    assert hits(server, "/slow/feed.xml") == 1 and hits(server, "/fast/feed.xml") == 2
    assert second.count("not-due") == 1 and not second.all_failed
    skipped = next(o for o in second.outcomes if o.state == "not-due")
    assert skipped.feed_id == slow.id and skipped.checked_ago is not None
    assert 0 <= skipped.checked_ago < 5
    data = second.as_dict()
    assert data["not_due"] == 1 and data["not_due_checked_ago"][0] == int(skipped.checked_ago)
    assert data["feeds"] == 2  # every feed is still in the account
    forced_rules = RunRules.from_config(config, force=True)
    forced = await refresh(store, rules=forced_rules, **run)  # type: ignore[arg-type]
    assert forced.count("not-due") == 0 and hits(server, "/slow/feed.xml") == 2
    # checked more than the interval ago: due again
    long_ago = (datetime.now(UTC) - timedelta(minutes=61)).replace(microsecond=0).isoformat()
    store.feeds.update(slow.id, last_checked=long_ago)
    later = await refresh(store, rules=rules, **run)  # type: ignore[arg-type]
    assert later.count("not-due") == 0 and hits(server, "/slow/feed.xml") == 3


@pytest.mark.parametrize("parse_in", ["inline", "process"])
async def test_the_retention_policy_runs_when_the_refresh_ends(
    server: HostileServer, store: Store, parse_in: str
) -> None:
    url = serve_feed(server, "r", range(5))
    feed, _ = store.feeds.add(url)
    await refresh(store, parse_in=parse_in, prefetch_pages=0)  # type: ignore[arg-type]
    ids = store.articles.ordered_ids(feed_id=feed.id)
    store.marks.set_read(ids[:4])  # the oldest stays unread
    rules = RunRules(retention=Policy(keep_per_feed=2))
    summary = await refresh(
        store,
        parse_in=parse_in,  # type: ignore[arg-type]
        prefetch_pages=0,
        rules=rules,
    )
    assert summary.pruned == {feed.id: 2} and summary.as_dict()["pruned"] == 2
    assert store.articles.ordered_ids(feed_id=feed.id) == [ids[0], ids[1], ids[4]]
    # the feed still lists the pruned items: the next refresh does not bring them back
    serve_feed(server, "r", range(6))
    again = await refresh(
        store,
        parse_in=parse_in,  # type: ignore[arg-type]
        prefetch_pages=0,
        rules=rules,
    )
    assert again.new_items == 1  # r-5 only: r-1 and r-2 stay gone
    # r-5 is now among the two newest, so r-3 (read) goes
    assert again.pruned == {feed.id: 1}
    newest = store.articles.ordered_ids(feed_id=feed.id)[0]
    assert store.articles.ordered_ids(feed_id=feed.id) == [newest, ids[0], ids[4]]
    assert store.articles.get(newest).guid == "r-5"  # type: ignore[union-attr]


async def test_no_policy_deletes_nothing_after_a_refresh(server: HostileServer, store: Store):
    feed, _ = store.feeds.add(serve_feed(server, "n", range(4)))
    await refresh(store, parse_in="inline", prefetch_pages=0)
    store.marks.set_read(store.articles.ordered_ids(feed_id=feed.id))
    summary = await refresh(store, parse_in="inline", prefetch_pages=0, rules=RunRules())
    assert summary.pruned == {} and len(store.articles.ordered_ids(feed_id=feed.id)) == 4
