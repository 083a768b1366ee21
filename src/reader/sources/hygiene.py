"""Text and URL hygiene for everything parsed out of feeds.

A feed title is shown in a terminal, so it must not carry escape sequences (cursor moves, window
titles, OSC 52 clipboard writes), C0/C1 controls or bidi overrides. The project-wide rules live in
``reader.sanitize`` (a light module: it imports no parser); this module applies them to
feed fields.
"""

from __future__ import annotations

import re
from contextvars import ContextVar
from urllib.parse import urljoin, urlsplit

from reader.sanitize import (
    clean_line,  # noqa: F401  (re-exported for sources)
    http_url,
)
from reader.sanitize import clean_text as _clean_text  # the project's one sanitizer

dropped_urls: ContextVar[list[str] | None] = ContextVar("dropped_urls", default=None)
"""While ``parse_feed`` runs: the URLs ``safe_url`` refused, for the parse warning."""

_TAGS = re.compile(r"<[^>]*>")


def clean_text(s: str | None) -> str:
    """Terminal-safe text (newlines kept): no escapes, controls or bidi overrides."""
    return _clean_text(s)


def strip_tags(s: str) -> str:
    """Drop markup from a title some publishers wrap in ``<b>`` or ``<![CDATA[<em>…]]>``."""
    return _TAGS.sub("", s) if "<" in s else s


def safe_url(url: str | None, base: str | None = None) -> str | None:
    """The URL to store: absolute http(s) (relative ones resolved against ``base``) or None.

    A refused value (``javascript:``, ``data:``, ``file:``, also hidden behind entities or
    tabs) is noted in ``dropped_urls`` so the parse can say so.
    """
    if not url:
        return None
    found = http_url(url, base)
    if found is None and url.strip():
        noted = dropped_urls.get()
        if noted is not None:
            noted.append(url)
    return found


_NOT_RELATIVE = r"(?!https?:|mailto:|data:|#|javascript:)"
_RELATIVE = re.compile(
    rf"""(\s(?:href|src|poster)\s*=\s*)(["']|(?![\s"'])){_NOT_RELATIVE}([^"'\s>]+)""", re.I
)


def absolutize_html(markup: str | None, base: str) -> str | None:
    """Resolve relative ``href``/``src``/``poster`` values in ``markup`` against ``base``.

    Why no HTML parser: this runs on every item of every refresh (30,000 items for 1000 feeds).
    The pre-check (``_MAYBE_RELATIVE``) costs about 3 µs per 5 KB item and the rewrite only
    runs on items that need it.
    """
    if not markup or not _has_relative(markup):
        return markup
    parts = urlsplit(base)
    origin = f"{parts.scheme}://{parts.netloc}"

    def fix(match: re.Match[str]) -> str:
        raw = html_unescape(match.group(3))
        # Root-relative links are most of them: join by hand (urljoin is ~12 µs a call).
        if raw.startswith("/") and not raw.startswith("//") and "/." not in raw:
            url = origin + raw
        else:
            try:
                url = urljoin(base, raw)
            except ValueError:
                return match.group(0)
        return f"{match.group(1)}{match.group(2)}{html_escape(url)}"

    return _RELATIVE.sub(fix, markup)


_MAYBE_RELATIVE = re.compile(
    r"""=(?:(?<=href=)|(?<=src=)|(?<=HREF=)|(?<=SRC=)|(?<=poster=))"""
    r"""(?:"|'|(?=[^"']))(?!https?:|HTTP|#|mailto:|data:|javascript:)"""
)
"""An ``href=``/``src=``/``poster=`` value that does not start absolute (quoted or not).

It starts with the literal ``=`` so the regex engine jumps between ``=`` signs at C speed and
looks back for the attribute name: 2.7 µs per 5 KB body, against 14.5 µs for a ``str.find``
loop per attribute name and 20 µs for an alternation of names up front.
"""


def _has_relative(markup: str) -> bool:
    """Whether any ``href=``/``src=``/``poster=`` value looks relative."""
    return _MAYBE_RELATIVE.search(markup) is not None


def html_unescape(s: str) -> str:
    """``&amp;`` inside attribute values must not reach urljoin."""
    return s.replace("&amp;", "&") if "&" in s else s


def html_escape(s: str) -> str:
    """Re-escape what ``html_unescape`` undid (attribute context)."""
    return s.replace("&", "&amp;") if "&" in s else s
