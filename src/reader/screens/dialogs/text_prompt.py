"""Ask for one line of text: a web address to add or open, a feed's tags, a feed's new name."""

from __future__ import annotations

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import Input, Label

from reader.cells import terminal_safe


class TextPrompt(ModalScreen[str | None]):
    """Dismisses with the text typed (stripped, maybe empty), or None on escape."""

    BINDINGS = [Binding("escape", "cancel", "Cancel", id="prompt.cancel")]

    DEFAULT_CSS = """
    TextPrompt {
        align: center middle;
        & #prompt-box { width: 72; max-width: 100%; height: auto; border: round $accent;
                        background: $surface; padding: 0 1; }
        & #prompt-hint { color: $text-muted; }
    }
    """

    def __init__(self, question: str, *, value: str = "", placeholder: str = "", hint: str = ""):
        super().__init__()
        self.question, self.value, self.placeholder, self.hint = question, value, placeholder, hint

    def compose(self) -> ComposeResult:
        """Question, field, and a hint line."""
        with Vertical(id="prompt-box"):
            yield Label(terminal_safe(self.question))
            yield Input(self.value, placeholder=self.placeholder, id="prompt-input")
            yield Label(self.hint or "enter: ok · esc: cancel", id="prompt-hint")

    @on(Input.Submitted)
    def _submitted(self, event: Input.Submitted) -> None:
        self.dismiss(event.value.strip())

    def action_cancel(self) -> None:
        """Close without an answer."""
        self.dismiss(None)
