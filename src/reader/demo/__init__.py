"""The bundled offline demo site.

When ``reader`` starts without any subscriptions it shows a small fictional
WordPress news site that lives at ``https://demo.reader.invalid/`` (the
``.invalid`` top-level domain never resolves, so nothing is ever fetched).

The demo is deliberately *data*, not a special code path: ``site/feed.xml`` is a
real WordPress-style RSS 2.0 feed and ``site/posts/*.html`` are complete raw
pages with headers, sidebars, cookie banners, share buttons, related-post
blocks, comment threads and comment forms. The app feeds them through the same
feed parser, page store and extractor as anything fetched from the network, so
the demo shows exactly what real content looks like and doubles as a fixture
for that pipeline.

Files are read with :mod:`importlib.resources`, so this works from a wheel or a
zip as well as from a source checkout.
"""

from __future__ import annotations

import re
from functools import lru_cache
from importlib import resources
from urllib.parse import urldefrag, urlsplit, urlunsplit

__all__ = [
    "DEMO_FEED_URL",
    "DEMO_SITE_URL",
    "demo_feed_xml",
    "demo_page",
    "demo_pages",
    "is_demo_url",
]

DEMO_SITE_URL = "https://demo.reader.invalid/"
DEMO_FEED_URL = "https://demo.reader.invalid/feed/"

_CANONICAL = re.compile(rb'<link\s+rel="canonical"\s+href="([^"]+)"', re.IGNORECASE)


def _site() -> resources.abc.Traversable:
    return resources.files(__name__).joinpath("site")


def demo_feed_xml() -> bytes:
    """Raw bytes of the demo RSS feed (served as :data:`DEMO_FEED_URL`)."""
    return _site().joinpath("feed.xml").read_bytes()


@lru_cache(maxsize=1)
def _pages() -> dict[str, bytes]:
    pages: dict[str, bytes] = {}
    posts = _site().joinpath("posts")
    for entry in sorted(posts.iterdir(), key=lambda e: e.name):
        if not entry.name.endswith(".html"):
            continue
        raw = entry.read_bytes()
        match = _CANONICAL.search(raw)
        if match is None:  # pragma: no cover - guarded by tests
            raise ValueError(f"demo page {entry.name} has no canonical link")
        pages[match.group(1).decode("ascii")] = raw
    return pages


def demo_pages() -> dict[str, bytes]:
    """Map each demo post's canonical URL to its raw HTML bytes."""
    return dict(_pages())


def _normalise(url: str) -> str:
    url, _fragment = urldefrag(url.strip())
    parts = urlsplit(url)
    path = parts.path or "/"
    if not path.endswith("/"):
        path += "/"
    return urlunsplit(("https", parts.netloc.lower(), path, "", ""))


def is_demo_url(url: str) -> bool:
    """True if *url* points into the demo site."""
    return urlsplit(url.strip()).netloc.lower() == urlsplit(DEMO_SITE_URL).netloc


def demo_page(url: str) -> bytes | None:
    """Raw HTML of the demo post at *url* (fragment/trailing slash tolerant), or None."""
    if not is_demo_url(url):
        return None
    return _pages().get(_normalise(url))
