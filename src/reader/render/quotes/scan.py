"""Pair the quotation marks of one segment: one linear pass over its tokens.

Code spans, link destinations and HTML tags are opaque; link text and table cells bound the
quotations opened inside them; a stack pairs openers with the closers their tradition
allows; a quotation left open at the end of its segment becomes a span only if plausible.
"""

from __future__ import annotations

import re

from .marks import APOS_CLOSERS, CJK_RANGES, OPENERS_FOR, PRIMARY, SINGLE
from .roles import CLOSE, OPEN, is_weak, mark_role

_TERMINAL = frozenset(".!?…。！？")
# Trailing characters ignored when deciding how a paragraph ends.
_TRAILING = frozenset(" \t\r*_~`)]”’\"'»«›‹」』")

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
_WORD = re.compile(rf"[{CJK_RANGES}]|[^\W_{CJK_RANGES}]+")
_LINK_DEST = re.compile(
    r"""\]\(\s*(?:<[^<>\n]*>|(?:[^()\s]|\([^()\s]*\))*)"""
    r"""(?:\s+(?:"[^"\n]*"|'[^'\n]*'|\([^()\n]*\)))?\s*\)"""
)
_HTML_TAG = re.compile(  # tags, comments and <scheme:...> autolinks
    r"<(?:[A-Za-z][A-Za-z0-9-]*(?:\s[^<>\n]*)?|/[A-Za-z][^<>\n]*|![^<>\n]*"
    r"|[a-z][a-z0-9+.-]*:[^<>\s]*)>"
)


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
        if oc in PRIMARY:
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
        if c in SINGLE:
            r = mark_role(text, pos, start, end, c)
            if r:
                return r == CLOSE and not is_weak(text, pos, start, end)
    return False


def scan(text: str, start: int, end: int, table: bool, out: list[tuple[int, int, bool]]) -> None:
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
    role_of = mark_role
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
        if r & CLOSE and stack:
            k = -1
            ops = OPENERS_FOR[c]
            apostrophe_like = c in APOS_CLOSERS
            if not (
                apostrophe_like
                and is_weak(text, pos, start, end)
                and _next_single_closes(text, toks, i, start, end)
            ):
                for q in range(len(stack) - 1, max(-1, len(stack) - 1 - _MAX_REACH), -1):
                    oc = stack[q][1]
                    if oc in ops:
                        k = q
                        break
                    if apostrophe_like and oc in PRIMARY:
                        break  # a possessive never closes a quotation opened outside “…”
            if k >= 0:
                opos = stack[k][0]
                del stack[k:]
                if c == "»" and _is_post_navigation(text, opos, pos):
                    continue
                out.append((opos, pos + width, True))
                continue
        if r & OPEN:
            stack.append((pos, c))
    if stack:
        _finish(text, stack, sub_start, end, out)
