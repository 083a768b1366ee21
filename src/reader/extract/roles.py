"""What a page element is, judged from its tag, class and id alone.

The vocabulary is generic page furniture (share bars, sidebars, cookie
banners, comment sections) in the class-name forms sites actually use; no
site is named. Lookups are cached because pages repeat class strings.
"""

from __future__ import annotations

import functools
import re
from typing import NamedTuple

from lxml.etree import _Element as HtmlElement

# Dropped wherever they are: never article text.
DROP_TAGS = frozenset(
    "script style noscript template svg canvas iframe object embed button input select "
    "textarea option optgroup link meta title map area audio video source track dialog "
    "head nav aside footer menu datalist output progress meter".split()
)
# Tags whose text belongs to the enclosing block.
INLINE_TAGS = frozenset(
    "a abbr acronym b bdi bdo big cite code data del dfn em font i img ins kbd label mark "
    "nobr q s samp small span strike strong sub sup time tt u var wbr br picture".split()
)
CELL_TAGS = frozenset(("td", "th", "li", "dd", "dt"))
HEADING_TAGS = frozenset(("h1", "h2", "h3", "h4", "h5", "h6"))

# Class/id words naming page furniture. Matched against whole words of a class
# name (so "ad" does not match "header") ...
_NOISE_WORDS = frozenset(
    "ad ads adv advert adverts advertisement advertising adsense adslot affiliate banner "
    "breadcrumb breadcrumbs byline comment comments commentlist community consent "
    "cookie cookies disqus dropdown footer gdpr hidden masthead menu modal nav navbar "
    "navigation newsletter outbrain overlay pagination pager popular popup promo "
    "promotion recirc recirculation recommended related share sharing sidebar signup "
    "skip social sponsor sponsored subscribe subscription taboola tags toolbar "
    "trending widget widgets jp sharedaddy addtoany a2a sr screen-reader "
    "visually visuallyhidden offscreen print rail tooltip most-read mostread "
    "inline-ad ad-container".split()
)
# ... and as substrings of names written as one word ("articleShareBar").
_NOISE_PARTS = (
    "sidebar",
    "comment",
    "related",
    "share",
    "social",
    "newsletter",
    "advert",
    "sponsor",
    "cookie",
    "breadcrumb",
    "promo",
    "outbrain",
    "taboola",
    "recommend",
    "popular",
    "trending",
    "subscri",
    "signup",
    "navbar",
    "footer",
    "banner",
    "teaser",
    "recirc",
    "byline",
)
# Names of the article body itself: never removed even if they also carry a
# noise word (a real page has class="ad article-body").
_CONTENT_RE = re.compile(
    r"article[-_]?body|articletext|article[-_]?text|article[-_]?content|entry[-_]?content|"
    r"post[-_]?content|post[-_]?body|story[-_]?body|story[-_]?content|main[-_]?content|"
    r"content[-_]?body|body[-_]?text|articlebody|post[-_]?entry|text[-_]?content",
    re.I,
)
# WordPress post_class() adds "tag-<slug>" and "category-<slug>": a post tagged
# "social" must not vanish, so such taxonomy classes are not read as roles.
_TAXONOMY_PREFIXES = ("tag-", "category-", "cat-", "topic-", "tags-", "format-", "type-")
# Furniture so unambiguous that no amount of prose inside makes it the article.
_STRONG_NOISE_RE = re.compile(
    r"comment|disqus|footer|cookie|consent|gdpr|newsletter|breadcrumb|related|recommend|"
    r"outbrain|taboola|masthead|subscri|signup|promo",
    re.I,
)
_WORD_SPLIT_RE = re.compile(r"[^a-z0-9]+")
_HIDDEN_STYLE_RE = re.compile(r"display\s*:\s*none|visibility\s*:\s*hidden", re.I)


class Role(NamedTuple):
    """What an element's class and id say about it."""

    noise: bool  # page furniture
    strong: bool  # furniture that is never the article, whatever it holds
    content: bool  # named as the article body
    caption: bool  # a caption or photo credit


_NO_ROLE = Role(False, False, False, False)


@functools.lru_cache(maxsize=4096)
def _role_of(cls: str, ident: str) -> Role:
    # cached: pages repeat the same class strings hundreds of times
    names = [c for c in cls.lower().split() if not c.startswith(_TAXONOMY_PREFIXES)]
    raw = " ".join(names) + " " + ident.lower()
    content = _CONTENT_RE.search(raw) is not None
    words: list[str] = []
    for name in names:
        words.extend(_WORD_SPLIT_RE.split(name))
    words.extend(_WORD_SPLIT_RE.split(ident.lower()))
    noise = not content and (
        any(w in _NOISE_WORDS for w in words) or any(p in raw for p in _NOISE_PARTS)
    )
    strong = noise and _STRONG_NOISE_RE.search(raw) is not None
    caption = "caption" in raw or "credit" in raw
    return Role(noise, strong, content, caption)


def role(el: HtmlElement) -> Role:
    """The role its class and id give ``el``."""
    cls = el.get("class")
    ident = el.get("id")
    if not cls and not ident:
        return _NO_ROLE
    return _role_of(cls or "", ident or "")


def is_noise(el: HtmlElement) -> bool:
    """True when class/id/role say the element is page furniture, not content."""
    if el.get("role") in (
        "navigation",
        "banner",
        "contentinfo",
        "complementary",
        "search",
        "dialog",
    ):
        return True
    return role(el).noise


def is_content(el: HtmlElement) -> bool:
    """Named as the article body by schema.org microdata or a common class name."""
    return el.get("itemprop") == "articleBody" or role(el).content


def is_hidden(el: HtmlElement) -> bool:
    """Hidden by attribute or inline style: screen-reader and template junk."""
    if el.get("hidden") is not None or el.get("aria-hidden") == "true":
        return True
    style = el.get("style")
    return bool(style and _HIDDEN_STYLE_RE.search(style))


_TITLE_WORDS = frozenset("title headline heading hed".split())


def is_title(el: HtmlElement) -> bool:
    """A block named like a headline (teaser lists often skip <h*> tags)."""
    cls = el.get("class")
    if not cls:
        return False
    return any(w in _TITLE_WORDS for w in _WORD_SPLIT_RE.split(cls.lower()))
