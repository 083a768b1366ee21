"""Article pages prefetched during a refresh, so the new articles read offline in full.

Functions of the running ``Refresher`` (its client, slots and store access), kept apart so
``engine.py`` stays about the run itself. Pages are a bonus: a failure costs the page only.
"""

from __future__ import annotations

import asyncio
from typing import TYPE_CHECKING

from reader.net.client import PAGE_ACCEPT, PAGE_MAX_BYTES, fetch
from reader.refresh.summary import FeedOutcome, log_internal

if TYPE_CHECKING:
    from reader.refresh.engine import Refresher


async def pages_of(refresher: Refresher, outcome: FeedOutcome) -> None:
    """Prefetch a feed's pages into ``outcome.pages``; never raises but on cancellation."""
    try:
        outcome.pages = await prefetch(refresher, outcome.feed_id)
    except asyncio.CancelledError:
        raise
    except Exception:  # pages are a bonus: the feed itself is stored
        outcome.pages = 0


async def prefetch(refresher: Refresher, feed_id: int) -> int:
    """Fetch and store the pages of the newest articles that have none yet; how many."""
    store = refresher.store
    wanted = await refresher.write(store.articles.without_page, feed_id, refresher.prefetch_pages)
    done = await asyncio.gather(*(_page(refresher, aid, url) for aid, url in wanted))
    return sum(done)


async def _page(refresher: Refresher, article_id: int, url: str) -> int:
    """One page: 1 when it was fetched and stored."""
    async with refresher.slots, refresher.host_slot(url):
        got = await fetch(
            refresher.client,
            url,
            accept=PAGE_ACCEPT,
            max_bytes=PAGE_MAX_BYTES,
            total_timeout=refresher.total_timeout,
            user_agent=refresher.user_agent,
        )
    if not got.ok or not got.body:
        return 0
    if refresher.pipeline is not None:  # the store process is the one writer
        stored = await refresher.pipeline.store_page(article_id, got.body)
        if stored.error and stored.internal:
            log_internal(f"storing the page {url}", stored.error, stored.detail)
        return 0 if stored.error else 1
    await refresher.write(refresher.store.articles.set_page, article_id, got.body)
    return 1
