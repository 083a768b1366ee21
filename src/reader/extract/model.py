"""The data an extraction returns: plain frozen dataclasses, no behaviour.

Kept apart from the extraction code so the UI and the store can import the types
without pulling in lxml.
"""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass(frozen=True)
class RelatedLink:
    """One entry of a page's "related posts" block."""

    title: str
    url: str


@dataclass(frozen=True)
class CommentForm:
    """A comment form found on the page, ready to be filled and POSTed.

    ``fields`` holds every named field with its default value (hidden ones too,
    because WordPress needs comment_post_ID, comment_parent and nonces back).
    ``blocked_reason`` says why posting will not work without a browser
    (captcha, login required); None when the form looks usable.
    """

    action: str
    method: str = "post"
    fields: dict[str, str] = field(default_factory=dict)
    required: list[str] = field(default_factory=list)
    blocked_reason: str | None = None


@dataclass(frozen=True)
class Comment:
    """One comment of the page's comment list; ``parent`` is the parent's id."""

    id: str
    author: str
    date: str | None
    text: str
    parent: str | None = None


@dataclass(frozen=True)
class Embed:
    """An embedded social post (tweet, toot, Instagram post)."""

    kind: str
    author: str
    url: str
    text: str


@dataclass(frozen=True)
class ArticleMeta:
    """What a page says about itself, declared once for ``Article`` and ``reading.Readable``.

    Dates are ISO 8601 strings; ``breadcrumb`` is the page's trail, outermost first.
    """

    title: str | None = None
    author: str | None = None
    published: str | None = None
    updated: str | None = None
    site_name: str | None = None
    language: str | None = None
    canonical_url: str | None = None
    breadcrumb: list[str] = field(default_factory=list)


@dataclass(frozen=True)
class Article(ArticleMeta):
    """Everything the reading pane shows for one page: its metadata and these parts.

    ``markdown`` is the body only (no title), standard Markdown (``[text](url)``, no link
    numbers: the reading pane's renderer adds them). ``links`` are its distinct link and
    image targets in order of appearance. ``quotes`` are (start, end)
    character spans in ``markdown``. ``ok`` is False (and ``error`` says why)
    when no readable content could be found.
    """

    markdown: str = ""
    quotes: list[tuple[int, int]] = field(default_factory=list)
    related: list[RelatedLink] = field(default_factory=list)
    comment_form: CommentForm | None = None
    comments: list[Comment] = field(default_factory=list)
    embeds: list[Embed] = field(default_factory=list)
    links: list[str] = field(default_factory=list)
    ok: bool = True
    error: str | None = None
