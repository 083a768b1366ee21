"""Related posts against the real WordPress in ``../shared/wordpress``: the page's
``<section class="related-posts">``, the ``jetpack-related-posts`` REST field, the
``?relatedposts=1`` JSON, and category/tag overlap over REST. Every expected value is read from
``$WP_MANIFEST``."""

from __future__ import annotations

from typing import Any

import pytest

from reader.reading import open_article
from reader.related import prefetch_related, refresh_site_related, related_entries
from reader.related.urls import canonical_key
from reader.store import Store

pytest_plugins = ("tests.wordpress",)
pytestmark = pytest.mark.wordpress


@pytest.fixture
def wp(wordpress: Any) -> Any:
    return wordpress


def links_of(wp: Any, ids: list[int]) -> list[str]:
    return [canonical_key(wp.post(pid)["link"]) for pid in ids]


def overlap(wp: Any, post_id: int) -> dict[str, int]:
    """Jetpack-like score of every other post: 2 per shared tag, 1 per shared category."""
    me = wp.post(post_id)
    scores = {}
    for other in wp["manifest"]["posts"]:
        if other["id"] == post_id:
            continue
        score = 2 * len(set(me["tags"]) & set(other["tags"]))
        score += int(me["category"] == other["category"])
        if score:
            scores[canonical_key(other["link"])] = score
    return scores


def test_page_block_matches_the_manifest(wp: Any, store: Store) -> None:
    for post in wp["manifest"]["posts"]:
        record = wp.store_post(store, post["id"])
        readable = open_article(store, record.id)
        assert readable is not None
        entries = related_entries(store, readable)
        page = [canonical_key(e.url) for e in entries if "page" in e.sources]
        assert page == links_of(wp, post["related_posts"]), post["slug"]
        assert [canonical_key(e.url) for e in entries[: len(page)]] == page
        assert canonical_key(post["link"]) not in [canonical_key(e.url) for e in entries]


def test_body_links_to_other_posts(wp: Any, store: Store) -> None:
    for post in wp["manifest"]["posts"]:
        record = wp.store_post(store, post["id"])
        readable = open_article(store, record.id)
        assert readable is not None
        linked = {
            canonical_key(e.url) for e in related_entries(store, readable) if "links" in e.sources
        }
        assert linked == set(links_of(wp, post["links_to_posts"])), post["slug"]


async def test_rest_field_and_taxonomy_overlap(wp: Any, store: Store) -> None:
    post = wp.post(1)
    record = wp.store_post(store, post["id"])
    stored = await refresh_site_related(store, record.id)
    assert stored > 0
    readable = open_article(store, record.id)
    assert readable is not None
    entries = related_entries(store, readable)
    jetpack = [canonical_key(e.url) for e in entries if "jetpack" in e.sources]
    assert jetpack == links_of(wp, post["related_posts"])
    expected = overlap(wp, post["id"])
    site = [canonical_key(e.url) for e in entries if "site" in e.sources]
    assert set(site) == set(expected)
    scores = [expected[key] for key in site]
    assert scores == sorted(scores, reverse=True), "best overlap first"
    dated = [e for e in entries if "site" in e.sources]
    assert all(len(e.date) == 10 for e in dated)
    # Asked once: a second call within the day sends nothing.
    assert await refresh_site_related(store, record.id) == 0


async def test_site_related_survive_offline(wp: Any, store: Store) -> None:
    """What the site said is stored: later, with no network, the list is the same."""
    post = wp.post(2)
    record = wp.store_post(store, post["id"])
    await refresh_site_related(store, record.id)
    readable = open_article(store, record.id)
    assert readable is not None
    online = related_entries(store, readable)
    feed = store.feeds.get(record.feed_id)
    assert feed is not None
    store.feeds.update(feed.id, url=f"http://127.0.0.1:{wp.closed_port()}/feed/")
    assert related_entries(store, readable) == online
    assert {canonical_key(e.url) for e in online if "site" in e.sources} == set(
        overlap(wp, post["id"])
    )


async def test_relatedposts_json_endpoint(wp: Any) -> None:
    from reader.net.client import make_client
    from reader.related.site import _relatedposts_json

    async with make_client() as client:
        for post in wp["manifest"]["posts"][:4]:
            items = await _relatedposts_json(client, post["link"])
            assert items is not None
            assert [canonical_key(i["url"]) for i in items] == links_of(wp, post["related_posts"])


async def test_rest_items_carry_the_jetpack_field(wp: Any, store: Store) -> None:
    """Posts stored from the REST source list their Jetpack related posts with no page."""
    from reader.net.client import make_client
    from reader.sources.wordpress import WordPressAPI

    async with make_client() as client:
        parsed = await WordPressAPI(client, wp["manifest"]["rest_url"]).fetch_feed()
    feed, _ = store.feeds.add(
        wp["manifest"]["rest_url"],
        title="Ledger",
        kind="wordpress",
        api_url=wp["manifest"]["rest_url"],
    )
    store.articles.upsert(feed.id, parsed.items)
    for post in wp["manifest"]["posts"]:
        record = store.articles.by_url(post["link"])
        assert record is not None and record.raw_html is None
        readable = open_article(store, record.id)
        assert readable is not None
        entries = related_entries(store, readable)
        jetpack = [e for e in entries if "jetpack" in e.sources]
        assert [canonical_key(e.url) for e in jetpack] == links_of(wp, post["related_posts"])
        assert all(e.cached for e in jetpack), "every post came in through the REST feed"


async def test_prefetch_makes_the_related_posts_readable(wp: Any, store: Store) -> None:
    post = wp.post(3)
    record = wp.store_post(store, post["id"])
    readable = open_article(store, record.id)
    assert readable is not None
    before = related_entries(store, readable)
    assert not any(e.cached for e in before)
    fetched = await prefetch_related(store, before, per_host_delay=0)
    assert fetched == min(5, len([e for e in before if not e.cached]))
    after = {canonical_key(e.url): e for e in related_entries(store, readable)}
    for key in links_of(wp, post["related_posts"]):
        assert after[key].cached, key
        target = open_article(store, after[key].article_id)
        assert target is not None and target.title


async def test_sidebar_fills_in_the_background(wp: Any, store: Store, paths: Any) -> None:
    """Opening a WordPress post in the app adds the site's list and prefetches the top posts."""
    from tests.ui.helpers import main_screen, make_app, settle, wait_for

    post = wp.post(1)
    wp.store_post(store, post["id"])
    app = make_app(store, paths)
    async with app.run_test(size=(140, 40)) as pilot:
        await settle(pilot, app)
        screen = main_screen(app)
        assert canonical_key(screen.current.url) == canonical_key(post["link"])
        wanted = set(links_of(wp, post["related_posts"])) | set(overlap(wp, post["id"]))

        def enough_cached() -> bool:
            cached = {canonical_key(e.url) for e in screen.related.entries if e.cached}
            return len(cached & wanted) >= min(5, len(wanted))

        await wait_for(pilot, enough_cached, timeout=60, what="the background prefetch")
        await settle(pilot, app)
        keys = {canonical_key(e.url): e for e in screen.related.entries}
        for key in links_of(wp, post["related_posts"]):
            assert keys[key].cached and "jetpack" in keys[key].sources
        assert wanted <= set(keys)
        assert sum(keys[k].cached for k in wanted) >= min(5, len(wanted))


async def test_post_found_by_slug_when_the_page_has_no_id(wp: Any, store: Store) -> None:
    """A page without shortlink/postid markers: the post is looked up by its slug."""
    post = wp.post(7)
    bare = (
        f'<html><head><link rel="https://api.w.org/" href="{wp["manifest"]["rest_url"]}">'
        "</head><body><article><h1>Bare</h1><p>Only text here.</p></article></body></html>"
    ).encode()
    record = wp.store_post(store, post["id"], html=bare)
    assert await refresh_site_related(store, record.id) > 0
    readable = open_article(store, record.id)
    assert readable is not None
    entries = related_entries(store, readable)
    assert [canonical_key(e.url) for e in entries if "jetpack" in e.sources] == links_of(
        wp, post["related_posts"]
    )
    assert {canonical_key(e.url) for e in entries if "site" in e.sources} == set(
        overlap(wp, post["id"])
    )


async def test_unreachable_site_is_not_asked_again_at_once(wp: Any, store: Store) -> None:
    post = wp.post(4)
    record = wp.store_post(store, post["id"])
    feed = store.feeds.get(record.feed_id)
    assert feed is not None
    store.feeds.update(feed.id, api_url=f"http://127.0.0.1:{wp.closed_port()}/wp-json/")
    assert await refresh_site_related(store, record.id) == 0
    failed = store.articles.get(record.id)
    assert failed is not None and failed.extra.get("related_site_error")
    store.feeds.update(feed.id, api_url=wp["manifest"]["rest_url"])
    assert await refresh_site_related(store, record.id) == 0, "backs off for an hour"
    assert await refresh_site_related(store, record.id, force=True) > 0
