"""Find quoted speech in the Markdown text of an article.

The reading pane highlights quotations, so it needs their spans in the Markdown source: one
span per outermost quotation, from its opening mark through its closing mark. Real pages mix
typographic traditions („…“, «…», »…«, 「…」, "…") and carry broken pairs, apostrophes that
look like quote marks, and guillemets used as breadcrumb or pagination arrows. The rules below
are local (each mark is judged by its neighbours), so the whole search is one linear pass.

How it works:

1. The text is cut into *segments* that a quotation never crosses: paragraphs (blank lines),
   Markdown block starts (``>`` blockquote lines, list items, headings, table rows), and ``|``
   separators in table rows or between spaced words (``Home | News``). Fenced code blocks and
   link reference definitions are skipped.
2. Inside a segment, code spans, link destinations (``](url "title")``) and HTML tags are
   opaque: marks inside them are ignored, but a quotation may run across them. A quotation
   opened inside link text ``[…]`` must close inside it, so ``[‹ Prev](/1) [Next ›](/3)``
   never pairs.
3. Each mark is classified from its neighbours as an opener, a closer, either, or nothing
   (like Markdown's left/right-flanking rule). Between two letters a single mark is an
   apostrophe (``don't``, ``aujourd’hui``; in CJK and Hangul text it stays a quote mark);
   ``'n'``, ``'90s`` and elisions (``'tis``, ``'em``, Dutch ``'s``) are apostrophes too. A
   mark glued to the end of a word only closes (``"Hi"he said``, ``55"+ TV``).
   Spaced marks: ``« text »`` (normal, U+00A0 or U+202F space), and ``“ text ”`` / ``" text "``
   as HTML extraction leaves them around inline elements; a spaced ``„`` closes too
   (``“ Vielen Dank. „``: German keyboards type ``„`` for both marks), so a quotation
   never runs on past it. A ``»`` with spaces on both sides
   only closes an open ``«``; otherwise it is a breadcrumb separator (``Home » News``), and
   in a short line with more ``»`` than ``«`` it is a separator even then.
   Doubled or facing guillemets (``»»``, ``›‹``, ``«»``) and spaced ``‹ ›`` are arrows, and
   ``« [Previous](/a) [Next](/b) »`` is post navigation. ``’’`` and ``‘‘`` stand for ``”“``.
4. A stack pairs openers with the closers their tradition allows, including the malformed
   pairs real pages carry (``“…„``, ``„…„``, ``"…“``). A closer may skip unclosed inner
   openers (they are dropped), but an apostrophe-like closer (``’``, ``'``) never reaches
   past an open double quote, and a word-final ``’``/``'`` followed by a space is treated as
   a possessive when the next single mark is a clear closer (``‘The students’ books’``).

Unclosed quotations: when a segment ends with openers still open, the outermost double-style
opener (not ``‘ ‚ ' ‹ ›``) becomes a span running to the end of the segment, but only when
the text says a quotation began there: a colon or a speech verb introduced it, or it opens
its paragraph and the next paragraph opens with a quote mark too (the multi-paragraph
convention), or it is a CJK bracket; and at least two words follow it and the segment ends
with sentence punctuation. ``« Older posts``, ``Click “Older`` or a stray ``"`` give nothing.

Where the rules live: ``marks.py`` (the marks of each tradition and how they pair),
``segments.py`` (step 1), ``roles.py`` (step 3), ``scan.py`` (steps 2 and 4),
``unclosed.py`` (unclosed quotations); this module holds the public API.

Never imports textual: this is core code, tested without a terminal.
"""

from __future__ import annotations

from typing import NamedTuple

from .marks import QUOTE_MARKS
from .scan import scan
from .segments import segments
from .unclosed import starts_with_mark

__all__ = ["QUOTE_MARKS", "Quote", "find_quote_tree", "find_quotes", "opens_with_mark"]


class Quote(NamedTuple):
    """One quotation: ``text[start:end]`` includes its marks; depth 0 is outermost."""

    start: int
    end: int
    depth: int
    closed: bool  # False when it runs to the end of its paragraph without a closing mark


def _find_all(text: str, continued: bool) -> list[tuple[int, int, bool]]:
    """Every (start, end, closed) quotation, sorted by start (starts are unique)."""
    found: list[tuple[int, int, bool]] = []
    segs = segments(text)
    last = len(segs) - 1
    for k, (start, end, table) in enumerate(segs):
        follow = (segs[k + 1][0], segs[k + 1][1]) if k < last else continued
        scan(text, start, end, table, found, follow)
    found.sort()
    return found


def find_quote_tree(text: str, continued: bool = False) -> list[Quote]:
    """All quotations in text, outer ones before the ones nested inside them.

    continued says the paragraph that follows text opens with a quote mark (text is one
    paragraph of a longer document), for the multi-paragraph convention.

    Spans never cross: an inner quotation lies entirely inside its outer one, and its
    depth is the number of quotations around it.
    """
    result: list[Quote] = []
    ends: list[int] = []
    for s, e, closed in _find_all(text, continued):
        while ends and ends[-1] <= s:
            ends.pop()
        result.append(Quote(s, e, len(ends), closed))
        ends.append(e)
    return result


def find_quotes(text: str, continued: bool = False) -> list[tuple[int, int]]:
    """Sorted, non-overlapping (start, end) spans of the outermost quotations in text.

    ``text[start:end]`` includes the quote marks; nested quotations are inside their outer
    span. continued: as in find_quote_tree. See the module docstring for the rules.
    """
    spans: list[tuple[int, int]] = []
    last_end = -1
    for s, e, _ in _find_all(text, continued):
        if s >= last_end:
            spans.append((s, e))
            last_end = e
    return spans


def opens_with_mark(paragraph: str) -> bool:
    """Whether a paragraph opens with a quote mark (after block markup): what ``continued``
    asks of the paragraph that follows."""
    return starts_with_mark(paragraph, 0, len(paragraph))
