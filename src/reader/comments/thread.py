"""Read an article's comments as a thread, and keep them for reading offline.

Sources, best first: the WordPress REST API (ids, parents and exact dates), the article's comment
feed (``wfw:commentRss`` or ``<post>/feed/``: WordPress marks replies with an "In reply to" link,
Atom feeds with ``thr:in-reply-to``), and the page's own ``ol.comment-list``. Whatever answers is
cached in the store; when nothing answers, the cached thread is returned marked ``offline``.
Every string is cleaned for the terminal before it is stored.
"""

from __future__ import annotations

import email.utils
import re
from dataclasses import dataclass, replace
from typing import TYPE_CHECKING, Any

from reader.comments.page_parts import PageInfo, html_fragment_text, read_page
from reader.comments.wp import Offline, fetch_page, rest_comments
from reader.sanitize import clean_text, safe_url
from reader.store.comments import StoredComment, thread_key
from reader.store.timeutil import normalize_iso

if TYPE_CHECKING:
    import httpx

    from reader.store import ArticleRecord, Store

_COMMENT_ANCHOR_RE = re.compile(r"#comment-(\d+)")


SOURCE_LABELS = {
    "rest": "from the site's API",
    "feed": "from the site's comment feed",
    "page": "from the page",
}
"""How a thread's source reads in the app and the CLI (the JSON keeps the short names)."""


def source_label(source: str) -> str:
    """``from the site's API`` for ``rest``, and so on; unknown sources as ``from X``."""
    return SOURCE_LABELS.get(source, f"from {source}")


@dataclass(frozen=True)
class ThreadComment:
    """One comment placed in its thread: ``depth`` 0 is a top-level comment."""

    id: str
    parent: str | None
    author: str
    date: str | None
    text: str
    depth: int = 0
    author_url: str | None = None
    link: str | None = None


@dataclass(frozen=True)
class Thread:
    """An article's comments in reading order (each reply right under its parent)."""

    article_url: str
    comments: list[ThreadComment]
    source: str
    fetched_at: str | None = None
    offline: bool = False
    error: str | None = None

    @property
    def count(self) -> int:
        """How many comments the thread holds."""
        return len(self.comments)


def threaded(comments: list[StoredComment]) -> list[ThreadComment]:
    """Order comments depth-first by date, replies under their parent; orphans go to the top."""
    ids = {c.id for c in comments}
    children: dict[str | None, list[StoredComment]] = {}
    for c in comments:
        parent = c.parent if c.parent in ids and c.parent != c.id else None
        children.setdefault(parent, []).append(c)
    for group in children.values():
        group.sort(key=lambda c: (c.date or "", int(c.id) if c.id.isdigit() else 0))
    ordered: list[ThreadComment] = []
    seen: set[str] = set()
    stack: list[tuple[StoredComment, int]] = [(c, 0) for c in reversed(children.get(None, []))]
    while stack:
        comment, depth = stack.pop()
        if comment.id in seen:  # a parent cycle in hostile data must not loop forever
            continue
        seen.add(comment.id)
        ordered.append(
            ThreadComment(
                comment.id,
                comment.parent if depth else None,
                comment.author,
                comment.date,
                comment.text,
                depth,
                comment.author_url,
                comment.link,
            )
        )
        stack.extend((child, depth + 1) for child in reversed(children.get(comment.id, [])))
    return ordered


def cached_thread(store: Store, article_url: str) -> Thread | None:
    """The thread as last fetched, or None."""
    stored = store.comments.thread(article_url)
    if stored is None:
        return None
    return Thread(stored.article_url, threaded(stored.comments), stored.source, stored.fetched_at)


async def fetch_thread(
    store: Store,
    article: ArticleRecord | str,
    *,
    client: httpx.AsyncClient | None = None,
) -> Thread:
    """Fetch the comments of an article (a stored record or a URL), cache and return them."""
    own = client is None
    if client is None:
        from reader.net.client import make_client

        client = make_client()
    try:
        return await _fetch(store, article, client)
    finally:
        if own:
            await client.aclose()


async def _fetch(store: Store, article: ArticleRecord | str, client: httpx.AsyncClient) -> Thread:
    if isinstance(article, str):
        url, record = article, store.articles.by_url(article)
    else:
        url, record = article.url or "", article
    key = thread_key(record.url if record is not None and record.url else url)
    errors: list[str] = []
    page: PageInfo | None = None
    offline = False
    try:
        page, _body = await fetch_page(client, key)
    except (Offline, ValueError) as exc:
        errors.append(str(exc))
        offline = isinstance(exc, Offline)
        cached = cached_thread(store, key) if offline else None
        if cached is not None:
            return replace(cached, offline=True, error=str(exc))
        if record is not None and record.raw_html:
            # no thread cached yet: the comments in the stored page are better than nothing
            page = read_page(record.raw_html, key)
    feed_url = (record.comments_url if record is not None else None) or (
        page.comment_feed if page is not None else None
    )
    comments, source = await _first_source(client, page, feed_url, errors)
    if comments is None:
        cached = cached_thread(store, key)
        error = "; ".join(errors) or "no comments found"
        if cached is not None:
            return Thread(
                cached.article_url,
                cached.comments,
                cached.source,
                cached.fetched_at,
                offline=True,
                error=error,
            )
        return Thread(key, [], "", None, offline=True, error=error)
    stored = store.comments.replace(
        key, comments, source=source, article_id=record.id if record is not None else None
    )
    return Thread(
        key,
        threaded(stored.comments),
        source,
        stored.fetched_at,
        offline=offline,
        error="; ".join(errors) or None,
    )


async def _first_source(
    client: httpx.AsyncClient, page: PageInfo | None, feed_url: str | None, errors: list[str]
) -> tuple[list[StoredComment] | None, str]:
    """The thread from the first source that answers: the REST API, the comment feed, the
    page itself; (None, "") when none did (``errors`` says why)."""
    if page is not None and page.api_root and page.post_id:
        try:
            found = await rest_comments(client, page.api_root, page.post_id)
        except (Offline, ValueError) as exc:
            errors.append(f"REST API: {exc}")
        else:
            return [
                StoredComment(c.id, c.parent, c.author, c.date, c.text, c.author_url, c.link)
                for c in found
            ], "rest"
    if feed_url:
        try:
            return await _feed_comments(client, feed_url), "feed"
        except (Offline, ValueError) as exc:
            errors.append(f"comment feed: {exc}")
    if page is not None and (page.comments or not errors):
        return [_from_page(c) for c in page.comments], "page"
    return None, ""


def _from_page(comment: Any) -> StoredComment:
    """A ``reader.extract`` comment (ids may be "comment-N") as a stored one."""
    ident = str(comment.id).removeprefix("comment-")
    parent = str(comment.parent).removeprefix("comment-") if comment.parent else None
    return StoredComment(
        ident,
        parent,
        clean_text(comment.author).strip(),
        normalize_iso(comment.date) or comment.date,
        clean_text(comment.text),
    )


async def _feed_comments(client: httpx.AsyncClient, url: str) -> list[StoredComment]:
    """Comments from an RSS 2.0 or Atom comment feed; raises Offline or ValueError."""
    from reader.net.client import fetch

    result = await fetch(client, url)
    if result.status is None:
        raise Offline(result.error or "no answer")
    if not result.ok:
        raise ValueError(result.error or f"HTTP {result.status}")
    return parse_comment_feed(result.body, url)


def parse_comment_feed(body: bytes, url: str) -> list[StoredComment]:
    """Parse a comment feed; raises ValueError for something that is not a feed."""
    from lxml import etree

    parser = etree.XMLParser(resolve_entities=False, no_network=True, recover=True, huge_tree=False)
    try:
        root = etree.fromstring(body, parser)
    except etree.XMLSyntaxError as exc:
        raise ValueError(f"not a feed: {exc}") from exc
    if root is None:
        raise ValueError("not a feed")
    items = [
        el
        for el in root.iter()
        if isinstance(el.tag, str) and etree.QName(el).localname in ("item", "entry")
    ]
    if etree.QName(root).localname not in ("rss", "feed", "RDF"):
        raise ValueError("not a feed")
    return [c for c in (_feed_item(item, url) for item in items) if c is not None]


def _child(item: Any, *names: str) -> Any:
    for el in item:
        if isinstance(el.tag, str) and etree_local(el) in names:
            return el
    return None


def etree_local(el: Any) -> str:
    """The tag name without its namespace."""
    tag = el.tag
    return tag.rsplit("}", 1)[-1] if isinstance(tag, str) else ""


def _feed_item(item: Any, feed_url: str) -> StoredComment | None:
    link_el = _child(item, "link")
    link = (link_el.get("href") or link_el.text or "").strip() if link_el is not None else ""
    guid_el = _child(item, "guid", "id")
    guid = (guid_el.text or "").strip() if guid_el is not None else ""
    match = _COMMENT_ANCHOR_RE.search(link) or _COMMENT_ANCHOR_RE.search(guid)
    ident = match.group(1) if match else (guid or link)
    if not ident:
        return None
    author_el = _child(item, "creator", "author")
    if author_el is not None and _child(author_el, "name") is not None:
        author_el = _child(author_el, "name")
    author = (author_el.text or "") if author_el is not None else ""
    date_el = _child(item, "pubDate", "published", "updated", "date")
    date = _feed_date(date_el.text if date_el is not None else None)
    body_el = _child(item, "encoded", "content")
    if body_el is None:
        body_el = _child(item, "description", "summary")
    markup = (body_el.text or "") if body_el is not None else ""
    parent = None
    reply = _child(item, "in-reply-to")
    if reply is not None:
        target = _COMMENT_ANCHOR_RE.search(reply.get("href") or reply.get("ref") or "")
        parent = target.group(1) if target else None
    markup, parent_from_text = _strip_in_reply_to(markup)
    return StoredComment(
        id=ident,
        parent=parent or parent_from_text,
        author=clean_text(author).strip(),
        date=date,
        text=html_fragment_text(markup),
        link=safe_url(link or None, feed_url),
    )


_IN_REPLY_RE = re.compile(
    r"^\s*<p>\s*In reply to <a [^>]*href=\"[^\"]*#comment-(\d+)\"[^>]*>.*?</a>\.?\s*</p>",
    re.S,
)


def _strip_in_reply_to(markup: str) -> tuple[str, str | None]:
    """WordPress comment feeds say "In reply to <a href=…#comment-N>" instead of a parent field."""
    match = _IN_REPLY_RE.match(markup)
    if not match:
        return markup, None
    return markup[match.end() :], match.group(1)


def _feed_date(value: str | None) -> str | None:
    if not value:
        return None
    iso = normalize_iso(value.strip())
    if iso:
        return iso
    try:
        parsed = email.utils.parsedate_to_datetime(value.strip())
    except (TypeError, ValueError, IndexError):
        return None
    return normalize_iso(parsed.isoformat())
