"""Search from the main screen: ``/`` asks for words, the list shows what matches, ``esc``
goes back to the view. ``SearchFlow`` belongs to ``MainScreen``; the list runs the query.

A search shown in the list can be saved by name (``ctrl+s``): it becomes a view of the feeds
pane (``/ name``) with its unread count; ``d`` on that row removes it (``u`` undoes).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from reader.cells import terminal_safe
from reader.store import View, ViewKind

if TYPE_CHECKING:
    from reader.screens.main import MainScreen


class SearchFlow:
    """Ask, show the results, leave them; save a search as a view, remove one."""

    def __init__(self, screen: MainScreen) -> None:
        self.screen = screen

    def ask(self) -> None:
        """Ask for words and show matching articles in the list."""
        from reader.screens.dialogs.search import SearchScreen

        def done(query: str | None) -> None:
            if query:
                self.screen.article_list.search(query)

        self.screen.app.push_screen(SearchScreen(), done)

    def found(self, query: str, ids: list[int]) -> None:
        """The list shows the results: preview the best one."""
        screen = self.screen
        if not ids:
            screen.notify(f"Nothing matches “{query}”.", severity="warning")
            return
        screen.article_list.focus()
        save = screen.key_for("main.save_search")
        screen.status.message = (
            f"{len(ids)} results for “{query}” · {save}: save the search · esc: back to the list"
        )
        screen.open_article_id(ids[0], from_list=True, preview=True, by_user=False)

    def clear(self) -> None:
        """Back to the view after a search."""
        screen = self.screen
        keep = screen.current.article_id if screen.current else None
        if screen.article_list.clear_search(keep):
            screen.status.message = screen.reader_app.status_hint()

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
        screen.notify(f"Removed the saved search {terminal_safe(removed.name)} · {key}: undo")
