"""The related-posts sidebar: the current article's related posts, walkable with the keyboard.

Lists are short (tens of items), so a stock ``OptionList`` is the right tool. Each option carries
the related post's URL; the screen decides whether it is cached (open in place) or not.
"""

from __future__ import annotations

from dataclasses import dataclass

from textual import on
from textual.binding import Binding
from textual.message import Message
from textual.widgets import OptionList
from textual.widgets.option_list import Option

from reader.related import RelatedEntry
from reader.text import cell_truncate, terminal_safe


class RelatedPosts(OptionList):
    """Related posts of the article being read."""

    BINDINGS = [
        Binding("j", "cursor_down", "Down", show=False, id="related.down"),
        Binding("k", "cursor_up", "Up", show=False, id="related.up"),
    ]

    DEFAULT_CSS = """
    RelatedPosts {
        background: $surface;
        border: none;
        padding: 0;
        & > .option-list--option { padding: 0 1; }
    }
    """

    @dataclass
    class PostChosen(Message):
        """The user chose a related post (enter or click)."""

        related: RelatedPosts
        entry: RelatedEntry
        index: int

        @property
        def control(self) -> RelatedPosts:
            """The sidebar that sent it."""
            return self.related

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self.entries: list[RelatedEntry] = []

    def set_entries(self, entries: list[RelatedEntry]) -> None:
        """Replace the list (keeps no highlight until the user comes here)."""
        self.entries = entries
        self.clear_options()
        if not entries:
            self.add_option(Option("No related posts for this article.", disabled=True))
            return
        width = max(20, (self.size.width or 30) - 4)
        options = []
        for entry in entries:
            title = cell_truncate(terminal_safe(entry.title) or entry.url, width * 2)
            marker = "" if entry.article_id is not None else f" [dim]({_state(entry)})[/dim]"
            detail = " · ".join(part for part in (entry.date, entry.site) if part)
            prompt = f"{_escape(title)}{marker}"
            if detail:
                prompt += f"\n[dim]{_escape(cell_truncate(detail, width))}[/dim]"
            options.append(Option(prompt))
        self.add_options(options)

    def move(self, step: int) -> RelatedEntry | None:
        """Highlight the next/previous entry (wrapping) and return it."""
        if not self.entries:
            return None
        current = self.highlighted
        index = 0 if current is None and step > 0 else (current or 0) + step
        if current is None and step < 0:
            index = len(self.entries) - 1
        index %= len(self.entries)
        self.highlighted = index
        return self.entries[index]

    @on(OptionList.OptionSelected)
    def _chosen(self, event: OptionList.OptionSelected) -> None:
        event.stop()
        if 0 <= event.option_index < len(self.entries):
            self.post_message(
                self.PostChosen(self, self.entries[event.option_index], event.option_index)
            )


def _state(entry: RelatedEntry) -> str:
    """Why an entry is not readable offline yet."""
    return {
        "queued": "queued for when online",
        "missing": "gone from the site",
        "failed": "could not be fetched",
    }.get(entry.state, "not cached")


def _escape(text: str) -> str:
    from rich.markup import escape

    return escape(text)
