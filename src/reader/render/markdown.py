"""HTML fragment -> standard Markdown: links as ``[text](url)``, images as ``![alt](src)``.

One model, two views: this Markdown is what ``Article.markdown`` stores and what ``reader
show`` prints; the reading pane's renderer (reader.render.document) adds the link numbers the
``1``-``9`` keys follow, so no number is baked into the text. ``links`` lists the distinct
targets in order of appearance (for related posts and ``--json``). URLs are resolved against
the page and made safe; characters that would end a Markdown destination are escaped.

markdownify (and BeautifulSoup under it) is imported inside the functions:
importing this module must stay cheap because the app imports it at startup.
Bump :data:`CONVERTER_VERSION` whenever the output for the same input changes:
cached conversions are keyed by it (with reader.extract.EXTRACTOR_VERSION, which
covers the content finder).
"""

from __future__ import annotations

import functools
import re
from typing import TYPE_CHECKING, Any

from reader.sanitize import clean_text, safe_url

if TYPE_CHECKING:  # pragma: no cover
    from markdownify import MarkdownConverter

__all__ = ["CONVERTER_VERSION", "html_to_markdown"]

CONVERTER_VERSION = 5


class _ReaderConversions:
    """What the reader changes in markdownify: safe links, typographic <q>, quote cards.

    A mixin placed before markdownify's MarkdownConverter (see _make_converter_class), so
    that this module imports markdownify only when the class is first built.
    """

    base_url: str | None
    links: list[str]
    _seen: set[str]

    def target(self, url: str | None) -> str | None:
        """A followable link target, recorded in ``links`` (each distinct target once)."""
        target = safe_url(url, self.base_url)
        if not target or target.startswith("#"):
            return None
        if self.base_url and target.split("#", 1)[0] == self.base_url.split("#", 1)[0]:
            return None  # in-page anchors (footnotes, table of contents)
        if target not in self._seen:
            self._seen.add(target)
            self.links.append(target)
        return _escape_destination(target)

    def convert_a(self, el: Any, text: str, parent_tags: set[str]) -> str:
        if "_noformat" in parent_tags:
            return text
        stripped = text.strip()
        if not stripped:
            return text
        url = self.target(el.get("href"))
        if url is None:
            return text
        # One link split in pieces ("Arte<a>mis</a>"): the first opens it, the last closes it.
        first = not _same_link(el.previous_sibling, el)
        last = not _same_link(el.next_sibling, el)
        lead = " " if first and text[:1].isspace() else ""
        trail = " " if last and text[-1:].isspace() else ""
        body = _link_text(stripped if first and last else text.lstrip() if first else text)
        body = body.rstrip() if last else body
        return f"{lead}{'[' if first else ''}{body}{f']({url})' if last else ''}{trail}"

    def convert_img(self, el: Any, text: str, parent_tags: set[str]) -> str:
        alt = " ".join((el.get("alt") or "").split())
        parent = el.parent
        if getattr(parent, "name", None) == "a" and parent.get("href"):
            src = _escape_destination(safe_url(_image_source(el), self.base_url))
        else:  # an image inside a link is reached through the link
            src = self.target(_image_source(el))
        if "_inline" in parent_tags or src is None:
            return alt
        gap = " " if getattr(el.next_sibling, "name", None) == "img" else ""
        return f"![{_link_text(alt)}]({src}{_title(el.get('title'))}){gap}"

    def convert_q(self, el: Any, text: str, parent_tags: set[str]) -> str:
        # nesting is tracked by counting <q> ancestors (BeautifulSoup tags)
        depth = sum(1 for p in el.parents if getattr(p, "name", None) == "q")
        return f"‘{text}’" if depth % 2 else f"“{text}”"

    def _drop(self, el: Any, text: str, parent_tags: set[str]) -> str:
        return ""  # never text for the reader, even when a caller forgot to clean

    convert_script = convert_style = convert_noscript = convert_template = _drop
    convert_iframe = convert_svg = convert_button = convert_form = _drop
    convert_select = convert_textarea = convert_object = convert_embed = _drop

    def convert_sup(self, el: Any, text: str, parent_tags: set[str]) -> str:
        text = text.strip()
        if not text:
            return ""
        # a footnote reference: <sup><a href="#fn1">1</a></sup>
        a = el.find("a")
        if a is not None and (a.get("href") or "").startswith("#"):
            return f"[^{text}]"
        return f"^{text}"

    def convert_figcaption(self, el: Any, text: str, parent_tags: set[str]) -> str:
        text = text.strip()
        return f"\n\n*{text}*\n\n" if text else ""


def _make_converter_class() -> type:
    """Build the converter subclass on first use (markdownify imported lazily)."""
    from markdownify import ATX, MarkdownConverter

    class ReaderConverter(_ReaderConversions, MarkdownConverter):
        """markdownify with safe links, typographic <q> and quote cards."""

        class Options(MarkdownConverter.DefaultOptions):
            heading_style = ATX
            bullets = "-*+"
            escape_underscores = False
            autolinks = False

        def __init__(self, base_url: str | None = None, **options: Any) -> None:
            super().__init__(**options)
            self.base_url = base_url
            self.links = []
            self._seen = set()
            self._q_depth = 0

    return ReaderConverter


# Characters that would end or break a Markdown link destination: percent-encoded.
_DESTINATION_ESCAPES = re.compile(r"[\s()<>\\]")
# Brackets in link text: escaped unless they belong to an image inside the link.
_BRACKETS = re.compile(r"(?<!\\)[\[\]]")


def _title(title: str | None) -> str:
    """An image title (its caption, see reader.extract.figures) as `` "text"``, or ""."""
    text = " ".join((title or "").split())
    if not text:
        return ""
    # straight double quotes would end the title: typographic ones, opening then closing
    parts = text.split('"')
    text = "".join(p + ("“" if k % 2 == 0 else "”") for k, p in enumerate(parts[:-1])) + parts[-1]
    return f' "{text}"'


def _same_link(sibling: Any, el: Any) -> bool:
    """Whether sibling is another piece of the link el (same href, right next to it)."""
    return getattr(sibling, "name", None) == "a" and sibling.get("href") == el.get("href")


def _escape_destination(url: str | None) -> str | None:
    """url with the characters that would end a Markdown destination percent-encoded."""
    if not url:
        return None
    return _DESTINATION_ESCAPES.sub(lambda m: f"%{ord(m.group()):02X}", url)


def _link_text(text: str) -> str:
    """Link or alt text that cannot end the link early: lone brackets escaped."""
    if "![" in text:
        return text  # an image inside a link: its own brackets are syntax
    return _BRACKETS.sub(lambda m: "\\" + m.group(), text)


_JOINED_STRONG_RE = re.compile(r"(?<=[^\s*])\*\*\*\*(?=[^\s*])")

# Lazy-loading pages keep the real image here and a placeholder in src.
_LAZY_SRC_ATTRS = ("data-src", "data-lazy-src", "data-original", "data-orig-file")


def _image_source(el: Any) -> str | None:
    """The real image URL of an <img> (BeautifulSoup tag), or None."""
    for attr in _LAZY_SRC_ATTRS:
        value = el.get(attr)
        if value and not value.startswith("data:"):
            return value
    srcset = el.get("srcset") or el.get("data-srcset")
    src = el.get("src") or ""
    if (not src or src.startswith("data:")) and srcset:
        return srcset.split(",")[0].split()[0] if srcset.strip() else None
    return src if src and not src.startswith("data:") else None


@functools.cache
def converter_class() -> type[MarkdownConverter]:
    """The ReaderConverter class, built on first use."""
    return _make_converter_class()


def html_to_markdown(html: str, base_url: str | None = None) -> tuple[str, list[str]]:
    """Convert an HTML fragment; returns (markdown, its distinct link targets in order).

    The fragment should already be cleaned (see reader.extract); the result is
    passed through clean_text so no control character reaches the terminal.
    """
    converter = converter_class()(base_url=base_url, bs4_options={"features": "lxml"})
    md = converter.convert(html)
    md = clean_text(md)
    # <strong>a</strong><strong>b</strong> comes out as **a****b**, which
    # Markdown renderers misread: join the two runs
    md = _JOINED_STRONG_RE.sub("", md)
    # markdownify leaves runs of blank lines around removed blocks
    lines = [line.rstrip() for line in md.split("\n")]
    out: list[str] = []
    blank = 0
    for line in lines:
        if line:
            blank = 0
            out.append(line)
        else:
            blank += 1
            if blank == 1:
                out.append("")
    return "\n".join(out).strip("\n"), converter.links
