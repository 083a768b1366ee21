"""A one-line search prompt (``/``); the article list runs the query against the FTS index.

It searches as you type: ``LIVE_DELAY`` after the last keystroke the text goes to ``live`` (the
screen runs it in the list's exclusive worker, so a newer query cancels an older one); enter
keeps the results, esc goes back.
"""

from __future__ import annotations

from collections.abc import Callable

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.timer import Timer
from textual.widgets import Input, Label, Static

LIVE_DELAY = 0.15
"""Seconds of quiet typing before the text is searched."""


class SearchScreen(ModalScreen[str | None]):
    """Ask for search words; dismiss with the query or None."""

    BINDINGS = [Binding("escape", "cancel", "Cancel", id="search.cancel")]

    DEFAULT_CSS = """
    SearchScreen {
        align: center top;
        & #search-box { width: 70%; max-width: 90; height: auto; margin-top: 2;
                        border: round $accent; background: $surface; padding: 0 1; }
        & Label { color: $text-muted; }
        & #search-results { height: auto; max-height: 8; color: $text; }
    }
    """

    def __init__(self, live: Callable[[str], None] | None = None) -> None:
        super().__init__()
        self.live = live
        self._timer: Timer | None = None

    def compose(self) -> ComposeResult:
        """Prompt and input."""
        with Vertical(id="search-box"):
            yield Label("Search as you type · enter: keep the results · esc: back")
            yield Input(placeholder='words, "a phrase", -word, feed:NAME…', id="search-input")
            yield Static("", id="search-results")

    @on(Input.Changed)
    def _changed(self, event: Input.Changed) -> None:
        if self._timer is not None:
            self._timer.stop()
        text = event.value.strip()
        if self.live is not None and text:
            live = self.live
            self._timer = self.set_timer(LIVE_DELAY, lambda: live(text))

    @on(Input.Submitted)
    def _submitted(self, event: Input.Submitted) -> None:
        if self._timer is not None:
            self._timer.stop()
        self.dismiss(event.value.strip() or None)

    def show_results(self, lines: list[str]) -> None:
        """What the words typed so far find (the list behind this dialog is hidden by it)."""
        self.query_one("#search-results", Static).update(
            Text("\n".join(lines), no_wrap=True, overflow="ellipsis")
        )

    def action_cancel(self) -> None:
        """Close without searching."""
        if self._timer is not None:
            self._timer.stop()
        self.dismiss(None)
