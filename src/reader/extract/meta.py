"""Page metadata: title, author, dates, site, language, canonical URL.

Sources in order of trust: JSON-LD (written for search engines, usually
right), OpenGraph and article:* properties, other <meta> tags, <time>
elements, then byline markup (hCard ``.fn``, ``rel=author``, ``.byline``).
The first source that has a field wins for that field.
"""

from __future__ import annotations

import json
import re
from dataclasses import replace
from datetime import datetime
from email.utils import parsedate_to_datetime
from typing import Any

from lxml import etree
from lxml.etree import _Element as HtmlElement

from reader.extract.model import ArticleMeta
from reader.sanitize import clean_text, http_url

_ARTICLE_TYPES = frozenset(
    "article newsarticle blogposting reportagenewsarticle analysisnewsarticle "
    "opinionnewsarticle reviewnewsarticle backgroundnewsarticle techarticle "
    "scholarlyarticle socialmediaposting liveblogposting posting report".split()
)
MAX_JSONLD_CHARS = 500_000


class Meta:
    """Collects a page's ``ArticleMeta``: for each field, the first source to offer a value wins."""

    def __init__(self) -> None:
        self.found = ArticleMeta()

    def offer(self, name: str, value: str | list[str] | None) -> None:
        """Set ``name`` unless a more trusted source set it already."""
        if value and not getattr(self.found, name):
            self.found = replace(self.found, **{name: value})


_ASCII_SPACE_RE = re.compile(r"[ \t\n\r\f\v]+")


def squash(s: str) -> str:
    """Collapse runs of ASCII whitespace; no-break spaces stay (French « … » needs them)."""
    return _ASCII_SPACE_RE.sub(" ", s).strip(" ")


def iso_date(value: Any) -> str | None:
    """ISO 8601 form of a date string in any common web format, or None."""
    if not isinstance(value, str):
        return None
    s = value.strip()
    if not s or len(s) > 64:
        return None
    try:
        return datetime.fromisoformat(s.replace("Z", "+00:00")).isoformat()
    except ValueError:
        pass
    try:
        return parsedate_to_datetime(s).isoformat()  # RFC 822 dates from feeds
    except (TypeError, ValueError, IndexError):
        pass
    m = re.match(r"(\d{4})-(\d{2})-(\d{2})[T ](\d{2}):(\d{2})(?::(\d{2}))?", s)
    if m:  # ISO-like with an odd zone suffix: keep the local part
        y, mo, d, h, mi, sec = m.groups()
        try:
            return datetime(int(y), int(mo), int(d), int(h), int(mi), int(sec or 0)).isoformat()
        except ValueError:
            return None
    return None


def _name(value: Any) -> str | None:
    """A person or organisation name from a JSON-LD value (str, dict, list)."""
    if isinstance(value, str):
        return value.strip() or None
    if isinstance(value, dict):
        return _name(value.get("name"))
    if isinstance(value, list):
        names = [n for n in (_name(v) for v in value[:10]) if n]
        return ", ".join(dict.fromkeys(names)) or None
    return None


def _types(obj: dict[str, Any]) -> set[str]:
    t = obj.get("@type")
    if isinstance(t, str):
        return {t.lower()}
    if isinstance(t, list):
        return {x.lower() for x in t if isinstance(x, str)}
    return set()


def jsonld_objects(root: HtmlElement) -> list[dict[str, Any]]:
    """Every JSON-LD object on the page, @graph and lists flattened."""
    out: list[dict[str, Any]] = []
    for script in root.iter("script"):
        if (script.get("type") or "").strip().lower() != "application/ld+json":
            continue
        raw = (script.text or "").strip()
        if not raw or len(raw) > MAX_JSONLD_CHARS:
            continue
        raw = raw.removeprefix("<![CDATA[").removesuffix("]]>").strip()
        try:
            data = json.loads(raw, strict=False)  # raw newlines in strings are common
        except ValueError:
            continue
        stack = [data]
        while stack and len(out) < 200:
            item = stack.pop()
            if isinstance(item, list):
                stack.extend(reversed(item))
            elif isinstance(item, dict):
                out.append(item)
                if isinstance(item.get("@graph"), list):
                    stack.extend(reversed(item["@graph"]))
    return out


def _from_jsonld(objs: list[dict[str, Any]], meta: Meta, base: str | None) -> None:
    for obj in objs:
        types = _types(obj)
        if types & _ARTICLE_TYPES:
            meta.offer("title", _name(obj.get("headline")) or _name(obj.get("name")))
            meta.offer("author", _name(obj.get("author")) or _name(obj.get("creator")))
            meta.offer("published", iso_date(obj.get("datePublished")))
            meta.offer("updated", iso_date(obj.get("dateModified")))
            meta.offer("site_name", _name(obj.get("publisher")))
            meta.offer("language", _name(obj.get("inLanguage")))
            page = obj.get("mainEntityOfPage")
            page_url = page.get("@id") if isinstance(page, dict) else page
            if isinstance(page_url, str):
                meta.offer("canonical_url", http_url(page_url, base))
        elif "website" in types:
            meta.offer("site_name", _name(obj.get("name")))
        elif "breadcrumblist" in types:
            meta.offer("breadcrumb", _jsonld_crumbs(obj))


def _jsonld_crumbs(obj: dict[str, Any]) -> list[str]:
    items = obj.get("itemListElement")
    if not isinstance(items, list):
        return []
    crumbs: list[tuple[float, str]] = []
    for i, item in enumerate(items[:30]):
        if not isinstance(item, dict):
            continue
        name = _name(item.get("name")) or _name(item.get("item"))
        pos = item.get("position", i)
        try:
            pos = float(pos)
        except (TypeError, ValueError):
            pos = float(i)
        if name:
            crumbs.append((pos, clean_text(name)))
    return [name for _pos, name in sorted(crumbs, key=lambda c: c[0])]


def _meta_tags(root: HtmlElement) -> dict[str, str]:
    """<meta> property/name -> content (first occurrence wins), keys lowered."""
    tags: dict[str, str] = {}
    for m in root.iter("meta"):
        key = m.get("property") or m.get("name") or m.get("itemprop") or m.get("http-equiv")
        content = m.get("content")
        if key and content:
            tags.setdefault(key.strip().lower(), content.strip())
    return tags


_DATE_KEYS = (
    "date",
    "pubdate",
    "publish-date",
    "publish_date",
    "dc.date",
    "dc.date.issued",
    "dcterms.created",
    "parsely-pub-date",
    "sailthru.date",
    "datepublished",
)
_UPDATED_KEYS = ("last-modified", "dcterms.modified", "datemodified", "og:updated_time")


def _from_meta(tags: dict[str, str], meta: Meta, base: str | None) -> None:
    meta.offer("title", tags.get("og:title") or tags.get("twitter:title"))
    meta.offer("site_name", tags.get("og:site_name") or tags.get("application-name"))
    meta.offer("published", iso_date(tags.get("article:published_time")))
    meta.offer("updated", iso_date(tags.get("article:modified_time")))
    author = tags.get("article:author")
    if author and not author.startswith(("http:", "https:")):  # often a profile URL
        meta.offer("author", author)
    meta.offer("canonical_url", http_url(tags.get("og:url"), base))
    locale = tags.get("og:locale")
    if locale:
        meta.offer("language", locale.replace("_", "-"))
    meta.offer("author", tags.get("author") or tags.get("dc.creator") or tags.get("parsely-author"))
    for key in _DATE_KEYS:
        meta.offer("published", iso_date(tags.get(key)))
    for key in _UPDATED_KEYS:
        meta.offer("updated", iso_date(tags.get(key)))
    meta.offer("language", tags.get("content-language") or tags.get("dc.language"))


def _text(el: HtmlElement) -> str:
    return squash(" ".join(el.itertext()))


def _in_comments(el: HtmlElement) -> bool:
    """A commenter's hCard is not the article's byline."""
    for a in el.iterancestors():
        if "comment" in ((a.get("class") or "") + (a.get("id") or "")).lower():
            return True
    return False


_BYLINE_PREFIX_RE = re.compile(r"^(?:by|von|par|por|di|door|av)\s+", re.I)


_NAME_CLASSES = frozenset(
    {"fn", "author-name", "p-author", "byline__name", "author__name", "author-title"}
)
_BYLINE_CLASSES = frozenset({"byline", "author", "by-author", "post-author", "entry-author"})
_BYLINE_CUT_RE = re.compile(r"\s+(?:[|•·–—]|on\s+\w+\s+\d|am\s+\d|le\s+\d)\s*.*$", re.I)
MAX_NAME_WORDS = 6


def _name_of(el: HtmlElement) -> str | None:
    inner = el.find(".//*[@itemprop='name']")
    name = _BYLINE_PREFIX_RE.sub("", _text(inner if inner is not None else el))
    return name if name and len(name) <= 80 else None


def _byline(scope: HtmlElement) -> str | None:
    """Author name: hCard and named markup first, then rel=author, then a byline's text.

    rel=author links often read "View all of Jo's posts", so they only count
    when short; a byline's text is cut before its date.
    """
    links: list[str] = []
    bylines: list[HtmlElement] = []
    for el in scope.iter(etree.Element):
        classes = set((el.get("class") or "").lower().split())
        if el.get("itemprop") == "author" or classes & _NAME_CLASSES:
            name = None if _in_comments(el) else _name_of(el)
            if name:
                return name
        elif el.get("rel") == "author" and len(links) < 5 and not _in_comments(el):
            name = _name_of(el)
            if name and len(name.split()) <= 4:
                links.append(name)
        elif classes & _BYLINE_CLASSES and len(bylines) < 5 and not _in_comments(el):
            bylines.append(el)
    if links:
        return links[0]
    for el in bylines:
        parts = [el.text or ""]
        for child in el:
            if child.tag == "time":
                break
            parts.append(" ".join(child.itertext()))
            parts.append(child.tail or "")
        name = _BYLINE_PREFIX_RE.sub("", squash(" ".join(parts)))
        name = _BYLINE_CUT_RE.sub("", name).strip(" ,|")
        if name and len(name) <= 80 and len(name.split()) <= MAX_NAME_WORDS * 2:
            return name
    return None


def _from_markup(root: HtmlElement, meta: Meta) -> None:
    body = root.find("body")
    scope = body if body is not None else root
    for t in scope.iter("time"):
        value = iso_date(t.get("datetime"))
        if not value or _in_comments(t):
            continue
        cls = (t.get("class") or "").lower()
        # WordPress themes write class="entry-date published updated" on one <time>
        if "published" in cls or not ("updated" in cls or "modified" in cls):
            meta.offer("published", value)
        if "updated" in cls or "modified" in cls:
            meta.offer("updated", value)
        if meta.found.published and meta.found.updated:
            break
    if not meta.found.author:
        meta.offer("author", _byline(scope))
    title_el = root.find(".//title")
    page_title = squash(title_el.text or "") if title_el is not None else ""
    if not meta.found.title:
        h1 = scope.find(".//h1")
        if h1 is not None and _text(h1):
            meta.offer("title", _text(h1))
        elif page_title:
            meta.offer("title", page_title)
    if not meta.found.site_name:
        meta.offer("site_name", _site_name(scope, page_title, meta.found.title))
    for link in root.iter("link"):
        if (link.get("rel") or "").lower() == "canonical":
            meta.offer("canonical_url", link.get("href"))
            break
    meta.offer("language", root.get("lang") or root.get("xml:lang"))


_TITLE_SEPARATORS = (" - ", " | ", " – ", " — ", " :: ", " » ", " · ")


def _site_name(scope: HtmlElement, page_title: str, title: str | None) -> str | None:
    """The site's name from theme markup, or from "<title>Story – Site</title>"."""
    for el in scope.iter("p", "h1", "div", "span", "a"):
        classes = (el.get("class") or "").lower().split()
        if "site-title" in classes or "site-name" in classes:
            name = _text(el)
            if name and len(name) <= 80:
                return name
    if title and page_title.startswith(title):
        rest = page_title[len(title) :]
        for sep in _TITLE_SEPARATORS:
            if rest.startswith(sep) and rest[len(sep) :].strip():
                return rest[len(sep) :].strip()
    return None


def read_meta(root: HtmlElement, base: str | None) -> ArticleMeta:
    """Collect metadata from the untouched document tree."""
    collected = Meta()
    _from_jsonld(jsonld_objects(root), collected, base)
    _from_meta(_meta_tags(root), collected, base)
    _from_markup(root, collected)
    meta = collected.found
    if meta.canonical_url:
        meta = replace(meta, canonical_url=http_url(meta.canonical_url, base))
    for name in ("title", "author", "site_name", "language"):
        value = getattr(meta, name)
        if value:
            meta = replace(meta, **{name: squash(clean_text(value))[:500] or None})
    if meta.title and meta.site_name:
        meta = replace(meta, title=_without_site(meta.title, meta.site_name))
    if meta.author:
        meta = replace(meta, author=_BYLINE_PREFIX_RE.sub("", meta.author) or None)
    return meta


def _without_site(title: str, site: str) -> str:
    """ "Story - Site" (from <title>) -> "Story": the site is shown on its own."""
    for sep in (" - ", " | ", " – ", " — ", " :: ", " » ", " · "):
        suffix = sep + site
        if title.endswith(suffix) and len(title) > len(suffix):
            return title[: -len(suffix)].strip()
    return title
