"""Figures for the Markdown view: an article image keeps its caption, as the image's title.

The plain text (``extract_text``) leaves figures and captions out; the Markdown shows the
article's images, so it must say the same text plus images, nothing more. Every block the
plain text drops as a figure (a ``<figure>``, a block named as a caption or photo credit, a
picture with a line or two beside it: see ``trim``) becomes here one paragraph of its
images, the caption and credit folded into the first image's ``title``: Markdown writes it
``![alt](src "caption")``, which is still standard, and the reading pane shows the title
as a caption under the image. A caption with no image beside it (a video's, a gallery
counter, "Image copyright" left alone) is furniture and goes, as in the plain text.
"""

from __future__ import annotations

from lxml import etree
from lxml.etree import _Element as HtmlElement

from .content import remove
from .roles import INLINE_TAGS, role

# Boxes holding these are not a picture with a caption (WordPress wraps tables, embeds and
# pull quotes in <figure>): they are left as they are.
_CONTENT_TAGS = ("blockquote", "table", "pre", "ul", "ol", "iframe", "video", "audio")
MAX_TITLE_CHARS = 480
"""A longer caption stays a paragraph of its own (an image title should be a line or two)."""


def _source(img: HtmlElement) -> bool:
    """Whether an <img> has a real picture to show (not a data: placeholder or an icon)."""
    cls = (img.get("class") or "").lower()
    if "emoji" in cls or "smiley" in cls or "icon" in cls:
        return False
    width = img.get("width") or ""
    if width.isdigit() and int(width) < 60:
        return False
    for attr in ("data-src", "data-lazy-src", "data-original", "srcset", "data-srcset", "src"):
        value = (img.get(attr) or "").strip()
        if value and not value.startswith("data:"):
            return True
    return False


def _caption(box: HtmlElement) -> str:
    """The words of a figure box, one line."""
    return " ".join("".join(box.itertext()).split())


def _fold(box: HtmlElement) -> None:
    """Replace a figure box by a paragraph of its images, the caption in the first's title."""
    if next(box.iter(*_CONTENT_TAGS), None) is not None or (
        box.tag == "p" and not role(box).caption
    ):
        return  # a paragraph with a picture in it is prose, not a caption
    images = [img for img in box.iter("img") if _source(img)]
    if not images:
        remove(box)  # a caption without its picture: furniture
        return
    caption = _caption(box)
    # The box itself becomes the paragraph (its tail, which lxml may hold in characters it
    # would refuse to set again, stays where it is).
    for child in list(box):
        box.remove(child)
    box.text = None
    box.attrib.clear()
    box.tag = "p"
    for k, img in enumerate(images):
        box.append(img)  # moved, attributes as parsed
        img.attrib.pop("title", None)
        img.tail = " "
        if k == 0 and caption and len(caption) <= MAX_TITLE_CHARS:
            _set_title(img, caption)
    if caption and len(caption) > MAX_TITLE_CHARS:
        _set_title(etree.SubElement(box, "span"), caption, "tail")


def _set_title(el: HtmlElement, caption: str, where: str = "title") -> None:
    """Set the caption as el's title (or tail), unless it holds characters XML refuses."""
    try:
        if where == "title":
            el.set("title", caption)
        else:
            el.tail = caption
    except ValueError:
        pass  # the page's own control characters: the caption is dropped, never the page


def fold_figures(boxes: list[HtmlElement]) -> None:
    """Fold the figure boxes trim found, in document order (see the module docstring).

    A box inside one already folded is skipped; an inline caption (a credit ``<span>``) goes.
    """
    folded: set[HtmlElement] = set()
    for box in boxes:
        if box in folded:
            continue
        folded.update(box.iter())
        if box.tag in INLINE_TAGS:
            remove(box)
        else:
            _fold(box)
