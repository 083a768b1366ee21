"""What one mark is, judged from its neighbours: an opener, a closer, either, or nothing.

Like Markdown's left/right-flanking rule: a mark followed by text opens, a mark after text
closes. Between two letters a single mark is an apostrophe (outside CJK and Hangul text),
and so are ``'90s`` and elisions (``'tis``, ``'em``); doubled or facing guillemets are
arrows; spaced marks (``« text »``) open or close only in the traditions that space them.
"""

from __future__ import annotations

from .marks import (
    ALWAYS_CLOSE,
    ALWAYS_OPEN,
    APOS_CLOSERS,
    ARROW_NEIGHBOUR,
    CAN_CLOSE,
    CAN_OPEN,
    GUILLEMETS,
    QUOTE_MARKS,
    SINGLE,
    SPACED_CLOSE,
    SPACED_OPEN,
    is_cjk,
)

OPEN, CLOSE, BOTH, NONE = 1, 2, 3, 0
# What each mark can be at all: ’ never opens (’90s, ’em), ‚ never closes.
_ABLE = {c: (OPEN if c in CAN_OPEN else 0) | (CLOSE if c in CAN_CLOSE else 0) for c in QUOTE_MARKS}

# A mark right after one of these opens (if it is followed by text)…
_OPEN_CONTEXT = frozenset("([{—–-/\\*_~“„«‹‘‚¿¡")
# …and right before one of these it closes.
_CLOSE_CONTEXT = frozenset("*_~”’»›")
_ELISIONS = frozenset(
    {"tis", "twas", "twere", "em", "til", "bout", "cause", "cept", "nuff", "n", "s", "t", "k"}
)


def _is_elision(text: str, pos: int, end: int) -> bool:
    """Whether the word at pos, right after a single mark, makes that mark an apostrophe."""
    j = pos
    limit = min(end, pos + 6)
    while j < limit and text[j].isalnum():
        j += 1
    after = text[j] if j < end else " "
    if j == pos or after.isalnum():
        return False
    word = text[pos:j]
    if word[:2].isdigit() and word[2:] in ("", "s"):
        return True  # '90s, ’68
    return after not in SINGLE and word.lower() in _ELISIONS


def mark_role(text: str, pos: int, start: int, end: int, c: str, width: int = 1) -> int:
    """Classify the mark c at pos from its neighbours: OPEN, CLOSE, BOTH or NONE.

    width is 2 when two single marks stand for one double mark (’’ typed for ”).
    """
    if c in ALWAYS_OPEN:
        return OPEN
    if c in ALWAYS_CLOSE:
        return CLOSE
    p = text[pos - 1] if pos > start else " "
    after = pos + width
    n = text[after] if after < end else " "
    if c in GUILLEMETS and (ARROW_NEIGHBOUR[c].find(p) >= 0 or ARROW_NEIGHBOUR[c].find(n) >= 0):
        return NONE  # »», ‹‹, ›‹ and «» are arrows, not (empty) quotations
    # An opener is followed by text (not by a bracket or punctuation, bar an ellipsis "...");
    # a closer follows text.
    left = not n.isspace() and n not in ")]},;:!?"
    if n == ".":
        left = text[after + 1 : after + 2] == "."
    right = not p.isspace() and p not in "([{"
    if not left and not right:
        # A mark with a space on its inner side: French « text » (also with U+00A0 or
        # U+202F), and “ text ” or " text " that extraction leaves around inline elements.
        # A spaced » only closes an open « (else it is a breadcrumb separator); spaced ‹ ›
        # are pagination arrows and spaced single marks are too ambiguous, so they are out.
        role = 0
        if c in SPACED_OPEN and n != "\n" and n.isspace() and after + 1 < end:
            role = 0 if text[after + 1].isspace() else OPEN
        if p != "\n" and p.isspace() and pos - 2 >= start and not text[pos - 2].isspace():
            # ‘the theme ‘, — a single mark only when punctuation follows
            if c in SPACED_CLOSE or (c in APOS_CLOSERS and n in ",.;:!?"):
                role |= CLOSE
        if not role:
            return NONE
    elif left and not right:
        role = OPEN
    elif right and not left:
        role = CLOSE
    elif p.isalnum() and n.isalnum():
        if is_cjk(p) or is_cjk(n):
            role = BOTH  # CJK has no spaces: marks sit between characters
        elif c in SINGLE:
            return NONE  # inside a word: an apostrophe
        else:
            # "Hi"he said, „Ja“sagte: a mark inside a word closes an open quotation (typed
            # without its space) but never opens one.
            role = CLOSE
    elif p.isalnum() and not is_cjk(p):
        role = CLOSE  # glued to the end of a word: 55"+ TV, „Ja“*
    elif p in _OPEN_CONTEXT and n not in _CLOSE_CONTEXT:
        role = OPEN
    elif n in _CLOSE_CONTEXT and p not in _OPEN_CONTEXT:
        role = CLOSE
    else:
        role = BOTH  # e.g. **”**: closes an open quotation, else opens one
    if role & OPEN and c in "'‘" and _is_elision(text, pos + 1, end):
        role &= CLOSE
    return role & _ABLE[c]


def is_weak(text: str, pos: int, start: int, end: int) -> bool:
    """A word-final single mark followed by a space: closer or possessive (students’ books)."""
    return pos > start and pos + 1 < end and text[pos - 1].isalnum() and text[pos + 1].isspace()
