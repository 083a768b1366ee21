"""Feed parser choice: reader's lxml parser against feedparser, fastfeedparser and feedparser-rs.

Two questions, in one run: how fast is each on realistic feeds (the refresh benchmark's 30-item
RSS and Atom feeds with 3-6 KB bodies), and what does each do with hostile input (malformed
XML, entity expansion, an external entity, the wrong charset, an HTML page, an empty body,
escape sequences in titles, a feed cut off mid-item). The alternatives are optional: a parser
that is not installed is reported as missing, not skipped silently.

    .venv/bin/pip install fastfeedparser feedparser-rs   # only for this comparison
    .venv/bin/python bench/parsers.py
"""

from __future__ import annotations

import statistics
import sys
import time
from collections.abc import Callable
from pathlib import Path

HERE = Path(__file__).resolve().parent
FIXTURES = HERE.parent / "tests" / "fixtures" / "feeds"
sys.path.insert(0, str(HERE))

from feedsite import build_feed  # noqa: E402

Parser = Callable[[bytes], tuple[int, str]]
"""bytes -> (entries, first title); raises on failure."""


def reader_parser() -> Parser:
    from reader.sources.parse import parse_feed

    def run(body: bytes) -> tuple[int, str]:
        parsed = parse_feed(body, "https://bench.test/feed", None)
        return len(parsed.items), parsed.items[0].title if parsed.items else ""

    return run


def feedparser_parser() -> Parser:
    import feedparser

    def run(body: bytes) -> tuple[int, str]:
        parsed = feedparser.parse(body)
        if parsed.bozo and not parsed.entries:
            raise ValueError(f"bozo: {type(parsed.bozo_exception).__name__}")
        return len(parsed.entries), parsed.entries[0].get("title", "") if parsed.entries else ""

    return run


def fastfeedparser_parser() -> Parser:
    import fastfeedparser

    def run(body: bytes) -> tuple[int, str]:
        parsed = fastfeedparser.parse(body)
        return len(parsed.entries), parsed.entries[0].get("title", "") if parsed.entries else ""

    return run


def feedparser_rs_parser() -> Parser:
    import feedparser_rs

    def run(body: bytes) -> tuple[int, str]:
        parsed = feedparser_rs.parse(body)
        if parsed.bozo and not parsed.entries:
            raise ValueError("bozo")
        return len(parsed.entries), parsed.entries[0].title or "" if parsed.entries else ""

    return run


PARSERS: dict[str, Callable[[], Parser]] = {
    "reader (lxml)": reader_parser,
    "feedparser": feedparser_parser,
    "fastfeedparser": fastfeedparser_parser,
    "feedparser-rs": feedparser_rs_parser,
}


def hostile_inputs() -> dict[str, bytes]:
    """Bad feeds, written for this benchmark (plus the test suite's own fixtures)."""
    good_item = "<item><title>Fine</title><link>https://bench.test/1</link><guid>g1</guid></item>"
    return {
        "malformed but readable": (FIXTURES / "malformed.xml").read_bytes(),
        "billion laughs": (FIXTURES / "billion_laughs.xml").read_bytes(),
        "external entity (file:///etc/passwd)": (FIXTURES / "external_entity.xml").read_bytes(),
        "latin-1 bytes declared utf-8": (
            '<?xml version="1.0" encoding="utf-8"?><rss version="2.0"><channel><title>Caf\xe9'
            f"</title>{good_item.replace('Fine', 'Déjà vu')}</channel></rss>"
        ).encode("latin-1"),
        "UTF-8 BOM": b"\xef\xbb\xbf"
        + f'<rss version="2.0"><channel>{good_item}</channel></rss>'.encode(),
        "HTML page": (FIXTURES / "page.html").read_bytes(),
        "empty body": b"",
        "escape sequences in title": (
            f'<rss version="2.0"><channel><title>x</title>'
            f"{good_item.replace('Fine', 'Fine &#27;]52;c;aGk=&#7; &#x1b;[2J')}</channel></rss>"
        ).encode(),
        "cut off mid-item": build_feed(1, "https://bench.test")[:2500],
    }


def timed(parse: Parser, bodies: list[bytes], rounds: int = 3) -> float:
    """Median ms per feed over ``rounds`` passes."""
    per_round = []
    for _ in range(rounds):
        started = time.perf_counter()
        for body in bodies:
            parse(body)
        per_round.append((time.perf_counter() - started) / len(bodies) * 1000)
    return statistics.median(per_round)


def outcome(parse: Parser, body: bytes) -> str:
    started = time.perf_counter()
    try:
        count, title = parse(body)
    except Exception as exc:  # what each library raises is part of the finding
        text = f"error ({type(exc).__name__})"
    else:
        shown = title.encode("unicode_escape").decode()[:28]
        text = f"{count} item(s) {shown!r}" if count else "0 items"
        if "root:" in title:
            text += " READ A LOCAL FILE"
    elapsed = (time.perf_counter() - started) * 1000
    return text + (f" [{elapsed:.0f} ms]" if elapsed > 50 else "")


def main() -> None:
    bodies = [build_feed(n, "https://bench.test") for n in range(200)]
    available: dict[str, Parser] = {}
    for name, make in PARSERS.items():
        try:
            available[name] = make()
        except ImportError:
            print(f"{name}: not installed")
    print("speed: 200 feeds x 30 items (3-6 KB bodies), median of 3 passes")
    for name, parse in available.items():
        try:
            print(f"  {name:16} {timed(parse, bodies):7.2f} ms per feed")
        except Exception as exc:
            print(f"  {name:16} failed on the benchmark feeds: {type(exc).__name__}: {exc}")
    print("\nhostile input:")
    for label, body in hostile_inputs().items():
        print(f"  {label}")
        for name, parse in available.items():
            print(f"    {name:16} {outcome(parse, body)}")


if __name__ == "__main__":
    main()
