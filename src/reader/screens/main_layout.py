"""Which panes the main screen shows at which size, and the keys that hide and show them.

``PaneLayout`` belongs to ``MainScreen``: below ``MIN_WIDTH``×``MIN_HEIGHT`` the screen asks
for a larger window; the related sidebar starts hidden below ``NARROW`` columns and the feeds
pane below ``WIDE``, until the user toggles them (then the user's choice stays). The reading
column keeps ``READING_MIN`` cells: where the sidebar would leave it less, the list and the
sidebar take turns (showing one hides the other until it goes), and at narrow widths the
feeds pane closes once a view is chosen.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from textual.widgets import Label

if TYPE_CHECKING:
    from reader.screens.main import MainScreen

MIN_WIDTH, MIN_HEIGHT = 60, 15
NARROW = 122
"""Below this width the related sidebar starts hidden (F3 or r shows it): from here on the
list, the sidebar and a ``READING_MIN`` reading column fit side by side."""
WIDE = 160
"""From this width on the feeds pane starts shown (v or F4 toggles it): the feeds pane, the
list, the sidebar and a ``READING_MIN`` reading column fit side by side."""
READING_MIN = 50
"""The reading column is never squeezed below this many cells by the related sidebar."""
RELATED_WIDTH = 30
"""The sidebar's width, as in the screen's CSS."""


def list_width(width: int) -> int:
    """The article list's width at a terminal width (34 %, 26 to 60 cells, as in the CSS)."""
    return max(26, min(60, width * 34 // 100))


class PaneLayout:
    """The screen's ``-too-small``, ``-hide-*`` classes."""

    def __init__(self, screen: MainScreen) -> None:
        self.screen = screen
        self.user_toggled_related = False
        self.user_toggled_feeds = False
        self.list_yielded = False
        """The list is hidden because the sidebar needed its room (it comes back with it)."""
        self.related_yielded = False
        """The sidebar is hidden because the feeds pane needed its room (back when it goes)."""

    def apply(self, width: int | None = None, height: int | None = None) -> None:
        """Lay out for the terminal's size."""
        screen = self.screen
        if width is None or height is None:
            width, height = screen.app.size
        small = width < MIN_WIDTH or height < MIN_HEIGHT
        screen.set_class(small, "-too-small")
        if small:
            screen.query_one("#too-small", Label).update(
                f"The terminal is {width}×{height}; reader needs at least "
                f"{MIN_WIDTH}×{MIN_HEIGHT}. Make the window larger."
            )
        config = screen.reader_app.config
        if not self.user_toggled_related:
            screen.set_class(width < NARROW or not config.show_related, "-hide-related")
        if not self.user_toggled_feeds:
            screen.set_class(width < WIDE, "-hide-feeds")
        self._take_turns(width)

    def _take_turns(self, width: int) -> None:
        """Hide the list while the sidebar is shown if both would squeeze the reading column;
        bring it back when there is room again or the sidebar goes."""
        screen = self.screen
        related = not screen.has_class("-hide-related")
        sidebar = max(24, min(RELATED_WIDTH, width - READING_MIN - 2))  # 2: border, scrollbar
        screen.query_one("#related-box").styles.width = sidebar
        crowded = width - list_width(width) - sidebar < READING_MIN
        if related and crowded and not screen.has_class("-hide-list"):
            self.list_yielded = True
            screen.add_class("-hide-list")
            if screen.article_list.has_focus:
                screen.related.focus()
        elif self.list_yielded and not (related and crowded):
            self.list_yielded = False
            screen.remove_class("-hide-list")

    def toggle_list(self) -> None:
        """Hide or show the article list."""
        screen = self.screen
        screen.toggle_class("-hide-list")
        if screen.has_class("-hide-list") and screen.article_list.has_focus:
            screen.pane.focus()
        elif not screen.has_class("-hide-list") and self.list_yielded:
            self.list_yielded = False  # the user wants the list back: the sidebar yields
            screen.add_class("-hide-related")

    def toggle_related(self) -> None:
        """Hide or show the related sidebar."""
        screen = self.screen
        self.user_toggled_related = True
        screen.toggle_class("-hide-related")
        if screen.has_class("-hide-related") and screen.related.has_focus:
            screen.pane.focus()
        self._take_turns(screen.app.size.width)

    def show_related(self) -> None:
        """Show the related sidebar (``r`` focuses it)."""
        self.user_toggled_related = True
        self.screen.remove_class("-hide-related")
        self._take_turns(self.screen.app.size.width)

    def toggle_feeds(self) -> None:
        """Show and focus the feeds pane, or hide it (focus goes back to the list)."""
        screen = self.screen
        self.user_toggled_feeds = True
        if screen.has_class("-hide-feeds") or not screen.feeds_pane.has_focus:
            screen.remove_class("-hide-feeds")
            screen.feeds_pane.focus()
            self._feeds_room(screen.app.size.width)
            return
        self._hide_feeds()
        screen.article_list.focus()

    def _hide_feeds(self) -> None:
        screen = self.screen
        screen.add_class("-hide-feeds")
        if self.related_yielded:  # the sidebar made room for the feeds pane: it comes back
            self.related_yielded = False
            screen.remove_class("-hide-related")
            self._take_turns(screen.app.size.width)

    def _feeds_room(self, width: int) -> None:
        """The feeds pane is shown: the related sidebar yields if the reading column would get
        less than ``READING_MIN`` with the list, the feeds pane and the sidebar side by side."""
        screen = self.screen
        feeds = max(18, min(32, width * 16 // 100))
        sidebar = 0 if screen.has_class("-hide-related") else RELATED_WIDTH
        shown_list = 0 if screen.has_class("-hide-list") else list_width(width)
        if sidebar and width - feeds - shown_list - sidebar < READING_MIN:
            self.related_yielded = True
            screen.add_class("-hide-related")
            self._take_turns(width)

    def view_chosen(self) -> None:
        """At narrow widths the feeds pane makes room once a view is chosen."""
        screen = self.screen
        if screen.app.size.width < NARROW and not screen.has_class("-hide-feeds"):
            self._hide_feeds()

    def toggle_comments(self) -> None:
        """Show (and focus) or hide the comments under the article."""
        screen = self.screen
        screen.toggle_class("-hide-comments")
        if screen.has_class("-hide-comments"):
            if screen.focused is not None and screen.comments in screen.focused.ancestors_with_self:
                screen.pane.focus()
            return
        if screen.current is not None:
            screen.comments.load(focus=True)
