"""HTML fragment -> Markdown for the reading pane, with numbered links.

A terminal cannot click an inline URL, and long URLs wreck the layout, so each
link becomes ``text[3]`` (the number is literal text: no reference definition
is emitted, so Markdown renderers show it as typed) and ``links[2]`` holds the
target; the UI follows a link by its number. Images become ``[image: alt][4]``.

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

CONVERTER_VERSION = 4


class _ReaderConversions:
    """What the reader changes in markdownify: numbered links, typographic <q>, quote cards.

    A mixin placed before markdownify's MarkdownConverter (see _make_converter_class), so
    that this module imports markdownify only when the class is first built.
    """

    base_url: str | None
    links: list[str]
    _numbers: dict[str, int]

    def number(self, url: str | None) -> int | None:
        """Number of a followable link target (the same URL keeps one number)."""
        target = safe_url(url, self.base_url)
        if not target or target.startswith("#"):
            return None
        if self.base_url and target.split("#", 1)[0] == self.base_url.split("#", 1)[0]:
            return None  # in-page anchors (footnotes, table of contents)
        n = self._numbers.get(target)
        if n is None:
            self.links.append(target)
            n = self._numbers[target] = len(self.links)
        return n

    def convert_a(self, el: Any, text: str, parent_tags: set[str]) -> str:
        if "_noformat" in parent_tags:
            return text
        stripped = text.strip()
        if not stripped:
            return text
        nxt = el.next_sibling
        if getattr(nxt, "name", None) == "a" and nxt.get("href") == el.get("href"):
            return text  # one link split in pieces ("Arte<a>mis</a>"): number the last
        n = self.number(el.get("href"))
        if n is None:
            return text
        lead = " " if text[:1].isspace() else ""
        trail = " " if text[-1:].isspace() else ""
        return f"{lead}{stripped}[{n}]{trail}"

    def convert_img(self, el: Any, text: str, parent_tags: set[str]) -> str:
        alt = " ".join((el.get("alt") or el.get("title") or "").split())
        label = f"[image: {alt}]" if alt else "[image]"
        parent = el.parent
        if getattr(parent, "name", None) == "a" and parent.get("href"):
            return label  # the link around it adds the number
        n = self.number(_image_source(el))
        if "_inline" in parent_tags or n is None:
            return alt
        gap = " " if getattr(el.next_sibling, "name", None) == "img" else ""
        return f"{label}[{n}]{gap}"

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
        """markdownify with numbered links, typographic <q> and quote cards."""

        class Options(MarkdownConverter.DefaultOptions):
            heading_style = ATX
            bullets = "-*+"
            escape_underscores = False
            autolinks = False

        def __init__(self, base_url: str | None = None, **options: Any) -> None:
            super().__init__(**options)
            self.base_url = base_url
            self.links = []
            self._numbers = {}
            self._q_depth = 0

    return ReaderConverter


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
    """Convert an HTML fragment; returns (markdown, link targets by number - 1).

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
