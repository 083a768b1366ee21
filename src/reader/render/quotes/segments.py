"""Cut Markdown into the segments a quotation never crosses.

Paragraphs (blank lines) and Markdown block starts (``>`` blockquote lines, list items,
headings, table rows) end a segment; fenced code blocks, link reference definitions and
thematic breaks are skipped.
"""

from __future__ import annotations

import re

_BLOCK = re.compile(
    r"""(?P<blank>\s*\Z)
    |[ ]{0,3}(?:
        (?P<fence>`{3,}|~{3,})
       |(?P<skip>\[[^\]\n]+\]:|(?:[-*_][ \t]*){3,}\Z|=+[ \t]*\Z)
       |(?P<single>\#{1,6}(?:[ \t]|\Z)|\|)
       |(?P<start>>|[-*+][ \t]|\d{1,9}[.)][ \t])
    )""",
    re.X,
)


def segments(text: str) -> list[tuple[int, int, bool]]:
    """Cut text into (start, end, is_table_row) ranges that no quotation crosses."""
    segs: list[tuple[int, int, bool]] = []
    n = len(text)
    seg_start = -1
    seg_end = 0
    pos = 0
    while pos <= n:
        nl = text.find("\n", pos)
        le = n if nl < 0 else nl
        m = _BLOCK.match(text, pos, le)
        kind = m.lastgroup if m else None
        if kind is not None and seg_start >= 0:
            segs.append((seg_start, seg_end, False))
            seg_start = -1
        if m is not None and kind == "fence":
            # Code is not prose: skip to the closing fence (or the end of the text).
            fence = m.group("fence")
            closing = re.compile(rf"[ ]{{0,3}}{re.escape(fence[0])}{{{len(fence)},}}[ \t]*\Z")
            pos = le + 1
            while pos <= n:
                nl = text.find("\n", pos)
                le = n if nl < 0 else nl
                line_start, pos = pos, le + 1
                if closing.match(text, line_start, le):
                    break
            continue
        if m is not None and kind == "single":
            segs.append((pos, le, text[m.start("single")] == "|"))
        elif kind == "start" or (kind is None and seg_start < 0):
            seg_start, seg_end = pos, le
        elif kind is None:
            seg_end = le
        pos = le + 1
    if seg_start >= 0:
        segs.append((seg_start, seg_end, False))
    return segs
