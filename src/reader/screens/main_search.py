"""Search from the main screen: ``/`` asks for words, the list shows what matches, ``esc``
goes back to the view. ``SearchFlow`` belongs to ``MainScreen``; the list runs the query.

While the list shows results, the row under its cursor gets its snippet in the status bar, the
article shown has the search's words marked (``.``/``,`` jump to the next/previous one), and
the list marks them in titles. A search shown in the list can be saved by name (``ctrl+s``):
it becomes a view of the feeds pane (``/ name``) with its unread count; ``d`` on that row
removes it (``u`` undoes).
"""

from __future__ import annotations

import asyncio
from collections.abc import Sequence
from typing import TYPE_CHECKING

from reader.cells import plural, terminal_safe
from reader.store import View, ViewKind
from reader.store.search import marks_in
from reader.store.search_query import Query, parse

if TYPE_CHECKING:
    from reader.screens.dialogs.search import SearchScreen
    from reader.screens.main import MainScreen


class SearchFlow:
    """Ask, show the results, leave them; save a search as a view, remove one."""

    def __init__(self, screen: MainScreen) -> None:
        self.screen = screen
        self._parsed: tuple[str, Query] | None = None
        self.typing = False
        """The search dialog is open: results show as the user types, nothing opens yet."""
        self.dialog: SearchScreen | None = None
        """The open search dialog: it lists what the words typed so far find."""

    def ask(self) -> None:
        """Ask for words; the list shows matching articles as they are typed."""
        from reader.screens.dialogs.search import SearchScreen

        article_list = self.screen.article_list
        before = article_list.query if article_list.searching else None

        def done(query: str | None) -> None:
            self.typing, self.dialog = False, None
            shown = article_list.searching and article_list.query == query
            if query and shown:
                self.found(query, article_list.article_ids)
            elif query:
                article_list.search(query)
            elif before is not None and article_list.query != before:
                article_list.search(before, quiet=True)  # esc: back to the earlier results
            elif before is None and article_list.searching:
                self.clear()  # esc: back to the view the live results replaced

        self.typing = True
        self.dialog = SearchScreen(self.live)
        self.screen.app.push_screen(self.dialog, done)

    def live(self, query: str) -> None:
        """A search as the user types: quiet, and a newer one cancels it (the list's worker)."""
        if self.typing:
            self.screen.article_list.search(query, quiet=True)

    def found(self, query: str, ids: list[int]) -> None:
        """The list shows the results: preview the best one (once the dialog is closed)."""
        screen = self.screen
        if self.typing:
            found = plural(len(ids), "result") if ids else "Nothing matches"
            screen.status.message = f"{found} for “{query}” · enter: keep them"
            if self.dialog is not None:  # the dialog hides the list: it lists the best ones
                rows = screen.reader_app.store.articles.rows(ids[:5])
                titles = [f"• {terminal_safe(rows[i].title)}" for i in ids[:5] if i in rows]
                more = [f"  … and {len(ids) - 5} more"] if len(ids) > 5 else []
                self.dialog.show_results([f"{found} · enter: keep them", *titles, *more])
            return
        if not ids:
            screen.notify(f"Nothing matches “{query}”.", severity="warning")
            return
        screen.article_list.focus()
        screen.pane.highlighter = self.marks
        save = screen.key_for("main.save_search")
        found = plural(len(ids), "result")
        screen.status.message = (
            f"{found} for “{query}” · {save}: save the search · esc: back to the list"
        )
        screen.open_article_id(ids[0], from_list=True, preview=True, by_user=False)
        self.highlighted(ids[0])

    def clear(self) -> None:
        """Back to the view after a search."""
        screen = self.screen
        keep = screen.current.article_id if screen.current else None
        if screen.article_list.clear_search(keep):
            screen.status.message = screen.reader_app.status_hint()
            screen.pane.repaint_matches(self.marks)

    # -- results you can judge -------------------------------------------------------------
    def marks(self, text: str) -> Sequence[tuple[int, int]]:
        """Where the words of the search the list shows are in ``text`` (none otherwise)."""
        article_list = self.screen.article_list
        query = article_list.query if article_list.searching else None
        if not query:
            return ()
        if self._parsed is None or self._parsed[0] != query:
            self._parsed = (query, parse(query))
        return marks_in(self._parsed[1], text)

    def highlighted(self, article_id: int) -> None:
        """The list cursor is on a result: its snippet goes to the status bar."""
        article_list = self.screen.article_list
        if article_list.searching and article_list.query:
            self.screen.run_worker(
                self._snippet(article_list.query, article_id),
                group="search-snippet",
                exclusive=True,
                exit_on_error=False,
            )

    async def _snippet(self, query: str, article_id: int) -> None:
        store = self.screen.reader_app.store
        found = await asyncio.to_thread(store.search.snippets, query, [article_id])
        article_list = self.screen.article_list
        if article_id != article_list.highlighted_id or not article_list.searching:
            return
        if (shown := found.get(article_id)) is not None:  # under its row in the list, too
            article_list.show_snippet(article_id, shown.text, shown.marks)
        count, cursor = len(article_list.article_ids), article_list.cursor
        place = f"{cursor + 1}/{count}"
        if cursor == 0:
            save = self.screen.key_for("main.save_search")
            place = f"{plural(count, 'result')} for “{query}” · {save}: save · 1/{count}"
        snippet = found.get(article_id)
        self.screen.status.message = f"{place} · {snippet.text if snippet else ''}"

    def next_match(self) -> None:
        """Scroll the article to the next word the search matched."""
        self._jump(1)

    def previous_match(self) -> None:
        """Scroll the article to the previous word the search matched."""
        self._jump(-1)

    def _jump(self, step: int) -> None:
        pane = self.screen.pane
        if not self.screen.article_list.searching:
            key = self.screen.key_for("main.search")
            self.screen.notify(f"No search: {key} searches, then this key jumps.", timeout=3)
        elif not pane.jump_match(step):
            where = "below" if step > 0 else "above"
            self.screen.notify(f"No more matches {where}.", timeout=2)

    # -- saved searches --------------------------------------------------------------------
    def save(self) -> None:
        """Ask for a name and keep the search the list shows as a view of the feeds pane."""
        from reader.screens.dialogs.text_prompt import TextPrompt

        screen = self.screen
        query = screen.article_list.query if screen.article_list.searching else None
        if not query:
            key = screen.key_for("main.search")
            screen.notify(f"Search first ({key}), then save the search.", timeout=3)
            return

        def answered(name: str | None) -> None:
            if name:
                self._save(name, query)

        screen.app.push_screen(
            TextPrompt(f"Save the search “{query}” as", value=query[:40]), answered
        )

    def _save(self, name: str, query: str) -> None:
        store = self.screen.reader_app.store
        try:
            saved = store.saved_searches.save(name, query)
        except ValueError as error:
            self.screen.notify(str(error), severity="warning")
            return
        self.screen.counts_changed()
        key = self.screen.key_for("main.feeds_pane")
        self.screen.notify(f"Saved “{terminal_safe(saved.name)}” · {key}: in the feeds pane")

    def remove_saved(self, view: View) -> None:
        """Forget the saved search of ``view`` (``d`` on its row); ``u`` puts it back."""
        screen = self.screen
        store = screen.reader_app.store
        removed = store.saved_searches.remove(view.search or "")
        if removed is None:
            return
        screen.marks.offer_undo(
            f"removed the saved search {removed.name}",
            lambda: store.saved_searches.save(removed.name, removed.query),
        )
        if screen.article_list.view == view and not screen.article_list.searching:
            screen.feeds.show(View(ViewKind.ALL))
        screen.counts_changed()
        key = screen.key_for("main.undo")
        named = removed.name.casefold()
        in_config = any(n.strip().casefold() == named for n in screen.reader_app.config.searches)
        again = " · it is in config.toml's [searches]: it comes back at the next start"
        screen.notify(
            f"Removed the saved search {terminal_safe(removed.name)} · {key}: undo"
            + (again if in_config else "")
        )
