"""Subscribing: find the feed behind any address and add it, for the CLI and the app alike.

The address may be a feed, a site that links its feed, a WordPress site (read through its
REST API when it has no feed link) or an article page of such a site. What goes wrong is a
``SubscribeError`` with a sentence for the user.
"""

from __future__ import annotations

from reader.cells import terminal_safe
from reader.sanitize import safe_url
from reader.store import Feed, Store


class SubscribeError(Exception):
    """Why an address could not be subscribed to, in words for the user."""


def check_address(text: str) -> str:
    """The cleaned web address, or SubscribeError when ``text`` is not one."""
    url = safe_url(text.strip(), None)
    if not url or not url.startswith(("http://", "https://")):
        raise SubscribeError(f"{text.strip()!r} is not a web address (http:// or https://)")
    return url


async def subscribe(store: Store, text: str, tags: list[str], *, timeout: float) -> Feed:
    """Discover the feed behind ``text`` and subscribe to it (nothing is fetched yet)."""
    from reader.net.client import make_client
    from reader.sources.discover import discover

    url = check_address(text)
    if store.feeds.by_url(url) is not None:
        raise SubscribeError(f"already subscribed to {url}")
    async with make_client() as client:
        found = await discover(client, url, total_timeout=timeout)
    if found.error and not found.feeds:
        raise SubscribeError(f"could not subscribe to {url}: {found.error}")
    if found.feeds:
        feed_url, kind = found.feeds[0].url, "wordpress" if found.wordpress_api else "feed"
    else:  # a WordPress site without a feed link: read it through its REST API
        feed_url, kind = found.wordpress_api or url, "wordpress"
    if store.feeds.by_url(feed_url) is not None:
        raise SubscribeError(f"already subscribed to {feed_url}")
    feed, _ = store.feeds.add(
        feed_url,
        title=terminal_safe(found.title) or None,
        site_url=found.url,
        kind=kind,
        tags=tags,
        api_url=found.wordpress_api,
    )
    return feed


def drop_demo_once_real_feeds_exist(store: Store) -> None:
    """The demo is for empty stores; it leaves when the user subscribes to something real."""
    from reader.demo import DEMO_FEED_URL

    if store.feeds.count(include_demo=False) > 0:
        store.feeds.remove(DEMO_FEED_URL)
