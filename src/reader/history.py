"""Back/forward history for the reading trail (UI-free so it can be tested on its own).

Unlike a browser history that only appends, a new visit after going back drops the forward
entries, and each entry remembers its scroll position so going back lands where the user was.
The trail also knows whether the user is walking one article's related posts with ``]``/``[``
(a ``Walk``), and what the status bar says about where the user is.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from reader.cells import cell_truncate

STATUS_TITLE_CELLS = 40
"""Titles in the status text are cut to this many cells."""


@dataclass
class Visit:
    """One article on the trail and where the user had scrolled to."""

    article_id: int
    title: str = ""
    scroll_y: float = 0.0


@dataclass(frozen=True)
class Walk:
    """Stepping through one article's related posts in place (the sidebar keeps their list)."""

    origin: str
    """Title of the article the walk started from."""
    index: int
    """The related post open now: its place in the sidebar (0-based)."""


@dataclass
class Trail:
    """A list of visits, the index of the current one, and the walk under way if any."""

    entries: list[Visit] = field(default_factory=list)
    index: int = -1
    limit: int = 500
    walk: Walk | None = None

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

    def step_walk(self, index: int, title: str) -> Walk:
        """Walk to related post ``index``; a walk that starts here has ``title`` as its origin."""
        origin = self.walk.origin if self.walk is not None else title
        self.walk = Walk(origin, index)
        return self.walk

    def end_walk(self) -> None:
        """Any other way of opening an article ends the walk."""
        self.walk = None

    def status(self, walk_length: int = 0) -> str:
        """Where the user is, for the status bar.

        While walking: ``3/7 ← origin title`` (post 3 of the ``walk_length`` related posts of
        the origin). Otherwise, once the trail has two visits: ``2/5 ← current title`` (no arrow
        at the start of the trail); before that, nothing.
        """
        if self.walk is not None:
            origin = cell_truncate(self.walk.origin, STATUS_TITLE_CELLS)
            return f"{self.walk.index + 1}/{walk_length} ← {origin}"
        visit = self.current
        if visit is None or len(self.entries) < 2:
            return ""
        arrow = "←" if self.can_back else ""
        return f"{self.position()} {arrow} {cell_truncate(visit.title, STATUS_TITLE_CELLS)}"
