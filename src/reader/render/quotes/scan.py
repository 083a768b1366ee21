"""Pair the quotation marks of one segment: one linear pass over its tokens.

Code spans, link destinations and HTML tags are opaque; link text and table cells bound the
quotations opened inside them; a stack pairs openers with the closers their tradition
allows; a quotation left open at the end of its segment becomes a span only if plausible.
"""

from __future__ import annotations

import re

from .marks import APOS_CLOSERS, CJK_RANGES, OPENERS_FOR, PRIMARY, SINGLE
from .roles import CLOSE, OPEN, is_weak, mark_role
from .unclosed import give_up, starts_with_mark

# Letters/digits of scripts that separate words with spaces: an apostrophe between two of
# them is part of a word. Around CJK, ‘’ are quotation marks.
_WORDCHAR = rf"[^\W_{CJK_RANGES}]"
_NOT_IN_WORD = rf"(?!(?<={_WORDCHAR}['’‘‚]){_WORDCHAR})"
# One character class first, so the regex engine can skip ahead to candidates quickly.
# A simple link destination "](url)" is swallowed whole; "](" alone means a complex one.
_TOKEN = re.compile(
    rf"[\"“”„«»‹›「」『』〝〞〟'’‘‚`\]<|]"
    rf"(?:(?<=`)`*|(?<=\])(?:\([^()\s\"'<>`]*\)|\(?)|{_NOT_IN_WORD})"
)
_span = re.Match.span
_LINK_DEST = re.compile(
    r"""\]\(\s*(?:<[^<>\n]*>|(?:[^()\s]|\([^()\s]*\))*)"""
    r"""(?:\s+(?:"[^"\n]*"|'[^'\n]*'|\([^()\n]*\)))?\s*\)"""
)
_HTML_TAG = re.compile(  # tags, comments and <scheme:...> autolinks
    r"<(?:[A-Za-z][A-Za-z0-9-]*(?:\s[^<>\n]*)?|/[A-Za-z][^<>\n]*|![^<>\n]*"
    r"|[a-z][a-z0-9+.-]*:[^<>\s]*)>"
)


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
        if c in SINGLE:
            r = mark_role(text, pos, start, end, c)
            if r:
                return r == CLOSE and not is_weak(text, pos, start, end)
    return False


def _is_breadcrumb_line(text: str, start: int, end: int) -> bool:
    """Whether a spaced » separates breadcrumbs here even when a « is open.

    "« Accueil » Actualités » Monde": a short line with more » than «.
    """
    return (
        end - start < _SHORT_LINE
        and text.count(" » ", start, end) >= 2
        and text.count("«", start, end) < text.count("»", start, end)
    )


def _closing_ticks(text: str, toks: list[tuple[int, int]]) -> list[int]:
    """For each backtick token, the index of the next run of the same length (or -1)."""
    ntok = len(toks)
    closing = [-1] * ntok
    last: dict[int, int] = {}
    for k in range(ntok - 1, -1, -1):
        if text[toks[k][0]] == "`":
            run = toks[k][1] - toks[k][0]
            closing[k] = last.get(run, -1)
            last[run] = k
    return closing


def _tag_end(text: str, pos: int, end: int) -> int:
    """Where the HTML tag, comment or autolink at pos ends, or pos if none starts there."""
    m = _HTML_TAG.match(text, pos, min(end, pos + 1024))
    return m.end() if m else pos


def _leave_link_text(
    text: str, stack: list[tuple[int, str]], sub_start: int, pos: int, stop: int, end: int
) -> int:
    """Nesting at a "]": drop the quotations opened inside the link text it ends.

    "[‹ Prev](/1) … [Next ›](/3)": a quotation opened inside link text must close inside
    it, so pagination arrows never pair across links. Returns where the link destination
    ends when the token is a "](" that did not swallow it (else pos): it is opaque.
    """
    if stack and stack[-1][0] > pos - _LINK_TEXT:
        bracket = text.rfind("[", max(sub_start, pos - _LINK_TEXT), pos)
        if bracket >= 0:
            while stack and stack[-1][0] > bracket:
                stack.pop()
    if stop - pos == 2:
        m = _LINK_DEST.match(text, pos, min(end, pos + 2048))
        if m:
            return m.end()
    return pos


def _is_cell_break(text: str, pos: int, start: int, end: int, table: bool) -> bool:
    """Whether the "|" at pos separates table cells or navigation links (Home | News)."""
    return table or (start < pos < end - 1 and text[pos - 1].isspace() and text[pos + 1].isspace())


def _opener_to_close(
    text: str,
    toks: list[tuple[int, int]],
    i: int,
    stack: list[tuple[int, str]],
    c: str,
    start: int,
    end: int,
) -> int:
    """Closing: the index in stack of the quotation the closer c (token i) ends, or -1.

    A closer may skip unclosed inner openers (they are dropped with it); an apostrophe-like
    closer never reaches past an open double quote, and a word-final one followed by a space
    is a possessive when the next single mark is a clear closer (‘The students’ books’).
    """
    apostrophe_like = c in APOS_CLOSERS
    if apostrophe_like:
        pos = toks[i][0]
        if is_weak(text, pos, start, end) and _next_single_closes(text, toks, i, start, end):
            return -1
    ops = OPENERS_FOR[c]
    for q in range(len(stack) - 1, max(-1, len(stack) - 1 - _MAX_REACH), -1):
        oc = stack[q][1]
        if oc in ops:
            return q
        if apostrophe_like and oc in PRIMARY:
            break  # a possessive never closes a quotation opened outside “…”
    return -1


def _close(
    text: str,
    toks: list[tuple[int, int]],
    i: int,
    stack: list[tuple[int, str]],
    c: str,
    width: int,
    segment: tuple[int, int],
    out: list[tuple[int, int, bool]],
) -> bool:
    """Close the quotation the closer c (token i) ends, if any; whether it closed one."""
    k = _opener_to_close(text, toks, i, stack, c, *segment)
    if k < 0:
        return False
    pos = toks[i][0]
    opos = stack[k][0]
    del stack[k:]
    if not (c == "»" and _is_post_navigation(text, opos, pos)):
        out.append((opos, pos + width, True))
    return True


def _is_n_apostrophes(text: str, pos: int, end: int) -> bool:
    """Whether the single mark at pos starts 'n' (rock 'n' roll): two apostrophes."""
    return (
        pos + 2 < end
        and text[pos + 1] in "nN"
        and text[pos + 2] in "'’"
        and (pos + 3 >= end or not text[pos + 3].isalnum())
    )


def scan(
    text: str,
    start: int,
    end: int,
    table: bool,
    out: list[tuple[int, int, bool]],
    follow: tuple[int, int] | bool = False,
) -> None:
    """Find the quotations of one segment and append (start, end, closed) to out.

    follow is the next segment (start, end), or whether the paragraph after the text opens
    with a quote mark: unclosed.py asks, only when a quotation is left open.
    """
    toks = list(map(_span, _TOKEN.finditer(text, start, end)))
    stack: list[tuple[int, str]] = []  # (position, mark) of the open quotations
    ticks: list[int] = []  # _closing_ticks, computed at the first backtick
    skip_until = start  # end of the opaque code span, link destination or tag we are in
    kill = -1  # position of a mark already known to be an apostrophe
    sub_start = start  # where the current table cell / navigation item began
    crumbs = _is_breadcrumb_line(text, start, end)
    role_of = mark_role
    i = -1
    for pos, stop in toks:
        i += 1
        if pos < skip_until or pos == kill:
            continue
        c = text[pos]
        if c in "`]<|":
            if c == "`":
                ticks = ticks or _closing_ticks(text, toks)
                if ticks[i] >= 0:  # a code span: nothing inside is prose
                    skip_until = toks[ticks[i]][1]
            elif c == "]":
                skip_until = _leave_link_text(text, stack, sub_start, pos, stop, end)
            elif c == "<":
                skip_until = _tag_end(text, pos, end)
            elif _is_cell_break(text, pos, start, end, table):
                if stack:
                    give_up(text, stack, sub_start, pos, out)
                sub_start = pos + 1
            continue
        if c in "'‘’" and _is_n_apostrophes(text, pos, end):
            kill = pos + 2  # rock 'n' roll: two apostrophes
            continue
        if crumbs and c == "»" and text[pos - 1] == " " and text[pos + 1 : pos + 2] == " ":
            continue  # a breadcrumb separator
        width = 1
        if c in "’‘" and stop < end and text[stop] == c:
            c = "”" if c == "’" else "“"  # ’’ and ‘‘ typed for ” and “
            width = 2
            kill = stop
        r = role_of(text, pos, start, end, c, width)
        if r & CLOSE and stack and _close(text, toks, i, stack, c, width, (start, end), out):
            continue
        if r & OPEN:
            stack.append((pos, c))
    if stack:
        nxt = follow if isinstance(follow, bool) else starts_with_mark(text, *follow)
        give_up(text, stack, sub_start, end, out, nxt)
