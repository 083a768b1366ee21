"""The status bar: what the user is looking at and what is going on (demo, offline, refresh)."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

from textual.reactive import reactive
from textual.timer import Timer
from textual.widgets import Static

from reader.cells import terminal_safe

SPINNER = "⠋⠙⠹⠸⠼⠴⠦⠧⠇⠏"


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
    note: reactive[str] = reactive("")
    """Right part, before the trail: what waits (sync changes queued while offline)."""
    _busy: reactive[tuple[str, ...]] = reactive(tuple)
    _frame: reactive[int] = reactive(0)

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self._spin: Timer | None = None

    @contextmanager
    def busy(self, text: str) -> Iterator[None]:
        """Show ``text`` with a spinner while the block runs (several may run at once)."""
        self._busy = (*self._busy, text)
        if self._spin is None:
            self._spin = self.set_interval(0.1, self._turn)
        try:
            yield
        finally:
            left = list(self._busy)
            left.remove(text)
            self._busy = tuple(left)
            if not left and self._spin is not None:
                self._spin.stop()
                self._spin = None

    def _turn(self) -> None:
        self._frame = (self._frame + 1) % len(SPINNER)

    def watch__busy(self) -> None:
        """Repaint."""
        self._paint()

    def watch__frame(self) -> None:
        """Repaint."""
        self._paint()

    def watch_message(self) -> None:
        """Repaint."""
        self._paint()

    def watch_trail(self) -> None:
        """Repaint."""
        self._paint()

    def watch_note(self) -> None:
        """Repaint."""
        self._paint()

    def _paint(self) -> None:
        from rich.text import Text

        message = self.message
        if self._busy:
            message = f"{SPINNER[self._frame]} {self._busy[-1]}"
        left = Text(terminal_safe(message))
        if self.trail or self.note:
            right = Text(terminal_safe(self.note), style="bold")
            if self.trail:
                right.append((" · " if self.note else "") + terminal_safe(self.trail), "italic")
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
