"""Seed the bundled demo site into an empty store, through the normal feed and page path.

The demo feed is parsed by the same parser as any fetched feed and each page is stored as raw
HTML like a prefetched page, so what a new user sees is exactly what real content looks like.
"""

from __future__ import annotations

from reader.store import Feed, FeedKind, Store
from reader.store.timeutil import now_iso


def ensure_demo(store: Store) -> Feed | None:
    """Add the demo site when nothing is subscribed; return the demo feed if it was added."""
    if store.feeds.count() > 0:
        return None
    return install_demo(store)


def install_demo(store: Store) -> Feed:
    """Parse the demo feed, store its items and their pages (idempotent)."""
    from reader.demo import DEMO_FEED_URL, DEMO_SITE_URL, demo_feed_xml, demo_page
    from reader.sources.parse import parse_feed

    parsed = parse_feed(demo_feed_xml(), DEMO_FEED_URL, "application/rss+xml")
    feed, _ = store.feeds.add(
        DEMO_FEED_URL,
        title=parsed.title or "Reader demo",
        site_url=DEMO_SITE_URL,
        kind=FeedKind.DEMO,
    )
    store.articles.upsert(feed.id, parsed.items)
    for item in parsed.items:
        if not item.url:
            continue
        page = demo_page(item.url)
        record = store.articles.by_url(item.url)
        if page is not None and record is not None and record.raw_html is None:
            store.articles.set_page(record.id, page)
    now = now_iso()
    store.feeds.update(feed.id, last_status=200, last_success=now, last_checked=now)
    return store.feeds.get(feed.id) or feed
