"""The network side of the ``site`` and ``jetpack`` sources: ask a WordPress site once, keep it.

For an article from a WordPress site this asks the REST API for the post's categories and tags
(and Jetpack's ``jetpack-related-posts`` field), then for other posts sharing any of them
(``tax_relation=OR``), ranked like Jetpack does: 2 points per shared tag, 1 per shared
category. When the REST field is absent it tries Jetpack's ``<post link>?relatedposts=1`` JSON.
Results go into ``related_links`` (sources ``site`` and ``jetpack``) and their dates into
``related_remote``, so the sidebar shows them offline later. A site is asked at most once per
``MAX_AGE`` per article (``RETRY_AFTER_ERROR`` after a failure): no request storm while the user
walks a trail.
"""

from __future__ import annotations

import json
import re
from datetime import UTC, datetime, timedelta
from typing import TYPE_CHECKING, Any

from reader.related.local import JETPACK, SITE, jetpack_items
from reader.related.remote import remember
from reader.related.urls import canonical_url, is_web_url

if TYPE_CHECKING:
    import httpx

    from reader.store import ArticleRecord, Store

MAX_AGE = timedelta(hours=24)
RETRY_AFTER_ERROR = timedelta(hours=1)
TAXONOMY_RESULTS = 15
_POST_ID = (
    re.compile(rb"""rel=["']shortlink["'][^>]*?[?&]p=(\d+)"""),
    re.compile(rb"""<body[^>]*class=["'][^"']*\bpostid-(\d+)"""),
    re.compile(rb"""<article[^>]+id=["']post-(\d+)["']"""),
)


def _now() -> datetime:
    return datetime.now(UTC).replace(microsecond=0)


def _recent(stamp: Any, within: timedelta) -> bool:
    if not isinstance(stamp, str):
        return False
    try:
        return _now() - datetime.fromisoformat(stamp) < within
    except ValueError:
        return False


def post_id_of(record: ArticleRecord) -> int | None:
    """The WordPress post id: from the REST item, the ``?p=N`` GUID, or the page markup."""
    for key in ("wp_post_id", "post_id"):
        value = record.extra.get(key)
        if isinstance(value, int) and value > 0:
            return value
    match = re.search(r"[?&]p=(\d+)", record.guid or "")
    if match:
        return int(match.group(1))
    page = record.raw_html or b""
    for pattern in _POST_ID:
        found = pattern.search(page[:400_000])
        if found:
            return int(found.group(1))
    return None


def api_root_of(store: Store, record: ArticleRecord) -> str | None:
    """The site's REST root, from the subscription or the page's ``api.w.org`` link."""
    from reader.demo import is_demo_url

    feed = store.feeds.get(record.feed_id)
    if feed is None or feed.kind == "demo" or not record.url or is_demo_url(record.url):
        return None
    if feed.api_url:
        return feed.api_url
    if feed.kind == "wordpress":
        return feed.url
    if record.raw_html:
        from reader.sources.discover import wordpress_api_root

        return wordpress_api_root(None, record.raw_html, record.url)
    return None


async def refresh_site_related(
    store: Store, article_id: int, *, client: httpx.AsyncClient | None = None, force: bool = False
) -> int:
    """Ask the article's WordPress site for related posts; return how many links were stored.

    Returns 0 (and asks nothing) for non-WordPress articles and when the last answer is recent.
    Never raises for network or API problems: they are recorded on the article and retried
    after ``RETRY_AFTER_ERROR``.
    """
    record = store.articles.get(article_id)
    if record is None:
        return 0
    if not force and (
        _recent(record.extra.get("related_site_checked"), MAX_AGE)
        or _recent(record.extra.get("related_site_failed"), RETRY_AFTER_ERROR)
    ):
        return 0
    api_root = api_root_of(store, record)
    if not api_root:
        return 0
    from reader.net.client import make_client
    from reader.sources.items import FeedError
    from reader.sources.wordpress import WordPressAPI

    own = client is None
    client = client or make_client(max_connections=4)
    try:
        api = WordPressAPI(client, api_root)
        post = await _post(api, record)
        site = await _taxonomy_neighbours(api, post) if post else []
        jetpack = post.get("jetpack-related-posts") if post else None
        if not isinstance(jetpack, list):
            jetpack = await _relatedposts_json(client, record.url or "")
    except FeedError as error:
        store.articles.set_extra(
            article_id, related_site_failed=_now().isoformat(), related_site_error=str(error)
        )
        return 0
    finally:
        if own:
            await client.aclose()
    from reader.store import RelatedLink

    jet = jetpack_items(jetpack or [])
    store.related.replace(
        article_id,
        SITE,
        [RelatedLink(url, title, SITE, n) for n, (url, title, _d) in enumerate(site)],
    )
    store.related.replace(
        article_id, JETPACK, [RelatedLink(c.url, c.title, JETPACK, c.position) for c in jet]
    )
    remember(store, [*site, *((c.url, c.title, c.date or None) for c in jet)])
    store.articles.set_extra(
        article_id,
        related_site_checked=_now().isoformat(),
        related_site_failed=None,
        related_site_error=None,
    )
    return len(site) + len(jet)


async def _post(api: Any, record: ArticleRecord) -> dict[str, Any] | None:
    """The REST post object (id, categories, tags, Jetpack field) for this article."""
    fields = "id,link,categories,tags,jetpack-related-posts"
    post_id = post_id_of(record)
    if post_id:
        page = await api.get(f"/wp/v2/posts/{post_id}", {"_fields": fields})
        return page.data if isinstance(page.data, dict) else None
    if not is_web_url(record.url):
        return None
    slug = (record.url or "").rstrip("/").rsplit("/", 1)[-1]
    if not slug:
        return None
    page = await api.get("/wp/v2/posts", {"slug": slug, "_fields": fields})
    rows = page.data if isinstance(page.data, list) else []
    mine = canonical_url(record.url or "")
    for row in rows:
        link = str(row.get("link") or "") if isinstance(row, dict) else ""
        if is_web_url(link) and canonical_url(link) == mine:
            return row
    return rows[0] if len(rows) == 1 and isinstance(rows[0], dict) else None


def _ids(value: Any) -> set[int]:
    return {v for v in value if isinstance(v, int)} if isinstance(value, list) else set()


async def _taxonomy_neighbours(api: Any, post: dict[str, Any]) -> list[tuple[str, str, str | None]]:
    """(url, title, date) of posts sharing categories/tags, best overlap first."""
    import html

    cats, tags = _ids(post.get("categories")), _ids(post.get("tags"))
    post_id = post.get("id")
    if not (cats or tags) or not isinstance(post_id, int):
        return []
    params: dict[str, Any] = {
        "_fields": "id,link,title,date_gmt,categories,tags",
        "per_page": 50,
        "exclude": post_id,
        "tax_relation": "OR",
    }
    if cats:
        params["categories"] = ",".join(map(str, sorted(cats)))
    if tags:
        params["tags"] = ",".join(map(str, sorted(tags)))
    page = await api.get("/wp/v2/posts", params)
    scored = []
    for row in page.data if isinstance(page.data, list) else []:
        if not isinstance(row, dict) or row.get("id") == post_id:
            continue
        url = row.get("link")
        if not isinstance(url, str) or not is_web_url(url):
            continue
        score = 2 * len(tags & _ids(row.get("tags"))) + len(cats & _ids(row.get("categories")))
        if score <= 0:
            continue
        title = (
            row.get("title", {}).get("rendered", "") if isinstance(row.get("title"), dict) else ""
        )
        title = " ".join(html.unescape(re.sub(r"<[^>]*>", "", str(title))).split())
        date = row.get("date_gmt") if isinstance(row.get("date_gmt"), str) else None
        scored.append((score, date or "", url, title))
    scored.sort(key=lambda item: (-item[0], [-ord(ch) for ch in item[1]]))
    return [(url, title, date[:10] or None) for _s, date, url, title in scored[:TAXONOMY_RESULTS]]


async def _relatedposts_json(client: httpx.AsyncClient, url: str) -> list[Any] | None:
    """Jetpack's ``?relatedposts=1`` answer (None when the site has no such endpoint)."""
    from reader.net.client import fetch

    if not is_web_url(url):
        return None
    joiner = "&" if "?" in url else "?"
    result = await fetch(
        client,
        f"{url}{joiner}relatedposts=1",
        accept="application/json",
        max_bytes=1024 * 1024,
        total_timeout=15.0,
    )
    if not result.ok:
        return None
    try:
        data = json.loads(result.body)
    except ValueError:
        return None
    items = data.get("items") if isinstance(data, dict) else None
    return items if isinstance(items, list) else None
