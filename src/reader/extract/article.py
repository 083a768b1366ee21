"""Page -> Article: parse once, read metadata and parts, find and convert the body.

This is the only module that knows the order of the steps, which matters:
metadata and page parts (related block, comment form, comments) are read from
the untouched tree; embeds are turned into cards before scripts disappear;
boilerplate removal and the content search come last because they mutate the
tree. Every failure ends in ``Article(ok=False, error="could not extract: …")``.
"""

from __future__ import annotations

import re
from dataclasses import fields

from lxml import etree
from lxml.etree import _Element as HtmlElement

from reader.sanitize import clean_text, http_url

from . import content, embeds, parts
from .content import append_text
from .decode import MAX_INPUT_CHARS, NotHTMLError, decode_html, looks_binary
from .meta import read_meta
from .model import Article, ArticleMeta
from .roles import INLINE_TAGS
from .trim import trim

# Markdown conversion recurses per nesting level: deeper wrappers are unwrapped.
MAX_RENDER_DEPTH = 60

_XML_DECL_RE = re.compile(r"^\s*<\?xml[^>]{0,200}\?>")
_MARKUP_TEXT_RE = re.compile(r"^\s*<[a-zA-Z/!][^>]{0,2000}>\s*$")


def parse(html: str | bytes) -> HtmlElement:
    """Parse a page into an lxml tree; raises NotHTMLError when there is no page."""
    if isinstance(html, bytes | bytearray):
        text = decode_html(bytes(html))
    else:
        text = html[:MAX_INPUT_CHARS]
        if not text.strip():
            raise NotHTMLError("empty page")
        if looks_binary(text):
            raise NotHTMLError("binary data, not HTML")
    # lxml refuses str input that declares its own encoding
    text = _XML_DECL_RE.sub("", text, count=1)
    # escape sequences go before parsing: libxml2 would turn ESC into U+FFFD
    # and leave the rest of the sequence ("]0;title") as visible text. The
    # check is a fast scan; cleaning a whole page costs about a millisecond.
    if "\x1b" in text or "\x9b" in text or "\x9d" in text or "\x90" in text:
        text = clean_text(text)
    # plain lxml.etree elements: lxml.html's per-element class lookup costs a
    # millisecond a page and nothing here needs its helpers. A parser per call:
    # lxml parsers must not be shared between threads (UI workers may be threads).
    parser = etree.HTMLParser(remove_comments=True, remove_pis=True, default_doctype=False)
    try:
        root = etree.fromstring(text, parser)
    except (etree.ParserError, etree.XMLSyntaxError, ValueError) as exc:
        raise NotHTMLError(f"not parseable as HTML ({exc})") from exc
    if root is None:
        raise NotHTMLError("not parseable as HTML")
    return root


def _frames(root: HtmlElement, base: str | None) -> list[str]:
    return [u for u in (http_url(f.get("src"), base) for f in root.iter("frame")) if u]


def _body(root: HtmlElement) -> HtmlElement:
    body = root.find("body")
    return body if body is not None else root


def _main(root: HtmlElement, figures: bool) -> HtmlElement | None:
    """Strip boilerplate, find the article element and trim it."""
    content.strip_boilerplate(root, keep=embeds.KEEP_CLASSES)
    main = content.find_main(root)
    if main is None:
        body = _body(root)
        # short pages (a notice, a single quote) have no prose block at all
        if not " ".join(body.itertext()).strip():
            return None
        main = body
    trim(main, figures=figures)
    return main


def to_text(el: HtmlElement) -> str:
    """Plain text of a subtree: one paragraph per block, inline text joined."""
    out: list[str] = []
    for event, e in etree.iterwalk(el, events=("start", "end")):
        tag = e.tag
        if event == "start":
            if tag not in INLINE_TAGS:
                out.append("\n\n")
            elif tag == "br":
                out.append("\n\n")
            if e.text:
                out.append(e.text)
        else:
            if tag not in INLINE_TAGS:
                out.append("\n\n")
            if e is not el and e.tail:
                out.append(e.tail)
    paras = (" ".join(p.split()) for p in "".join(out).split("\n\n"))
    # text that is itself markup comes from broken pages (unparsed <noscript>)
    return clean_text("\n\n".join(p for p in paras if p and not _MARKUP_TEXT_RE.match(p)))


def _limit_depth(main: HtmlElement) -> None:
    """Unwrap container elements nested deeper than MAX_RENDER_DEPTH."""
    deep: list[HtmlElement] = []
    depth = {main: 0}
    for el in main.iter(tag=etree.Element):
        if el is main:
            continue
        d = depth[el.getparent()] + 1
        depth[el] = d
        if d > MAX_RENDER_DEPTH and el.tag not in ("a", "img", "br"):
            deep.append(el)
    for el in deep:
        _unwrap(el)


def _unwrap(el: HtmlElement) -> None:
    """Replace ``el`` by its children and text (lxml.html's drop_tag, for etree)."""
    parent = el.getparent()
    if parent is None:
        return
    index = parent.index(el)
    text = el.text or ""
    prev = el.getprevious()
    if text:
        if prev is not None:
            append_text(prev, "tail", text)
        else:
            append_text(parent, "text", text)
    children = list(el)
    tail = el.tail or ""
    parent.remove(el)
    for offset, child in enumerate(children):
        parent.insert(index + offset, child)
    if tail:
        if children:
            append_text(children[-1], "tail", tail)
        elif index > 0:
            append_text(parent[index - 1], "tail", tail)
        else:
            append_text(parent, "text", tail)


def extract_text(html: str | bytes, url: str | None = None) -> str:
    """Plain text of the page's main content ("" when there is none).

    Running prose only: figures and captions are left out (see trim.trim).
    Used for search, similarity and the extraction benchmark.
    """
    try:
        root = parse(html)
    except NotHTMLError:
        return ""
    # embeds stay as published ("— Name (@handle) date"): plain text is the
    # page's own wording, the cards are for the Markdown view
    main = _main(root, figures=False)
    return to_text(main) if main is not None else ""


def _quotes(markdown: str) -> list[tuple[int, int]]:
    # reader.render.quotes belongs to another module; tolerate its absence
    try:
        from reader.render.quotes import find_quotes
    except ImportError:
        return []
    try:
        spans = find_quotes(markdown)
    except Exception:  # highlighting is optional: a bug there must not lose the article
        return []
    return [(s, e) for s, e in spans if 0 <= s < e <= len(markdown)]


def _failed(reason: str, **fields: object) -> Article:
    return Article(ok=False, error=f"could not extract: {reason}", **fields)  # type: ignore[arg-type]


def extract_article(html: str | bytes, url: str | None = None) -> Article:
    """Extract the article, its metadata and the page parts around it."""
    try:
        root = parse(html)
    except NotHTMLError as exc:
        return _failed(str(exc))
    base = url
    for b in root.iter("base"):
        base = http_url(b.get("href"), url) or url
        break
    meta = read_meta(root, base)
    info: dict[str, object] = {
        **{f.name: getattr(meta, f.name) for f in fields(ArticleMeta)},
        "breadcrumb": parts.breadcrumb(root, meta.breadcrumb),
        "related": parts.related(root, url or meta.canonical_url, base),
        "comment_form": parts.comment_form(root, base),
        "comments": parts.comments(root),
    }
    if root.find("body") is None and root.find(".//frameset") is not None:
        frames = ", ".join(_frames(root, base)[:5]) or "none"
        return _failed(f"the page is a frameset; its content is in frames: {frames}", **info)
    found = embeds.replace_embeds(root, base)
    main = _main(root, figures=True)
    if main is None:
        return _failed("no readable text on the page", embeds=found, **info)
    _limit_depth(main)
    from reader.render.markdown import html_to_markdown

    fragment = etree.tostring(main, encoding="unicode", method="html", with_tail=False)
    try:
        markdown, links = html_to_markdown(fragment, base)
    except RecursionError:
        markdown, links = to_text(main), []
    if not markdown.strip():
        return _failed("no readable text on the page", embeds=found, **info)
    return Article(markdown=markdown, links=links, quotes=_quotes(markdown), embeds=found, **info)  # type: ignore[arg-type]
