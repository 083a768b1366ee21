"""Search from the main screen: ``/`` asks for words, the list shows what matches, ``esc``
goes back to the view. ``SearchFlow`` belongs to ``MainScreen``; the list runs the query."""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from reader.screens.main import MainScreen


class SearchFlow:
    """Ask, show the results, leave them."""

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
        screen.status.message = f"{len(ids)} results for “{query}” · esc: back to the list"
        screen.open_article_id(ids[0], from_list=True, preview=True, by_user=False)

    def clear(self) -> None:
        """Back to the view after a search."""
        screen = self.screen
        keep = screen.current.article_id if screen.current else None
        if screen.article_list.clear_search(keep):
            screen.status.message = screen.reader_app.status_hint()
