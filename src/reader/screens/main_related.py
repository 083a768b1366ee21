"""Related posts on the main screen: the network side of the sidebar, in background workers.

After an article is shown, one bounded worker asks the article's WordPress site for related
posts (at most once a day per article) and prefetches the top uncached ones (five, one at a
time), then refreshes the sidebar if anything changed. Choosing a post that is not cached tries
to fetch it right away; offline it is queued and the trail stays where it was. Opening another
article cancels the previous worker (``exclusive``), so walking a trail never piles up requests.
"""

from __future__ import annotations

import logging
from typing import TYPE_CHECKING

from textual import work

from reader.text import cell_truncate

if TYPE_CHECKING:
    from reader.app import ReaderApp
    from reader.history import Trail
    from reader.reading import Readable
    from reader.related import RelatedEntry
    from reader.widgets.related_posts import RelatedPosts

log = logging.getLogger("reader")


class RelatedActions:
    """Mixed into ``MainScreen``: background prefetch and fetching a chosen uncached post."""

    reader_app: ReaderApp
    related: RelatedPosts
    current: Readable | None
    trail: Trail

    def start_related_background(self, readable: Readable, entries: list[RelatedEntry]) -> None:
        """Fill the cache for this article's related posts (site lists, top uncached pages)."""
        from reader.demo import is_demo_url

        if readable.url and is_demo_url(readable.url):
            return  # the bundled demo is complete and offline by design
        self._related_background(readable.article_id, entries)

    @work(exclusive=True, group="related-bg", exit_on_error=False)
    async def _related_background(self, article_id: int, entries: list[RelatedEntry]) -> None:
        from reader.related import fetch_queued, prefetch_related, refresh_site_related

        store = self.reader_app.store
        try:
            changed = await refresh_site_related(store, article_id)
            if changed and self.current is not None and self.current.article_id == article_id:
                entries = await self._fresh_entries(self.current)  # the top five may differ now
            changed += await prefetch_related(store, entries)
            if changed:  # the network works: fetch a few posts queued while offline
                await fetch_queued(store, limit=3)
        except Exception:  # background help must never take the screen down
            log.exception("related posts: background fetch failed")
            return
        if changed:
            await self._reload_related(article_id)

    async def _fresh_entries(self, readable: Readable) -> list[RelatedEntry]:
        import asyncio

        from reader.related import related_entries

        return await asyncio.to_thread(related_entries, self.reader_app.store, readable)

    async def _reload_related(self, article_id: int) -> None:
        """Show the fresh list if the article is still on screen (keeps the highlighted post)."""
        readable = self.current
        if readable is None or readable.article_id != article_id or self.trail.walk is not None:
            return
        entries = await self._fresh_entries(readable)
        if entries == self.related.entries or self.current is not readable:
            return
        index = self.related.highlighted
        url = (
            self.related.entries[index].url
            if index is not None and index < len(self.related.entries)
            else None
        )
        self.related.set_entries(entries)
        if url is not None:
            found = next((n for n, e in enumerate(entries) if e.url == url), None)
            self.related.highlighted = found

    def follow_uncached(self, entry: RelatedEntry) -> None:
        """A chosen post is not cached: say so, then try to fetch it (queued when offline)."""
        title = cell_truncate(entry.title, 50)
        if entry.state == "missing":
            self.notify(
                f"“{title}” is gone from its site ({entry.error or 'HTTP 404'}); "
                "it will not be fetched again.",
                severity="warning",
                timeout=6,
            )
            return
        if entry.state == "failed":
            self.notify(
                f"“{title}” cannot be fetched ({entry.error or 'error'}); press o to "
                "try it in the browser.",
                severity="warning",
                timeout=6,
            )
            return
        self.notify(f"Fetching “{title}”…", timeout=3)
        self._fetch_and_open(entry)

    @work(exclusive=True, group="related-fetch", exit_on_error=False)
    async def _fetch_and_open(self, entry: RelatedEntry) -> None:
        from reader.related import prefetch_related
        from reader.related.remote import lookup, mark_queued

        store = self.reader_app.store
        stored = await prefetch_related(store, [entry], limit=1, per_host_delay=0, now=True)
        record = store.articles.by_url(entry.url) if stored else None
        if record is not None:
            self.open_article_id(record.id)  # type: ignore[attr-defined]
            return
        title = cell_truncate(entry.title, 50)
        known = lookup(store, [entry.url]).get(entry.url)
        if known is not None and known.state == "missing":
            self.notify(
                f"“{title}” is gone from its site ({known.last_error}).",
                severity="warning",
                timeout=6,
            )
            return
        if known is None or known.state in ("known", "queued"):
            mark_queued(store, entry.url, known.last_error if known else "not fetched yet")
        reason = known.last_error if known is not None and known.last_error else "offline"
        self.notify(
            f"“{title}” is not in the local cache and could not be fetched "
            f"({reason}). It is queued and will be fetched when online; "
            "press o to open it in the browser.",
            severity="warning",
            timeout=8,
        )
