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
from typing import TYPE_CHECKING

from textual import events, getters, on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.css.query import NoMatches
from textual.screen import Screen
from textual.widgets import Footer, Label

from reader.history import Trail, Visit
from reader.links import open_url
from reader.reading import Readable, open_article
from reader.screens.main_comments import CommentFlow
from reader.screens.main_refresh import FeedRefresh
from reader.widgets.article_list import ArticleList
from reader.widgets.comments_panel import CommentsPanel
from reader.widgets.reading_pane import ReadingPane
from reader.widgets.related_posts import RelatedPosts
from reader.widgets.status_bar import StatusBar

if TYPE_CHECKING:
    from reader.app import ReaderApp

MIN_WIDTH, MIN_HEIGHT = 60, 15
NARROW = 110
"""Below this width the related sidebar starts hidden (F3 or r shows it)."""


class MainScreen(Screen[None]):
    """Three panes over the local cache."""

    BINDINGS = [
        Binding("enter", "open_highlighted", "Open", show=False, id="main.open"),
        Binding("n", "next_unread", "Next unread", id="main.next_unread"),
        Binding("p", "previous_unread", "Prev unread", show=False, id="main.previous_unread"),
        Binding("r", "focus_related", "Related", id="main.focus_related"),
        Binding(
            "right_square_bracket",
            "related_step(1)",
            "Next related",
            show=False,
            id="main.next_related",
        ),
        Binding(
            "left_square_bracket",
            "related_step(-1)",
            "Prev related",
            show=False,
            id="main.previous_related",
        ),
        Binding("b,alt+left", "back", "Back", id="main.back"),
        Binding("f,alt+right", "forward", "Forward", show=False, id="main.forward"),
        Binding("c", "compose", "Comment", id="main.compose"),
        Binding("C", "toggle_comments", "Comments", id="main.comments"),
        Binding("D", "drafts", "Drafts and outbox", show=False, id="main.drafts"),
        Binding("F", "feeds", "Feeds and their health", show=False, id="main.feeds"),
        Binding("o", "open_browser", "Open in the browser", show=False, id="main.open_browser"),
        Binding("slash", "search", "Search", id="main.search"),
        Binding(
            "escape", "clear_search", "Leave search results", show=False, id="main.clear_search"
        ),
        Binding("f2", "toggle_list", "Hide/show the list", show=False, id="main.toggle_list"),
        Binding(
            "f3", "toggle_related", "Hide/show related posts", show=False, id="main.toggle_related"
        ),
    ]

    DEFAULT_CSS = """
    MainScreen {
        layout: vertical;
        & #panes { height: 1fr; }
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
        self._user_toggled_related = False

    @property
    def reader_app(self) -> ReaderApp:
        """The app, typed."""
        return self.app  # type: ignore[return-value]

    def compose(self) -> ComposeResult:
        """List, pane, sidebar, status bar, footer."""
        store = self.reader_app.store
        with Horizontal(id="panes"):
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
        self._apply_size()
        self.pane.show_message("Loading articles…")
        self.status.message = self.reader_app.status_hint()
        self.article_list.load()

    @on(ArticleList.Listed)
    def _listed(self, event: ArticleList.Listed) -> None:
        ids = event.ids
        if event.query is not None:
            self._found(event.query, ids)
        elif not ids:
            self.pane.show_message(
                "No articles yet. Add a feed with `reader add URL`, then press R to refresh."
            )
        elif self.current is None:  # first articles ever (startup, or the first refresh)
            if event.open_first or self.focused is None:
                self.article_list.focus()
            self.open_article_id(ids[self.article_list.cursor], from_list=True)

    def action_refresh_feeds(self) -> None:
        """Refresh every subscription in the background (``R``, bound on the app)."""
        self.refresher.start()

    def action_search(self) -> None:
        """Ask for words and show matching articles in the list."""
        from reader.screens.dialogs.search import SearchScreen

        def done(query: str | None) -> None:
            if query:
                self.article_list.search(query)

        self.app.push_screen(SearchScreen(), done)

    def _found(self, query: str, ids: list[int]) -> None:
        if not ids:
            self.notify(f"Nothing matches “{query}”.", severity="warning")
            return
        self.article_list.focus()
        self.status.message = f"{len(ids)} results for “{query}” · esc: all articles"
        self.open_article_id(ids[0], from_list=True)

    def action_clear_search(self) -> None:
        """Back to all articles after a search."""
        keep = self.current.article_id if self.current else None
        if self.article_list.clear_search(keep):
            self.status.message = self.reader_app.status_hint()

    # -- layout ----------------------------------------------------------------------------
    def on_resize(self, event: events.Resize) -> None:
        """Keep the layout sane at any size."""
        self._apply_size(event.size.width, event.size.height)

    def _apply_size(self, width: int | None = None, height: int | None = None) -> None:
        if width is None or height is None:
            width, height = self.app.size
        small = width < MIN_WIDTH or height < MIN_HEIGHT
        self.set_class(small, "-too-small")
        if small:
            self.query_one("#too-small", Label).update(
                f"The terminal is {width}×{height}; reader needs at least "
                f"{MIN_WIDTH}×{MIN_HEIGHT}. Make the window larger."
            )
        if not self._user_toggled_related:
            hide = width < NARROW or not self.reader_app.config.show_related
            self.set_class(hide, "-hide-related")

    def action_toggle_list(self) -> None:
        """Hide or show the article list."""
        self.toggle_class("-hide-list")
        if self.has_class("-hide-list") and self.article_list.has_focus:
            self.pane.focus()

    def action_toggle_related(self) -> None:
        """Hide or show the related sidebar."""
        self._user_toggled_related = True
        self.toggle_class("-hide-related")
        if self.has_class("-hide-related") and self.related.has_focus:
            self.pane.focus()

    def action_toggle_comments(self) -> None:
        """Show (and focus) or hide the comments under the article."""
        self.toggle_class("-hide-comments")
        if self.has_class("-hide-comments"):
            if self.focused is not None and self.comments in self.focused.ancestors_with_self:
                self.pane.focus()
            return
        if self.current is not None:
            self.comments.load(focus=True)

    # -- opening articles ------------------------------------------------------------------
    @on(ArticleList.ArticleHighlighted)
    def _highlighted(self, event: ArticleList.ArticleHighlighted) -> None:
        self.open_article_id(event.article_id, from_list=True, delay=0.08)

    @on(ArticleList.ArticleChosen)
    def _chosen(self, event: ArticleList.ArticleChosen) -> None:
        if self.current is None or self.current.article_id != event.article_id:
            self.open_article_id(event.article_id, from_list=True)
        self.pane.focus()

    def action_open_highlighted(self) -> None:
        """Open the article under the list cursor."""
        self.article_list.action_choose()

    def action_next_unread(self) -> None:
        """Move the list to the next unread article."""
        self.article_list.next_unread(1)

    def action_previous_unread(self) -> None:
        """Move the list to the previous unread article."""
        self.article_list.next_unread(-1)

    def open_article_id(
        self,
        article_id: int,
        *,
        from_list: bool = False,
        scroll_y: float = 0,
        record: bool = True,
        delay: float = 0,
        walk: bool = False,
    ) -> None:
        """Open an article (debounced when the list cursor flies by).

        ``walk`` keeps the sidebar on the related posts being walked with ``]``/``[``.
        """
        if record and self.current is not None:
            self.trail.remember_scroll(self.pane.scroll_y)
        if not walk:
            self.trail.end_walk()
        self._open_worker(article_id, scroll_y, record, delay, from_list, walk)

    @work(exclusive=True, group="open")
    async def _open_worker(
        self,
        article_id: int,
        scroll_y: float,
        record: bool,
        delay: float,
        from_list: bool,
        walk: bool,
    ) -> None:
        if delay:
            await asyncio.sleep(delay)  # cancelled if the user keeps moving
        store = self.reader_app.store
        readable = await asyncio.to_thread(open_article, store, article_id)
        try:  # the app may have closed this screen while the thread ran (quit mid-open)
            if not self.is_attached:
                return
            if readable is None:
                self.notify("That article is no longer in the cache.", severity="warning")
                return
            self._show(readable, scroll_y, record, from_list)
            if not walk:  # the article paints first; its related posts follow a moment later
                await self.related.load_for(readable)
        except NoMatches:
            return  # torn down between two checks: nothing left to show it in

    def _show(self, readable: Readable, scroll_y: float, record: bool, from_list: bool) -> None:
        self.current = readable
        if record:
            self.trail.visit(readable.article_id, readable.title)
        self.pane.show(readable, scroll_y=scroll_y)
        if not from_list:
            self.article_list.select_id_quietly(readable.article_id)
        self.comments.set_article(readable, load=not self.has_class("-hide-comments"))
        self.reader_app.store.articles.set_read(readable.article_id)
        self.article_list.mark_read(readable.article_id)
        self._update_trail()

    def _update_trail(self) -> None:
        self.status.trail = self.trail.status(len(self.related.entries))

    # -- the trail: related posts, back and forward ----------------------------------------
    def action_focus_related(self) -> None:
        """Show and focus the sidebar."""
        self.remove_class("-hide-related")
        self._user_toggled_related = True
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
        """Go back on the trail, restoring the scroll position."""
        self.trail.remember_scroll(self.pane.scroll_y)
        self._revisit(self.trail.back(), "Already at the start of the trail.")

    def action_forward(self) -> None:
        """Go forward on the trail."""
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

    def action_feeds(self) -> None:
        """Show every feed's health (failing ones first, with the reason)."""
        from reader.screens.dialogs.feed_health import FeedHealthScreen

        self.app.push_screen(FeedHealthScreen(self.reader_app.store))
