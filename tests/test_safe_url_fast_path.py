"""The absolute-URL fast path of safe_url answers exactly like the full join-and-split path."""

from __future__ import annotations

from urllib.parse import urljoin, urlsplit

import pytest

from reader.sanitize import safe_url

CASES = [
    "http://example.test/a/b?c=1#d",
    "https://example.test",
    "HTTPS://Example.test/Path",
    "http://user:pw@example.test:8080/x",
    "https://example.test/a/../b",
    "http:///no-host",
    "https://",
    "http://[::1/broken",
    "http://[::1]:8080/ok",
    "https://?query-only",
    "https://#frag-only",
    "http://exa mple.test/",
    "http://ex\tample.test/\n",
]


@pytest.mark.parametrize("url", CASES)
def test_fast_path_matches_the_full_path(url: str) -> None:
    cleaned = "".join(ch for ch in url if ch.isprintable() and not ch.isspace())
    try:
        joined = urljoin("https://base.test/dir/page", cleaned)
        parts = urlsplit(joined)
        expected = joined if parts.scheme.lower() in ("http", "https") and parts.netloc else None
    except ValueError:
        expected = None
    assert safe_url(url, "https://base.test/dir/page") == expected
