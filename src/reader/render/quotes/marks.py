"""The quotation marks of each typographic tradition and how they pair.

Tables only: which closing marks each opening mark accepts, and the families of marks the
rules treat alike (single marks that double as apostrophes, guillemets that double as arrows,
marks that may stand apart from their text, CJK brackets that are never anything else).
"""

from __future__ import annotations

# Which closing marks each opening mark accepts. Beyond each tradition's own pair this
# allows the mixed and broken pairs that pages carry: “…„, „…„, "…“, „…” (Polish), »…»
# (Swedish/Finnish), ‚…’ (Dutch/Polish inner).
CLOSERS: dict[str, str] = {
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
OPENERS_FOR: dict[str, str] = {}
for _o, _cs in CLOSERS.items():
    for _c in _cs:
        OPENERS_FOR[_c] = OPENERS_FOR.get(_c, "") + _o
del _o, _cs, _c

QUOTE_MARKS = frozenset(CLOSERS) | frozenset(OPENERS_FOR)
"""Every character that can start or end a quotation span."""

CAN_OPEN = frozenset(CLOSERS)
CAN_CLOSE = frozenset(OPENERS_FOR)
ALWAYS_OPEN = frozenset("「『〝")
ALWAYS_CLOSE = frozenset("」』〞〟")
SINGLE = frozenset("'‘’‚")  # marks that double as apostrophes
APOS_CLOSERS = frozenset("'‘’")  # closers that may really be apostrophes
GUILLEMETS = frozenset("«»‹›")
# A guillemet next to one of these is an arrow: the same mark doubled, or the opposite one.
ARROW_NEIGHBOUR = {"«": "«»›", "»": "»«‹", "‹": "‹›»", "›": "›‹«"}
SPACED_OPEN = frozenset('«“„"')  # may open with a space after them: « text »
# may close with a space before them (a spaced „ closes too: German keyboards type it for “)
SPACED_CLOSE = frozenset('»”“"„')
# Openers whose quotation may stay unclosed at a paragraph end.
PRIMARY = frozenset('“„"”«»「『〝')

# Kana, CJK ideographs and Hangul: scripts whose quotation marks sit right against letters
# (Korean attaches particles to the closing mark: ‘데이트 폭력’이라고).
CJK_RANGES = (
    "\u1100-\u11ff\u3040-\u30ff\u3130-\u318f\u3400-\u4dbf\u4e00-\u9fff\uac00-\ud7af\uf900-\ufaff"
)


def is_cjk(ch: str) -> bool:
    """Whether ch is in CJK_RANGES."""
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
