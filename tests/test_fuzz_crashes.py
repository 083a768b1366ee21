"""Replay every input the fuzz tests ever broke (tests/fixtures/fuzz/crashes/, see its README).

The file name says which public function it broke: ``feed-*`` parse_feed, ``opml-*``
parse_subscriptions, ``html-*`` sanitize.clean_html, ``page-*`` extract_article,
``markdown-*`` render.document.parse_document, ``quotes-*`` render.quotes.find_quotes,
``url-*`` sanitize.http_url/safe_url. Text inputs are read as UTF-8, or from a ``.json`` file
holding one JSON string (for lone surrogates, which UTF-8 cannot carry). Each one is checked
with the same property the fuzz test that found it checks.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from tests.fuzz_support import (
    CRASH_DIR,
    check_clean_html,
    check_feed,
    check_markdown,
    check_page,
    check_quotes,
    check_subscriptions,
    check_url,
)

_BYTES_CHECKS = {"feed": check_feed, "opml": check_subscriptions, "page": check_page}
_TEXT_CHECKS = {
    "html": check_clean_html,
    "markdown": check_markdown,
    "quotes": check_quotes,
    "url": check_url,
}
CRASHES = sorted(p for p in CRASH_DIR.iterdir() if p.name != "README.md")


def _read_text(path: Path) -> str:
    if path.suffix == ".json":
        value = json.loads(path.read_text(encoding="utf-8"))
        assert isinstance(value, str), f"{path.name}: a .json crash holds one JSON string"
        return value
    return path.read_text(encoding="utf-8")


@pytest.mark.parametrize("path", CRASHES, ids=[p.name for p in CRASHES])
def test_crash_input_now_holds_its_property(path: Path) -> None:
    kind = path.name.split("-", 1)[0]
    if kind in _BYTES_CHECKS:
        _BYTES_CHECKS[kind](path.read_bytes())
    else:
        assert kind in _TEXT_CHECKS, f"{path.name}: unknown prefix {kind!r}"
        _TEXT_CHECKS[kind](_read_text(path))


def test_every_crash_is_listed_in_the_readme() -> None:
    readme = (CRASH_DIR / "README.md").read_text(encoding="utf-8")
    missing = [p.name for p in CRASHES if f"`{p.name}`" not in readme]
    assert not missing, f"describe these in {CRASH_DIR / 'README.md'}: {missing}"
