"""Embedded social posts (X/Twitter, Mastodon, Instagram) as quote cards.

Publishers paste the platform's embed markup: a blockquote holding the post's
text and a link, plus a script (removed with all scripts) that would turn it
into an iframe. Without the script the text is what the reader wants, so each
embed is replaced in the tree by a plain card::

    <blockquote class="reader-embed"><p>post text</p>
    <p>— Author (@handle), X</p></blockquote>

where the platform name links to the post. The card survives boilerplate
removal (its class is in KEEP_CLASSES) and renders as a Markdown quote with an
attribution line. The same data is returned as :class:`Embed` values.
"""

from __future__ import annotations

import re
from urllib.parse import urlsplit

from lxml.etree import Element
from lxml.etree import _Element as HtmlElement

from reader.sanitize import clean_text, safe_url

from .model import Embed

CARD_CLASS = "reader-embed"
# Cards and, for plain text (where embeds stay as published), the embeds themselves.
KEEP_CLASSES = frozenset({CARD_CLASS, "twitter-tweet", "mastodon-embed", "instagram-media"})
MAX_EMBEDS = 100

PLATFORM_NAMES = {"twitter": "X", "mastodon": "Mastodon", "instagram": "Instagram"}
_TWEET_URL_RE = re.compile(r"^https?://(?:www\.|mobile\.)?(?:twitter|x)\.com/[^/]+/status", re.I)
_TOOT_URL_RE = re.compile(r"^https?://([^/]+)/@([^/@]+)(?:@[^/]+)?/(\d+)")


def _text(el: HtmlElement) -> str:
    return " ".join(" ".join(el.itertext()).split())


def _tweet(el: HtmlElement, base: str | None) -> Embed | None:
    # <blockquote class="twitter-tweet"><p>text</p>&mdash; Name (@handle)
    # <a href=".../status/1">date</a></blockquote>
    paras = el.findall(".//p")
    text = "\n\n".join(t for t in (_text(p) for p in paras) if t)
    url = ""
    for a in el.iter("a"):
        href = safe_url(a.get("href"), base) or ""
        if _TWEET_URL_RE.match(href):
            url = href
    author = ""
    for p in paras:
        tail = (p.tail or "").strip()
        if tail:
            author = tail
            break
    author = re.sub(r"^[\s\u2014\u2013-]+", "", author).strip()
    if not author and url:
        author = "@" + urlsplit(url).path.strip("/").split("/")[0]
    if not text and not url:
        return None
    return Embed("twitter", clean_text(author), url, clean_text(text))


def _mastodon_from_url(url: str) -> str:
    m = _TOOT_URL_RE.match(url)
    return f"@{m.group(2)}@{m.group(1)}" if m else ""


def _mastodon(el: HtmlElement, base: str | None) -> Embed | None:
    if el.tag == "iframe":
        url = safe_url(el.get("src"), base) or ""
        url = re.sub(r"/embed/?$", "", url)
        if not url:
            return None
        return Embed("mastodon", _mastodon_from_url(url), url, "")
    url = safe_url(el.get("data-embed-url"), base) or ""
    url = re.sub(r"/embed/?$", "", url)
    text_parts: list[str] = []
    author = ""
    for child in el.iter("p", "a", "div"):
        if child.tag == "a" and not url:
            href = safe_url(child.get("href"), base) or ""
            if _TOOT_URL_RE.match(href):
                url = href
        elif child.tag == "p" or (child.tag == "div" and _is_leaf_block(child)):
            # Mastodon's own embed code puts each line in a styled <div>, older ones in <p>.
            t = _text(child)
            if t.lower().startswith("post by "):
                author = t[8:].strip()
            elif t and not t.lower().startswith("view on mastodon"):
                text_parts.append(t)
    if not author:
        author = _mastodon_from_url(url)
    text = "\n\n".join(text_parts)
    if not text and not url:
        return None
    return Embed("mastodon", clean_text(author), url, clean_text(text))


def _instagram(el: HtmlElement, base: str | None) -> Embed | None:
    url = safe_url(el.get("data-instgrm-permalink"), base) or ""
    text_parts: list[str] = []
    author = ""
    for p in el.iter("p"):
        t = _text(p)
        if not t:
            continue
        low = t.lower()
        handle = _INSTAGRAM_BYLINE_RE.search(t)
        if "shared by" in low:
            author = t[low.index("shared by") + 9 :].strip()
        elif handle and _only_a_link(p):
            # "A post shared by Name (@handle)" in the page's language: keep the name part.
            author = _byline_name(t, handle)
        elif low != "view this post on instagram":
            text_parts.append(t)
    if not url:
        for a in el.iter("a"):
            href = safe_url(a.get("href"), base) or ""
            if "instagram.com/" in href:
                url = href
                break
    text = "\n\n".join(text_parts)
    if not text and not url:
        return None
    return Embed("instagram", clean_text(author), url, clean_text(text))


_INSTAGRAM_BYLINE_RE = re.compile(r"\(@([\w.]+)\)\s*$")
_BYLINE_LEAD_RE = re.compile(
    r"^(?:a post shared by|une publication partagée par|ein beitrag geteilt von|"
    r"una publicación compartida por|un post condiviso da|een bericht gedeeld door)\s+",
    re.I,
)


def _is_leaf_block(el: HtmlElement) -> bool:
    """A block with text but no block children (so its text is not counted twice)."""
    return not any(child.tag in ("div", "p") for child in el.iterdescendants())


def _only_a_link(p: HtmlElement) -> bool:
    """The paragraph's text is all inside links (the platform's byline line)."""
    link_text = "".join("".join(a.itertext()) for a in p.iter("a")).strip()
    return bool(link_text) and link_text == " ".join("".join(p.itertext()).split())


def _byline_name(text: str, handle: re.Match[str]) -> str:
    """``Name (@handle)`` from a localized byline; the handle alone if no lead phrase fits."""
    lead = _BYLINE_LEAD_RE.match(text)
    if lead:
        return text[lead.end() :].strip()
    return f"@{handle.group(1)}"


def _kind(el: HtmlElement) -> str | None:
    cls = (el.get("class") or "").lower().split()
    if el.tag == "blockquote":
        if "twitter-tweet" in cls or "twitter-video" in cls:
            return "twitter"
        if "mastodon-embed" in cls:
            return "mastodon"
        if "instagram-media" in cls:
            return "instagram"
    elif el.tag == "iframe":
        src = el.get("src") or ""
        if "mastodon-embed" in cls or (
            _TOOT_URL_RE.match(src) and src.rstrip("/").endswith("/embed")
        ):
            return "mastodon"
    return None


_PARSERS = {"twitter": _tweet, "mastodon": _mastodon, "instagram": _instagram}


def card(embed: Embed) -> HtmlElement:
    """The plain blockquote that stands in for an embed in the article."""
    quote = Element("blockquote", {"class": CARD_CLASS})
    for para in embed.text.split("\n\n") if embed.text else []:
        p = quote.makeelement("p", {})
        p.text = para
        quote.append(p)
    attribution = quote.makeelement("p", {})
    platform = PLATFORM_NAMES.get(embed.kind, embed.kind)
    attribution.text = f"— {embed.author}, " if embed.author else "— "
    if embed.url:
        a = attribution.makeelement("a", {"href": embed.url})
        a.text = platform
        attribution.append(a)
    else:
        attribution.text += platform
    quote.append(attribution)
    return quote


def replace_embeds(root: HtmlElement, base: str | None) -> list[Embed]:
    """Swap every recognised embed in ``root`` for a card; return the embeds."""
    found: list[tuple[HtmlElement, Embed]] = []
    for el in root.iter("blockquote", "iframe"):
        kind = _kind(el)
        if kind is None:
            continue
        embed = _PARSERS[kind](el, base)
        if embed is not None:
            found.append((el, embed))
        if len(found) >= MAX_EMBEDS:
            break
    for el, embed in found:
        parent = el.getparent()
        if parent is None:
            continue
        new = card(embed)
        new.tail = el.tail
        parent.replace(el, new)
    return [e for _el, e in found]


__all__ = ["CARD_CLASS", "KEEP_CLASSES", "replace_embeds"]
