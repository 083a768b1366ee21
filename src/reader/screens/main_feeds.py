"""Views and subscriptions from the main screen: the feeds pane and what its keys do.

``FeedManager`` belongs to ``MainScreen``. It switches the list's view (a row of the feeds
pane, ``U`` for unread only), keeps the pane's counts fresh (at most a few reads a second,
whatever asks), and manages subscriptions: add (discovery as ``reader add``, then the first
fetch), remove (confirmation, then undo with ``u``), tags, rename, refresh one feed now,
open its site.
"""

from __future__ import annotations

import asyncio
from typing import TYPE_CHECKING

from reader.cells import terminal_safe
from reader.links import open_url
from reader.store import Feed, View, ViewKind
from reader.widgets.feeds_pane import FeedsPane, failing

if TYPE_CHECKING:
    from reader.refresh.summary import RefreshSummary
    from reader.screens.main import MainScreen

COUNTS_EVERY = 0.5
"""Seconds between two count reads while changes keep coming (a refresh, many marks)."""


class FeedManager:
    """The feeds pane's views and actions."""

    def __init__(self, screen: MainScreen) -> None:
        self.screen = screen
        self._counts_due = False
        self._counts_timer = False

    @property
    def pane(self) -> FeedsPane:
        """The feeds pane."""
        return self.screen.feeds_pane

    def handle(self, event: FeedsPane.Event) -> None:
        """What the feeds pane said: a view chosen, the cursor on a feed, a key on a feed."""
        if isinstance(event, FeedsPane.ViewChosen):
            self.show(event.view)
            self.screen.article_list.focus()
            self.screen.layout_panes.view_chosen()
        elif isinstance(event, FeedsPane.FeedHighlighted):
            self.highlighted(event)
        elif isinstance(event, FeedsPane.FeedAction):
            if event.action == "remove" and event.view and event.view.kind is ViewKind.SEARCH:
                self.screen.searching.remove_saved(event.view)
            else:
                self.act(event.action, event.feed)

    # -- views -------------------------------------------------------------------------
    def show(self, view: View) -> None:
        """Filter the list to ``view``."""
        screen = self.screen
        article_list = screen.article_list
        keep = screen.current.article_id if screen.current else None
        article_list.show_view(view, article_list.unread_only, keep=keep)
        self.pane.choose(view)
        screen.status.message = self.describe()

    def describe(self) -> str:
        """The status line for the current view: its name and unread-only."""
        article_list = self.screen.article_list
        view = article_list.view
        entry = next((e for e in self.pane.entries if e.view == view), None)
        name = terminal_safe(entry.label) if entry else str(view)
        suffix = " · unread only" if article_list.unread_only else ""
        key = self.screen.key_for("main.feeds_pane")
        return f"Showing {name}{suffix} · {key}: feeds"

    def empty_message(self) -> str:
        """What the reading pane says when the list's view has no articles."""
        article_list, key = self.screen.article_list, self.screen.key_for
        kind = article_list.view.kind
        if kind is ViewKind.SAVED:
            return f"No saved articles. Press {key('main.toggle_saved')} on one to keep it."
        if kind is ViewKind.SEARCH:
            return "Nothing matches this saved search yet; R refreshes."
        if kind is ViewKind.UNREAD or article_list.unread_only:
            return (
                f"All read here. {key('main.unread_only')} shows read articles too; "
                f"{key('main.feeds_pane')} picks another view."
            )
        if kind is not ViewKind.ALL:
            return f"No articles here yet. R refreshes; {key('main.feeds_pane')}: other views."
        return f"No articles yet. Press {key('main.add_feed')} to add a feed, then R to refresh."

    def toggle_unread_only(self) -> None:
        """Hide read articles in any view, or show them again."""
        article_list = self.screen.article_list
        keep = self.screen.current.article_id if self.screen.current else None
        article_list.show_view(article_list.view, not article_list.unread_only, keep=keep)
        self.screen.status.message = self.describe()

    def counts_changed(self) -> None:
        """Something changed counts: read them again soon (coalesced)."""
        if self._counts_timer:
            self._counts_due = True
            return
        self.pane.refresh_counts()
        self._counts_timer = True
        self.screen.set_timer(COUNTS_EVERY, self._counts_tick)

    def _counts_tick(self) -> None:
        self._counts_timer = False
        if self._counts_due:
            self._counts_due = False
            self.counts_changed()

    def highlighted(self, event: FeedsPane.FeedHighlighted) -> None:
        """Say how the feed under the pane's cursor is doing."""
        feed, account = event.entry.feed, event.entry.account
        if account is not None and self.pane.has_focus:
            synced = (account.last_sync or "never")[:16].replace("T", " ")
            problem = f" · failing: {account.last_error}" if account.last_error else ""
            self.screen.status.message = terminal_safe(
                f"{account.name} · {account.url} · last sync {synced}{problem}"
            )
        if feed is None or not self.pane.has_focus:
            return
        parts = [terminal_safe(feed.display_title)]
        if failing(feed):
            parts.append(f"failing: {terminal_safe(feed.last_error or 'gone (HTTP 410)')}")
        elif feed.last_status:
            parts.append(f"HTTP {feed.last_status}")
        success = (feed.last_success or "never")[:16].replace("T", " ")
        parts.append(f"last update {success}")
        self.screen.status.message = " · ".join(parts)

    # -- subscriptions -----------------------------------------------------------------
    def health(self) -> None:
        """``F``: every feed's health, failing ones first; its keys act on a feed here."""
        from reader.screens.dialogs.feed_health import FeedHealthScreen

        def closed(result: tuple[str, Feed] | None) -> None:
            if result is not None:
                self.act(*result)

        self.screen.app.push_screen(FeedHealthScreen(self.screen.reader_app.store), closed)

    def act(self, action: str, feed: Feed | None) -> None:
        """Carry out a feeds pane key on ``feed``."""
        if action == "add":
            self.add()
            return
        if feed is None or not feed.subscribed:
            self.screen.notify("Put the cursor on one of your feeds first.", timeout=3)
            return
        {
            "remove": self.remove,
            "tags": self.tags,
            "rename": self.rename,
            "retry": self.retry,
            "site": self.site,
        }[action](feed)

    def add(self) -> None:
        """Ask for an address, subscribe, fetch, and show the new feed."""
        from reader.screens.dialogs.text_prompt import TextPrompt

        def answered(text: str | None) -> None:
            if text:
                self.screen.run_worker(self._add(text), group="add-feed", exit_on_error=False)

        self.screen.app.push_screen(
            TextPrompt(
                "Add a feed: its address, its site's, or an article's",
                placeholder="https://example.com/",
            ),
            answered,
        )

    async def _add(self, text: str) -> None:
        from reader.subscribe import SubscribeError, drop_demo_once_real_feeds_exist, subscribe

        screen = self.screen
        store = screen.reader_app.store
        try:
            with screen.status.busy(f"Looking for the feed at {terminal_safe(text)}…"):
                timeout = screen.reader_app.config.refresh.timeout
                feed = await subscribe(store, text, [], timeout=timeout)
        except SubscribeError as error:
            screen.notify(str(error), severity="error", timeout=8)
            return
        await asyncio.to_thread(drop_demo_once_real_feeds_exist, store)
        screen.notify(f"Subscribed to {terminal_safe(feed.display_title)}; fetching…")
        self.counts_changed()
        self.show(View(ViewKind.FEED, feed_id=feed.id))
        if not screen.refresher.start([feed], then=lambda s: self._first_fetch(feed, s)):
            screen.notify("The first fetch waits for the running refresh.", timeout=5)

    def _first_fetch(self, feed: Feed, summary: RefreshSummary) -> None:
        view = View(ViewKind.FEED, feed_id=feed.id)
        self.show(view)
        self.screen.article_list.focus()
        newest = self.screen.reader_app.store.views.ids(view, limit=1)
        if newest:  # opened now, its page stored: a newer open replaces one still reading
            self.screen.open_article_id(newest[0], preview=True, by_user=False)

    def remove(self, feed: Feed) -> None:
        """Unsubscribe after a yes, with undo."""
        from reader.screens.dialogs.sending import ConfirmScreen

        def answered(yes: bool | None) -> None:
            if yes:
                self.screen.run_worker(self._remove(feed), group="feeds", exit_on_error=False)

        self.screen.app.push_screen(
            ConfirmScreen(
                f"Unsubscribe from {feed.display_title}? Its articles leave the cache "
                f"(saved ones too); {self.screen.key_for('main.undo')} undoes it.",
                yes="Yes, remove",
            ),
            answered,
        )

    async def _remove(self, feed: Feed) -> None:
        screen = self.screen
        store = screen.reader_app.store
        synced = await asyncio.to_thread(store.sync.queue_feed_change, feed.id, unsubscribe=True)
        removed = await asyncio.to_thread(store.trash.remove_feed, feed.id)
        if removed is None:
            return

        def undo() -> bool:
            back = store.trash.restore(removed)
            if back and synced:  # its server too: the unsubscribe unqueued, or re-subscribed
                store.sync.undo_unsubscribe(feed.id, feed.url, feed.tags)
            return back

        screen.marks.offer_undo(f"unsubscribed from {removed.title}", undo)
        if synced:
            screen.syncing.debounce()
        if screen.article_list.view.feed_id == feed.id:
            self.show(View())
        else:
            screen.article_list.reload()
        self.counts_changed()
        key = screen.key_for("main.undo")
        screen.notify(f"Unsubscribed from {removed.title} · {key}: undo", timeout=12)

    def tags(self, feed: Feed) -> None:
        """Edit the feed's tags (comma-separated)."""
        from reader.screens.dialogs.text_prompt import TextPrompt

        def answered(text: str | None) -> None:
            if text is None:
                return
            tags = list(dict.fromkeys(t.strip() for t in text.split(",") if t.strip()))
            store = self.screen.reader_app.store
            store.feeds.update(feed.id, tags=tags)
            added = [t for t in tags if t not in feed.tags]
            if store.sync.queue_feed_change(  # a synced feed: its server's labels too
                feed.id, added=added, removed=[t for t in feed.tags if t not in tags]
            ):
                self.screen.syncing.debounce()
            self.counts_changed()
            self.screen.notify("Tags: " + (", ".join(tags) or "none"), timeout=3)

        self.screen.app.push_screen(
            TextPrompt(
                f"Tags of {feed.display_title} (comma-separated)",
                value=", ".join(feed.tags),
            ),
            answered,
        )

    def rename(self, feed: Feed) -> None:
        """Give the feed a title of the user's choosing."""
        from reader.screens.dialogs.text_prompt import TextPrompt

        def answered(text: str | None) -> None:
            if text:
                self.screen.reader_app.store.feeds.update(feed.id, title=text)
                if self.screen.reader_app.store.sync.queue_feed_change(feed.id, title=text):
                    self.screen.syncing.debounce()
                self.counts_changed()
                self.screen.article_list.forget_rows()

        self.screen.app.push_screen(
            TextPrompt(f"New name for {feed.display_title}", value=feed.title or ""), answered
        )

    def retry(self, feed: Feed) -> None:
        """Refresh this one feed now (a failing one, say)."""
        self.screen.refresher.start([feed])

    def site(self, feed: Feed) -> None:
        """Open the feed's site in the browser."""
        open_url(self.screen.app, feed.site_url or feed.url)
