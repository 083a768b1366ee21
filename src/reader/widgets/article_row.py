"""How one article list row looks: marks, title, comment count, feed and date in one line.

Kept apart from the list's scrolling and cursor (``article_list.py``): this is the part that
changes when what a row shows changes, and it is a pure function of the row and the width.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import datetime

from rich.cells import cell_len
from rich.segment import Segment
from rich.style import Style
from textual.strip import Strip

from reader.cells import cell_truncate, terminal_safe
from reader.store import ArticleRow

UNREAD, SAVED = "●", "★"


def short_date(iso: str | None, now: datetime | None = None) -> str:
    """``Mar 04`` for this year, ``2024-03-04`` for older dates (fixed width 10 or less)."""
    if not iso:
        return ""
    try:
        moment = datetime.fromisoformat(iso).astimezone()
    except ValueError:
        return iso[:10]
    now = now or datetime.now().astimezone()
    if moment.year == now.year:
        return moment.strftime("%b %d")
    return moment.strftime("%Y-%m-%d")


@dataclass(frozen=True)
class RowStyles:
    """The styles of one row's parts (the cursor row's already include the cursor style)."""

    base: Style
    title: Style
    meta: Style
    marker: Style
    match: Style | None = None
    """The words a search matched in the title (search results only)."""


def row_styles(style: Callable[[str], Style], read: bool, is_cursor: bool) -> RowStyles:
    """A row's styles from the list's component styles (``style("")``: the list's own)."""
    title = "article-list--read" if read else "article-list--unread"
    found = [style(name) for name in ("", title, "article-list--meta", "article-list--marker")]
    found.append(found[1] + style("article-list--match"))
    if is_cursor:
        cursor = style("article-list--cursor")
        found = [part + cursor for part in found]
    return RowStyles(*found)


Marks = Sequence[tuple[int, int]]


def title_segments(title: str, marks: Marks, styles: RowStyles) -> list[Segment]:
    """The title, its matched words (``marks``: offsets into ``title``) in the match style."""
    if not marks or styles.match is None:
        return [Segment(title, styles.title)]
    segments, at = [], 0
    for start, end in sorted(marks):
        start, end = max(start, at), min(end, len(title))
        if start >= end:
            continue
        segments += [
            Segment(title[at:start], styles.title),
            Segment(title[start:end], styles.match),
        ]
        at = end
    segments.append(Segment(title[at:], styles.title))
    return [segment for segment in segments if segment.text]


def marks(row: ArticleRow) -> str:
    """Two cells: ● when unread, ★ when saved."""
    return (" " if row.read else UNREAD) + (SAVED if row.saved else " ")


def paint_row(
    row: ArticleRow,
    width: int,
    styles: RowStyles,
    highlight: Callable[[str], Marks] | None = None,
) -> Strip:
    """`` ●★ Title ……  💬3 Feed · Mar 04 `` cut to ``width`` cells; the meta part shrinks first.
    ``highlight`` gives the offsets of a search's words in the (terminal-safe) title."""
    date = short_date(row.published)
    feed = terminal_safe(row.feed_title)
    comments = f"💬{row.comment_count} " if row.comment_count else ""
    if width >= 60:
        feed = cell_truncate(feed, min(18, width // 5))
        meta = f" {comments}{feed} · {date} "
    elif width >= 36:
        meta = f" {comments}{date} "
    else:
        meta = ""
    meta_width = cell_len(meta)
    marker = marks(row) + " "
    title_width = max(0, width - meta_width - len(marker) - 1)
    full = terminal_safe(row.title) or "(untitled)"
    title = cell_truncate(full, title_width)
    kept = len(title) if title == full else len(title) - 1  # the ellipsis is no match
    found = [(s, min(e, kept)) for s, e in highlight(full) if s < kept] if highlight else []
    pad = width - len(marker) - 1 - cell_len(title) - meta_width
    segments = [
        Segment(" ", styles.base),
        Segment(marker, styles.marker),
        *title_segments(title, found, styles),
        Segment(" " * max(0, pad), styles.base),
        Segment(meta, styles.meta),
    ]
    return Strip(segments).adjust_cell_length(width, styles.base)
