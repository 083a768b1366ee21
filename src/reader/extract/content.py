"""Find the main content of a page: the subtree densest in running prose.

How it works (no site rules): boilerplate is removed first (scripts, hidden
nodes, navigation/footer/aside tags and nodes whose class or id names a page
furniture role such as share bars, sidebars or comment sections). Then one
bottom-up pass measures, for every element, the words it holds in prose blocks
("good": long enough, sentences, few links) and in link lists, labels and
datelines ("bad"); excerpts under a linked headline (teasers for other
stories) count as bad. The element with the highest ``good - PENALTY * bad``
is the article: going up the tree adds furniture, going down loses
paragraphs. trim.py then removes what is left of furniture inside it.

Everything is iterative (no recursion), so a hostile nesting depth cannot
crash the walk, and linear in the number of elements.
"""

from __future__ import annotations

import re
from typing import NamedTuple

from lxml import etree
from lxml.etree import _Element as HtmlElement

from reader.sanitize import clean_text

from .roles import (
    CELL_TAGS,
    DROP_TAGS,
    HEADING_TAGS,
    INLINE_TAGS,
    is_content,
    is_hidden,
    is_noise,
    is_title,
    role,
)

# A block of at least this many words with few links counts as prose.
MIN_PROSE_WORDS = 8
MAX_PROSE_LINK_SHARE = 0.5
# ... and it has a sentence mark unless it is this long
MIN_UNPUNCTUATED_PROSE = 20
# A linked headline with at most this much prose beside it is a teaser.
MAX_TEASER_WORDS = 120
# Extra weight of prose inside an element named as the article body.
CONTENT_BONUS = 0.3
# Link words inside prose count this much as furniture (a linked source is prose).
PROSE_LINK_WEIGHT = 0.5
# Weight of furniture words against prose words when choosing the subtree.
PENALTY = 1.0


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
        remove(el)
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
        remove(el)


def append_text(el: HtmlElement, attr: str, value: str) -> None:
    """Append to ``el.text`` or ``el.tail``.

    The HTML parser keeps control characters that lxml refuses to store
    again; such text is cleaned first (rare, so only on failure).
    """
    joined = (getattr(el, attr) or "") + value
    try:
        setattr(el, attr, joined)
    except ValueError:
        setattr(el, attr, clean_text(joined))


def remove(el: HtmlElement) -> None:
    """Remove ``el`` but keep its tail text in the document."""
    parent = el.getparent()
    if parent is None:
        return
    tail = el.tail
    if tail and tail.strip():
        prev = el.getprevious()
        if prev is not None:
            append_text(prev, "tail", tail)
        else:
            append_text(parent, "text", tail)
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


# capitalised, so that "may" the verb is not a month
_MONTHS = (
    r"(?:Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Oct|Nov|Dec|"
    r"JAN|FEB|MAR|APR|MAY|JUN|JUL|AUG|SEP|OCT|NOV|DEC)[a-zA-Z]*\.?"
)
# a date or a clock time, the way bylines and "Updated" lines write them
_DATE_RE = re.compile(
    rf"\b{_MONTHS}\s+\d{{1,2}}\b|\b\d{{1,2}}\.?\s+{_MONTHS}\s+\d{{4}}\b|"
    r"\b\d{1,2}[./-]\d{1,2}[./-]\d{2,4}\b|\b\d{4}-\d{2}-\d{2}\b|"
    r"\b\d{1,2}:\d{2}\b",
)


def _marks(s: str) -> int:
    return s.count(".") + s.count("?") + s.count("!") + s.count("。") + s.count(",")


def _ancestry(
    elems: list[HtmlElement], index: dict[HtmlElement, int]
) -> tuple[list[int], list[bool], list[bool]]:
    """Per element: its parent's index (-1 for none), whether it is link text (inside an
    <a> that leads away), whether it is inside a blockquote (short lines are still content).
    """
    n = len(elems)
    parent = [-1] * n
    in_link = [False] * n
    in_quote = [False] * n
    for i, el in enumerate(elems):
        p = el.getparent()
        pi = index.get(p, -1) if p is not None else -1
        parent[i] = pi
        # in-page anchors (#section, footnotes) and <a name> are not links away
        in_link[i] = (pi >= 0 and in_link[pi]) or (
            el.tag == "a" and not (el.get("href") or "#").startswith("#")
        )
        in_quote[i] = el.tag == "blockquote" or (pi >= 0 and in_quote[pi])
    return parent, in_link, in_quote


def _is_dateline(el: HtmlElement) -> bool:
    """A short block with a date or time: "By Jo Doe - Nov 19, 2019, 10:31 pm" without <time>."""
    return _DATE_RE.search("".join(el.itertext())) is not None


def _mark_teaser(
    el: HtmlElement, w: int, lw: int, p: int, parent: list[int], teaser: list[bool]
) -> None:
    """A linked headline (w words, lw of them link text): its container (index p) is a
    teaser for another page.
    """
    if w and lw >= 0.8 * w and p >= 0:
        teaser[p] = True
        if len(el.getparent()) <= 3 and parent[p] >= 0:
            teaser[parent[p]] = True  # the headline sits in its own wrapper


def _demote_teaser(i: int, good: list[float], linky: list[float]) -> None:
    """An excerpt under a linked headline is another article's prose: furniture here."""
    if good[i] <= MAX_TEASER_WORDS:
        linky[i] += good[i]
        good[i] = 0.0


def _block_words(
    tag: str, w: int, lw: int, mk: int, dated: bool, in_quote: bool
) -> tuple[float, float, float]:
    """Split a block's w words (lw of them link text, mk sentence marks) into what they
    add to (good, linky, short): prose, terse content, or furniture.
    """
    if (
        w >= MIN_PROSE_WORDS
        and lw <= w * MAX_PROSE_LINK_SHARE
        and (mk or w >= MIN_UNPUNCTUATED_PROSE)
        and not (dated and w < MIN_UNPUNCTUATED_PROSE)
    ):
        return w - lw, PROSE_LINK_WEIGHT * lw, 0
    if (tag in CELL_TAGS or in_quote or (tag == "p" and mk and not dated)) and lw * 2 < w:
        # data tables, lists of facts, quoted posts and one-line
        # paragraphs ("It was quiet.") are content, though terse
        return 0.5 * (w - lw), lw, 0
    return 0, lw, w - lw


def measure(root: HtmlElement) -> Stats:
    """Count prose and furniture words for every element in one bottom-up pass."""
    elems = list(root.iter(tag=etree.Element))
    index = {el: i for i, el in enumerate(elems)}
    n = len(elems)
    parent, in_link, in_quote = _ancestry(elems, index)
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
        elif tag in HEADING_TAGS or (w and is_title(el)):
            own[i] = 0.0
            _mark_teaser(el, w, lw, p, parent, teaser)
        elif w:
            if not dated[i] and w < MIN_UNPUNCTUATED_PROSE and _is_dateline(el):
                dated[i] = True
            g, lk, sh = _block_words(tag, w, lw, mk, dated[i], in_quote[i])
            good[i] += g
            linky[i] += lk
            short[i] += sh
            own[i] = good[i] - PENALTY * (linky[i] + short[i])
        if teaser[i]:
            _demote_teaser(i, good, linky)
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


def find_main(root: HtmlElement) -> HtmlElement | None:
    """Return the element holding the article text, or None if there is no prose."""
    st = measure(root)
    good, linky, short = st.good, st.linky, st.short
    best, best_score = -1, 0.0
    for i, el in enumerate(st.elems):
        if good[i] <= 0 or el.tag in INLINE_TAGS:  # an <a> around blocks is no article
            continue
        score = good[i] - PENALTY * (linky[i] + short[i])
        if CONTENT_BONUS and is_content(el):
            score += CONTENT_BONUS * good[i]
        if score >= best_score:  # on a tie the deeper element wins
            best, best_score = i, score
    return st.elems[best] if best >= 0 else None
