"""Find the main content of a page: the subtree densest in running prose.

How it works (no site rules): boilerplate is removed first (scripts, hidden
nodes, navigation/footer/aside tags and nodes whose class or id names a page
furniture role such as share bars, sidebars or comment sections). Then one
bottom-up pass measures, for every element, the words it holds in prose blocks
("good": long enough, few links) and in link lists and snippets ("bad"). The
element with the highest ``good - PENALTY * bad`` is the article: going up the
tree adds furniture, going down loses paragraphs. Finally the winner is
trimmed of link lists, titles and bylines left inside it.

Everything is iterative (no recursion), so a hostile nesting depth cannot
crash the walk, and linear in the number of elements.
"""

from __future__ import annotations

import functools
import re
from typing import NamedTuple

from lxml import etree
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
    "sidebar", "comment", "related", "share", "social", "newsletter", "advert",
    "sponsor", "cookie", "breadcrumb", "promo", "outbrain", "taboola", "recommend",
    "popular", "trending", "subscri", "signup", "navbar", "footer",
    "banner", "teaser", "recirc", "byline",
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
    r"outbrain|taboola|masthead|subscri|signup|promo", re.I
)
_WORD_SPLIT_RE = re.compile(r"[^a-z0-9]+")
_HIDDEN_STYLE_RE = re.compile(r"display\s*:\s*none|visibility\s*:\s*hidden", re.I)

# A block of at least this many words with few links counts as prose.
MIN_PROSE_WORDS = 8
MAX_PROSE_LINK_SHARE = 0.5
# ... and it has a sentence mark unless it is this long
MIN_UNPUNCTUATED_PROSE = 20
# A linked headline with at most this much prose beside it is a teaser.
MAX_TEASER_WORDS = 120
# Extra weight of prose inside an element named as the article body.
CONTENT_BONUS = 0.3
PROSE_LINK_WEIGHT = 0.5
# A picture with at most this many words beside it is a figure with a caption.
MAX_CAPTION_WORDS = 60
# Weight of furniture words against prose words when choosing the subtree.
PENALTY = 1.0


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
    if el.get("role") in ("navigation", "banner", "contentinfo", "complementary", "search",
                          "dialog"):
        return True
    return role(el).noise


def is_content(el: HtmlElement) -> bool:
    """Named as the article body by schema.org microdata or a common class name."""
    return el.get("itemprop") == "articleBody" or role(el).content


def is_hidden(el: HtmlElement) -> bool:
    """Hidden by attribute or inline style: screen-reader and template junk."""
    if el.get("hidden") is not None:
        return True
    style = el.get("style")
    return bool(style and _HIDDEN_STYLE_RE.search(style))


def strip_boilerplate(root: HtmlElement, keep: frozenset[str] = frozenset()) -> None:
    """Remove script-like tags, hidden nodes and furniture from ``root`` in place.

    ``keep`` holds class names of nodes that must survive with their
    wrappers (embedded posts sit in boxes named "social-embed"). A node named
    like furniture is also kept when it holds most of the page's prose: layout
    wrappers are often called "content-with-sidebar".
    """
    protected: set[HtmlElement] = set()
    if keep:
        for el in root.iter("blockquote", "iframe", "div"):
            if keep.intersection((el.get("class") or "").split()):
                protected.update(el.iterancestors())
                protected.add(el)
    doomed: list[HtmlElement] = []
    for el in root.iter():
        tag = el.tag
        if not isinstance(tag, str):  # comments, processing instructions
            doomed.append(el)
        elif tag in ("html", "body") or el in protected:
            continue
        elif tag in DROP_TAGS or is_hidden(el):
            doomed.append(el)
    for el in doomed:
        _remove(el)
    doomed = []
    st = measure(root)
    good = st.good
    total = good[0]
    for i, el in enumerate(st.elems):
        tag = el.tag
        if tag in INLINE_TAGS or tag in ("html", "body") or el in protected:
            continue
        if tag == "form":
            # search and newsletter forms are short; some CMSs wrap the whole
            # page in one form, which must stay
            if good[i] < 0.5 * total:
                doomed.append(el)
        elif is_noise(el):
            if good[i] < 0.5 * total or role(el).strong:
                doomed.append(el)
    for el in doomed:
        _remove(el)


def _remove(el: etree._Element) -> None:
    """Remove ``el`` but keep its tail text in the document."""
    parent = el.getparent()
    if parent is None:
        return
    tail = el.tail
    if tail and tail.strip():
        prev = el.getprevious()
        if prev is not None:
            prev.tail = (prev.tail or "") + tail
        else:
            parent.text = (parent.text or "") + tail
    parent.remove(el)


def _size(s: str) -> int:
    """Words in ``s``; scripts written without spaces count two characters a word."""
    n = len(s.split())
    if n:
        chars = len(s.strip())
        if chars > 12 * n:
            return chars // 2
    return n


class Stats(NamedTuple):
    """Per-element word counts of a subtree, aligned with ``elems`` (document order).

    ``good``: words in prose blocks; ``linky``: words in blocks made of links;
    ``short``: other words in blocks too short to be prose (labels, dates).
    """

    elems: list[HtmlElement]
    index: dict[HtmlElement, int]
    good: list[float]
    linky: list[float]
    short: list[float]
    own: list[float | None]  # a block's own value (prose minus furniture); None: no text


_TITLE_WORDS = frozenset("title headline heading hed".split())


def _is_title(el: HtmlElement) -> bool:
    """A block named like a headline (teaser lists often skip <h*> tags)."""
    cls = el.get("class")
    if not cls:
        return False
    return any(w in _TITLE_WORDS for w in _WORD_SPLIT_RE.split(cls.lower()))


def _marks(s: str) -> int:
    return s.count(".") + s.count("?") + s.count("!") + s.count("。") + s.count(",")


def measure(root: HtmlElement) -> Stats:
    """Count prose and furniture words for every element in one bottom-up pass."""
    elems = list(root.iter(tag=etree.Element))
    index = {el: i for i, el in enumerate(elems)}
    n = len(elems)
    parent = [-1] * n
    in_link = [False] * n  # inside an <a>: every word is link text
    in_quote = [False] * n  # inside a blockquote: short lines are still content
    for i, el in enumerate(elems):
        p = el.getparent()
        pi = index.get(p, -1) if p is not None else -1
        parent[i] = pi
        in_link[i] = el.tag == "a" or (pi >= 0 and in_link[pi])
        in_quote[i] = el.tag == "blockquote" or (pi >= 0 and in_quote[pi])
    words = [0] * n  # words flowing up to the nearest block (inline) / held (block)
    links = [0] * n  # of which link text
    marks = [0] * n  # sentence punctuation: prose has sentences, bylines and trails do not
    good = [0.0] * n
    linky = [0.0] * n
    short = [0.0] * n
    teaser = [False] * n
    dated = [False] * n  # holds a <time>: a dateline, not prose, when short
    own: list[float | None] = [None] * n
    for i in range(n - 1, -1, -1):
        el = elems[i]
        tag = el.tag
        text = el.text
        w = _size(text) if text else 0
        lw = w if in_link[i] else 0
        mk = _marks(text) if w else 0
        # children were visited already: their inline words and tails are here
        w += words[i]
        lw += links[i]
        mk += marks[i]
        p = parent[i]
        if tag in INLINE_TAGS:
            if p >= 0:
                words[p] += w
                links[p] += lw
                marks[p] += mk
                if tag == "time" or dated[i]:
                    dated[p] = True
        elif tag in HEADING_TAGS or (w and _is_title(el)):
            own[i] = 0.0
            if w and lw >= 0.8 * w and p >= 0:
                # a linked headline: its container is a teaser for another page
                teaser[p] = True
                if len(el.getparent()) <= 3 and parent[p] >= 0:
                    teaser[parent[p]] = True  # the headline sits in its own wrapper
        elif w:
            if (
                w >= MIN_PROSE_WORDS
                and lw <= w * MAX_PROSE_LINK_SHARE
                and (mk or w >= MIN_UNPUNCTUATED_PROSE)
                and not (dated[i] and w < MIN_UNPUNCTUATED_PROSE)
            ):
                good[i] += w - lw
                linky[i] += PROSE_LINK_WEIGHT * lw
            elif (tag in CELL_TAGS or in_quote[i]) and lw * 2 < w:
                # data tables, lists of facts and quoted posts are content,
                # though terse
                good[i] += 0.5 * (w - lw)
                linky[i] += lw
            else:
                linky[i] += lw
                short[i] += w - lw
            own[i] = good[i] - PENALTY * (linky[i] + short[i])
        if teaser[i] and good[i] <= MAX_TEASER_WORDS:
            # an excerpt under a linked headline is another article's prose
            linky[i] += good[i]
            good[i] = 0.0
        if p >= 0:
            good[p] += good[i]
            linky[p] += linky[i]
            short[p] += short[i]
            tail = el.tail
            if tail:
                tw = _size(tail)
                if tw:
                    words[p] += tw
                    marks[p] += _marks(tail)
                    if in_link[p]:
                        links[p] += tw
    return Stats(elems, index, good, linky, short, own)


def _is_caption(el: HtmlElement) -> bool:
    return role(el).caption


def _is_image_box(el: HtmlElement, st: Stats, i: int) -> bool:
    """A block holding a picture and only a line or two: a caption and credit."""
    if el.tag in INLINE_TAGS or st.good[i] + st.linky[i] + st.short[i] > MAX_CAPTION_WORDS:
        return False
    for img in el.iter("img", "picture", "video"):
        if img.tag != "img":
            return True
        cls = (img.get("class") or "").lower()
        if "emoji" in cls or "smiley" in cls or "icon" in cls:
            continue
        width = img.get("width") or ""
        if width.isdigit() and int(width) < 60:
            continue
        return True
    return False


def find_main(root: HtmlElement) -> HtmlElement | None:
    """Return the element holding the article text, or None if there is no prose."""
    st = measure(root)
    good, linky, short = st.good, st.linky, st.short
    best, best_score = -1, 0.0
    for i in range(len(st.elems)):
        if good[i] <= 0:
            continue
        score = good[i] - PENALTY * (linky[i] + short[i])
        if CONTENT_BONUS and is_content(st.elems[i]):
            score += CONTENT_BONUS * good[i]
        if score >= best_score:  # on a tie the deeper element wins
            best, best_score = i, score
    return st.elems[best] if best >= 0 else None


def trim(main: HtmlElement, figures: bool = True) -> None:
    """Remove what is left of furniture inside the chosen element.

    The title (h1) is shown separately; blocks without any prose that are
    mostly links ("Read more" lists, tag clouds, teasers) are not article text.
    ``figures=False`` also drops figures and captions: plain text is the
    running prose, read for search and similarity, where a caption repeats
    or interrupts it.
    """
    st = measure(main)
    doomed: list[HtmlElement] = []
    for i, el in enumerate(st.elems):
        if i == 0:
            continue
        tag = el.tag
        if tag == "h1":
            doomed.append(el)
        elif not figures and (
            tag in ("figure", "figcaption") or _is_caption(el) or _is_image_box(el, st, i)
        ):
            doomed.append(el)
        elif tag not in INLINE_TAGS and st.good[i] == 0 and st.linky[i] > st.short[i]:
            doomed.append(el)
    for el in doomed:
        if el.getparent() is not None:
            _remove(el)
    _keep_best_run(main)


def _keep_best_run(main: HtmlElement) -> None:
    """Keep the best contiguous run of blocks, drop the blocks around it.

    Read in document order, an article is one run of prose; what precedes or
    follows it inside the chosen element (dates, "Text size", teasers for
    other stories, a cookie notice) is separated from it by furniture. The run
    with the highest sum of block values (maximum subarray) is the article.
    """
    st = measure(main)
    seq = [i for i in range(1, len(st.elems)) if st.own[i] is not None]
    if not seq:
        return
    best_sum, best = float("-inf"), (0, -1)
    run_sum, start = 0.0, 0
    for k, i in enumerate(seq):
        value = st.own[i] or 0.0
        if run_sum <= 0:
            run_sum, start = value, k
        else:
            run_sum += value
        if run_sum > best_sum:
            best_sum, best = run_sum, (start, k)
    first, last = best
    keep: set[HtmlElement] = set()
    for k in range(first, last + 1):
        el = st.elems[seq[k]]
        while el is not None and el not in keep and el is not main:
            keep.add(el)
            el = el.getparent()
    for k in (*range(first), *range(last + 1, len(seq))):
        el = st.elems[seq[k]]
        if el not in keep and el.getparent() is not None:
            _remove(el)
