"""The related-posts sidebar: the current article's related posts, walkable with the keyboard.

Lists are short (tens of items), so a stock ``OptionList`` is the right tool. Each option carries
the related post's URL; the screen decides whether it is cached (open in place) or not.

The sidebar does its own loading. Once an article is shown, its related posts are resolved
against the cache in a thread (``load_for``). Then one bounded worker asks the article's
WordPress site for related posts (at most once a day per article) and prefetches the top
uncached ones (five, one at a time), and refreshes the list if anything changed. A chosen post
that is not cached is fetched right away (``open``, ``fetch``); offline it is queued and the
trail stays where it was. Each worker is ``exclusive``, so walking a trail never piles up
requests.
"""

from __future__ import annotations

import asyncio
import logging
from dataclasses import dataclass
from typing import TYPE_CHECKING

from textual import on, work
from textual.binding import Binding
from textual.message import Message
from textual.widgets import OptionList
from textual.widgets.option_list import Option

from reader.cells import cell_truncate, terminal_safe
from reader.related import RelatedEntry

if TYPE_CHECKING:
    from reader.reading import Readable
    from reader.store import Store

log = logging.getLogger("reader")


class RelatedPosts(OptionList):
    """Related posts of the article being read."""

    BINDINGS = [
        Binding("j", "cursor_down", "Down", show=False, id="related.down"),
        Binding("k", "cursor_up", "Up", show=False, id="related.up"),
    ]

    DEFAULT_CSS = """
    RelatedPosts {
        background: $surface;
        border: none;
        padding: 0;
        & > .option-list--option { padding: 0 1; }
    }
    """

    @dataclass
    class PostChosen(Message):
        """A related post to open: chosen (enter or click) and cached, or fetched just now."""

        related: RelatedPosts
        article_id: int

        @property
        def control(self) -> RelatedPosts:
            """The sidebar that sent it."""
            return self.related

    @dataclass
    class Loaded(Message):
        """The related posts of a newly shown article are listed (the screen titles the box)."""

        related: RelatedPosts
        count: int

        @property
        def control(self) -> RelatedPosts:
            """The sidebar that sent it."""
            return self.related

    def __init__(self, store: Store, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self.store = store
        self.entries: list[RelatedEntry] = []
        self.article: Readable | None = None
        """The article whose related posts are listed."""
        self.walking = False
        """True while ``]``/``[`` walk the list (``move``): background results leave it alone."""

    def set_entries(self, entries: list[RelatedEntry]) -> None:
        """Replace the list (keeps no highlight until the user comes here)."""
        self.entries = entries
        self.clear_options()
        if not entries:
            self.add_option(Option("No related posts for this article.", disabled=True))
            return
        width = max(20, (self.size.width or 30) - 4)
        options = []
        for entry in entries:
            title = cell_truncate(terminal_safe(entry.title) or entry.url, width * 2)
            marker = "" if entry.article_id is not None else f" [dim]({_state(entry)})[/dim]"
            detail = " · ".join(part for part in (entry.date, entry.site) if part)
            prompt = f"{_escape(title)}{marker}"
            if detail:
                prompt += f"\n[dim]{_escape(cell_truncate(detail, width))}[/dim]"
            options.append(Option(prompt))
        self.add_options(options)

    @property
    def highlighted_entry(self) -> RelatedEntry | None:
        """The entry under the highlight, if any."""
        index = self.highlighted
        return self.entries[index] if index is not None and index < len(self.entries) else None

    @property
    def focused_url(self) -> str | None:
        """The highlighted post's address while the sidebar has focus."""
        entry = self.highlighted_entry if self.has_focus else None
        return entry.url if entry is not None else None

    def move(self, step: int) -> RelatedEntry | None:
        """Highlight the next/previous entry (wrapping) and return it: a step of the walk.
        The first step opens the highlighted entry if there is one (``r`` highlights the first).

        The list stays as it is until the next ``load_for``, whatever the background finds.
        """
        if not self.entries:
            return None
        current = self.highlighted
        if current is not None and not self.walking:  # r put the cursor here: start with it
            index = current
        elif current is None:
            index = 0 if step > 0 else len(self.entries) - 1
        else:
            index = current + step
        self.walking = True
        index %= len(self.entries)
        self.highlighted = index
        return self.entries[index]

    def focus_first(self) -> None:
        """Focus the list, highlighting the first post unless one is highlighted already."""
        self.focus()
        if self.highlighted is None and self.entries:
            self.highlighted = 0

    @on(OptionList.OptionSelected)
    def _chosen(self, event: OptionList.OptionSelected) -> None:
        event.stop()
        if 0 <= event.option_index < len(self.entries):
            self.open(self.entries[event.option_index])

    def open(self, entry: RelatedEntry) -> None:
        """Ask for ``entry`` to be opened: at once if cached, else once it is fetched."""
        if entry.article_id is not None:
            self.post_message(self.PostChosen(self, entry.article_id))
        else:
            self.fetch(entry)

    # -- loading ---------------------------------------------------------------------------
    async def load_for(self, readable: Readable) -> None:
        """List the related posts of ``readable``, the article just shown, then fill the cache.

        The screen awaits this in its open worker: opening another article cancels a list
        that is still loading, as it cancels the open itself.
        """
        self.article = readable
        self.walking = False
        entries = await self._entries(readable)
        if self.article is not readable or not self.is_attached:
            return
        self.set_entries(entries)
        self.post_message(self.Loaded(self, len(entries)))
        from reader.demo import is_demo_url

        if not (readable.url and is_demo_url(readable.url)):  # the demo is offline by design
            self._background(readable.article_id, entries)

    async def _entries(self, readable: Readable) -> list[RelatedEntry]:
        """Related posts of an article, each resolved against the cache (in a thread)."""
        from reader.related import related_entries

        return await asyncio.to_thread(related_entries, self.store, readable)

    def _lists(self, article_id: int) -> bool:
        """Whether the list is still that of ``article_id`` and nobody is walking it."""
        article = self.article
        return article is not None and article.article_id == article_id and not self.walking

    @work(exclusive=True, group="related-bg", exit_on_error=False)
    async def _background(self, article_id: int, entries: list[RelatedEntry]) -> None:
        """Site lists and the top uncached pages of one article, then a fresher list."""
        from reader.related import fetch_queued, prefetch_related, refresh_site_related

        try:
            changed = await refresh_site_related(self.store, article_id)
            if changed and self.article is not None and self._lists(article_id):
                entries = await self._entries(self.article)  # the top five may differ now
            changed += await prefetch_related(self.store, entries)
            if changed:  # the network works: fetch a few posts queued while offline
                await fetch_queued(self.store, limit=3)
        except Exception:  # background help must never take the screen down
            log.exception("related posts: background fetch failed")
            return
        if changed:
            await self._reload(article_id)

    async def _reload(self, article_id: int) -> None:
        """Show the fresh list if it is still this article's (keeps the highlighted post)."""
        readable = self.article
        if readable is None or not self._lists(article_id):
            return
        entries = await self._entries(readable)
        if entries == self.entries or self.article is not readable or self.walking:
            return
        highlighted = self.highlighted_entry
        self.set_entries(entries)
        if highlighted is not None:
            found = next((n for n, e in enumerate(entries) if e.url == highlighted.url), None)
            self.highlighted = found

    @work(exclusive=True, group="related-queue", exit_on_error=False)
    async def fetch_queued(self) -> None:
        """Fetch related posts that were chosen while offline (after a refresh that worked)."""
        from reader.related.prefetch import fetch_queued

        try:
            stored = await fetch_queued(self.store)
        except Exception:  # best effort: the queue stays for the next refresh
            log.exception("fetching queued related posts failed")
            return
        if stored:
            self.notify(f"{stored} queued related posts are now readable offline.", timeout=4)

    # -- a chosen post that is not cached ---------------------------------------------------
    def fetch(self, entry: RelatedEntry) -> None:
        """Say why ``entry`` cannot be opened yet, then try to fetch it (queued when offline).

        Once it is stored, ``PostChosen`` asks for it to be opened.
        """
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
        self._fetch(entry)

    @work(exclusive=True, group="related-fetch", exit_on_error=False)
    async def _fetch(self, entry: RelatedEntry) -> None:
        from reader.related import prefetch_related

        store = self.store
        stored = await prefetch_related(store, [entry], limit=1, per_host_delay=0, now=True)
        record = store.articles.by_url(entry.url) if stored else None
        if record is not None:
            self.post_message(self.PostChosen(self, record.id))
            return
        self._not_fetched(entry)

    def _not_fetched(self, entry: RelatedEntry) -> None:
        """Gone for good, or queued for when online: say which."""
        from reader.related.remote import lookup, mark_queued

        title = cell_truncate(entry.title, 50)
        known = lookup(self.store, [entry.url]).get(entry.url)
        if known is not None and known.state == "missing":
            self.notify(
                f"“{title}” is gone from its site ({known.last_error}).",
                severity="warning",
                timeout=6,
            )
            return
        if known is None or known.state in ("known", "queued"):
            mark_queued(self.store, entry.url, known.last_error if known else "not fetched yet")
        reason = known.last_error if known is not None and known.last_error else "offline"
        self.notify(
            f"“{title}” is not in the local cache and could not be fetched "
            f"({reason}). It is queued and will be fetched when online; "
            "press o to open it in the browser.",
            severity="warning",
            timeout=8,
        )


def _state(entry: RelatedEntry) -> str:
    """Why an entry is not readable offline yet."""
    return {
        "queued": "queued for when online",
        "missing": "gone from the site",
        "failed": "could not be fetched",
    }.get(entry.state, "not cached")


def _escape(text: str) -> str:
    from rich.markup import escape

    return escape(text)
