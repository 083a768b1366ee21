"""How one article list row looks: marks, title, comment count, feed and date in one line.

Kept apart from the list's scrolling and cursor (``article_list.py``): this is the part that
changes when what a row shows changes, and it is a pure function of the row and the width.
"""

from __future__ import annotations

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


def marks(row: ArticleRow) -> str:
    """Two cells: ● when unread, ★ when saved."""
    return (" " if row.read else UNREAD) + (SAVED if row.saved else " ")


def paint_row(row: ArticleRow, width: int, styles: RowStyles) -> Strip:
    """`` ●★ Title ……  💬3 Feed · Mar 04 `` cut to ``width`` cells; the meta part shrinks first."""
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
    title = cell_truncate(terminal_safe(row.title) or "(untitled)", title_width)
    pad = width - len(marker) - 1 - cell_len(title) - meta_width
    segments = [
        Segment(" ", styles.base),
        Segment(marker, styles.marker),
        Segment(title, styles.title),
        Segment(" " * max(0, pad), styles.base),
        Segment(meta, styles.meta),
    ]
    return Strip(segments).adjust_cell_length(width, styles.base)
