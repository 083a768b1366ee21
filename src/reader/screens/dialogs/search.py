"""A one-line search prompt (``/``); the article list runs the query against the FTS index."""

from __future__ import annotations

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import Input, Label


class SearchScreen(ModalScreen[str | None]):
    """Ask for search words; dismiss with the query or None."""

    BINDINGS = [Binding("escape", "cancel", "Cancel", id="search.cancel")]

    DEFAULT_CSS = """
    SearchScreen {
        align: center top;
        & #search-box { width: 70%; max-width: 90; height: auto; margin-top: 2;
                        border: round $accent; background: $surface; padding: 0 1; }
        & Label { color: $text-muted; }
    }
    """

    def compose(self) -> ComposeResult:
        """Prompt and input."""
        with Vertical(id="search-box"):
            yield Label("Search titles and text (enter to search, esc to cancel)")
            yield Input(placeholder="words…", id="search-input")

    @on(Input.Submitted)
    def _submitted(self, event: Input.Submitted) -> None:
        self.dismiss(event.value.strip() or None)

    def action_cancel(self) -> None:
        """Close without searching."""
        self.dismiss(None)
