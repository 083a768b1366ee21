"""Make page text and URLs safe to show in a terminal and to follow.

Everything that reaches the screen passes :func:`clean_text`: a page could
otherwise move the cursor, retitle the window, write to the clipboard (OSC 52)
or reorder what the user reads with bidi overrides. Every link passes
:func:`safe_url` so ``javascript:``-style targets can never be followed.
Feeds and the UI import these two names too.
"""

from __future__ import annotations

import re
from urllib.parse import urljoin, urlsplit

__all__ = ["SAFE_SCHEMES", "clean_line", "clean_text", "safe_url"]

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
# text shows in its natural order, which is what the reader expects.
_CONTROL_RE = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]")
_URL_JUNK_RE = re.compile("[\x00-\x20\x7f-\x9f\u200b-\u200f\u202a-\u202e\u2066-\u2069\ufeff]")

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
    if "\x1b" in s or "\x9b" in s or "\x9d" in s or "\x90" in s:
        s = _ESCAPE_RE.sub("", s)
    return _CONTROL_RE.sub("", s)


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
    so ``java\\tscript:`` cannot slip past the scheme check. Relative URLs are
    resolved against ``base``; without a base they are returned as they are
    (harmless, just not absolute). Only http(s), mailto, ftp and gemini pass.
    """
    if not url:
        return None
    url = _URL_JUNK_RE.sub("", url)
    if not url:
        return None
    # Fast path for the common case, an absolute http(s) URL with a plain host: joining
    # and splitting would return it unchanged (urljoin costs ~12 µs, and feeds carry many).
    if url.startswith(("http://", "https://")):
        rest = url[8:] if url[4] == "s" else url[7:]
        if rest and rest[0] not in "/?#[" and "[" not in rest.split("/", 1)[0]:
            return url
    try:
        if base:
            base = _URL_JUNK_RE.sub("", base)
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
