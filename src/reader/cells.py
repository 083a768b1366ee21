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


GLUE = {0x00A0: 0xE000, 0x202F: 0xE001, 0x2007: 0xE002}
"""No-break spaces (NBSP, narrow NBSP, figure space) → private-use stand-ins of the same width:
a wrapper that breaks at any whitespace (Textual's does, ``\\s`` matches them) then keeps
``10 000 €`` and ``« mot »`` on one line."""
UNGLUE = {stand_in: space for space, stand_in in GLUE.items()}


def glue(text: str) -> str:
    """Hide no-break spaces from a word wrapper (``unglue`` puts them back)."""
    return text.translate(GLUE)


def unglue(text: str) -> str:
    """The no-break spaces ``glue`` hid."""
    return text.translate(UNGLUE)


def plural(count: int, word: str, many: str | None = None) -> str:
    """``1 feed``, ``2 feeds`` (``many`` for irregular plurals)."""
    return f"{count} {word if count == 1 else (many or word + 's')}"
