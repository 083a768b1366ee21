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
   as HTML extraction leaves them around inline elements. A ``»`` with spaces on both sides
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
it is plausible: at least two words follow it and the segment ends with sentence punctuation
(``. ! ? …`` or their CJK forms, possibly followed by closing markup). That keeps the
multi-paragraph convention (a speech paragraph left open because the next one continues it)
while ``« Older posts`` or a stray ``"`` produce nothing.

Never imports textual: this is core code, tested without a terminal.
"""

from __future__ import annotations

import re
from typing import NamedTuple

__all__ = ["QUOTE_MARKS", "Quote", "find_quote_tree", "find_quotes"]


class Quote(NamedTuple):
    """One quotation: ``text[start:end]`` includes its marks; depth 0 is outermost."""

    start: int
    end: int
    depth: int
    closed: bool  # False when it runs to the end of its paragraph without a closing mark


# Which closing marks each opening mark accepts. Beyond each tradition's own pair this
# allows the mixed and broken pairs that pages carry: “…„, „…„, "…“, „…” (Polish), »…»
# (Swedish/Finnish), ‚…’ (Dutch/Polish inner).
_CLOSERS: dict[str, str] = {
    "“": '”“„"',
    "„": '“”„"',
    '"': '"“”',
    "”": '”"',
    "«": "»",
    "»": "«»",
    "‹": "›",
    "›": "‹›",
    "‘": "’‘'",
    "‚": "‘’'",
    "'": "'’",
    "「": "」",
    "『": "』",
    "〝": "〞〟",
}
# Reverse map: closing mark -> the opening marks that accept it.
_OPENERS_FOR: dict[str, str] = {}
for _o, _cs in _CLOSERS.items():
    for _c in _cs:
        _OPENERS_FOR[_c] = _OPENERS_FOR.get(_c, "") + _o
del _o, _cs, _c

QUOTE_MARKS = frozenset(_CLOSERS) | frozenset(_OPENERS_FOR)
"""Every character that can start or end a quotation span."""

_CAN_OPEN = frozenset(_CLOSERS)
_CAN_CLOSE = frozenset(_OPENERS_FOR)
_ALWAYS_OPEN = frozenset("「『〝")
_ALWAYS_CLOSE = frozenset("」』〞〟")
_SINGLE = frozenset("'‘’‚")  # marks that double as apostrophes
_APOS_CLOSERS = frozenset("'‘’")  # closers that may really be apostrophes
_GUILLEMETS = frozenset("«»‹›")
# A guillemet next to one of these is an arrow: the same mark doubled, or the opposite one.
_ARROW_NEIGHBOUR = {"«": "«»›", "»": "»«‹", "‹": "‹›»", "›": "›‹«"}
_SPACED_OPEN = frozenset('«“„"')  # may open with a space after them: « text »
_SPACED_CLOSE = frozenset('»”“"')  # may close with a space before them
# Openers whose quotation may stay unclosed at a paragraph end.
_PRIMARY = frozenset('“„"”«»「『〝')

_OPEN, _CLOSE, _BOTH, _NONE = 1, 2, 3, 0
# What each mark can be at all: ’ never opens (’90s, ’em), ‚ never closes.
_ABLE = {
    c: (_OPEN if c in _CAN_OPEN else 0) | (_CLOSE if c in _CAN_CLOSE else 0) for c in QUOTE_MARKS
}

# A mark right after one of these opens (if it is followed by text)…
_OPEN_CONTEXT = frozenset("([{—–-/\\*_~“„«‹‘‚¿¡")
# …and right before one of these it closes.
_CLOSE_CONTEXT = frozenset("*_~”’»›")
_TERMINAL = frozenset(".!?…。！？")
# Trailing characters ignored when deciding how a paragraph ends.
_TRAILING = frozenset(" \t\r*_~`)]”’\"'»«›‹」』")
_ELISIONS = frozenset(
    {"tis", "twas", "twere", "em", "til", "bout", "cause", "cept", "nuff", "n", "s", "t", "k"}
)

# Kana, CJK ideographs and Hangul: scripts whose quotation marks sit right against letters
# (Korean attaches particles to the closing mark: ‘데이트 폭력’이라고).
_CJK_RANGES = (
    "\u1100-\u11ff\u3040-\u30ff\u3130-\u318f\u3400-\u4dbf\u4e00-\u9fff\uac00-\ud7af\uf900-\ufaff"
)
# Letters/digits of scripts that separate words with spaces: an apostrophe between two of
# them is part of a word. Around CJK, ‘’ are quotation marks.
_WORDCHAR = rf"[^\W_{_CJK_RANGES}]"
_NOT_IN_WORD = rf"(?!(?<={_WORDCHAR}['’‘‚]){_WORDCHAR})"
# One character class first, so the regex engine can skip ahead to candidates quickly.
# A simple link destination "](url)" is swallowed whole; "](" alone means a complex one.
_TOKEN = re.compile(
    rf"[\"“”„«»‹›「」『』〝〞〟'’‘‚`\]<|]"
    rf"(?:(?<=`)`*|(?<=\])(?:\([^()\s\"'<>`]*\)|\(?)|{_NOT_IN_WORD})"
)
_span = re.Match.span
_WORD = re.compile(rf"[{_CJK_RANGES}]|[^\W_{_CJK_RANGES}]+")
_LINK_DEST = re.compile(
    r"""\]\(\s*(?:<[^<>\n]*>|(?:[^()\s]|\([^()\s]*\))*)"""
    r"""(?:\s+(?:"[^"\n]*"|'[^'\n]*'|\([^()\n]*\)))?\s*\)"""
)
_HTML_TAG = re.compile(  # tags, comments and <scheme:...> autolinks
    r"<(?:[A-Za-z][A-Za-z0-9-]*(?:\s[^<>\n]*)?|/[A-Za-z][^<>\n]*|![^<>\n]*"
    r"|[a-z][a-z0-9+.-]*:[^<>\s]*)>"
)
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


def _is_cjk(ch: str) -> bool:
    o = ord(ch)
    if o < 0x1100:
        return False
    return (
        o <= 0x11FF
        or 0x3040 <= o <= 0x318F
        or 0x3400 <= o <= 0x9FFF
        or 0xAC00 <= o <= 0xD7AF
        or 0xF900 <= o <= 0xFAFF
    )


def _segments(text: str) -> list[tuple[int, int, bool]]:
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
    return after not in _SINGLE and word.lower() in _ELISIONS


def _role(text: str, pos: int, start: int, end: int, c: str, width: int = 1) -> int:
    """Classify the mark c at pos from its neighbours: _OPEN, _CLOSE, _BOTH or _NONE.

    width is 2 when two single marks stand for one double mark (’’ typed for ”).
    """
    if c in _ALWAYS_OPEN:
        return _OPEN
    if c in _ALWAYS_CLOSE:
        return _CLOSE
    p = text[pos - 1] if pos > start else " "
    after = pos + width
    n = text[after] if after < end else " "
    if c in _GUILLEMETS and (_ARROW_NEIGHBOUR[c].find(p) >= 0 or _ARROW_NEIGHBOUR[c].find(n) >= 0):
        return _NONE  # »», ‹‹, ›‹ and «» are arrows, not (empty) quotations
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
        if c in _SPACED_OPEN and n != "\n" and n.isspace() and after + 1 < end:
            role = 0 if text[after + 1].isspace() else _OPEN
        if p != "\n" and p.isspace() and pos - 2 >= start and not text[pos - 2].isspace():
            # ‘the theme ‘, — a single mark only when punctuation follows
            if c in _SPACED_CLOSE or (c in _APOS_CLOSERS and n in ",.;:!?"):
                role |= _CLOSE
        if not role:
            return _NONE
    elif left and not right:
        role = _OPEN
    elif right and not left:
        role = _CLOSE
    elif p.isalnum() and n.isalnum():
        if _is_cjk(p) or _is_cjk(n):
            role = _BOTH  # CJK has no spaces: marks sit between characters
        elif c in _SINGLE:
            return _NONE  # inside a word: an apostrophe
        elif c in _GUILLEMETS or c == '"':
            role = _CLOSE  # "Hi"he said: closes an open quotation, never opens one
        else:
            role = _BOTH  # a curly mark typed without its space: „Ja“sagte
    elif p.isalnum() and not _is_cjk(p):
        role = _CLOSE  # glued to the end of a word: 55"+ TV, „Ja“*
    elif p in _OPEN_CONTEXT and n not in _CLOSE_CONTEXT:
        role = _OPEN
    elif n in _CLOSE_CONTEXT and p not in _OPEN_CONTEXT:
        role = _CLOSE
    else:
        role = _BOTH  # e.g. **”**: closes an open quotation, else opens one
    if role & _OPEN and c in "'‘" and _is_elision(text, pos + 1, end):
        role &= _CLOSE
    return role & _ABLE[c]


def _is_weak(text: str, pos: int, start: int, end: int) -> bool:
    """A word-final single mark followed by a space: closer or possessive (students’ books)."""
    return pos > start and pos + 1 < end and text[pos - 1].isalnum() and text[pos + 1].isspace()


def _finish(
    text: str,
    stack: list[tuple[int, str]],
    start: int,
    end: int,
    out: list[tuple[int, int, bool]],
) -> None:
    """Turn the outermost plausible unclosed opener of a segment into a span to its end."""
    e = end
    while e > start and text[e - 1].isspace():
        e -= 1
    t = e
    while t > start and text[t - 1] in _TRAILING:
        t -= 1
    if t <= start or text[t - 1] not in _TERMINAL:
        return
    for opos, oc in stack:
        if oc in _PRIMARY:
            words = 0
            for _ in _WORD.finditer(text, opos + 1, e):
                words += 1
                if words == 2:
                    out.append((opos, e, False))
                    break
            return


def _is_post_navigation(text: str, opos: int, pos: int) -> bool:
    """« [Previous post](/a) [Next post](/b) »: spaced arrows hugging links, not a quote."""
    return (
        text[opos] == "«"
        and text[opos + 1 : opos + 3] in (" [", "\u00a0[")
        and text[pos - 2 : pos] in (") ", ")\u00a0")
    )


_MAX_REACH = 32  # how far down the stack a closer looks for its opener (keeps it linear)
_LOOKAHEAD = 32  # how many tokens ahead the possessive check looks for the next single mark
_LINK_TEXT = 500  # how far back "]" looks for the "[" that opened its link text
_SHORT_LINE = 200  # segments shorter than this may be breadcrumbs


def _next_single_closes(
    text: str, toks: list[tuple[int, int]], i: int, start: int, end: int
) -> bool:
    """Whether the next single mark after token i is a clear closer (so token i is not)."""
    for j in range(i + 1, min(len(toks), i + 1 + _LOOKAHEAD)):
        pos = toks[j][0]
        c = text[pos]
        if c in _SINGLE:
            r = _role(text, pos, start, end, c)
            if r:
                return r == _CLOSE and not _is_weak(text, pos, start, end)
    return False


def _scan(text: str, start: int, end: int, table: bool, out: list[tuple[int, int, bool]]) -> None:
    """Find the quotations of one segment and append (start, end, closed) to out."""
    toks = list(map(_span, _TOKEN.finditer(text, start, end)))
    ntok = len(toks)
    stack: list[tuple[int, str]] = []  # (position, mark) of the open quotations
    next_tick: list[int] | None = None
    skip_until = start  # end of the opaque code span, link destination or tag we are in
    kill = -1  # position of a mark already known to be an apostrophe
    sub_start = start  # where the current table cell / navigation item began
    # "« Accueil » Actualités » Monde": in a short line with more » than «, a spaced » is a
    # breadcrumb separator even when a « is open.
    crumbs = (
        end - start < _SHORT_LINE
        and text.count(" » ", start, end) >= 2
        and text.count("«", start, end) < text.count("»", start, end)
    )
    role_of = _role
    i = -1
    for pos, stop in toks:
        i += 1
        if pos < skip_until or pos == kill:
            continue
        c = text[pos]
        if c in "`]<|":
            if c == "`":
                if next_tick is None:  # index of the next backtick run of the same length
                    next_tick = [-1] * ntok
                    last: dict[int, int] = {}
                    for k in range(ntok - 1, -1, -1):
                        if text[toks[k][0]] == "`":
                            run = toks[k][1] - toks[k][0]
                            next_tick[k] = last.get(run, -1)
                            last[run] = k
                j = next_tick[i]
                if j >= 0:  # a code span: nothing inside is prose
                    skip_until = toks[j][1]
            elif c == "]":
                if stop - pos == 2:  # "](" of a destination the token did not swallow
                    m = _LINK_DEST.match(text, pos, min(end, pos + 2048))
                    if m:
                        skip_until = m.end()
                # "[‹ Prev](/1) … [Next ›](/3)": a quotation opened inside link text
                # must close inside it, so pagination arrows never pair across links.
                if stack and stack[-1][0] > pos - _LINK_TEXT:
                    bracket = text.rfind("[", max(sub_start, pos - _LINK_TEXT), pos)
                    if bracket >= 0:
                        while stack and stack[-1][0] > bracket:
                            stack.pop()
            elif c == "<":
                m = _HTML_TAG.match(text, pos, min(end, pos + 1024))
                if m:
                    skip_until = m.end()
            elif table or (
                start < pos < end - 1 and text[pos - 1].isspace() and text[pos + 1].isspace()
            ):  # "|" between table cells or navigation links
                if stack:
                    _finish(text, stack, sub_start, pos, out)
                    stack.clear()
                sub_start = pos + 1
            continue
        if (
            c in "'‘’"
            and pos + 2 < end
            and text[pos + 1] in "nN"
            and text[pos + 2] in "'’"
            and (pos + 3 >= end or not text[pos + 3].isalnum())
        ):
            kill = pos + 2  # rock 'n' roll
            continue
        if crumbs and c == "»" and text[pos - 1] == " " and text[pos + 1 : pos + 2] == " ":
            continue
        width = 1
        if c in "’‘" and stop < end and text[stop] == c:
            c = "”" if c == "’" else "“"  # ’’ and ‘‘ typed for ” and “
            width = 2
            kill = stop
        r = role_of(text, pos, start, end, c, width)
        if not r:
            continue
        if r & _CLOSE and stack:
            k = -1
            ops = _OPENERS_FOR[c]
            apostrophe_like = c in _APOS_CLOSERS
            if not (
                apostrophe_like
                and _is_weak(text, pos, start, end)
                and _next_single_closes(text, toks, i, start, end)
            ):
                for q in range(len(stack) - 1, max(-1, len(stack) - 1 - _MAX_REACH), -1):
                    oc = stack[q][1]
                    if oc in ops:
                        k = q
                        break
                    if apostrophe_like and oc in _PRIMARY:
                        break  # a possessive never closes a quotation opened outside “…”
            if k >= 0:
                opos = stack[k][0]
                del stack[k:]
                if c == "»" and _is_post_navigation(text, opos, pos):
                    continue
                out.append((opos, pos + width, True))
                continue
        if r & _OPEN:
            stack.append((pos, c))
    if stack:
        _finish(text, stack, sub_start, end, out)


def _find_all(text: str) -> list[tuple[int, int, bool]]:
    """Every (start, end, closed) quotation, sorted by start (starts are unique)."""
    found: list[tuple[int, int, bool]] = []
    for start, end, table in _segments(text):
        _scan(text, start, end, table, found)
    found.sort()
    return found


def find_quote_tree(text: str) -> list[Quote]:
    """All quotations in text, outer ones before the ones nested inside them.

    Spans never cross: an inner quotation lies entirely inside its outer one, and its
    depth is the number of quotations around it.
    """
    result: list[Quote] = []
    ends: list[int] = []
    for s, e, closed in _find_all(text):
        while ends and ends[-1] <= s:
            ends.pop()
        result.append(Quote(s, e, len(ends), closed))
        ends.append(e)
    return result


def find_quotes(text: str) -> list[tuple[int, int]]:
    """Sorted, non-overlapping (start, end) spans of the outermost quotations in text.

    ``text[start:end]`` includes the quote marks; nested quotations are inside their outer
    span. See the module docstring for the rules.
    """
    spans: list[tuple[int, int]] = []
    last_end = -1
    for s, e, _ in _find_all(text):
        if s >= last_end:
            spans.append((s, e))
            last_end = e
    return spans
