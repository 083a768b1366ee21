"""A WordPress site read through its REST API during a refresh.

For a site with a feed, the RSS fetch stays the cheap change detector (conditional GET) and the
API is asked only when the feed changed; a site without a feed is read through the API alone.
Functions of the running ``Refresher`` (its client, slots and store access), kept apart so
``refresh.py`` stays about the run itself.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from reader.refresh.summary import FeedOutcome
from reader.sources.items import FeedError, FeedItem
from reader.store.timeutil import now_iso

if TYPE_CHECKING:
    from reader.refresh.engine import Refresher
    from reader.store import Feed


async def wordpress_items(refresher: Refresher, feed: Feed) -> list[FeedItem]:
    """The newest posts from a WordPress site's REST API; raises ``FeedError``.

    For a site with a feed, the RSS fetch stays the cheap change detector (conditional GET)
    and this runs only when it changed; the API's items are richer (taxonomy names, comment
    counts, related posts). The store's upsert does not rewrite ``extra`` on existing rows,
    so it is merged here.
    """
    from reader.sources.wordpress import WordPressAPI

    api = WordPressAPI(
        refresher.client,
        feed.api_url or "",
        total_timeout=refresher.total_timeout,
        user_agent=feed.user_agent or refresher.user_agent,
    )
    async with refresher.host_slot(feed.api_url or ""):
        rest = await api.fetch_feed(max_pages=1)
    for item in rest.items:
        if not item.url:
            continue
        record = await refresher.write(refresher.store.articles.by_url, item.url)
        if record is not None and any(record.extra.get(k) != v for k, v in item.extra.items()):
            await refresher.write(refresher.store.articles.set_extra, record.id, **item.extra)
    if not rest.items:
        raise FeedError("WordPress API: no posts")
    return rest.items


async def rest_only(refresher: Refresher, feed: Feed) -> FeedOutcome:
    """Refresh a WordPress site that has no feed, through its REST API alone."""
    now = now_iso()
    outcome = FeedOutcome(feed.id, feed.url, "error")
    values: dict[str, Any] = {"last_checked": now}
    try:
        items = await wordpress_items(refresher, feed)
    except FeedError as exc:
        outcome.error = str(exc)
        values.update(last_error=outcome.error)
    else:
        await refresher.store_items(feed, items, outcome)
        outcome.status = 200
        values.update(last_status=200, last_error=None, last_success=now, retry_after=None)
    await refresher.write(refresher.store.feeds.update, feed.id, **values)
    return outcome
