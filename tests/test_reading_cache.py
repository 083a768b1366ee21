"""reading.open_article's cache: a Readable goes to JSON and comes back equal and typed."""

from __future__ import annotations

import json
from pathlib import Path

from reader.extract.model import Comment, CommentForm, Embed, RelatedLink
from reader.reading import CACHE_FORMAT, Readable, cache_version, open_article
from reader.sources.items import FeedItem
from reader.store import Store

PAGE = Path(__file__).parent / "fixtures" / "extract" / "wp_post.html"
URL = "https://gazette.example/2025/03/harbour-ferry-returns/"


def _stored_page(store: Store) -> int:
    feed, _ = store.feeds.add("https://gazette.example/feed/", title="Millbrook Gazette")
    item = FeedItem(guid=URL, url=URL, title="Harbour ferry returns")
    article_id = store.articles.upsert(feed.id, [item]).new_ids[0]
    store.articles.set_page(article_id, PAGE.read_bytes())
    return article_id


def test_readable_round_trips_through_its_cache_form(store: Store) -> None:
    fresh = open_article(store, _stored_page(store))
    assert fresh is not None
    # the page has every part, so every typed part makes the trip
    assert fresh.related and fresh.comment_form and fresh.comments and fresh.embeds
    assert fresh.quotes and fresh.breadcrumb and fresh.canonical_url == URL

    back = Readable.from_cache(json.loads(json.dumps(fresh.to_cache())))
    assert back == fresh
    assert all(isinstance(link, RelatedLink) for link in back.related)
    assert isinstance(back.comment_form, CommentForm)
    assert all(isinstance(comment, Comment) for comment in back.comments)
    assert all(isinstance(embed, Embed) for embed in back.embeds)
    assert all(isinstance(span, tuple) for span in back.quotes)

    assert store.articles.rendered(fresh.article_id, cache_version()) is not None
    cached = open_article(store, fresh.article_id)  # the second open reads the cache
    assert cached == fresh
    assert isinstance(cached.comments[0], Comment) and isinstance(cached.related[0], RelatedLink)


def test_show_json_keeps_its_keys_and_plain_dicts(store: Store) -> None:
    readable = open_article(store, _stored_page(store))
    assert readable is not None
    data = readable.to_dict()
    assert list(data) == [
        "article_id", "url", "title", "feed_title", "author", "published", "updated",
        "site_name", "language", "breadcrumb", "markdown", "quotes", "links", "related",
        "comment_form", "comments", "embeds", "ok", "error", "from_page", "reading_minutes",
    ]  # fmt: skip
    link = readable.related[0]
    assert data["related"][0] == {"title": link.title, "url": link.url}
    assert list(data["comments"][0]) == ["id", "author", "date", "text", "parent"]
    form_keys = ["action", "method", "fields", "required", "blocked_reason"]
    assert list(data["comment_form"]) == form_keys
    assert list(data["embeds"][0]) == ["kind", "author", "url", "text"]
    json.dumps(data)


def test_an_old_format_rendering_is_made_again_not_misread(store: Store) -> None:
    article_id = _stored_page(store)
    fresh = open_article(store, article_id, use_cache=False)
    assert fresh is not None
    # format 1 stored what --json prints (dicts for the parts, no canonical_url)
    old = {key: value for key, value in fresh.to_dict().items() if key != "reading_minutes"}
    old["markdown"] = "stale rendering"
    assert cache_version().endswith(f"/{CACHE_FORMAT}") and CACHE_FORMAT >= 2
    old_version = cache_version().rsplit("/", 1)[0]  # format 1's key had no format part

    for version in (old_version, cache_version()):  # the old key, and an old shape under the new
        store.articles.store_rendered(
            article_id, version, old, store.articles.get(article_id).fetched_at
        )
        again = open_article(store, article_id)
        assert again == fresh and again.markdown != "stale rendering"
        assert isinstance(again.comments[0], Comment)
        stored = store.articles.rendered(article_id, cache_version())
        assert stored is not None and Readable.from_cache(stored) == fresh
