"""The snippet under the highlighted search result in the article list: its lines and their look.

While the list shows search results, the row under the cursor is followed by ``LINES`` lines of
its snippet (the text around the first match, the search's words marked), once the screen has
read it (``ArticleList.show_snippet``). Snippets already read are kept, so moving back to a
result shows its snippet at once. Kept apart from ``article_list.py``: which lines it takes is a
pure function of the cursor, and its look of the text and the width.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence

from rich.cells import cell_len
from rich.segment import Segment
from rich.style import Style
from textual.cache import LRUCache
from textual.strip import Strip

from reader.cells import terminal_safe

LINES = 2
"""Lines of snippet under the cursor row."""
INDENT = 4
"""Cells before the snippet: under the title, past the row's ●★ marks."""

Marks = Sequence[tuple[int, int]]


def wrap(text: str, width: int, lines: int = LINES) -> list[tuple[int, int]]:
    """Offsets (start, end) into ``text`` of its first ``lines`` lines, broken between words to
    fit ``width`` cells (a word wider than a line is cut where the line ends)."""
    found: list[tuple[int, int]] = []
    start = 0
    while start < len(text) and len(found) < lines and width > 0:
        end, used, last_space = start, 0, -1
        while end < len(text) and used + cell_len(text[end]) <= width:
            if text[end] == " ":
                last_space = end
            used += cell_len(text[end])
            end += 1
        if end < len(text) and last_space > start:
            end = last_space
        found.append((start, max(end, start + 1)))
        start = max(end, start + 1)
        while start < len(text) and text[start] == " ":
            start += 1
    return found


def lead_in(text: str, marks: Marks, width: int) -> tuple[str, tuple[tuple[int, int], ...]]:
    """``text`` cut so that its first marked word shows on the first line: a lead of about a
    quarter of the line before it (from a word's start, after ``…``); marks moved along."""
    if not marks or cell_len(text[: marks[0][0]]) <= width // 3:
        return text, tuple(marks)
    start = marks[0][0]
    while start > 0 and cell_len(text[start - 1 : marks[0][0]]) <= width // 4:
        start -= 1
    while 0 < start < marks[0][0] and text[start - 1] != " ":
        start += 1
    shift = start - 1  # "…" takes the place of the text before ``start``
    return "…" + text[start:], tuple((s - shift, e - shift) for s, e in marks if s >= start)


class SnippetLines:
    """The snippets read so far, by article id, and how one of their lines is painted."""

    def __init__(self) -> None:
        self._known: LRUCache[int, tuple[str, tuple[tuple[int, int], ...]]] = LRUCache(256)

    def clear(self) -> None:
        """Forget every snippet (new results)."""
        self._known.clear()

    def put(self, article_id: int, text: str, marks: Marks) -> None:
        """Keep the snippet of ``article_id`` (``marks``: offsets of the matched words)."""
        safe = terminal_safe(text)
        self._known[article_id] = (safe, tuple(marks) if safe == text else ())

    def lines(self, article_id: int | None) -> int:
        """Lines the snippet of ``article_id`` takes under its row (0: none known, or empty)."""
        known = self._known.get(article_id) if article_id is not None else None
        return LINES if known and known[0] else 0

    def paint(self, article_id: int, part: int, width: int, style: Callable[[str], Style]) -> Strip:
        """Line ``part`` (0-based) of the snippet of ``article_id``, ``width`` cells wide, in the
        list's meta style on the cursor's background, matched words in the match style."""
        background = Style(bgcolor=style("article-list--cursor").bgcolor)
        base = style("") + background
        text_style = style("article-list--meta") + background
        match = style("article-list--match") + background
        text, marks = self._known.get(article_id) or ("", ())
        text, marks = lead_in(text, sorted(marks), max(1, width - INDENT - 1))
        pieces = wrap(text, max(1, width - INDENT - 1))
        segments = [Segment(" " * INDENT, base)]
        if part < len(pieces):
            start, end = pieces[part]
            more = part == len(pieces) - 1 and end < len(text)
            at = start
            for mark_start, mark_end in sorted(marks):
                mark_start, mark_end = max(mark_start, at), min(mark_end, end)
                if mark_start >= mark_end:
                    continue
                segments.append(Segment(text[at:mark_start], text_style))
                segments.append(Segment(text[mark_start:mark_end], match))
                at = mark_end
            segments.append(Segment(text[at:end] + ("…" if more else ""), text_style))
        return Strip([s for s in segments if s.text]).adjust_cell_length(width, base)
