"""RSS 0.9x/1.0/2.0 and Atom 0.3/1.0 documents (an lxml tree) read into ``ParsedFeed``.

``parse.parse_feed`` decides which format a body is and calls ``from_root`` for the XML ones.
Titles lose markup; URLs resolve against xml:base or the feed URL; duplicate GUIDs are dropped
(first wins); far-future dates are dropped (``dates.checked_date``).
"""

from __future__ import annotations

import hashlib
import html
import re
from datetime import UTC, datetime

from lxml import etree

from reader.sources.dates import checked_date
from reader.sources.hygiene import absolutize_html, clean_line, safe_url, strip_tags
from reader.sources.items import FeedError, FeedItem, ParsedFeed

ATOM10 = "http://www.w3.org/2005/Atom"
ATOM03 = "http://purl.org/atom/ns#"
CONTENT = "{http://purl.org/rss/1.0/modules/content/}encoded"
DC = "http://purl.org/dc/elements/1.1/"
SLASH_COMMENTS = "{http://purl.org/rss/1.0/modules/slash/}comments"
WFW_RSS = "{http://wellformedweb.org/CommentAPI/}commentRss"
THR = "{http://purl.org/syndication/thread/1.0}"
XML_BASE = "{http://www.w3.org/XML/1998/namespace}base"
_XMLNS = re.compile(r'\sxmlns(:\w+)?="[^"]*"')


def _local(tag: object) -> str:
    if not isinstance(tag, str):
        return ""  # comments and processing instructions
    return tag.rpartition("}")[2]


def _ns(tag: object) -> str:
    if not isinstance(tag, str):
        return ""  # comments and processing instructions (an RDF document may start with one)
    return tag[1:].partition("}")[0] if tag.startswith("{") else ""


def _base(el: etree._Element, inherited: str) -> str:
    value = el.get(XML_BASE)
    return safe_url(value, inherited) or inherited if value else inherited


def from_root(root: etree._Element, url: str, warnings: list[str]) -> ParsedFeed:
    name = _local(root.tag).lower()
    base = _base(root, url)
    if name == "rss":
        channel = next((c for c in root if _local(c.tag) == "channel"), root)
        version = "rss" + (root.get("version") or "2.0")
        return _rss(channel, list(channel), base, version, warnings)
    if name == "rdf":
        children = list(root)
        channel = next((c for c in children if _local(c.tag) == "channel"), root)
        items = [c for c in children if _local(c.tag) == "item"]
        items += [c for c in channel if _local(c.tag) == "item"]
        version = (
            "rss0.90"
            if "netscape" in _ns(root.tag) or any("netscape" in _ns(c.tag) for c in children[:1])
            else "rss1.0"
        )
        return _rss(channel, [*list(channel), *items], base, version, warnings)
    if name == "feed":
        version = (
            "atom0.3" if _ns(root.tag) == ATOM03 or root.get("version") == "0.3" else "atom1.0"
        )
        return _atom(root, base, version, warnings)
    if name == "html":
        raise FeedError("not a feed (HTML page)")
    raise FeedError(f"not a feed (root element <{name or '?'}>)")


def _text(el: etree._Element) -> str:
    """Element content as a string; markup that arrived unescaped is kept as markup."""
    if len(el) == 0:
        return el.text or ""
    parts = [html.escape(el.text or "", quote=False)]
    parts += [etree.tostring(child, encoding="unicode", with_tail=True) for child in el]
    return _XMLNS.sub("", "".join(parts))


def _title(raw: str) -> str:
    if "<" in raw or "&" in raw:
        raw = html.unescape(strip_tags(raw))
    return clean_line(raw)


def _rss(
    channel: etree._Element, children: list, base: str, version: str, warnings: list[str]
) -> ParsedFeed:
    feed = ParsedFeed(kind="rss", version=version, warnings=warnings)
    now = datetime.now(UTC)
    items: list[FeedItem] = []
    for child in children:
        tag = child.tag
        if not isinstance(tag, str):
            continue
        local = tag.rpartition("}")[2]
        if local == "item":
            items.append(_rss_item(child, _base(child, base), now))
        elif local == "title" and not feed.title:
            feed.title = _title(_text(child))
        elif local == "link" and not feed.link and child.text:
            feed.link = safe_url(child.text.strip(), base)
    feed.items = _dedupe(items, warnings)
    return feed


def _rss_item(el: etree._Element, base: str, now: datetime) -> FeedItem:
    guid = link = title = author = pub = upd = summary = content = comments = None
    permalink = True
    count: int | None = None
    categories: list[str] = []
    for child in el:
        tag = child.tag
        if not isinstance(tag, str):
            continue
        if tag == CONTENT:
            content = _text(child)
            continue
        local = tag.rpartition("}")[2]
        if local == "title":
            title = _text(child)
        elif local == "link":
            link = link or (child.text or child.get("href") or "").strip() or None
        elif local == "description" or local == "summary":
            summary = _text(child)
        elif local == "guid":
            guid = (child.text or "").strip() or None
            permalink = (child.get("isPermaLink") or "true").lower() != "false"
        elif local == "pubDate" or (local == "date" and DC in tag):
            pub = pub or child.text
        elif local in ("updated", "modified"):
            upd = child.text
        elif local == "creator" or local == "author":
            author = author or (child.text or "").strip() or None
        elif local == "category" or (local == "subject" and DC in tag):
            if child.text and child.text.strip():
                categories.append(clean_line(child.text))
        elif tag == SLASH_COMMENTS:
            count = _int(child.text)
        elif local == "comments" or tag == WFW_RSS:
            comments = comments or (child.text or "").strip() or None
    url = safe_url(link.strip(), base) if link else None
    if url is None and guid and permalink and guid.startswith(("http://", "https://")):
        url = safe_url(guid, base)
    return _item(
        guid,
        url,
        title,
        author,
        pub,
        upd,
        summary,
        content,
        categories,
        safe_url(comments, base) if comments else None,
        count,
        now,
        base,
    )


def _atom(root: etree._Element, base: str, version: str, warnings: list[str]) -> ParsedFeed:
    feed = ParsedFeed(kind="atom", version=version, warnings=warnings)
    now = datetime.now(UTC)
    items: list[FeedItem] = []
    for child in root:
        tag = child.tag
        if not isinstance(tag, str):
            continue
        local = tag.rpartition("}")[2]
        if local == "entry":
            items.append(_atom_entry(child, _base(child, base), now))
        elif local == "title" and not feed.title:
            feed.title = _title(_atom_text(child))
        elif local == "link" and child.get("rel", "alternate") == "alternate" and not feed.link:
            feed.link = safe_url(child.get("href"), base)
    feed.items = _dedupe(items, warnings)
    return feed


def _atom_text(el: etree._Element) -> str:
    """Atom text construct as HTML: ``text`` is escaped, ``html`` kept, ``xhtml`` serialized."""
    kind = (el.get("type") or "text").lower()
    mode = (el.get("mode") or "").lower()  # Atom 0.3
    if kind in ("xhtml", "application/xhtml+xml") or mode == "xml":
        div = el[0] if len(el) == 1 and _local(el[0].tag) == "div" else el
        return _text(div) if div is not el else _text(el)
    raw = _text(el)
    if kind in ("text", "text/plain") and mode != "escaped":
        return html.escape(raw, quote=False)
    return raw


def _atom_entry(el: etree._Element, base: str, now: datetime) -> FeedItem:
    guid = link = title = author = pub = upd = summary = content = comments = None
    count: int | None = None
    categories: list[str] = []
    for child in el:
        tag = child.tag
        if not isinstance(tag, str):
            continue
        local = tag.rpartition("}")[2]
        if local == "title":
            title = _atom_text(child)
        elif local == "link":
            rel = child.get("rel", "alternate")
            if rel == "alternate" and not link:
                link = child.get("href")
            elif rel == "replies":
                comments = comments or child.get("href")
                count = _int(child.get(f"{THR}count"))
        elif local == "id":
            guid = (child.text or "").strip() or None
        elif local in ("published", "issued", "created"):
            pub = pub or child.text
        elif local in ("updated", "modified"):
            upd = child.text
        elif local == "author":
            name = next((c.text for c in child if _local(c.tag) == "name"), None)
            author = author or (name or "").strip() or None
        elif local == "summary":
            summary = _atom_text(child)
        elif local == "content":
            content = _atom_text(child) if not child.get("src") else None
        elif local == "category":
            term = child.get("label") or child.get("term")
            if term and term.strip():
                categories.append(clean_line(term))
        elif tag == f"{THR}total":
            count = _int(child.text)
    url = safe_url(link.strip(), base) if link else None
    return _item(
        guid,
        url,
        title,
        author,
        pub,
        upd,
        summary,
        content,
        categories,
        safe_url(comments, base) if comments else None,
        count,
        now,
        base,
    )


def _item(
    guid: str | None,
    url: str | None,
    title: str | None,
    author: str | None,
    pub: str | None,
    upd: str | None,
    summary: str | None,
    content: str | None,
    categories: list[str],
    comments: str | None,
    count: int | None,
    now: datetime,
    base: str,
) -> FeedItem:
    """Assemble a FeedItem: clean text, check dates, invent a stable GUID when missing."""
    flags: list[str] = []
    published = checked_date(pub, now, flags, "date")
    updated = checked_date(upd, now, flags, "updated")
    if published is None and updated is None:
        flags.append("no-date")
    title_text = _title(title or "")
    if not guid:
        guid = (
            url
            or "sha1:"
            + hashlib.sha1(
                f"{title_text}\n{summary or content or ''}".encode("utf-8", "replace")
            ).hexdigest()
        )
    content_html = absolutize_html(content, base) or None
    # Feeds often repeat the whole body as the summary: resolve links once.
    summary_html = content_html if summary == content else absolutize_html(summary, base) or None
    return FeedItem(
        guid=clean_line(guid)[:1000] or guid,
        url=url,
        title=title_text,
        author=clean_line(author) or None,
        published=published,
        updated=updated,
        summary_html=summary_html,
        content_html=content_html,
        categories=tuple(dict.fromkeys(categories)),
        comments_url=comments,
        comment_count=count,
        flags=tuple(flags),
    )


def _int(value: str | None) -> int | None:
    try:
        return int(value.strip()) if value else None
    except ValueError:
        return None


def _dedupe(items: list[FeedItem], warnings: list[str]) -> list[FeedItem]:
    """Keep the first item for every GUID (feeds list newest first)."""
    seen: set[str] = set()
    unique: list[FeedItem] = []
    for item in items:
        if item.guid in seen:
            continue
        seen.add(item.guid)
        unique.append(item)
    if len(unique) < len(items):
        warnings.append(f"{len(items) - len(unique)} duplicate GUIDs dropped")
    return unique
