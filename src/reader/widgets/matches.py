"""Search matches painted over lines already rendered: the reading pane marks the words of the
search whose results the list shows, whatever block (title, text, code) they are in.

Marks are character offsets into a line's text (``Strip.text``, the concatenation of its
segments); words never break across wrapped lines, so each line is matched on its own.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence

from rich.segment import Segment
from rich.style import Style
from textual.strip import Strip

Marks = Sequence[tuple[int, int]]
Highlighter = Callable[[str], Marks]


def mark_strip(strip: Strip, marks: Marks, style: Style) -> Strip:
    """``strip`` with the characters inside ``marks`` restyled (``style`` laid over theirs)."""
    if not marks:
        return strip
    inside = set()
    for start, end in marks:
        inside.update(range(start, end))
    segments: list[Segment] = []
    at = 0
    for segment in strip:
        text, base = segment.text, segment.style
        if segment.control or not any(at + i in inside for i in range(len(text))):
            segments.append(segment)
            at += len(text)
            continue
        run_start = 0
        for i in range(1, len(text) + 1):
            if i == len(text) or ((at + i) in inside) != ((at + run_start) in inside):
                marked = (at + run_start) in inside
                piece = text[run_start:i]
                segments.append(
                    Segment(
                        piece, (base + style) if base and marked else (style if marked else base)
                    )
                )
                run_start = i
        at += len(text)
    return Strip(segments, strip.cell_length)


def mark_lines(
    lines: list[Strip], highlight: Highlighter | None, style: Style
) -> tuple[list[Strip], list[int]]:
    """Each line with its matches marked, and the indexes of the lines that have any."""
    if highlight is None:
        return lines, []
    marked, found = [], []
    for index, line in enumerate(lines):
        marks = highlight(line.text)
        if marks:
            found.append(index)
            line = mark_strip(line, marks, style)
        marked.append(line)
    return marked, found


def next_line(found: list[int], top: int, step: int) -> int | None:
    """The first match line below ``top`` (``step`` 1) or above it (-1), or None."""
    if step > 0:
        return next((line for line in found if line > top), None)
    return next((line for line in reversed(found) if line < top), None)
