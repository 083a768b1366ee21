"""The reading pane: an article's header and body, wrapped into lines and painted virtually.

Blocks come from ``reader.render.document``; this widget wraps them to its width with quote-card
bars, list bullets and indentation, caches the lines, and paints only the visible ones. A
5,000-word article is ready in a few tens of milliseconds, and resizing re-wraps.
"""

from __future__ import annotations

from dataclasses import dataclass

from rich.segment import Segment
from rich.style import Style as RichStyle
from textual import events
from textual.binding import Binding
from textual.content import Content, Span
from textual.geometry import Size
from textual.message import Message
from textual.scroll_view import ScrollView
from textual.strip import Strip
from textual.style import Style

from reader.cells import format_date, glue, terminal_safe, unglue
from reader.reading import Readable
from reader.render.document import Block, parse_numbered
from reader.widgets.matches import Highlighter, mark_lines, next_line

STYLE_NAMES = ("strong", "em", "code", "link", "quote", "image", "caption", "strike")
MAX_TEXT_WIDTH = 100
"""Lines longer than this are hard to read; wider panes centre the text between margins."""


def wrap(content: Content, width: int) -> list[Content]:
    """Word-wrap to ``width`` cells, never at a no-break space (``« mot »``, ``10 000 €``)."""
    glued = Content(glue(content.plain), spans=list(content.spans))
    return [Content(unglue(line.plain), spans=list(line.spans)) for line in glued.wrap(width)]


class ReadingPane(ScrollView, can_focus=True):
    """Shows one ``Readable``; numbered links can be followed with 1–9."""

    BINDINGS = [
        Binding("j,down", "scroll_down", "Scroll down", show=False, id="pane.down"),
        Binding("k,up", "scroll_up", "Scroll up", show=False, id="pane.up"),
        Binding("space,pagedown", "page_down", "Page down", show=False, id="pane.page_down"),
        Binding("pageup", "page_up", "Page up", show=False, id="pane.page_up"),
        Binding("home", "scroll_home", "Top", show=False, id="pane.top"),
        Binding("end", "scroll_end", "Bottom", show=False, id="pane.bottom"),
        *[
            Binding(str(n), f"follow({n})", f"Follow link {n}", show=False, id=f"pane.link{n}")
            for n in range(1, 10)
        ],
        Binding("g", "ask_link", "Follow link N", show=False, id="pane.link_n"),
        Binding("y", "copy_link", "Copy link", show=False, id="pane.copy"),
    ]

    COMPONENT_CLASSES = {
        "reading-pane--title",
        "reading-pane--meta",
        "reading-pane--breadcrumb",
        "reading-pane--heading",
        "reading-pane--strong",
        "reading-pane--em",
        "reading-pane--code",
        "reading-pane--link",
        "reading-pane--quote",
        "reading-pane--card",
        "reading-pane--bar",
        "reading-pane--rule",
        "reading-pane--image",
        "reading-pane--caption",
        "reading-pane--strike",
        "reading-pane--notice",
        "reading-pane--match",
    }

    DEFAULT_CSS = """
    ReadingPane {
        background: $background;
        padding: 0 1;
        scrollbar-size-vertical: 1;
        & > .reading-pane--title { color: $text-primary; text-style: bold; }
        & > .reading-pane--meta { color: $text-muted; }
        & > .reading-pane--breadcrumb { color: $text-muted; text-style: italic; }
        & > .reading-pane--heading { color: $text-primary; text-style: bold; }
        & > .reading-pane--strong { text-style: bold; }
        & > .reading-pane--em { text-style: italic; }
        & > .reading-pane--code { color: $text-success; background: $surface; }
        & > .reading-pane--link { color: $text-secondary; text-style: underline; }
        & > .reading-pane--quote { color: $quote-foreground; background: $quote-background; }
        & > .reading-pane--card { background: $surface; }
        & > .reading-pane--bar { color: $accent; background: $surface; }
        & > .reading-pane--rule { color: $panel-lighten-2; }
        & > .reading-pane--image { color: $text-muted; text-style: italic; }
        & > .reading-pane--caption { color: $text-muted; text-style: italic; }
        & > .reading-pane--strike { text-style: strike; }
        & > .reading-pane--notice { color: $text-warning; text-style: italic; }
        & > .reading-pane--match { color: $text-accent; text-style: bold reverse; }
    }
    """

    @dataclass
    class LinkFollowed(Message):
        """The user asked to follow the article's link number ``number``."""

        pane: ReadingPane
        number: int
        url: str

        @property
        def control(self) -> ReadingPane:
            """The pane that sent it."""
            return self.pane

    @dataclass
    class LinkRequested(Message):
        """The user asked to choose a link by its number (``g``): links past 9 need a prompt.

        The pane asks nobody itself; whoever shows the prompt answers with ``follow_chosen``.
        """

        pane: ReadingPane
        count: int

        @property
        def control(self) -> ReadingPane:
            """The pane that sent it."""
            return self.pane

    def __init__(self, *, name: str | None = None, id: str | None = None) -> None:
        super().__init__(name=name, id=id)
        self.readable: Readable | None = None
        self._blocks: list[Block] = []
        self._links: list[str] = []
        """Link targets by number - 1, as the renderer numbered them (render.document)."""
        self._lines: list[Strip] = []
        self._wrapped_at = -1
        self._placeholder = "Choose an article."
        self.fetch_key = "e"
        """The key that fetches the full page (the screen sets it from the keymap)."""
        self.highlighter: Highlighter | None = None
        """Where a search's words are in a line (the screen sets it while the list shows
        search results): they are marked, and ``jump_match`` goes from one to the next."""
        self.match_lines: list[int] = []
        self._match: int | None = None

    # -- content ---------------------------------------------------------------------------
    def show(self, readable: Readable, scroll_y: float = 0) -> None:
        """Display an article (its blocks are parsed once; lines are wrapped per width)."""
        self.readable = readable
        self._blocks, self._links = parse_numbered(readable.markdown)
        self._wrapped_at = -1
        self._relayout()
        self.scroll_to(y=scroll_y, animate=False, immediate=True)

    def show_message(self, text: str) -> None:
        """Replace the content with a one-paragraph notice (loading, errors)."""
        self.readable = None
        self._blocks = []
        self._placeholder = text
        self._wrapped_at = -1
        self._relayout()
        self.scroll_to(y=0, animate=False, immediate=True)

    @property
    def line_count(self) -> int:
        """Wrapped lines of the current content."""
        return len(self._lines)

    def _relayout(self) -> None:
        width = self.scrollable_content_region.width
        if width <= 0:
            return
        self._lines, self.match_lines = mark_lines(
            self._build_lines(width), self.highlighter, self._rich("match")
        )
        self._match = None
        self._wrapped_at = width
        self.virtual_size = Size(width, len(self._lines))
        self.refresh()

    def on_resize(self, event: events.Resize) -> None:
        """Re-wrap for the new width."""
        if self.scrollable_content_region.width != self._wrapped_at:
            self._relayout()

    def notify_style_update(self) -> None:
        """The theme (or CSS) changed: lines painted in the old colours are dropped."""
        super().notify_style_update()
        if self._wrapped_at != -1:
            self._wrapped_at = -1
            self.refresh()

    def render_line(self, y: int) -> Strip:
        """One painted line."""
        width = self.scrollable_content_region.width
        if self._wrapped_at != width:
            self._relayout()
        index = self.scroll_offset.y + y
        if 0 <= index < len(self._lines):
            line = self._lines[index]
            margin = max(0, (width - MAX_TEXT_WIDTH) // 2)  # a measure, centred when wide
            if margin:
                line = Strip.join([Strip.blank(margin, self.rich_style), line])
            return line.adjust_cell_length(width, self.rich_style)
        return Strip.blank(width, self.rich_style)

    # -- layout ----------------------------------------------------------------------------
    def _style(self, name: str, *, on_pane: bool = True) -> Style:
        """A component style; ``on_pane`` lays it over the pane's own colours (for whole
        lines), otherwise it is only the component's own attributes (for spans in a line)."""
        component = self.get_component_rich_style(f"reading-pane--{name}")
        return Style.from_rich_style(self.rich_style + component if on_pane else component)

    def _pane_style(self) -> Style:
        return Style.from_rich_style(self.rich_style)

    def _rich(self, name: str) -> RichStyle:
        return self.get_component_rich_style(f"reading-pane--{name}")

    def _build_lines(self, width: int) -> list[Strip]:
        text_width = min(width, MAX_TEXT_WIDTH)
        base = self.rich_style
        lines: list[Strip] = []
        readable = self.readable
        if readable is None:
            for line in Content(self._placeholder).wrap(text_width):
                lines.append(Strip(line.render_segments(self._style("meta"))))
            return lines
        lines += self._wrap(Content(terminal_safe(readable.title)), text_width, "title")
        meta = self._meta_line(readable)
        if meta:
            lines += self._wrap(Content(meta), text_width, "meta")
        if readable.breadcrumb:
            crumbs = " » ".join(terminal_safe(part) for part in readable.breadcrumb)
            lines += self._wrap(Content(crumbs), text_width, "breadcrumb")
        lines.append(Strip([Segment("─" * text_width, self._rich("rule"))]))
        if not readable.ok or not readable.markdown.strip():
            reason = readable.error or "could not extract the article"
            notice = f"{reason}. The page is at {readable.url or 'an unknown address'}."
            lines.append(Strip.blank(0))
            lines += self._wrap(Content(notice), text_width, "notice")
        elif not readable.from_page:
            lines += self._wrap(
                Content(
                    "Showing the feed's text; the full page is not cached yet "
                    f"({self.fetch_key} fetches it now)."
                ),
                text_width,
                "notice",
            )
        lines.append(Strip.blank(0))
        styles = {name: self._style(name, on_pane=False) for name in STYLE_NAMES}
        previous: Block | None = None
        for block in self._blocks:
            if previous is not None and not (block.bullet and previous.indent and block.indent):
                lines.append(self._prefix_strip(previous.quote_depth and block.quote_depth, base))
            elif previous is not None and block.bullet and not previous.indent:
                lines.append(Strip.blank(0))
            lines += self._block_lines(block, text_width, styles)
            previous = block
        lines.append(Strip.blank(0))
        return lines

    def _meta_line(self, readable: Readable) -> str:
        parts = []
        if readable.author:
            parts.append(f"By {terminal_safe(readable.author)}")
        if readable.published:
            parts.append(format_date(readable.published))
        site = readable.site_name or readable.feed_title
        if site:
            parts.append(terminal_safe(site))
        parts.append(f"{readable.reading_minutes} min read")
        return " · ".join(parts)

    def _wrap(self, content: Content, width: int, style: str) -> list[Strip]:
        base = self._style(style)
        return [Strip(line.render_segments(base)) for line in wrap(content, max(1, width))]

    def _prefix_strip(self, quote_depth: int, base: RichStyle) -> Strip:
        if not quote_depth:
            return Strip.blank(0)
        return Strip([Segment("▌ " * quote_depth, self._rich("bar"))])

    def _block_lines(self, block: Block, width: int, styles: dict[str, Style]) -> list[Strip]:
        quote_prefix = "▌ " * block.quote_depth
        indent = "  " * max(0, block.indent - 1)
        bullet = block.bullet
        first_prefix = indent + bullet
        rest_prefix = indent + " " * len(bullet)
        avail = max(8, width - len(quote_prefix) - len(first_prefix))
        card = self._style("card") if block.quote_depth else self._pane_style()
        bar = self._rich("bar")
        if block.kind == "rule":
            body = [Content("─" * avail)]
            base = self._style("rule")
        elif block.kind in ("code", "table"):
            body = [
                Content(line[:avail]).stylize(styles.get("code", Style()))
                if block.kind == "code"
                else Content(line[:avail])
                for line in block.text.split("\n")
            ]
            if block.kind == "table" and block.spans:
                body[0] = body[0].stylize(styles["strong"])
            base = card
        else:
            spans = [
                Span(start, end, styles[name])
                for start, end, name in sorted(block.spans, key=lambda s: (s[2] != "quote", s[0]))
                if name in styles
            ]
            content = Content(block.text, spans=spans)
            heading = self._style("heading", on_pane=False)
            base = card + heading if block.kind == "heading" else card
            if block.kind == "heading" and block.level <= 2:
                content = content.stylize(Style(bold=True))
            body = [line for part in content.split("\n") for line in wrap(part, avail)]
        strips = []
        card_rich = card.rich_style if block.quote_depth else None
        for number, line in enumerate(body):
            prefix = first_prefix if number == 0 else rest_prefix
            segments = []
            if quote_prefix:
                segments.append(Segment(quote_prefix, bar))
            if prefix:
                segments.append(Segment(prefix, card_rich))
            segments += line.render_segments(base)
            strip = Strip(segments)
            if card_rich is not None:
                strip = strip.adjust_cell_length(width, card_rich)
            strips.append(strip)
        return strips

    def repaint_matches(self, highlighter: Highlighter | None) -> None:
        """Mark another search's words (None: none) in the article shown."""
        self.highlighter = highlighter
        self._wrapped_at = -1
        self.refresh()

    def jump_match(self, step: int) -> bool:
        """Scroll the next (``step`` 1) or previous (-1) line with a match to the top third
        (from the last one jumped to, else from the top third of the pane)."""
        if self._wrapped_at != self.scrollable_content_region.width:
            self._relayout()
        third = max(1, self.scrollable_content_region.height // 3)
        start = int(self.scroll_y) + third  # the first jump skips what the top shows
        line = next_line(self.match_lines, start if self._match is None else self._match, step)
        if line is None:
            return False
        self._match = line
        self.scroll_to(y=max(0, line - third), animate=False, immediate=True)
        return True

    # -- actions ---------------------------------------------------------------------------
    def action_scroll_down(self) -> None:
        """One line down."""
        self.scroll_relative(y=1, animate=False)

    def action_scroll_up(self) -> None:
        """One line up."""
        self.scroll_relative(y=-1, animate=False)

    def action_ask_link(self) -> None:
        """Ask for a link number (for links past 9)."""
        if self.readable is None or not self._links:
            self.notify("This article has no numbered links.", timeout=3)
            return
        self.post_message(self.LinkRequested(self, len(self._links)))

    def action_copy_link(self) -> None:
        """Copy the article's address to the clipboard (OSC 52, works over ssh)."""
        if self.readable is None or not self.readable.url:
            return
        self.app.copy_to_clipboard(self.readable.url)
        self.notify(f"Copied {self.readable.url}", timeout=3)

    def follow_chosen(self, number: int | None) -> None:
        """The answer to ``LinkRequested``: follow link ``number`` (None: the user cancelled)."""
        if number is not None:
            self.action_follow(number)

    def action_follow(self, number: int) -> None:
        """Follow the article's link ``number`` (1-based)."""
        if self.readable is None or not (0 < number <= len(self._links)):
            self.notify(f"This article has no link {number}.", severity="warning", timeout=3)
            return
        self.post_message(self.LinkFollowed(self, number, self._links[number - 1]))
