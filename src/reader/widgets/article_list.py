"""The article list: a virtual Line-API list that stays smooth with 100,000 articles.

It holds only the ordered article ids; rows are fetched from the store in windows as they scroll
into view, and rendered lines are cached. Nothing is done per article up front (unlike OptionList
or DataTable, which measure every row). The list reads its own contents, every article or the
results of a search, in thread workers, and says what it now shows (``Listed``).
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import replace

from rich.segment import Segment
from rich.style import Style
from textual import events, work
from textual.binding import Binding
from textual.cache import LRUCache
from textual.geometry import Size
from textual.reactive import reactive
from textual.scroll_view import ScrollView
from textual.strip import Strip
from textual.worker import Worker, get_current_worker

from reader.store import ArticleRow, Store, View
from reader.store.search import marks_in
from reader.store.search_query import Query, parse
from reader.widgets.article_row import paint_row, row_styles
from reader.widgets.list_messages import ArticleChosen, ArticleHighlighted, Listed
from reader.widgets.list_snippet import SnippetLines

RowLoader = Callable[[Sequence[int]], dict[int, ArticleRow]]
WINDOW = 120
"""Rows fetched per store query around the visible region."""


class ArticleList(ScrollView, can_focus=True):
    """Newest-first list of articles; posts messages when the cursor moves or a row is chosen."""

    BINDINGS = [
        Binding("j,down", "cursor_down", "Down", show=False, id="list.down"),
        Binding("k,up", "cursor_up", "Up", show=False, id="list.up"),
        Binding("pagedown,space", "page_down", "Page down", show=False, id="list.page_down"),
        Binding("pageup", "page_up", "Page up", show=False, id="list.page_up"),
        Binding("home,g", "first", "First", show=False, id="list.first"),
        Binding("end,G", "last", "Last", show=False, id="list.last"),
        Binding("enter", "choose", "Open", id="list.open", tooltip="Open the article"),
    ]

    COMPONENT_CLASSES = {
        "article-list--cursor",
        "article-list--unread",
        "article-list--read",
        "article-list--meta",
        "article-list--marker",
        "article-list--match",
    }

    DEFAULT_CSS = """
    ArticleList {
        background: $surface;
        scrollbar-size-vertical: 1;
        & > .article-list--cursor { background: $boost; text-style: bold; }
        &:focus > .article-list--cursor { background: $primary 40%; }
        & > .article-list--unread { color: $foreground; text-style: bold; }
        & > .article-list--read { color: $text-muted; }
        & > .article-list--meta { color: $text-muted; }
        & > .article-list--marker { color: $accent; }
        & > .article-list--match { color: $text-accent; text-style: bold underline; }
    }
    """

    ArticleHighlighted = ArticleHighlighted
    ArticleChosen = ArticleChosen
    Listed = Listed

    cursor: reactive[int] = reactive(0, always_update=True)
    """Index of the highlighted row."""

    def __init__(self, store: Store, *, name: str | None = None, id: str | None = None) -> None:
        super().__init__(name=name, id=id)
        self.store = store
        self.searching = False
        """True while the list shows search results (reloads leave them alone)."""
        self.query: str | None = None
        """The search whose results are shown (while ``searching``); its words are marked."""
        self._parsed: Query | None = None
        self.view = View()
        """What the list shows when not searching (the feeds pane chooses it)."""
        self.unread_only = False
        """Hide read articles (they stay until the next load, so reading one keeps it)."""
        self._ids: list[int] = []
        self._rows: dict[int, ArticleRow] = {}
        self._loader: RowLoader | None = None
        self._strips: LRUCache[tuple, Strip] = LRUCache(1024)
        self.snippets = SnippetLines()
        """Search results' snippets read so far; the cursor row's shows under it."""
        self._style_lookup: dict[str, Style] = {}

    # -- contents --------------------------------------------------------------------------
    @work(thread=True, exclusive=True, group="list")
    def load(self, keep: int | None = None, open_first: bool = True) -> None:
        """The articles of the current view, newest first; the cursor stays on ``keep`` if it
        is still listed.

        The ids are read in a thread (100k take ~20 ms, off the event loop anyway).
        """
        view, unread_only, worker = self.view, self.unread_only, get_current_worker()
        first = self.store.views.ids(view, unread_only=unread_only, limit=WINDOW)
        if len(first) == WINDOW and (keep is None or keep in first):  # paint a screenful now
            self.app.call_from_thread(self._first_window, first, keep, worker)
        ids = self.store.views.ids(view, unread_only=unread_only)
        if not worker.is_cancelled:
            self.app.call_from_thread(self._listed, ids, keep, None, open_first)

    def _first_window(self, ids: list[int], keep: int | None, worker: Worker[None]) -> None:
        """The newest rows of a long view, shown while the rest of its ids are read."""
        if not worker.is_cancelled and not self.searching:
            self.set_articles(ids, self.store.articles.rows, keep=keep)

    def show_view(self, view: View, unread_only: bool, keep: int | None = None) -> None:
        """Filter the list: a view (all, unread, saved, a tag, a feed), unread only or not.

        Leaves search results behind, like ``clear_search``.
        """
        self.view, self.unread_only, self.searching = view, unread_only, False
        self.load(keep=keep, open_first=False)

    def reload(self) -> None:
        """Read the view again (new articles arrived), the cursor staying put; search results
        stay as they are."""
        if not self.searching:
            self.load(keep=self.highlighted_id, open_first=False)

    @work(thread=True, exclusive=True, group="list")
    def search(self, query: str, quiet: bool = False) -> None:
        """Full-text search in a thread; the list shows the results (if any); ``quiet``: no
        hints (a search as you type)."""
        result = self.store.search.find(query, limit=500)
        if get_current_worker().is_cancelled:
            return  # a newer search replaced this one
        for hint in () if quiet else result.hints:
            self.app.call_from_thread(self.notify, hint, severity="warning", timeout=4)
        self.app.call_from_thread(self._listed, result.ids, None, query)

    def clear_search(self, keep: int | None) -> bool:
        """Back to every article after a search (False if no search results were shown)."""
        if not self.searching:
            return False
        self.searching = False
        self.load(keep=keep, open_first=False)
        return True

    def _listed(
        self, ids: list[int], keep: int | None, query: str | None, open_first: bool = False
    ) -> None:
        if query is not None and ids:
            self.searching, self.query, self._parsed = True, query, parse(query)
            self.snippets.clear()
        if query is None or ids:  # a search that found nothing changes nothing
            self.set_articles(ids, self.store.articles.rows, keep=keep)
        self.post_message(self.Listed(self, ids, query, open_first))

    # -- data ------------------------------------------------------------------------------
    @property
    def article_ids(self) -> list[int]:
        """The ids in display order."""
        return self._ids

    @property
    def highlighted_id(self) -> int | None:
        """The article under the cursor."""
        return self._ids[self.cursor] if 0 <= self.cursor < len(self._ids) else None

    def set_articles(self, ids: list[int], loader: RowLoader, keep: int | None = None) -> None:
        """Show these ids (rows come from ``loader``); keep the cursor on ``keep`` if present."""
        self._ids = ids
        self._loader = loader
        self._rows.clear()
        self._strips.clear()
        index = ids.index(keep) if keep is not None and keep in ids else 0
        self.set_reactive(ArticleList.cursor, min(index, max(0, len(ids) - 1)))
        self._resize()
        self.refresh()
        if ids:
            self._scroll_to_cursor()

    def update_row(self, row: ArticleRow) -> None:
        """Replace one cached row (after marking it read, say) and repaint it."""
        if row.id in self._rows:
            self._rows[row.id] = row
            self._strips.clear()
            self.refresh()

    def patch(
        self, article_id: int, *, read: bool | None = None, saved: bool | None = None
    ) -> None:
        """Show a new read or saved state without a store round trip."""
        row = self._rows.get(article_id)
        if row is None:
            return
        new = replace(
            row,
            read=row.read if read is None else read,
            saved=row.saved if saved is None else saved,
        )
        if new != row:
            self.update_row(new)

    def forget_rows(self) -> None:
        """Drop the cached rows (many changed at once): they are read again as they show."""
        self._rows.clear()
        self._strips.clear()
        self.refresh()

    def _row(self, index: int) -> ArticleRow | None:
        article_id = self._ids[index]
        row = self._rows.get(article_id)
        if row is None and self._loader is not None:
            start = max(0, index - WINDOW // 4)
            window = [i for i in self._ids[start : start + WINDOW] if i not in self._rows]
            self._rows.update(self._loader(window))
            if len(self._rows) > 20 * WINDOW:  # bound memory on long scrolls
                visible = set(self._ids[start : start + WINDOW])
                self._rows = {k: v for k, v in self._rows.items() if k in visible}
            row = self._rows.get(article_id)
        return row

    # -- rendering -------------------------------------------------------------------------
    def on_resize(self, event: events.Resize) -> None:
        """Lines depend on the width."""
        self._strips.clear()
        self._resize()

    def _resize(self) -> None:
        self.virtual_size = Size(self.size.width, len(self._ids) + self._extra())

    def _extra(self) -> int:
        """Lines of the snippet under the cursor row (search results only)."""
        return self.snippets.lines(self.highlighted_id) if self.searching else 0

    def _at(self, line: int) -> tuple[int, int]:
        """The row index at a content line, and which snippet line it is (0: the row)."""
        extra, cursor = self._extra(), self.cursor
        if extra and cursor < line <= cursor + extra:
            return cursor, line - cursor
        return (line - extra if extra and line > cursor else line), 0

    def show_snippet(self, article_id: int, text: str, marks: Sequence[tuple[int, int]]) -> None:
        """The snippet of a search result, shown under its row while the cursor is on it."""
        self.snippets.put(article_id, text, marks)
        if self.searching and article_id == self.highlighted_id:
            self._resize()
            self.refresh()
            self._scroll_to_cursor()

    def render_line(self, y: int) -> Strip:
        """Render one visible line from the row window (or the cursor row's snippet)."""
        index, part = self._at(self.scroll_offset.y + y)
        width = self.scrollable_content_region.width
        if index >= len(self._ids) or width <= 0:
            return Strip.blank(width, self._style(""))
        if part:
            return self.snippets.paint(self._ids[index], part - 1, width, self._style)
        row = self._row(index)
        is_cursor = index == self.cursor
        key = (index, row, is_cursor, width, self.has_focus)
        strip = self._strips.get(key)
        if strip is None:
            strip = self._render_row(row, is_cursor, width)
            self._strips[key] = strip
        return strip

    def notify_style_update(self) -> None:
        """Theme or CSS changed: styles and painted lines must be recomputed."""
        super().notify_style_update()
        self._style_lookup.clear()
        self._strips.clear()

    def _style(self, name: str) -> Style:
        """A component (or the base, for ``""``) style, looked up once per theme."""
        style = self._style_lookup.get(name)
        if style is None:
            style = self.get_component_rich_style(name) if name else self.rich_style
            self._style_lookup[name] = style
        return style

    def _render_row(self, row: ArticleRow | None, is_cursor: bool, width: int) -> Strip:
        if row is None:
            return Strip([Segment(" " * width, self._style(""))], width)
        styles = row_styles(self._style, row.read, is_cursor)
        return paint_row(row, width, styles, self._highlight if self.searching else None)

    def _highlight(self, title: str) -> Sequence[tuple[int, int]]:
        """Where the words of the search shown are in a title."""
        return marks_in(self._parsed, title) if self._parsed is not None else ()

    # -- cursor ----------------------------------------------------------------------------
    def watch_cursor(self, old: int, new: int) -> None:
        """Repaint, keep the cursor visible, announce the new article.

        No cache flush: the cursor is part of each cached line's key.
        """
        self._resize()
        self.refresh()
        self._scroll_to_cursor()
        article_id = self.highlighted_id
        if article_id is not None and old != new:
            self.post_message(self.ArticleHighlighted(self, article_id))

    def _scroll_to_cursor(self) -> None:
        height = self.scrollable_content_region.height or 1
        top, last = self.scroll_offset.y, self.cursor + self._extra()  # the snippet shows too
        if self.cursor < top:
            self.scroll_to(y=self.cursor, animate=False)
        elif last >= top + height:
            self.scroll_to(y=min(self.cursor, last - height + 1), animate=False)

    def move_to(self, index: int) -> None:
        """Put the cursor on ``index`` (clamped)."""
        if self._ids:
            self.cursor = max(0, min(index, len(self._ids) - 1))

    def select_id(self, article_id: int) -> bool:
        """Move the cursor to an article id if it is listed."""
        try:
            self.move_to(self._ids.index(article_id))
        except ValueError:
            return False
        return True

    def select_id_quietly(self, article_id: int) -> None:
        """Move the cursor to an article without announcing it (it is already open)."""
        if article_id in self._ids:
            self.set_reactive(ArticleList.cursor, self._ids.index(article_id))
            self._resize()
            self.refresh()
            self._scroll_to_cursor()

    def action_cursor_down(self) -> None:
        """Next row."""
        self.move_to(self.cursor + 1)

    def action_cursor_up(self) -> None:
        """Previous row."""
        self.move_to(self.cursor - 1)

    def action_page_down(self) -> None:
        """One screen down."""
        self.move_to(self.cursor + max(1, self.scrollable_content_region.height - 1))

    def action_page_up(self) -> None:
        """One screen up."""
        self.move_to(self.cursor - max(1, self.scrollable_content_region.height - 1))

    def action_first(self) -> None:
        """First row."""
        self.move_to(0)

    def action_last(self) -> None:
        """Last row."""
        self.move_to(len(self._ids) - 1)

    def action_choose(self) -> None:
        """Open the highlighted article."""
        if self.highlighted_id is not None:
            self.post_message(self.ArticleChosen(self, self.highlighted_id))

    def on_click(self, event: events.Click) -> None:
        """Click selects and opens a row."""
        index = self._at(self.scroll_offset.y + event.y)[0]
        if 0 <= index < len(self._ids):
            self.move_to(index)
            self.action_choose()

    def next_unread(self, step: int = 1) -> bool:
        """Move to the next (or previous) unread row among those already loaded or loadable;
        say so when there is none."""
        index = self.cursor + step
        while 0 <= index < len(self._ids):
            row = self._row(index)
            if row is not None and not row.read:
                self.move_to(index)
                return True
            index += step
        none = "No more unread articles below." if step > 0 else "No unread articles above."
        self.notify(none, timeout=2)
        return False
