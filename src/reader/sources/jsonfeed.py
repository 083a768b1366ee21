"""JSON Feed 1.0 and 1.1 (https://jsonfeed.org/version/1.1) into ``ParsedFeed``.

Small enough to own: the format is a JSON object with an ``items`` list. Version 1.1 replaced
``author`` with ``authors``; both are read. Values of the wrong JSON type are ignored rather
than trusted, because a feed is untrusted input.
"""

from __future__ import annotations

import hashlib
import html
import json
from datetime import UTC, datetime
from typing import Any

from reader.sources.dates import checked_date
from reader.sources.hygiene import absolutize_html, clean_line, safe_url
from reader.sources.items import FeedError, FeedItem, ParsedFeed


def parse_json_feed(body: bytes, url: str) -> ParsedFeed:
    """Parse a JSON Feed document; raise ``FeedError`` for other JSON or broken JSON."""
    try:
        doc = json.loads(body.decode("utf-8-sig", errors="replace"))
    except (ValueError, RecursionError) as error:
        raise FeedError(f"not a feed (invalid JSON: {str(error)[:80]})") from None
    if not isinstance(doc, dict):
        raise FeedError("not a feed (JSON but not a JSON Feed object)")
    version_url = _str(doc.get("version"))
    if "jsonfeed.org" not in version_url and not isinstance(doc.get("items"), list):
        raise FeedError("not a feed (JSON but not a JSON Feed)")
    tail = version_url.rstrip("/").rsplit("/", 1)[-1] if version_url else "1"
    version = "json" + (tail if "." in tail else f"{tail}.0")
    base = safe_url(_str(doc.get("feed_url")), url) or url
    feed = ParsedFeed(
        kind="json",
        version=version,
        title=clean_line(_str(doc.get("title"))),
        link=safe_url(_str(doc.get("home_page_url")), base),
    )
    now = datetime.now(UTC)
    seen: set[str] = set()
    raw_items = doc.get("items") if isinstance(doc.get("items"), list) else []
    for raw in raw_items:
        if not isinstance(raw, dict):
            continue
        item = _item(raw, base, now, _authors(doc))
        if item.guid in seen:
            continue
        seen.add(item.guid)
        feed.items.append(item)
    dropped = len(raw_items) - len(feed.items)
    if dropped:
        feed.warnings.append(f"{dropped} duplicate or invalid items dropped")
    return feed


def _str(value: Any) -> str:
    return value if isinstance(value, str) else ""


def _authors(obj: dict[str, Any]) -> str | None:
    authors = obj.get("authors")
    if not isinstance(authors, list):
        authors = [obj.get("author")]
    names = [clean_line(_str(a.get("name"))) for a in authors if isinstance(a, dict)]
    names = [n for n in names if n]
    return ", ".join(names) or None


def _item(raw: dict[str, Any], base: str, now: datetime, feed_author: str | None) -> FeedItem:
    flags: list[str] = []
    url = safe_url(_str(raw.get("url")) or _str(raw.get("external_url")), base)
    content = _str(raw.get("content_html"))
    if not content and _str(raw.get("content_text")):
        content = "<p>" + html.escape(_str(raw["content_text"])).replace("\n\n", "</p><p>") + "</p>"
    summary = _str(raw.get("summary"))
    title = clean_line(_str(raw.get("title")))
    ident = raw.get("id")
    guid = str(ident) if isinstance(ident, str | int) and str(ident) else ""
    if not guid:
        guid = url or "sha1:" + hashlib.sha1((title + content).encode()).hexdigest()
    published = checked_date(_str(raw.get("date_published")), now, flags, "date")
    updated = checked_date(_str(raw.get("date_modified")), now, flags, "updated")
    if published is None and updated is None:
        flags.append("no-date")
    tags = raw.get("tags") if isinstance(raw.get("tags"), list) else []
    return FeedItem(
        guid=clean_line(guid)[:1000] or guid,
        url=url,
        title=title,
        author=_authors(raw) or feed_author,
        published=published,
        updated=updated,
        summary_html=html.escape(summary, quote=False) if summary else None,
        content_html=absolutize_html(content, base) or None,
        categories=tuple(dict.fromkeys(clean_line(t) for t in tags if isinstance(t, str))),
        flags=tuple(flags),
    )
