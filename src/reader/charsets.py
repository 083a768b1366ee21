"""Which declared character-set names are decoded as such: a document names its own codec.

Python's codec registry holds more than character sets. A feed or page that declares
``encoding="unicode_escape"`` would have ``\\x1b`` in its text turned into a real ESC by the
decoder itself, ``punycode``/``idna`` raise on ordinary bytes, and UTF-7 is the classic way to
smuggle markup past a filter (browsers refuse it too). Only real character sets pass.
"""

from __future__ import annotations

import codecs

_NOT_CHARSETS = frozenset(
    {
        "unicode-escape",
        "raw-unicode-escape",
        "punycode",
        "idna",
        "undefined",
        "utf-7",
        "unicode-internal",
        "charmap",
    }
)


def text_codec(label: str) -> str | None:
    """Python's name for the character set ``label`` declares, or None if it is not one."""
    try:
        info = codecs.lookup(label.strip())
    except (LookupError, ValueError):
        return None
    if not getattr(info, "_is_text_encoding", True) or info.name in _NOT_CHARSETS:
        return None
    return info.name
