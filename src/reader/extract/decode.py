"""Turn page bytes into text and refuse input that is not HTML.

No HTTP headers are available here (raw HTML comes from the store), so the
charset is guessed from the BOM, then the bytes themselves, then ``<meta>``:
valid UTF-8 wins over a declared legacy charset (the declaration is the part
that is often wrong), and bytes that are not UTF-8 are read as the declared
charset or, when UTF-8 is declared but the bytes disagree, as windows-1252.
"""

from __future__ import annotations

import codecs
import re

from reader.charsets import text_codec

# Larger pages are cut: no article needs more and parse time must stay bounded.
MAX_INPUT_CHARS = 4_000_000

_META_CHARSET_RE = re.compile(
    rb"""<meta[^>]{0,500}?charset\s*=\s*["']?\s*([a-zA-Z0-9_\-:.]{1,40})""", re.I
)
# What browsers read these labels as (WHATWG encoding standard).
_AS_CP1252 = frozenset(
    {
        "iso-8859-1",
        "iso8859-1",
        "latin1",
        "latin-1",
        "l1",
        "ascii",
        "us-ascii",
        "windows-1252",
        "cp1252",
        "x-cp1252",
    }
)
_BOMS = (
    (codecs.BOM_UTF8, "utf-8-sig"),
    (codecs.BOM_UTF16_LE, "utf-16"),
    (codecs.BOM_UTF16_BE, "utf-16"),
)


_CONTROL_BYTES = bytes(range(9)) + bytes(range(14, 32))


class NotHTMLError(ValueError):
    """The input is empty or binary data, not a web page."""


def looks_binary(sample: bytes | str) -> bool:
    """True when the sample is full of NULs or control bytes, as binary files are."""
    if not sample:
        return False
    if isinstance(sample, str):
        sample = sample[:4096].encode("utf-8", "surrogatepass")
    else:
        sample = sample[:4096]
    nul = sample.count(0)
    if nul > len(sample) // 100 + 1:
        return True
    controls = len(sample) - len(sample.translate(None, _CONTROL_BYTES))
    return controls > len(sample) // 20 + 2


def _declared(raw: bytes) -> str | None:
    m = _META_CHARSET_RE.search(raw[:8192])
    if not m:
        return None
    label = m.group(1).decode("ascii", "ignore").lower()
    if label in _AS_CP1252:
        return "cp1252"
    return text_codec(label)


def decode_html(raw: bytes) -> str:
    """Decode page bytes to str; raises NotHTMLError for empty or binary input."""
    if len(raw) > MAX_INPUT_CHARS:
        raw = raw[:MAX_INPUT_CHARS]
    for bom, enc in _BOMS:
        if raw.startswith(bom):
            return raw.decode(enc, errors="replace")
    if not raw.strip():
        raise NotHTMLError("empty page")
    if looks_binary(raw):
        raise NotHTMLError("binary data, not HTML")
    try:
        return raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        # a page cut at the size cap may end inside a character
        if exc.start >= len(raw) - 3 and len(raw) >= MAX_INPUT_CHARS:
            return raw[: exc.start].decode("utf-8")
    declared = _declared(raw)
    if declared and declared != "utf-8":
        try:
            return raw.decode(declared, errors="replace")
        except (LookupError, ValueError):  # a charset that fails on these bytes
            pass
    # Declared UTF-8 (or nothing) but invalid: a few stray bytes in real UTF-8
    # keep UTF-8; a page without multi-byte sequences is legacy windows-1252.
    text = raw.decode("utf-8", errors="replace")
    bad = text.count("\ufffd")
    good = len(text) - len(text.encode("ascii", "ignore")) - bad  # non-ASCII, decoded fine
    if good > bad * 4:
        return text
    return raw.decode("cp1252", errors="replace")
