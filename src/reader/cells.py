"""Text for terminal cells: make any string safe to paint and fit it into a width."""

from __future__ import annotations

from rich.cells import cell_len, set_cell_size


def terminal_safe(text: str | None) -> str:
    """One line with escape sequences, controls and bidi overrides removed (never raw to a tty)."""
    from reader.sanitize import clean_line

    return clean_line(text)


def cell_truncate(text: str, width: int) -> str:
    """Fit ``text`` into ``width`` terminal cells, ending in an ellipsis when cut."""
    if width <= 0:
        return ""
    if cell_len(text) <= width:
        return text
    if width == 1:
        return "…"
    return set_cell_size(text, width - 1).rstrip() + "…"


def format_date(iso: str | None) -> str:
    """``4 March 2024, 10:30`` in local time (or the raw text if unparsable)."""
    if not iso:
        return ""
    from datetime import datetime

    try:
        moment = datetime.fromisoformat(iso.replace("Z", "+00:00"))
    except ValueError:
        return iso
    if moment.tzinfo is not None:
        moment = moment.astimezone()
    return f"{moment.day} {moment:%B %Y, %H:%M}"
