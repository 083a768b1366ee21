"""Ask for a link number (``g`` in the reading pane), for articles with more than nine links."""

from __future__ import annotations

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import Input, Label


class LinkPrompt(ModalScreen[int | None]):
    """Dismisses with a link number in 1..count, or None."""

    BINDINGS = [Binding("escape", "cancel", "Cancel", id="link.cancel")]

    DEFAULT_CSS = """
    LinkPrompt {
        align: center middle;
        & #link-box { width: 40; height: auto; border: round $accent; background: $surface;
                      padding: 0 1; }
    }
    """

    def __init__(self, count: int) -> None:
        super().__init__()
        self.count = count

    def compose(self) -> ComposeResult:
        """Prompt and number field."""
        with Vertical(id="link-box"):
            yield Label(f"Follow link number (1–{self.count}):")
            yield Input(type="integer", id="link-number")

    @on(Input.Submitted)
    def _submitted(self, event: Input.Submitted) -> None:
        value = event.value.strip()
        if value.isdigit() and 1 <= int(value) <= self.count:
            self.dismiss(int(value))
        else:
            self.notify(f"Type a number from 1 to {self.count}.", severity="warning")

    def action_cancel(self) -> None:
        """Close without following."""
        self.dismiss(None)
