"""Back/forward history for the reading trail (UI-free so it can be tested on its own).

Unlike a browser history that only appends, a new visit after going back drops the forward
entries, and each entry remembers its scroll position so going back lands where the user was.
"""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass
class Visit:
    """One article on the trail and where the user had scrolled to."""

    article_id: int
    title: str = ""
    scroll_y: float = 0.0


@dataclass
class Trail:
    """A list of visits and the index of the current one."""

    entries: list[Visit] = field(default_factory=list)
    index: int = -1
    limit: int = 500

    @property
    def current(self) -> Visit | None:
        """The visit being shown, if any."""
        return self.entries[self.index] if 0 <= self.index < len(self.entries) else None

    def visit(self, article_id: int, title: str = "") -> Visit:
        """Go to an article: drop the forward entries and append (re-visiting is a no-op)."""
        current = self.current
        if current is not None and current.article_id == article_id:
            return current
        del self.entries[self.index + 1 :]
        self.entries.append(Visit(article_id, title))
        if len(self.entries) > self.limit:
            del self.entries[: len(self.entries) - self.limit]
        self.index = len(self.entries) - 1
        return self.entries[self.index]

    def remember_scroll(self, scroll_y: float) -> None:
        """Record the scroll position of the current visit before leaving it."""
        if self.current is not None:
            self.current.scroll_y = scroll_y

    def back(self) -> Visit | None:
        """Step back; None at the start."""
        if self.index > 0:
            self.index -= 1
            return self.entries[self.index]
        return None

    def forward(self) -> Visit | None:
        """Step forward; None at the end."""
        if self.index + 1 < len(self.entries):
            self.index += 1
            return self.entries[self.index]
        return None

    @property
    def can_back(self) -> bool:
        """Whether ``back`` would move."""
        return self.index > 0

    @property
    def can_forward(self) -> bool:
        """Whether ``forward`` would move."""
        return self.index + 1 < len(self.entries)

    def position(self) -> str:
        """A short indicator such as ``3/7``."""
        return f"{self.index + 1}/{len(self.entries)}" if self.entries else ""
