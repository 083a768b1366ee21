"""Markdown to a flat list of styled blocks, the input of the reading pane's line renderer.

Textual's Markdown widget mounts one widget per block, which costs ~400 ms for a 5,000-word
article. The reading pane instead wraps these blocks into lines itself and paints only what is
visible. Blocks carry plain text plus named style spans (``strong``, ``em``, ``code``, ``link``,
``quote``); the widget maps names to theme styles. All text is made terminal-safe here, before
spans are measured, so the widget paints it as it is. Quotations are found here, per paragraph, on
the text *after* inline markup is gone, so a quote across ``*em*`` or a link is one span.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import lru_cache
from typing import Any

from reader.sanitize import clean_text, safe_url

StyleSpan = tuple[int, int, str]


@dataclass
class Block:
    """One paragraph-like unit of the document."""

    kind: str
    """``heading``, ``paragraph``, ``code``, ``rule``, ``table``."""
    text: str = ""
    spans: list[StyleSpan] = field(default_factory=list)
    level: int = 0
    """Heading level, or 0."""
    indent: int = 0
    """List nesting depth."""
    bullet: str = ""
    """Bullet or number shown before the first line of a list item."""
    quote_depth: int = 0
    """How many blockquotes enclose this block (quote cards)."""
    links: list[tuple[int, int, str]] = field(default_factory=list)
    """(start, end, href) of link texts, so a click can follow them."""


@lru_cache(maxsize=1)
def _parser() -> Any:
    from markdown_it import MarkdownIt

    return MarkdownIt("commonmark", {"html": False}).enable("table").enable("strikethrough")


def parse_document(markdown: str) -> list[Block]:
    """Turn Markdown into blocks with style spans (quotes included)."""
    return parse_numbered(markdown)[0]


def parse_numbered(markdown: str) -> tuple[list[Block], list[str]]:
    """Blocks, and the targets of the links numbered in them: number n is ``targets[n - 1]``.

    Article Markdown is standard (``[text](url)``, ``![alt](src)``); the numbers the ``1``-``9``
    keys follow are added here, as ``text[3]``: one number per distinct web or mail target, in
    order of appearance; an image gets its own number unless a link around it has one.
    """
    blocks: list[Block] = []
    ctx = _Context()
    for token in _parser().parse(markdown):
        kind = token.type
        if _enter_or_leave(ctx, token) or _table_part(ctx, token, blocks):
            continue
        if kind == "hr":
            blocks.append(Block("rule", quote_depth=ctx.quote_depth))
        elif kind in ("fence", "code_block"):
            code = clean_text(token.content.rstrip("\n").expandtabs(4))
            blocks.append(Block("code", code, quote_depth=ctx.quote_depth, indent=len(ctx.lists)))
        elif kind == "inline":
            text, spans, links = _inline(token.children or [], ctx.numbers)
            if ctx.in_cell:
                ctx.row.append(text)
                continue
            blocks.append(_text_block(ctx, text, spans, links))
    _add_quotes(blocks)
    return blocks, list(ctx.numbers)


def _add_quotes(blocks: list[Block]) -> None:
    """Quote spans of each paragraph; a paragraph followed by one that opens with a quote
    mark may leave its quotation open (the multi-paragraph convention)."""
    from reader.render.quotes import find_quotes, opens_with_mark

    paragraphs = [b for b in blocks if b.kind == "paragraph"]
    for k, block in enumerate(paragraphs, 1):
        continued = k < len(paragraphs) and opens_with_mark(paragraphs[k].text)
        block.spans.extend((s, e, "quote") for s, e in find_quotes(block.text, continued))


@dataclass
class _Context:
    """What surrounds the next block while parse_document walks the tokens."""

    quote_depth: int = 0
    numbers: dict[str, int] = field(default_factory=dict)  # link target -> its number
    lists: list[list[int | str]] = field(default_factory=list)  # [kind, next number]
    bullet: str = ""  # bullet or number of the list item whose first block comes next
    heading_level: int = 0
    in_cell: bool = False
    row: list[str] = field(default_factory=list)  # cells of the table row being read
    rows: list[list[str]] = field(default_factory=list)


def _enter_or_leave(ctx: _Context, token: Any) -> bool:
    """Track blockquotes, lists, list items and headings; False for any other token."""
    kind = token.type
    if kind == "blockquote_open":
        ctx.quote_depth += 1
    elif kind == "blockquote_close":
        ctx.quote_depth -= 1
    elif kind in ("bullet_list_open", "ordered_list_open"):
        start = int(token.attrs.get("start", 1) or 1) if token.attrs else 1
        ctx.lists.append(["ul" if kind == "bullet_list_open" else "ol", start])
    elif kind in ("bullet_list_close", "ordered_list_close"):
        ctx.lists.pop()
    elif kind == "list_item_open":
        ctx.bullet = _next_bullet(ctx.lists)
    elif kind == "heading_open":
        ctx.heading_level = int(token.tag[1])
    elif kind == "heading_close":
        ctx.heading_level = 0
    else:
        return False
    return True


def _next_bullet(lists: list[list[int | str]]) -> str:
    """A new list item's bullet: its number in an ordered list (counted on), else • or ◦."""
    top = lists[-1] if lists else ["ul", 1]
    if top[0] == "ol":
        bullet = f"{top[1]}. "
        top[1] = int(top[1]) + 1
        return bullet
    return "• " if len(lists) % 2 else "◦ "


def _table_part(ctx: _Context, token: Any, blocks: list[Block]) -> bool:
    """Collect a table's rows and cells, append its block at its end; False for other tokens."""
    kind = token.type
    if kind == "tr_open":
        ctx.row = []
    elif kind == "tr_close":
        ctx.rows.append(ctx.row)
    elif kind in ("th_open", "td_open"):
        ctx.in_cell = True
    elif kind in ("th_close", "td_close"):
        ctx.in_cell = False
    elif kind == "table_close":
        blocks.append(_table_block(ctx.rows, ctx.quote_depth))
        ctx.rows = []
    else:
        return False
    return True


def _text_block(
    ctx: _Context, text: str, spans: list[StyleSpan], links: list[tuple[int, int, str]]
) -> Block:
    """A heading or paragraph in its containers; it takes the pending list bullet."""
    block = Block(
        "heading" if ctx.heading_level else "paragraph",
        text,
        spans,
        level=ctx.heading_level,
        indent=len(ctx.lists),
        bullet=ctx.bullet,
        quote_depth=ctx.quote_depth,
        links=links,
    )
    ctx.bullet = ""
    return block


def _numbered(numbers: dict[str, int], href: str) -> str:
    """The ``[n]`` shown after a link to href (the same target keeps one number)."""
    n = numbers.setdefault(href, len(numbers) + 1)
    return f"[{n}]"


def _image(child: Any, numbers: dict[str, int], in_link: bool) -> tuple[str, str | None, str]:
    """An image's label, numbered unless a link around it is; its followable source; and
    its caption (the Markdown image title, see reader.extract.figures) or ""."""
    caption = " ".join(clean_text(str(child.attrs.get("title") or "")).split())
    alt = " ".join(clean_text(child.content).split())
    label = f"[image: {alt}]" if alt and alt != caption else "[image]"
    src = None if in_link else _followable(str(child.attrs.get("src", "")))
    return (label + _numbered(numbers, src) if src else label), src, caption


def _inline(
    children: list[Any], numbers: dict[str, int]
) -> tuple[str, list[StyleSpan], list[tuple[int, int, str]]]:
    """Flatten inline tokens to text plus style spans and link ranges; links get numbers."""
    parts: list[str] = []
    spans: list[StyleSpan] = []
    links: list[tuple[int, int, str]] = []
    open_at: dict[str, list[int]] = {}
    link_stack: list[tuple[int, str | None]] = []  # None: a link that is not kept
    length = 0
    names = {"strong": "strong", "em": "em", "s": "strike", "link": "link"}
    for child in children:
        kind = child.type
        piece = ""
        if kind == "text":
            # Cleaned here, before any span is measured, so spans always match the text.
            piece = clean_text(child.content)
        elif kind == "softbreak":
            piece = " "
        elif kind == "hardbreak":
            piece = "\n"
        elif kind == "code_inline":
            piece = clean_text(child.content).replace("\n", " ")
            if piece:  # `\x1b` is nothing once cleaned: no empty span
                spans.append((length, length + len(piece), "code"))
        elif kind == "image":
            piece, src, caption = _image(child, numbers, any(h for _, h in link_stack))
            spans.append((length, length + len(piece), "image"))
            if src:
                links.append((length, length + len(piece), src))
            if caption:  # on its own line under the image, styled as a caption
                at = length + len(piece) + 1
                spans.append((at, at + len(caption), "caption"))
                piece += "\n" + caption
        elif kind.endswith("_open"):
            name = kind[: -len("_open")]
            if name == "link":
                href = _followable(str(child.attrs.get("href", "")))
                link_stack.append((length, href))
                if href is None:
                    continue  # not a web or mail link: its text stays plain text
            open_at.setdefault(name, []).append(length)
        elif kind.endswith("_close"):
            name = kind[: -len("_close")]
            if name == "link" and link_stack and link_stack[-1][1] is None:
                link_stack.pop()
                continue
            starts = open_at.get(name)
            if starts:
                start = starts.pop()
                if name in names and length > start:
                    spans.append((start, length, names[name]))
            if name == "link" and link_stack:
                start, href = link_stack.pop()
                links.append((start, length, href))
                piece = _numbered(numbers, href) if href else ""
        parts.append(piece)
        length += len(piece)
    return "".join(parts), spans, links


def _followable(href: str) -> str | None:
    """``href`` when it is an absolute http(s) or mailto link, else None.

    Only a web or mail link stays one (the page's own text may carry ``[x](javascript:...)``
    or ``[y](foo:bar)``); the rest keep their text as plain text.
    """
    url = safe_url(href)
    return url if url and url.lower().startswith(("http://", "https://", "mailto:")) else None


def _table_block(rows: list[list[str]], quote_depth: int) -> Block:
    """A table as aligned text columns (cells are short in news articles)."""
    if not rows:
        return Block("table", "", quote_depth=quote_depth)
    columns = max(len(row) for row in rows)
    widths = [0] * columns
    for row in rows:
        for index, cell in enumerate(row):
            widths[index] = min(40, max(widths[index], len(cell)))
    lines = []
    for number, row in enumerate(rows):
        cells = [(row[i] if i < len(row) else "")[:40].ljust(widths[i]) for i in range(columns)]
        lines.append(" │ ".join(cells).rstrip())
        if number == 0:
            lines.append("─┼─".join("─" * width for width in widths))
    text = "\n".join(lines)
    header_end = len(lines[0])
    return Block("table", text, [(0, header_end, "strong")], quote_depth=quote_depth)


_DESTINATION = re.compile(r"\]\(([^()\s]+)\)")


def with_reference_links(markdown: str) -> str:
    """The same Markdown with numbered reference links, as ``reader show`` prints it.

    ``[text](url)`` becomes ``[text][3]`` and ``[3]: url`` is listed at the end, with the
    numbers the reading pane shows; still standard Markdown, and the prose reads without URLs.
    """
    numbers = {url: n for n, url in enumerate(parse_numbered(markdown)[1], 1)}
    if not numbers:
        return markdown
    body = _DESTINATION.sub(lambda m: f"][{numbers[m[1]]}]" if m[1] in numbers else m[0], markdown)
    refs = "\n".join(f"[{n}]: {url}" for url, n in numbers.items())
    return f"{body}\n\n{refs}"
