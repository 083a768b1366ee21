"""Quotations left open at the end of a paragraph: which of them become spans.

A closing mark goes missing on real pages, and then the quotation runs to the end of its
paragraph, but only where the text says a quotation began there:

- a colon or a speech verb introduced it (``Sie sagte: „Wir kommen…``, ``he said, “We…``);
- or it opens its paragraph and the next paragraph opens with a quote mark too: the
  multi-paragraph convention, where a speech paragraph is left open because the next one
  continues it;
- or its mark is a CJK bracket (``「…``), which is never anything but a quotation mark.

It also needs two words and sentence punctuation at the paragraph end, so ``« Older posts``,
``Click “Older`` or a stray ``"`` give nothing.
"""

from __future__ import annotations

import re

from .marks import ALWAYS_OPEN, CAN_OPEN, CJK_RANGES, PRIMARY

_TERMINAL = frozenset(".!?…。！？")
# Trailing characters ignored when deciding how a paragraph ends.
_TRAILING = frozenset(" \t\r*_~`)]”’\"'»«›‹」』")
_WORD = re.compile(rf"[{CJK_RANGES}]|[^\W_{CJK_RANGES}]+")
# Markup that may stand between a paragraph's start and its first quote mark.
_BLOCK_MARKUP = re.compile(r"[ \t>#*_+\-]*(?:\d{1,9}[.)][ \t]+)?[*_ \t]*")
# Between a speech verb and the quotation: spaces, emphasis, a comma or a dash.
_LEAD_IN = frozenset(" \t\u00a0\u202f*_,—–-")
_COLONS = frozenset(":：")

# Verbs that introduce speech, in the languages of the quote tables (past and present).
SPEECH_VERBS = frozenset(
    """
    say says said tell tells told write writes wrote ask asks asked add adds added reply
    replies replied explain explains explained shout shouted declare declared state stated
    announce announced insist insisted warn warned
    sagt sagte sagten schreibt schrieb meint meinte erklärt erklärte fragt fragte ruft rief
    antwortet antwortete betont betonte warnt warnte
    dit déclare déclaré écrit répond répondu explique ajoute affirme demande lance
    dice dijo escribe escribió responde respondió explica explicó añade añadió afirma afirmó
    pregunta preguntó
    disse detto scrive scrisse risponde rispose spiega aggiunge afferma
    mówi powiedział powiedziała napisał napisała dodał dodała odpowiedział odpowiedziała
    говорит сказал сказала написал написала ответил ответила спросил спросила добавил
    добавила каже сказав
    zegt zei schreef vroeg antwoordde
    säger sa sade skrev svarade
    říká řekl řekla napsal napsala
    diz escreveu afirmou respondeu
    """.split()
)


def starts_with_mark(text: str, start: int, end: int) -> bool:
    """Whether the paragraph text[start:end] opens with a quote mark (after block markup)."""
    if start >= end or text[start].isalnum():
        return False  # most paragraphs: no regex needed
    pos = _BLOCK_MARKUP.match(text, start, end).end()
    return pos < end and text[pos] in CAN_OPEN


def _introduced(text: str, opos: int, start: int, continues: bool) -> bool:
    """Whether the text before the opener at opos says a quotation begins there."""
    if text[opos] in ALWAYS_OPEN:
        return True
    j = opos
    while j > start and text[j - 1] in _LEAD_IN:
        j -= 1
    if j == start or _BLOCK_MARKUP.match(text, start, opos).end() == opos:
        return continues  # the paragraph opens with it: the multi-paragraph convention
    if text[j - 1] in _COLONS:
        return True
    w = j
    while w > start and text[w - 1].isalpha():
        w -= 1
    return text[w:j].lower() in SPEECH_VERBS


def give_up(
    text: str,
    stack: list[tuple[int, str]],
    start: int,
    end: int,
    out: list[tuple[int, int, bool]],
    continues: bool = False,
) -> None:
    """Giving up on the open quotations at the end of a segment or table cell.

    The outermost double-style opener becomes a span to the end when plausible (see the
    module docstring); continues says the next paragraph opens with a quote mark. The stack
    is emptied.
    """
    e = end
    while e > start and text[e - 1].isspace():
        e -= 1
    t = e
    while t > start and text[t - 1] in _TRAILING:
        t -= 1
    if t > start and text[t - 1] in _TERMINAL:
        for opos, oc in stack:
            if oc in PRIMARY:
                if _introduced(text, opos, start, continues):
                    words = 0
                    for _ in _WORD.finditer(text, opos + 1, e):
                        words += 1
                        if words == 2:
                            out.append((opos, e, False))
                            break
                break
    stack.clear()
