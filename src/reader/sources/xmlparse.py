"""Safe, tolerant XML parsing for feeds: entity-expansion guard, charset and entity repair.

Split from ``feeds`` so the format mapping there stays readable. libxml2 (through lxml) parses
in recover mode without expanding entities or touching the network; this module decides when a
second attempt is worth it (undeclared HTML entities, a bare ``&``, a mislabelled charset) and
reports what was repaired.
"""

from __future__ import annotations

import re
from html.entities import name2codepoint

from lxml import etree

from reader.charsets import text_codec
from reader.sources.items import FeedError

_ENTITY_DECL = re.compile(rb"<!ENTITY\s+(%\s*)?[^\s>]+\s+(SYSTEM|PUBLIC|[\"'])([^\"']*)", re.S)
NAMED_REF = re.compile(r"&([A-Za-z][A-Za-z0-9]*);")
"""A named character reference, ``&name;`` (also used by the lenient parser)."""
_BARE_AMP = re.compile(r"&(?!#\d+;|#x[0-9a-fA-F]+;|[A-Za-z][\w.-]*;)")
_XML_DECL = re.compile(r"^\s*<\?xml[^>]*\?>")
_CHARSET = re.compile(r"charset=[\"']?([\w.:-]+)", re.I)
XML_ENTITIES = frozenset({"amp", "lt", "gt", "quot", "apos"})
# A reference to a UTF-16 surrogate (&#xD800;, &#55296;): libxml2's recovering parser reports it
# as an error but still writes it into the tree as invalid UTF-8, and lxml then raises
# UnicodeDecodeError on reading that text, so the whole feed was lost.
_SURROGATE_REF = re.compile(r"&#(?:[xX]0*([dD][89a-fA-F][0-9a-fA-F]{2})|0*(5[5-7]\d{3}));")
_SURROGATE_REF_BYTES = re.compile(_SURROGATE_REF.pattern.encode())


def parse_xml(
    body: bytes, content_type: str | None
) -> tuple[etree._Element | None, list[str], list[str]]:
    """Parse with a recovering, non-expanding parser; retry once for entities, ``&`` or charset.

    Returns the root (None if nothing was readable), warnings, and the fatal errors left.
    """
    resolve: bool | str = False
    doctype = body.find(b"<!DOCTYPE", 0, 4096)
    if doctype >= 0:
        end = body.find(b"]>", doctype)
        subset = body[doctype:end] if end > 0 else b""
        decls = _ENTITY_DECL.findall(subset)
        if any(
            kind in (b"SYSTEM", b"PUBLIC") or b"&" in value or b"%" in pct
            for pct, kind, value in decls
        ):
            raise FeedError("rejected: XML entity declarations that expand or load files")
        if decls:
            resolve = "internal"
    root, errors, notes = _lxml(body, resolve)
    warnings: list[str] = []
    if "not defined" in notes or "EntityRef" in notes:
        text = _decode(body, content_type)
        text = _BARE_AMP.sub("&amp;", NAMED_REF.sub(_entity_ref, text))
        root, errors, notes = _lxml(_XML_DECL.sub("", text, count=1), resolve)
        warnings.append("undeclared HTML entities or bare '&' repaired")
    elif "encoding" in notes.lower() or "utf-8" in notes.lower():
        text = _decode(body, content_type)
        root, errors, notes = _lxml(_XML_DECL.sub("", text, count=1), resolve)
        warnings.append("wrong character set declared; decoded by guess")
    if errors:
        warnings.append(f"malformed XML recovered ({len(errors)} errors, first: {errors[0]})")
    return root, warnings, errors


def _lxml(data: bytes | str, resolve: bool | str) -> tuple[etree._Element | None, list[str], str]:
    """Parse once; return the root, the error messages, and every message joined (for retries).

    Undeclared entities are only warnings when a DOCTYPE names an external DTD, so the retry
    decision looks at all messages, not just errors.
    """
    parser = etree.XMLParser(
        recover=True,
        resolve_entities=resolve,
        no_network=True,
        huge_tree=False,
        collect_ids=False,
        load_dtd=False,
    )
    try:
        root = etree.fromstring(data, parser)
    except (etree.XMLSyntaxError, ValueError) as error:
        return None, [str(error)], str(error)
    log = parser.error_log
    errors = [f"line {e.line}: {e.message}" for e in log if e.level >= etree.ErrorLevels.ERROR][:20]
    if errors:  # such a reference is always an error (the log may be too full to say which)
        repaired = without_surrogate_refs(data)
        if repaired is not data:
            return _lxml(repaired, resolve)
    return root, errors, " ".join(e.message for e in log) if len(log) else ""


def without_surrogate_refs(data: bytes | str) -> bytes | str:
    """``data`` with every character reference to a surrogate replaced by ``&#xFFFD;``.

    Returns ``data`` itself when there is none. Only documents that libxml2 reported errors
    for are scanned, so well-formed feeds never pay for it.
    """
    if isinstance(data, bytes) and data.startswith((b"\xff\xfe", b"\xfe\xff")):
        text = data.decode("utf-16", errors="replace").lstrip("\ufeff")  # UTF-16: repair text
        if _SURROGATE_REF.search(text) is None:
            return data
        return _XML_DECL.sub("", _SURROGATE_REF.sub(_surrogate_ref, text), count=1)
    pattern = _SURROGATE_REF if isinstance(data, str) else _SURROGATE_REF_BYTES
    if pattern.search(data) is None:
        return data
    repaired = pattern.sub(_surrogate_ref, data)
    return data if repaired == data else repaired


def _surrogate_ref(match: re.Match) -> str | bytes:
    """U+FFFD for a reference to a surrogate, the reference itself otherwise."""
    hexa, decimal = match.groups()
    code = int(hexa, 16) if hexa else int(decimal)
    if 0xD800 <= code <= 0xDFFF:
        return "&#xFFFD;" if isinstance(match.group(), str) else b"&#xFFFD;"
    return match.group()


def _entity_ref(match: re.Match[str]) -> str:
    name = match.group(1)
    if name in XML_ENTITIES or name not in name2codepoint:
        return match.group(0)
    return f"&#{name2codepoint[name]};"


def _decode(body: bytes, content_type: str | None) -> str:
    """Decode by BOM, then the HTTP charset, declared charset, UTF-8, and cp1252 as last guess."""
    boms = ((b"\xef\xbb\xbf", "utf-8"), (b"\xff\xfe", "utf-16"), (b"\xfe\xff", "utf-16"))
    for bom, codec in boms:
        if body.startswith(bom):
            return body.decode(codec, errors="replace").lstrip("\ufeff")
    candidates: list[str] = []
    if content_type and (match := _CHARSET.search(content_type)):
        candidates.append(match.group(1))
    decl = re.match(rb"\s*<\?xml[^>]*encoding=[\"']([\w.:-]+)", body[:200])
    if decl:
        candidates.append(decl.group(1).decode("ascii"))
    candidates += ["utf-8", "cp1252"]
    for label in candidates:
        codec = text_codec(label)  # not "unicode_escape" and friends: they rewrite the text
        if codec is None:
            continue
        try:
            return body.decode(codec)
        except (LookupError, ValueError):
            continue
    return body.decode("latin-1")
