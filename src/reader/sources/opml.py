"""Subscription lists in and out: OPML 1.0/2.0 and newsboat ``urls`` files.

Import maps both formats onto one shape, ``Subscription(url, title, tags, site_url)``:
OPML folders (nested ``<outline>`` without ``xmlUrl``) become tags, as does a ``category``
attribute; newsboat tags are the words after the URL, and a ``"~Title"`` word renames the feed.
Export writes OPML 2.0 with one folder per first tag and the full tag list in ``category``, so
``import(export(x)) == x`` for any subscription list (tested).
"""

from __future__ import annotations

import shlex
from dataclasses import dataclass
from datetime import UTC, datetime
from email.utils import format_datetime
from xml.sax.saxutils import quoteattr

from lxml import etree

from reader.sanitize import http_url
from reader.sources.hygiene import clean_line
from reader.sources.items import FeedError
from reader.sources.xmlparse import without_surrogate_refs


@dataclass(frozen=True, slots=True)
class Subscription:
    """One feed to subscribe to. Tags keep their order; duplicates are dropped."""

    url: str
    title: str | None = None
    tags: tuple[str, ...] = ()
    site_url: str | None = None


@dataclass(slots=True)
class ImportResult:
    """Subscriptions found plus human-readable warnings (skipped lines and why)."""

    subscriptions: list[Subscription]
    warnings: list[str]


def _tags(*groups: object) -> tuple[str, ...]:
    seen: dict[str, None] = {}
    for group in groups:
        values = group if isinstance(group, list | tuple) else [group]
        for value in values:
            tag = clean_line(str(value)) if value else ""
            if tag:
                seen.setdefault(tag, None)
    return tuple(seen)


def parse_opml(data: bytes) -> ImportResult:
    """Read OPML 1.0 or 2.0; raise ``FeedError`` when it is not OPML at all."""
    parser = etree.XMLParser(
        recover=True, resolve_entities=False, no_network=True, huge_tree=False, load_dtd=False
    )
    try:
        root = etree.fromstring(data, parser)
        if len(parser.error_log):  # a &#xD800; reads back as invalid UTF-8: replace, parse again
            repaired = without_surrogate_refs(data)
            if repaired is not data:
                root = etree.fromstring(repaired, parser)
    except (etree.XMLSyntaxError, ValueError) as error:
        raise FeedError(f"not an OPML file: {error}") from None
    if root is None or not isinstance(root.tag, str) or root.tag.lower() != "opml":
        raise FeedError("not an OPML file (no <opml> root)")
    body = next((c for c in root if isinstance(c.tag, str) and c.tag.lower() == "body"), None)
    result = ImportResult([], [])
    if body is None:
        result.warnings.append("OPML file has no <body>; nothing to import")
        return result
    seen: set[str] = set()

    def walk(node: etree._Element, folders: tuple[str, ...]) -> None:
        for outline in node:
            if not isinstance(outline.tag, str) or outline.tag.lower() != "outline":
                continue
            attrs = {k.lower(): v for k, v in outline.attrib.items()}
            url = (attrs.get("xmlurl") or "").strip()
            label = attrs.get("title") or attrs.get("text")
            if url and not attrs.get("title") and label == url:
                label = None  # exporters put the URL in text= when a feed has no title
            if not url:
                walk(outline, (*folders, clean_line(label)) if label else folders)
                continue
            checked = http_url(url)
            if checked is None:
                result.warnings.append(f"not an http(s) feed URL, skipped: {clean_line(url)[:80]}")
                continue
            url = checked
            if url in seen:
                result.warnings.append(f"duplicate feed skipped: {url}")
                continue
            seen.add(url)
            site_url = (attrs.get("htmlurl") or "").strip() or None
            if site_url and http_url(site_url) is None:
                result.warnings.append(f"{url}: its site link is not an http(s) URL; dropped")
            category = [c.strip().strip("/") for c in (attrs.get("category") or "").split(",")]
            tags = _tags(
                list(folders),
                [c for c in category if c and "/" not in c],
                [p for c in category if "/" in c for p in c.split("/")],
            )
            result.subscriptions.append(
                Subscription(url, clean_line(label) or None, tags, http_url(site_url))
            )

    walk(body, ())
    return result


def write_opml(subscriptions: list[Subscription], title: str = "reader subscriptions") -> str:
    """OPML 2.0: folders named by each feed's first tag, all tags in ``category``.

    Tags containing ``,`` or ``/`` cannot travel in ``category`` (OPML uses them as separators);
    such a tag survives only as a folder name.
    """
    # consecutive runs with the same first tag share a folder, so the order survives import
    folders: list[tuple[str, list[Subscription]]] = []
    for sub in subscriptions:
        folder = sub.tags[0] if sub.tags else ""
        if not folders or folders[-1][0] != folder:
            folders.append((folder, []))
        folders[-1][1].append(sub)
    lines = [
        '<?xml version="1.0" encoding="UTF-8"?>',
        '<opml version="2.0">',
        f"  <head><title>{_text(title)}</title>"
        f"<dateCreated>{format_datetime(datetime.now(UTC))}</dateCreated></head>",
        "  <body>",
    ]
    for folder, subs in folders:
        indent = "    "
        if folder:
            lines.append(f"    <outline text={quoteattr(folder)} title={quoteattr(folder)}>")
            indent = "      "
        for sub in subs:
            attrs = [f"type={quoteattr('rss')}", f"text={quoteattr(sub.title or sub.url)}"]
            if sub.title:
                attrs.append(f"title={quoteattr(sub.title)}")
            attrs.append(f"xmlUrl={quoteattr(sub.url)}")
            if sub.site_url:
                attrs.append(f"htmlUrl={quoteattr(sub.site_url)}")
            if sub.tags:
                attrs.append(f"category={quoteattr(','.join(sub.tags))}")
            lines.append(f"{indent}<outline {' '.join(attrs)}/>")
        if folder:
            lines.append("    </outline>")
    lines += ["  </body>", "</opml>", ""]
    return "\n".join(lines)


def _text(value: str) -> str:
    return value.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def parse_newsboat_urls(text: str) -> ImportResult:
    """Read a newsboat ``urls`` file: ``URL tag "tag with space" "~Title"`` per line.

    ``query:`` feeds (virtual feeds built from filters), ``exec:``/``filter:`` feeds (local
    commands) and ``!`` hidden markers are newsboat features reader does not have; those lines are
    skipped with a warning instead of silently dropped.
    """
    result = ImportResult([], [])
    seen: set[str] = set()
    for number, raw in enumerate(text.splitlines(), 1):
        line = raw.strip()
        if not line or line.startswith("#"):
            continue
        try:
            words = shlex.split(line, comments=True)
        except ValueError as error:
            result.warnings.append(f"line {number}: unreadable ({error}); skipped")
            continue
        if not words:
            continue
        url, rest = words[0], words[1:]
        if url.startswith(("query:", "exec:", "filter:")):
            kind = url.split(":", 1)[0]
            result.warnings.append(f"line {number}: {kind}: feeds are not supported; skipped")
            continue
        checked = http_url(url) if url.startswith(("http://", "https://")) else None
        if checked is None:
            result.warnings.append(f"line {number}: not an http(s) URL; skipped")
            continue
        url = checked
        if url in seen:
            result.warnings.append(f"line {number}: duplicate feed skipped: {url}")
            continue
        seen.add(url)
        title = next((w[1:] for w in rest if w.startswith("~")), None)
        tags = _tags([w for w in rest if not w.startswith(("~", "!"))])
        result.subscriptions.append(Subscription(url, clean_line(title) or None, tags))
    return result


def write_newsboat_urls(subscriptions: list[Subscription]) -> str:
    """The inverse of ``parse_newsboat_urls`` (for export to newsboat)."""
    lines = []
    for sub in subscriptions:
        words = [sub.url, *(_quote(t) for t in sub.tags)]
        if sub.title:
            words.append(_quote("~" + sub.title))
        lines.append(" ".join(words))
    return "\n".join(lines) + ("\n" if lines else "")


def _quote(word: str) -> str:
    if word and all(c.isalnum() or c in "-_.~/:" for c in word):
        return word
    return '"' + word.replace("\\", "\\\\").replace('"', '\\"') + '"'


def parse_subscriptions(data: bytes) -> ImportResult:
    """Detect OPML vs newsboat ``urls`` by content and parse either.

    Raises ``FeedError`` ("neither OPML nor a newsboat urls file (…)") for input that is neither:
    binary data, XML that is not OPML, text in which no line is a URL. An empty file, or a urls
    file of only comments, is a legitimately empty list: no subscriptions and a warning saying so.
    """
    neither = "neither OPML nor a newsboat urls file"
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):  # UTF-16 (with NULs): decode before sniffing
        text = data.decode("utf-16", errors="replace").lstrip("\ufeff")
    elif b"\x00" in data[:65536] or data.startswith(b"\x1f\x8b"):
        raise FeedError(
            f"{neither} (binary data"
            + ("; gzip-compressed?)" if data.startswith(b"\x1f\x8b") else ")")
        )
    else:
        text = data.decode("utf-8", errors="replace").lstrip("\ufeff")
    if not text.strip():
        return ImportResult([], ["the file is empty; nothing to import"])
    if text.lstrip().startswith("<"):
        try:
            return parse_opml(data)
        except FeedError as error:
            raise FeedError(f"{neither}: {error}") from None
    sample = text[:65536]
    controls = sum(1 for c in sample if ord(c) < 32 and c not in "\t\n\r\f")
    if controls > len(sample) // 100 or sample.count("\ufffd") > len(sample) // 10:
        raise FeedError(f"{neither} (binary data)")
    result = parse_newsboat_urls(text)
    lines = [line.strip() for line in text.splitlines()]
    lines = [line for line in lines if line and not line.startswith("#")]
    if result.subscriptions or not lines:
        if not lines:
            result.warnings.append("no feeds in the file (only comments and blank lines)")
        return result
    if not any(
        "://" in line or line.startswith(("query:", "exec:", "filter:", '"')) for line in lines
    ):
        raise FeedError(
            f"{neither} (no line is a feed URL; the first reads {clean_line(lines[0])[:60]!r})"
        )
    return result
