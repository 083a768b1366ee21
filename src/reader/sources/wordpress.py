"""Read a WordPress site through its REST API (``/wp-json/wp/v2/…`` or ``?rest_route=``).

Why the API as well as the feed: the RSS feed holds only the newest 10 posts and no comment
counts, category IDs or related posts; the API pages through every post and carries taxonomy
IDs, author IDs and Jetpack's ``jetpack-related-posts`` field, which the related-posts sidebar
uses. Items get the same GUID as the site's RSS feed (``guid.rendered``), so the store
deduplicates posts seen through both.

Pretty permalinks are optional on WordPress: without them ``/wp-json/`` is a 404 and only
``/?rest_route=/wp/v2/posts`` works. ``WordPressAPI`` builds URLs for whichever root discovery
found.
"""

from __future__ import annotations

import asyncio
import html
import json
from collections import Counter
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any
from urllib.parse import parse_qsl, urlencode, urlsplit, urlunsplit

from reader.sources.hygiene import absolutize_html, clean_line, safe_url, strip_tags
from reader.sources.items import FeedError, FeedItem, ParsedFeed

if TYPE_CHECKING:
    import httpx

POST_FIELDS = (
    "id,guid,link,title,date_gmt,modified_gmt,excerpt,content,author,categories,tags,"
    "comment_status,jetpack-related-posts"
)
PER_PAGE = 100


@dataclass(slots=True)
class Page:
    """One decoded API answer with its paging headers."""

    data: Any
    total: int | None
    total_pages: int | None


class WordPressAPI:
    """REST client helpers bound to one site's API root and one shared httpx client."""

    def __init__(
        self,
        client: httpx.AsyncClient,
        api_root: str,
        *,
        total_timeout: float = 20.0,
        user_agent: str | None = None,
    ) -> None:
        self.client = client
        self.api_root = api_root
        self.total_timeout = total_timeout
        self.user_agent = user_agent

    def endpoint(self, route: str, params: dict[str, Any] | None = None) -> str:
        """URL for ``route`` (e.g. ``/wp/v2/posts``) in the root's style, with query params."""
        parts = urlsplit(self.api_root)
        query = dict(parse_qsl(parts.query, keep_blank_values=True))
        extra = {k: str(v) for k, v in (params or {}).items() if v is not None}
        if "rest_route" in query:
            query["rest_route"] = "/" + route.strip("/")
            return urlunsplit(parts._replace(query=urlencode({**query, **extra}, safe="/,")))
        path = parts.path.rstrip("/") + "/" + route.strip("/")
        return urlunsplit(parts._replace(path=path, query=urlencode(extra, safe="/,")))

    async def get(self, route: str, params: dict[str, Any] | None = None) -> Page:
        """GET one JSON answer; raise ``FeedError`` with the fetch or API error message."""
        from reader.net.client import fetch

        result = await fetch(
            self.client,
            self.endpoint(route, params),
            accept="application/json",
            total_timeout=self.total_timeout,
            user_agent=self.user_agent,
        )
        if not result.ok:
            raise FeedError(f"WordPress API: {result.error or f'HTTP {result.status}'}")
        try:
            data = json.loads(result.body)
        except ValueError:
            raise FeedError("WordPress API: answer is not JSON") from None
        return Page(
            data,
            _int(result.headers.get("x-wp-total")),
            _int(result.headers.get("x-wp-totalpages")),
        )

    async def get_all(
        self, route: str, params: dict[str, Any] | None = None, *, max_pages: int = 10
    ) -> list[dict[str, Any]]:
        """Every object of a collection: first page, then the rest concurrently."""
        params = {"per_page": PER_PAGE, **(params or {})}
        first = await self.get(route, {**params, "page": 1})
        items = (
            [x for x in first.data if isinstance(x, dict)] if isinstance(first.data, list) else []
        )
        pages = min(first.total_pages or 1, max_pages)
        if pages > 1:
            rest = await asyncio.gather(
                *(self.get(route, {**params, "page": n}) for n in range(2, pages + 1))
            )
            for page in rest:
                if isinstance(page.data, list):
                    items += [x for x in page.data if isinstance(x, dict)]
        return items

    async def posts(self, *, max_pages: int = 10, fields: str = POST_FIELDS) -> list[dict]:
        """Published posts, newest first, limited to the fields reader uses."""
        return await self.get_all("/wp/v2/posts", {"_fields": fields}, max_pages=max_pages)

    async def terms(self, taxonomy: str) -> dict[int, str]:
        """``categories`` or ``tags``: id -> name."""
        rows = await self.get_all(f"/wp/v2/{taxonomy}", {"_fields": "id,name"})
        return {row["id"]: _text(row.get("name")) for row in rows if isinstance(row.get("id"), int)}

    async def users(self) -> dict[int, str]:
        """Authors: id -> display name (empty when the site hides its users)."""
        try:
            rows = await self.get_all("/wp/v2/users", {"_fields": "id,name"})
        except FeedError:
            return {}
        return {row["id"]: _text(row.get("name")) for row in rows if isinstance(row.get("id"), int)}

    async def comment_counts(self, post_ids: list[int]) -> dict[int, int]:
        """Approved comments per post, from one paged query over all the posts at once.

        Asking ``/comments?post=ID`` per post and reading ``X-WP-Total`` costs a request per
        post; one ``post=1,2,3`` query costs a request per 100 comments.
        """
        if not post_ids:
            return {}
        rows = await self.get_all(
            "/wp/v2/comments", {"post": ",".join(map(str, post_ids)), "_fields": "post"}
        )
        counts = Counter(row.get("post") for row in rows)
        return {pid: counts.get(pid, 0) for pid in post_ids}

    async def comment_total(self, post_id: int) -> int | None:
        """One post's approved comments from the ``X-WP-Total`` header."""
        page = await self.get("/wp/v2/comments", {"post": post_id, "per_page": 1, "_fields": "id"})
        return page.total

    async def fetch_feed(self, *, max_pages: int = 10) -> ParsedFeed:
        """Posts as FeedItems with category/tag/author names and comment counts."""
        posts, categories, tags, users = await asyncio.gather(
            self.posts(max_pages=max_pages),
            self.terms("categories"),
            self.terms("tags"),
            self.users(),
        )
        ids = [p["id"] for p in posts if isinstance(p.get("id"), int)]
        try:
            counts = await self.comment_counts(ids)
        except FeedError:
            counts = {}
        feed = ParsedFeed(kind="wordpress", version="wp/v2")
        seen: set[str] = set()
        for post in posts:
            item = post_to_item(post, categories, tags, users, counts, base=self.api_root)
            if item is not None and item.guid not in seen:
                seen.add(item.guid)
                feed.items.append(item)
        return feed


def post_to_item(
    post: dict[str, Any],
    categories: dict[int, str],
    tags: dict[int, str],
    users: dict[int, str],
    counts: dict[int, int],
    *,
    base: str,
) -> FeedItem | None:
    """Map one REST post object to a FeedItem (None when it has no usable identity)."""
    post_id = post.get("id")
    url = safe_url(_str(post.get("link")), base)
    guid = _text(_rendered(post.get("guid"))) or url or (f"wp:{post_id}" if post_id else "")
    if not guid:
        return None
    cat_names = [categories[c] for c in post.get("categories") or [] if c in categories]
    tag_names = [tags[t] for t in post.get("tags") or [] if t in tags]
    extra: dict[str, Any] = {
        "wp_post_id": post_id,
        "wp_categories": cat_names,
        "wp_tags": tag_names,
    }
    if isinstance(post.get("jetpack-related-posts"), list):
        extra["jetpack-related-posts"] = post["jetpack-related-posts"]
    if post.get("comment_status"):
        extra["wp_comment_status"] = post["comment_status"]
    return FeedItem(
        guid=guid,
        url=url,
        title=clean_line(html.unescape(strip_tags(_rendered(post.get("title"))))),
        author=users.get(post.get("author")) if isinstance(post.get("author"), int) else None,
        published=_gmt(post.get("date_gmt")),
        updated=_gmt(post.get("modified_gmt")),
        summary_html=absolutize_html(_rendered(post.get("excerpt")), url or base) or None,
        content_html=absolutize_html(_rendered(post.get("content")), url or base) or None,
        categories=tuple(dict.fromkeys(cat_names + tag_names)),
        comments_url=f"{url}#comments" if url else None,
        comment_count=counts.get(post_id) if isinstance(post_id, int) else None,
        extra=extra,
    )


def _rendered(value: Any) -> str:
    if isinstance(value, dict):
        return _str(value.get("rendered"))
    return _str(value)


def _str(value: Any) -> str:
    return value if isinstance(value, str) else ""


def _text(value: Any) -> str:
    return clean_line(html.unescape(_str(value)))


def _gmt(value: Any) -> str | None:
    text = _str(value)
    if not text:
        return None
    from reader.sources.dates import iso, parse_date

    return iso(parse_date(text if text.endswith("Z") or "+" in text[10:] else text + "+00:00"))


def _int(value: str | None) -> int | None:
    return int(value) if value and value.strip().isdigit() else None
