"""Trim the chosen article element of what is not article text.

After the content search picked the element, furniture can remain inside it:
the title, link lists, captions (for plain text), datelines and teasers
before or after the story. Blocks are judged with the same measurements as
the search (content.measure).
"""

from __future__ import annotations

from lxml.etree import _Element as HtmlElement

from .content import Stats, measure, remove
from .figures import fold_figures
from .roles import INLINE_TAGS, role

# A picture with at most this many words beside it is a figure with a caption.
MAX_CAPTION_WORDS = 60


def is_caption(el: HtmlElement) -> bool:
    """Named as a caption or photo credit."""
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


def trim(main: HtmlElement, figures: bool = True) -> None:
    """Remove what is left of furniture inside the chosen element.

    The title (h1) is shown separately; blocks without any prose that are
    mostly links ("Read more" lists, tag clouds, teasers) are not article text.
    ``figures=False`` also drops figures and captions: plain text is the
    running prose, read for search and similarity, where a caption repeats
    or interrupts it. With figures, the same blocks become paragraphs of their
    images, the caption in the image's title (figures.fold_figures), so the
    Markdown says the same text as the plain text, plus images.
    """
    st = measure(main)
    doomed: list[HtmlElement] = []
    boxes: list[HtmlElement] = []
    for i, el in enumerate(st.elems):
        if i == 0:
            continue
        tag = el.tag
        if tag == "h1":
            doomed.append(el)
        elif tag in ("figure", "figcaption") or is_caption(el) or _is_image_box(el, st, i):
            (boxes if figures else doomed).append(el)
        elif tag not in INLINE_TAGS and st.good[i] == 0 and st.linky[i] > st.short[i]:
            doomed.append(el)
    for el in doomed:
        if el.getparent() is not None:
            remove(el)
    fold_figures(boxes)
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
    if best_sum <= 0:
        return  # no prose at all (a notice page): nothing to tell apart
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
            remove(el)
