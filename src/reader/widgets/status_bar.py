"""The status bar: what the user is looking at and what is going on (demo, offline, refresh)."""

from __future__ import annotations

from textual.reactive import reactive
from textual.widgets import Static

from reader.cells import terminal_safe


class StatusBar(Static):
    """One line at the bottom; the screen sets ``message`` and ``trail``."""

    DEFAULT_CSS = """
    StatusBar {
        height: 1;
        background: $panel;
        color: $text-muted;
        padding: 0 1;
        &.-demo { color: $text-warning; }
    }
    """

    message: reactive[str] = reactive("")
    """Left part: state of the app (demo hint, refresh progress)."""
    trail: reactive[str] = reactive("")
    """Right part: where the user is on the related-posts trail."""

    def watch_message(self) -> None:
        """Repaint."""
        self._paint()

    def watch_trail(self) -> None:
        """Repaint."""
        self._paint()

    def _paint(self) -> None:
        from rich.text import Text

        left = Text(terminal_safe(self.message))
        if self.trail:
            right = Text(terminal_safe(self.trail), style="italic")
            width = max(0, (self.size.width or 80) - 2)
            space = width - left.cell_len - right.cell_len
            if space < 2:
                left.truncate(max(0, width - right.cell_len - 2), overflow="ellipsis")
                space = 2
            left.append(" " * space)
            left.append_text(right)
        self.update(left)

    def on_resize(self) -> None:
        """Re-align the right part."""
        self._paint()
