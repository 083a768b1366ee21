"""Pages fetched when the user asks: the full page of an article (``e``), any web address
(``ctrl+l``), and the page of an article just saved (saved articles read offline).

``PageFetcher`` belongs to ``MainScreen``; each fetch runs in a worker of the screen
(``reader.on_demand`` does the HTTP, the extraction and the caching), shows a spinner in the
status bar while it runs and says in one line why it failed.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from reader.cells import terminal_safe

if TYPE_CHECKING:
    from reader.on_demand import PageFetch
    from reader.screens.main import MainScreen


class PageFetcher:
    """``e``, ``ctrl+l`` and the fetch behind ``s``."""

    def __init__(self, screen: MainScreen) -> None:
        self.screen = screen

    def fetch_focused(self) -> None:
        """Fetch the full page of the article on the pane (or under the cursor) now."""
        screen = self.screen
        article_id = screen.current.article_id if screen.current else None
        if screen.article_list.has_focus:
            article_id = screen.article_list.highlighted_id or article_id
        if article_id is None:
            screen.notify("No article to fetch.", timeout=2)
            return
        screen.run_worker(self._fetch(article_id, quiet=False), exit_on_error=False)

    def ensure_cached(self, article_id: int) -> None:
        """Fetch an article's page unless it is cached already (after saving it)."""
        record = self.screen.reader_app.store.articles.get(article_id)
        if record is not None and record.raw_html is None and record.url:
            self.screen.run_worker(self._fetch(article_id, quiet=True), exit_on_error=False)

    async def _fetch(self, article_id: int, *, quiet: bool) -> None:
        from reader.on_demand import fetch_article_page

        screen = self.screen
        app = screen.reader_app
        with screen.status.busy("Fetching the full page…"):
            result = await fetch_article_page(app.store, article_id, app.config.refresh)
        if not result.ok:
            screen.notify(f"Could not fetch the page: {result.error}", severity="error")
            return
        if not quiet:
            screen.notify(f"Full page cached ({result.size // 1024} KB).", timeout=3)
        if screen.current is not None and screen.current.article_id == article_id:
            screen.reopen()  # the pane switches from the feed's text to the page

    def ask_url(self) -> None:
        """Ask for a web address and open it as an article (fetched, extracted, cached)."""
        from reader.screens.dialogs.text_prompt import TextPrompt

        def answered(text: str | None) -> None:
            if text:
                self.screen.run_worker(self._open(text), exit_on_error=False)

        self.screen.app.push_screen(
            TextPrompt("Open a web address", placeholder="https://example.com/2026/some-post/"),
            answered,
        )

    async def _open(self, url: str) -> None:
        from reader.on_demand import fetch_url

        screen = self.screen
        app = screen.reader_app
        with screen.status.busy(f"Fetching {terminal_safe(url)}…"):
            result: PageFetch = await fetch_url(app.store, url, app.config.refresh)
        if not result.ok or result.article_id is None:
            screen.notify(f"Could not open {terminal_safe(url)}: {result.error}", severity="error")
            return
        screen.counts_changed()
        screen.article_list.reload()
        screen.open_article_id(result.article_id)
