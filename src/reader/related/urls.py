"""URL rules for related posts: one canonical key per post, and "does this look like a post?".

Sources disagree on spelling (``http`` vs ``https``, a trailing slash, ``utm_*`` tracking
parameters, a ``#comments`` fragment), so every source's URL goes through ``canonical_key``
before merging; without it the same post would show up three times in the sidebar.
"""

from __future__ import annotations

import re
from urllib.parse import parse_qsl, urlencode, urlsplit, urlunsplit

_TRACKING = re.compile(
    r"^(?:utm_\w+|fbclid|gclid|dclid|msclkid|mc_cid|mc_eid|_ga|igshid|ref|ref_src|"
    r"share|nb|amp|replytocom|relatedposts|relatedposts_hit|relatedposts_origin|"
    r"relatedposts_position)$",
    re.I,
)
_NOT_POSTS = re.compile(
    r"/(?:tag|tags|category|categories|author|authors|feed|rss|atom|wp-content|wp-admin|"
    r"wp-json|wp-includes|wp-login\.php|comments|search|page|login|register|cart|account|"
    r"xmlrpc\.php|cdn-cgi)(?:/|$)",
    re.I,
)
_FILES = re.compile(
    r"\.(?:jpe?g|png|gif|webp|avif|svg|ico|pdf|zip|gz|mp3|mp4|webm|ogg|css|js|xml|json|txt)$",
    re.I,
)
_COMMENT_FRAGMENT = re.compile(r"^(?:comment|respond|comments|reply)", re.I)
_DATE_ARCHIVE = re.compile(r"^/\d{4}(?:/\d{1,2}){0,2}/?$")


def is_web_url(url: str | None) -> bool:
    """http(s) with a host: the only links a related list may hold (no javascript:, data:)."""
    if not url:
        return False
    try:
        parts = urlsplit(url.strip())
        parts.port  # noqa: B018 - raises ValueError for a port like 99999 or "abc"
    except ValueError:
        return False
    return parts.scheme.lower() in ("http", "https") and bool(parts.hostname)


def canonical_url(url: str) -> str:
    """The URL to show and fetch: no fragment, no tracking parameters (scheme kept)."""
    parts = urlsplit(url.strip())
    query = [
        (k, v) for k, v in parse_qsl(parts.query, keep_blank_values=True) if not _TRACKING.match(k)
    ]
    return urlunsplit(
        (parts.scheme.lower(), parts.netloc.lower(), parts.path or "/", urlencode(query), "")
    )


def canonical_key(url: str) -> str:
    """Dedup key: canonical URL without scheme, ``www.``, default port or trailing slash."""
    parts = urlsplit(canonical_url(url))
    host = (parts.hostname or "").removeprefix("www.")
    port = parts.port
    if port and port not in (80, 443):
        host = f"{host}:{port}"
    path = parts.path.rstrip("/") or ""
    return f"{host}{path}" + (f"?{parts.query}" if parts.query else "")


def host_of(url: str | None) -> str:
    """Lower-case host without ``www.`` ('' when there is none)."""
    if not url:
        return ""
    try:
        host = urlsplit(url).hostname or ""
    except ValueError:
        return ""
    return host.lower().removeprefix("www.")


def looks_like_post(url: str) -> bool:
    """A link that points at a post rather than at site furniture.

    Excluded: the front page, tag/category/author/feed/wp-content/… paths, date archives,
    media files, comment anchors (``#comment-3``, ``#respond``) and ``?replytocom=`` links.
    """
    try:
        parts = urlsplit(url)
    except ValueError:
        return False
    if _COMMENT_FRAGMENT.match(parts.fragment or ""):
        return False
    if "replytocom=" in parts.query or "share=" in parts.query:
        return False
    path = parts.path or "/"
    if path.strip("/") == "" and "p=" not in parts.query:
        return False
    if _NOT_POSTS.search(path) or _FILES.search(path) or _DATE_ARCHIVE.match(path):
        return False
    return True


def title_from_url(url: str) -> str:
    """A readable stand-in title from the slug, for links known only by address."""
    path = urlsplit(url).path.rstrip("/")
    slug = path.rsplit("/", 1)[-1] if path else ""
    slug = re.sub(r"\.(?:html?|php|aspx?)$", "", slug)
    words = re.sub(r"[-_+]+", " ", slug).strip()
    return (words[:1].upper() + words[1:]) if words else url
