"""The main screen: article list | reading pane | related posts, with a status bar.

The screen routes. Its widgets never talk to each other: they post messages, and the screen
answers by telling the others what to show. The widgets own their work (the sidebar loads its
related posts, the comments panel its thread), the trail is an object the screen owns
(``history.Trail``: back/forward, the ``]``/``[`` walk, the status text), ``R`` is a
``FeedRefresh``, and dialogs are pushed from here. Store reads that may take time run in
thread workers.
"""

from __future__ import annotations

import asyncio
from dataclasses import dataclass
from typing import TYPE_CHECKING

from textual import events, getters, on, work
from textual.app import ComposeResult
from textual.containers import Horizontal, Vertical
from textual.css.query import NoMatches
from textual.screen import Screen
from textual.widgets import Footer, Label

from reader.history import Trail, Visit
from reader.links import open_url
from reader.reading import Readable, open_article
from reader.screens.main_comments import CommentFlow
from reader.screens.main_feeds import FeedManager
from reader.screens.main_keys import MAIN_BINDINGS, key_for
from reader.screens.main_layout import PaneLayout
from reader.screens.main_marks import ReadState
from reader.screens.main_pages import PageFetcher
from reader.screens.main_refresh import FeedRefresh
from reader.screens.main_search import SearchFlow
from reader.screens.main_sync import SyncFlow
from reader.widgets.article_list import ArticleList
from reader.widgets.comments_panel import CommentsPanel
from reader.widgets.feeds_pane import FeedsPane
from reader.widgets.reading_pane import ReadingPane
from reader.widgets.related_posts import RelatedPosts
from reader.widgets.status_bar import StatusBar

if TYPE_CHECKING:
    from reader.app import ReaderApp


@dataclass(frozen=True)
class Opening:
    """What to open and how: a visit (recorded on the trail) or a preview of the cursor's."""

    article_id: int
    scroll_y: float = 0
    record: bool = True
    from_list: bool = False
    walk: bool = False
    preview: bool = False


class MainScreen(Screen[None]):
    """Three panes over the local cache."""

    BINDINGS = MAIN_BINDINGS

    DEFAULT_CSS = """
    MainScreen {
        layout: vertical;
        & #panes { height: 1fr; }
        & FeedsPane { width: 16%; min-width: 18; max-width: 32; }
        &.-hide-feeds FeedsPane { display: none; }
        & ArticleList { width: 34%; min-width: 26; max-width: 60; border-right: vkey $panel; }
        & ReadingPane { width: 1fr; }
        & #related-box { width: 30; border-left: vkey $panel; background: $surface; }
        & #related-title { color: $text-accent; text-style: bold; padding: 0 1; width: 1fr; }
        & #too-small { display: none; width: 1fr; height: 1fr; content-align: center middle; }
        &.-hide-list ArticleList { display: none; }
        &.-hide-related #related-box { display: none; }
        & #centre { width: 1fr; }
        &.-hide-comments CommentsPanel { display: none; }
        &.-too-small #panes { display: none; }
        &.-too-small #too-small { display: block; }
    }
    """

    article_list = getters.query_one(ArticleList)
    feeds_pane = getters.query_one(FeedsPane)
    pane = getters.query_one(ReadingPane)
    related = getters.query_one(RelatedPosts)
    comments = getters.query_one(CommentsPanel)
    status = getters.query_one(StatusBar)

    def __init__(self) -> None:
        super().__init__(classes="-hide-comments")
        self.trail = Trail()
        self.current: Readable | None = None
        self.refresher = FeedRefresh(self)
        self.commenting = CommentFlow(self)
        self.marks = ReadState(self)
        self.feeds = FeedManager(self)
        self.pages = PageFetcher(self)
        self.searching = SearchFlow(self)
        self.syncing = SyncFlow(self)
        self.previewing = False
        """The pane shows an article the list cursor is on, not one opened (no trail visit)."""
        self.layout_panes = PaneLayout(self)

    @property
    def reader_app(self) -> ReaderApp:
        """The app, typed."""
        return self.app  # type: ignore[return-value]

    def compose(self) -> ComposeResult:
        """List, pane, sidebar, status bar, footer."""
        store = self.reader_app.store
        with Horizontal(id="panes"):
            yield FeedsPane(store, id="feeds-pane")
            yield ArticleList(store, id="article-list")
            with Vertical(id="centre"):
                yield ReadingPane(id="reading-pane")
                yield CommentsPanel(store, id="comments")
            with Vertical(id="related-box"):
                yield Label("Related posts", id="related-title")
                yield RelatedPosts(store, id="related")
        yield Label("", id="too-small")
        yield StatusBar(id="status")
        yield Footer()

    # -- the list: every article, or search results ----------------------------------------
    def on_mount(self) -> None:
        """Lay out for the size, paint the first frame, then load the list."""
        config = self.reader_app.config
        self.set_class(not config.show_list, "-hide-list")
        self.layout_panes.apply()
        self.pane.fetch_key = self.key_for("main.fetch_page")
        self.pane.show_message("Loading articles…")
        self.status.message = self.reader_app.status_hint()
        self.article_list.load()
        self.feeds_pane.refresh_counts()
        self.syncing.at_start()

    @on(ArticleList.Listed)
    def _listed(self, event: ArticleList.Listed) -> None:
        ids = event.ids
        if event.query is not None:
            self.searching.found(event.query, ids)
        elif not ids:
            self.pane.show_message(self.feeds.empty_message())
            self.current, self.previewing = None, False  # the next articles listed open
        elif self.current is None:  # first articles ever (startup, or the first refresh)
            if event.open_first or self.focused is None:
                self.article_list.focus()
            cursor = ids[self.article_list.cursor]
            self.open_article_id(cursor, from_list=True, preview=True, by_user=False)

    def action_refresh_feeds(self) -> None:
        """Refresh every subscription in the background (``R``, bound on the app)."""
        self.refresher.start()

    def action_search(self) -> None:
        """Ask for words and show matching articles in the list."""
        self.searching.ask()

    def action_clear_search(self) -> None:
        """Back to the view after a search."""
        self.searching.clear()

    # -- layout ----------------------------------------------------------------------------
    def on_resize(self, event: events.Resize) -> None:
        """Keep the layout sane at any size."""
        self.layout_panes.apply(event.size.width, event.size.height)

    def action_toggle_list(self) -> None:
        """Hide or show the article list."""
        self.layout_panes.toggle_list()

    def action_toggle_related(self) -> None:
        """Hide or show the related sidebar."""
        self.layout_panes.toggle_related()

    def action_toggle_comments(self) -> None:
        """Show (and focus) or hide the comments under the article."""
        self.layout_panes.toggle_comments()

    # -- opening articles ------------------------------------------------------------------
    @on(ArticleList.ArticleHighlighted)
    def _highlighted(self, event: ArticleList.ArticleHighlighted) -> None:
        self.open_article_id(event.article_id, from_list=True, delay=0.08, preview=True)
        self.searching.highlighted(event.article_id)

    @on(ArticleList.ArticleChosen)
    def _chosen(self, event: ArticleList.ArticleChosen) -> None:
        current = self.current
        if current is not None and current.article_id == event.article_id:
            if self.previewing:  # opening what the cursor previews: now it is a visit
                self.previewing = False
                self.trail.visit(current.article_id, current.title)
                self.marks.opened(current.article_id)
                self._update_trail()
        else:
            self.open_article_id(event.article_id, from_list=True)
        self.pane.focus()

    def action_open_highlighted(self) -> None:
        """Open the article under the list cursor."""
        self.article_list.action_choose()

    def action_next_unread(self) -> None:
        """Open the next unread article of the list."""
        if self.article_list.next_unread(1):
            self.article_list.action_choose()

    def action_previous_unread(self) -> None:
        """Open the previous unread article of the list."""
        if self.article_list.next_unread(-1):
            self.article_list.action_choose()

    def open_article_id(
        self,
        article_id: int,
        *,
        from_list: bool = False,
        scroll_y: float = 0,
        record: bool = True,
        delay: float = 0,
        walk: bool = False,
        preview: bool = False,
        by_user: bool = True,
    ) -> None:
        """Open an article (debounced when the list cursor flies by), or preview it.

        ``walk`` keeps the sidebar on the related posts being walked with ``]``/``[``. A
        ``preview`` (the list cursor) is no visit and marks nothing read but after the dwell.
        """
        current = self.current
        if current is not None and self.previewing and record and not (preview or from_list):
            self.trail.visit(current.article_id, current.title)  # left by a link: b returns
            self.previewing = False
        if current is not None and not self.previewing:
            self.trail.remember_scroll(self.pane.scroll_y)
        if not walk:
            self.trail.end_walk()
        self.marks.cancel_dwell()
        request = Opening(article_id, scroll_y, record and not preview, from_list, walk, preview)
        self._open_worker(request, delay, by_user)

    @work(exclusive=True, group="open")
    async def _open_worker(self, request: Opening, delay: float, by_user: bool) -> None:
        if delay:
            await asyncio.sleep(delay)  # cancelled if the user keeps moving
        store = self.reader_app.store
        readable = await asyncio.to_thread(open_article, store, request.article_id)
        try:  # the app may have closed this screen while the thread ran (quit mid-open)
            if not self.is_attached:
                return
            if readable is None:
                self.notify("That article is no longer in the cache.", severity="warning")
                return
            self._show(readable, request)
            if request.preview:
                self.marks.previewed(readable.article_id, by_user=by_user)
            if not request.walk:  # the article paints first; its related posts follow
                await self.related.load_for(readable)
        except NoMatches:
            return  # torn down between two checks: nothing left to show it in

    def _show(self, readable: Readable, request: Opening) -> None:
        self.current = readable
        self.previewing = request.preview
        if request.record:
            self.trail.visit(readable.article_id, readable.title)
        self.pane.show(readable, scroll_y=request.scroll_y)
        if not request.from_list:
            self.article_list.select_id_quietly(readable.article_id)
        self.comments.set_article(readable, load=not self.has_class("-hide-comments"))
        if not request.preview:
            self.marks.opened(readable.article_id)
        self._update_trail()

    def reopen(self) -> None:
        """Show the current article again (its page arrived), where the reader was."""
        if self.current is not None:
            current, keep = self.current, self.previewing  # a preview stays one: not read
            request = Opening(current.article_id, self.pane.scroll_y, False, True, False, keep)
            self._open_worker(request, 0, False)

    def _update_trail(self) -> None:
        self.status.trail = self.trail.status(len(self.related.entries))

    # -- the trail: related posts, back and forward ----------------------------------------
    def action_focus_related(self) -> None:
        """Show and focus the sidebar."""
        self.layout_panes.show_related()
        self.related.focus_first()

    def action_related_step(self, step: int) -> None:
        """Open the next/previous related post in place, keeping the sidebar's list.

        Repeated presses walk every related post of the article the walk started from; the
        status bar shows ``3/7 ← origin title``. Any other way of opening ends the walk.
        """
        if self.current is None:
            return
        entry = self.related.move(step)
        if entry is None:
            self.notify("This article has no related posts.", timeout=2)
            return
        self.trail.step_walk(self.related.highlighted or 0, self.current.title)
        if entry.article_id is None:
            self._update_trail()
            self.related.fetch(entry)
            return
        self.open_article_id(entry.article_id, walk=True)

    @on(RelatedPosts.PostChosen)
    def _post_chosen(self, event: RelatedPosts.PostChosen) -> None:
        self.open_article_id(event.article_id)

    @on(RelatedPosts.Loaded)
    def _related_loaded(self, event: RelatedPosts.Loaded) -> None:
        self.query_one("#related-title", Label).update(f"Related posts ({event.count})")

    def action_back(self) -> None:
        """Go back on the trail, restoring the scroll position (from a preview: back to the
        article that was open before it)."""
        if self.previewing and self.trail.current is not None:
            self._revisit(self.trail.current, "")
            return
        self.trail.remember_scroll(self.pane.scroll_y)
        self._revisit(self.trail.back(), "Already at the start of the trail.")

    def action_forward(self) -> None:
        """Go forward on the trail."""
        if not self.previewing:
            self.trail.remember_scroll(self.pane.scroll_y)
        self._revisit(self.trail.forward(), "Already at the end of the trail.")

    def _revisit(self, visit: Visit | None, at_the_end: str) -> None:
        if visit is None:
            self.notify(at_the_end, timeout=2)
            return
        self.open_article_id(visit.article_id, scroll_y=visit.scroll_y, record=False)

    # -- links, browser --------------------------------------------------------------------
    @on(ReadingPane.LinkFollowed)
    def _link(self, event: ReadingPane.LinkFollowed) -> None:
        record = self.reader_app.store.articles.by_url(event.url)
        if record is not None:
            self.open_article_id(record.id)
        else:
            open_url(self.app, event.url)

    @on(ReadingPane.LinkRequested)
    def _ask_link(self, event: ReadingPane.LinkRequested) -> None:
        from reader.screens.dialogs.link_prompt import LinkPrompt

        self.app.push_screen(LinkPrompt(event.count), event.pane.follow_chosen)

    def action_open_browser(self) -> None:
        """Open the current article (or the highlighted related post) in the web browser."""
        url = self.related.focused_url or (self.current.url if self.current else None)
        if url:
            open_url(self.app, url)

    # -- dialogs ---------------------------------------------------------------------------
    def action_compose(self) -> None:
        """Comment on the article being read (or reply to the focused comment)."""
        self.commenting.compose()

    def action_drafts(self) -> None:
        """Show every draft and the outbox."""
        self.commenting.drafts()

    # -- read state, views, subscriptions, pages -------------------------------------------
    def action_delegate(self, path: str) -> None:
        """Run the controller method a key names (``marks.toggle_read``): the keys are in
        ``main_keys.py``, the work in the object that owns it (``marks``, ``feeds``,
        ``pages``, ``layout_panes``)."""
        owner, _, name = path.partition(".")
        if owner in ("marks", "feeds", "pages", "layout_panes", "searching", "syncing"):
            getattr(getattr(self, owner), name)()

    @on(FeedsPane.ViewChosen)
    @on(FeedsPane.FeedHighlighted)
    @on(FeedsPane.FeedAction)
    def _feeds_pane(self, event: FeedsPane.Event) -> None:
        self.feeds.handle(event)

    def counts_changed(self) -> None:
        """Read state or articles changed: the feeds pane's counts follow."""
        self.feeds.counts_changed()
        self.syncing.queue_changed()

    def after_undo(self) -> None:
        """An undo changed the cache behind the list and the pane."""
        self.article_list.reload()
        self.counts_changed()

    def key_for(self, binding_id: str) -> str:
        """The first key bound to ``binding_id`` (remaps applied), as the footer shows it."""
        return key_for(self.reader_app.config.keys, binding_id)
