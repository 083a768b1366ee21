"""The one sanitizer: text and URLs from the network, made safe to keep, show and follow.

Used twice on purpose. *At the door*, before anything from the network reaches the store (feed
items, feed rows, comments, imported subscriptions, page index text): :func:`clean_line` for
one-line fields, :func:`clean_html` for bodies, :func:`http_url` for every stored URL. Every
later output path (the screen, ``--json``, search snippets, exports, sync) then starts from clean
data. *At display*, :func:`clean_text` and :func:`safe_url` again, as a second line of defence
(a page is stored as fetched and only cleaned when it is extracted).

Why it matters: text with escape sequences could move the cursor, retitle the window, write the
clipboard (OSC 52) or reorder what the user reads (bidi overrides); a lone surrogate cannot be
encoded and once crashed the refresh's store process; a ``javascript:`` link must never be
followed.
"""

from __future__ import annotations

import html
import re
from urllib.parse import quote, urljoin, urlsplit

__all__ = [
    "SAFE_SCHEMES",
    "clean_html",
    "clean_line",
    "clean_text",
    "http_url",
    "safe_url",
]

# ESC-introduced sequences: CSI (ESC [ ... final), OSC/DCS/APC/PM/SOS strings
# (ESC ] ... BEL or ST), then any other two-byte escape. The 8-bit C1 forms
# (0x9b CSI, 0x9d OSC ...) are covered too. Repeats are bounded so a hostile
# unterminated sequence costs linear time.
_ESCAPE_RE = re.compile(
    r"(?:\x1b\[|\x9b)[0-?]{0,64}[ -/]{0,16}[@-~]?"
    r"|(?:\x1b[\]PX^_]|[\x90\x98\x9d\x9e\x9f])[^\x07\x1b\x9c]{0,4096}(?:\x07|\x1b\\|\x9c)?"
    r"|\x1b[ -~]?"
)
# C0 controls except tab and newline, DEL, C1 controls; bidi embeddings,
# overrides and isolates (U+202A-202E, U+2066-2069) are dropped: without them
# text shows in its natural order, which is what the reader expects. Lone
# surrogates (U+D800-DFFF: from ``&#xD800;`` or a broken decoder) cannot be
# encoded as UTF-8 at all; they become U+FFFD.
_CONTROL_RE = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069\ud800-\udfff]")
_URL_JUNK_RE = re.compile("[\x00-\x20\x7f-\x9f\u200b-\u200f\u202a-\u202e\u2066-\u2069\ufeff]")
# Other Unicode whitespace (U+00A0, U+2028, U+3000 ...) is kept the way a browser sends it,
# percent-encoded, so a URL is always one unbroken word; a lone surrogate (it has no UTF-8 form)
# is sent as U+FFFD.
_URL_ENCODE_RE = re.compile("[\\s\ud800-\udfff]")

SAFE_SCHEMES = frozenset({"http", "https", "mailto", "ftp", "gemini"})


def clean_text(s: str | None) -> str:
    """Return ``s`` without escape sequences, control or bidi-override characters.

    Newlines and tabs stay (they carry layout); ``\\r`` becomes ``\\n`` so a
    carriage return cannot overwrite a line already drawn.
    """
    if not s:
        return ""
    if "\r" in s:
        s = s.replace("\r\n", "\n").replace("\r", "\n")
    if (
        "\x1b" in s
        or "\x9b" in s
        or "\x9d" in s
        or "\x90" in s
        or "\x98" in s
        or "\x9e" in s
        or "\x9f" in s
    ):
        s = _ESCAPE_RE.sub("", s)
    return _CONTROL_RE.sub(_replace_control, s)


def _replace_control(match: re.Match[str]) -> str:
    """A surrogate becomes U+FFFD (something was there); every other control goes."""
    return "\ufffd" if "\ud800" <= match.group() <= "\udfff" else ""


def clean_line(s: str | None) -> str:
    """``clean_text`` for one-line fields (titles, names): all whitespace collapsed.

    ``isprintable`` is a fast path: most titles are plain and skip the regexes entirely (this
    runs for every list row painted and every feed item parsed).
    """
    if not s:
        return ""
    if s.isprintable():
        return " ".join(s.split())
    return " ".join(clean_text(s).split())


def safe_url(url: str | None, base: str | None = None) -> str | None:
    """Absolute, followable form of ``url`` or None when it must not be followed.

    Whitespace and control characters are removed first, the way browsers do,
    so ``java\\tscript:`` cannot slip past the scheme check (non-ASCII whitespace
    and lone surrogates are percent-encoded instead, as a browser sends them). Relative URLs are
    resolved against ``base``; without a base they are returned as they are
    (harmless, just not absolute). Only http(s), mailto, ftp and gemini pass.
    """
    if not url:
        return None
    url = _without_junk(url)
    if not url:
        return None
    # Fast path for the common case, an absolute http(s) URL with a plain host: joining
    # and splitting would return it unchanged (urljoin costs ~12 µs, and feeds carry many).
    # A host with a bracket or outside ASCII takes the full path: urlsplit refuses some of
    # them ("https://a]b", NFKC look-alikes of "/" or "#"), and callers split what they get.
    if url.startswith(("http://", "https://")):
        rest = url[8:] if url[4] == "s" else url[7:]
        host = rest.split("/", 1)[0]
        if host and host[0] not in "?#" and host.isascii() and "[" not in host and "]" not in host:
            return url
    try:
        if base:
            base = _without_junk(base)
            url = urljoin(base, url)
        parts = urlsplit(url)
    except ValueError:  # e.g. an unbalanced IPv6 bracket
        return None
    scheme = parts.scheme.lower()
    if not scheme:
        # relative link and no base; a "//host" form gets https
        if url.startswith("//"):
            return "https:" + url
        return url if ":" not in url.split("/", 1)[0] else None
    if scheme not in SAFE_SCHEMES:
        return None
    if scheme in ("http", "https") and not parts.netloc:
        return None
    return url


def _without_junk(url: str) -> str:
    """``url`` without controls, ASCII whitespace and invisible characters (see safe_url)."""
    url = _URL_JUNK_RE.sub("", url)
    if not url.isascii() and _URL_ENCODE_RE.search(url) is not None:
        url = _URL_ENCODE_RE.sub(_percent_encode, url)
    return url


def _percent_encode(match: re.Match[str]) -> str:
    char = match.group()
    return "%EF%BF%BD" if "\ud800" <= char <= "\udfff" else quote(char)


def http_url(url: str | None, base: str | None = None) -> str | None:
    """The form of ``url`` that may be *stored*: absolute http(s), or None.

    Stricter than :func:`safe_url` (which also lets ``mailto:`` links in an article be shown):
    feed URLs, site URLs, article links, comment URLs, image sources and form actions are
    fetched or opened later, so only the web schemes pass. A relative URL passes only when
    ``base`` is http(s) and resolves it.
    """
    if not url:
        return None
    if base is not None and not base.lower().startswith(("http://", "https://")):
        base = None
    found = safe_url(url, base)
    if found is None or not found.lower().startswith(("http://", "https://")):
        return None
    return found


# Numeric character references that would decode to something clean_text removes. A superset
# of the dangerous values (checked exactly by ``_replace_reference``), so the common ones
# (``&#8217;``, ``&#039;``) cost one failed match and no call.
_DANGEROUS_REF_RE = re.compile(
    r"&#(?:0*(?:[0-9]|[1-9][0-9]|1[0-5][0-9]|5[5-7][0-9]{3}|823[4-8]|829[4-7])(?![0-9])"
    r"|[xX]0*(?:[0-9a-fA-F]{1,2}|[dD][89a-fA-F][0-9a-fA-F]{2}|202[a-eA-E]|206[6-9])"
    r"(?![0-9a-fA-F]));?"
)
# A URL attribute (href, src, action, poster, background, data: by their last letter) whose
# value has a scheme that is not http(s), also split by tabs or newlines (a browser drops them)
# or hidden behind a reference (``&colon;``, ``&#58;``): a cheap superset (2 µs per 5 KB body;
# naming the attributes in look-behinds cost 11 µs) that gates the exact per-attribute rewrite.
_SUSPECT_URL_RE = re.compile(
    r"""=(?<=[fcnrdaFCNRDA\s]=)=*\s*["']?\s*(?!https?://|mailto:)"""
    r"""(?:[\w+.-]|[\t\n]++)*+(?::|&(?!amp;[\w-]*=))"""
)
# An attribute starts after whitespace, ``/`` or a closing quote (``<a/href=...>`` and
# ``<a title="t"href=...>`` are links to a browser). The value (group 2, a quoted one without
# its closing quote) is only looked at, not consumed: a false start inside another value
# (``class=x/href= href="javascript:..."``) must not hide the attribute after it. Python's
# html.parser reads ``href==x`` as ``href="x"``, so extra ``=`` do not start the value. The
# look-ahead on the first letter keeps the scan as fast as the whitespace-only form was.
_URL_ATTR_RE = re.compile(
    r"""([\s/"'](?=[hsafpbcdxHSAFPBCDX])"""
    r"""(?:href|src|action|formaction|poster|background|cite|data|xlink:href)\s*=+)"""
    r"""(?=\s*("[^"]*|'[^']*|[^\s"'>]+))""",
    re.IGNORECASE,
)
_SCHEME_RE = re.compile(r"^([a-zA-Z][a-zA-Z0-9+.-]*):")
_BODY_SCHEMES = frozenset({"http", "https", "mailto"})


def clean_html(markup: str | None) -> str | None:
    """A body (feed item HTML) ready to store: ``clean_text`` rules, in markup.

    Besides the characters ``clean_text`` removes, numeric references that would decode to
    them (``&#27;``, ``&#xD800;``, ``&#x202E;``) are removed, and a link, image or form whose
    URL has another scheme than http(s) or mailto (``javascript:``, ``data:``, also hidden
    behind entities or tabs) gets ``#`` instead, so no later reader of the stored HTML can be
    tricked. Bidi controls are dropped like everywhere else: the text then shows in its
    natural order.
    """
    if not markup:
        return markup
    if "&#" in markup:  # decoded first, so an escape sequence spelled as &#27;[2J goes whole
        markup = _DANGEROUS_REF_RE.sub(_decode_dangerous_reference, markup)
    markup = clean_text(markup)
    if _SUSPECT_URL_RE.search(markup) is not None:
        markup = _neutralise_url_attrs(markup)
    return markup


def _decode_dangerous_reference(match: re.Match[str]) -> str:
    """The character a reference stands for when clean_text would remove it, else the text."""
    text = match.group()
    digits = text[2:].rstrip(";")
    try:
        code = int(digits[1:], 16) if digits[:1] in "xX" else int(digits)
    except ValueError:
        return text
    if code in (9, 10, 13) or code > 0x10FFFF:
        return text
    char = chr(code)
    return char if _CONTROL_RE.match(char) else text


def _neutralise_url_attrs(markup: str) -> str:
    """``markup`` with ``#`` for every URL attribute value that ``_neutralise_url_attr`` refuses."""
    parts: list[str] = []
    done = 0
    for match in _URL_ATTR_RE.finditer(markup):
        start = match.start(2)
        if start < done:
            continue  # inside a value already replaced
        replacement = _neutralise_url_attr(match)
        if replacement is not None:
            parts += (markup[done:start], replacement)
            done = match.end(2)
    if not parts:
        return markup
    parts.append(markup[done:])
    return "".join(parts)


def _neutralise_url_attr(match: re.Match[str]) -> str | None:
    """``#`` (quoted) in place of the value when its scheme is not http(s) or mailto."""
    raw = match.group(2)
    mark = raw[:1] if raw[:1] in "\"'" else ""  # its closing quote follows the match
    value = raw[1:] if mark else raw
    if ":" not in value and "&" not in value:
        return None
    decoded = value
    for _ in range(3):  # "&amp;#x09;" is one decoding away from a tab: any consumer may decode
        decoded = _URL_JUNK_RE.sub("", html.unescape(decoded))
        if "&" not in decoded:
            break
    scheme = _SCHEME_RE.match(decoded)
    if scheme is None or scheme.group(1).lower() in _BODY_SCHEMES:
        return None
    return f"{mark}#" if mark else '"#"'
