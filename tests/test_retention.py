"""store/retention.py on real SQLite files: what a policy deletes, what it never deletes, and
that a pruned article does not come back with the next refresh."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from types import MappingProxyType

from reader.config import config_from_dict
from reader.sources.items import FeedItem
from reader.store import FeedKind, Policy, Store
from reader.store.retention import TOMBSTONES_PER_FEED

NOW = datetime(2024, 6, 1, 12, 0, tzinfo=UTC)


def items(prefix: str, count: int, *, start: datetime = NOW) -> list[FeedItem]:
    """``count`` items, one a day back from ``start``: item 0 is the newest."""
    return [
        FeedItem(
            guid=f"{prefix}-{n}",
            url=f"https://{prefix}.example/post/{n}",
            title=f"{prefix} post {n} zebrafish",
            published=(start - timedelta(days=n)).isoformat(),
            summary_html=f"<p>body {n}</p>",
        )
        for n in range(count)
    ]


def feed_with(store: Store, prefix: str, count: int, *, read: bool = True) -> tuple[int, list[int]]:
    """A subscription with ``count`` articles; their ids newest first, all read by default."""
    feed, _ = store.feeds.add(f"https://{prefix}.example/feed")
    store.articles.upsert(feed.id, items(prefix, count))
    ids = store.articles.ordered_ids(feed_id=feed.id)
    if read:
        store.marks.set_read(ids)
    return feed.id, ids


def remaining(store: Store, feed_id: int) -> list[int]:
    return store.articles.ordered_ids(feed_id=feed_id)


def test_no_policy_deletes_nothing(store: Store) -> None:
    feed_id, ids = feed_with(store, "a", 5)
    assert not Policy().active
    report = store.retention.prune(Policy(), now=NOW)
    assert report.total == 0 and dict(report.per_feed) == {}
    assert remaining(store, feed_id) == ids


def test_saved_unread_and_drafted_articles_always_stay(store: Store) -> None:
    feed_id, ids = feed_with(store, "a", 9)
    store.marks.set_read([ids[3]], read=False)
    store.marks.set_saved([ids[4]])
    drafted = store.drafts.save(
        article_url="https://a.example/post/5", body="hm", article_id=ids[5]
    )
    # a draft written from the address alone (no article id) protects the article too
    store.drafts.save(article_url="https://a.example/post/6", body="half a thought")
    queued = store.drafts.save(article_url="https://a.example/post/7", body="sent later")
    store.drafts.set_state(queued.id, "queued")
    sent = store.drafts.save(article_url="https://a.example/post/8", body="done", article_id=ids[8])
    store.drafts.set_state(sent.id, "published")  # sent: the article may go
    report = store.retention.prune(Policy(keep_per_feed=2), now=NOW)
    assert remaining(store, feed_id) == [ids[0], ids[1], ids[3], ids[4], ids[5], ids[6], ids[7]]
    assert dict(report.per_feed) == {feed_id: 2} and report.total == 2 and not report.dry_run
    assert store.drafts.get(drafted.id).article_id == ids[5]  # type: ignore[union-attr]
    # keep 0 keeps only what is protected
    store.retention.prune(Policy(keep_per_feed=0), now=NOW)
    assert remaining(store, feed_id) == [ids[3], ids[4], ids[5], ids[6], ids[7]]
    # a deleted (undoable) draft protects nothing
    store.drafts.delete(drafted.id)
    store.retention.prune(Policy(keep_per_feed=0), now=NOW)
    assert remaining(store, feed_id) == [ids[3], ids[4], ids[6], ids[7]]


def test_a_feeds_own_keep_overrides_the_global_one(store: Store) -> None:
    config, warnings = config_from_dict(
        {
            "retention": {"keep_per_feed": 3},
            "feeds": {"https://a.example/feed/": {"keep": 1}, "https://c.example/feed": {}},
        }
    )
    assert warnings == []
    policy = Policy.from_config(config)
    a, a_ids = feed_with(store, "a", 5)
    b, b_ids = feed_with(store, "b", 5)
    c, c_ids = feed_with(store, "c", 5)  # a table without keep: the global limit
    report = store.retention.prune(policy, now=NOW)
    assert remaining(store, a) == a_ids[:1]
    assert remaining(store, b) == b_ids[:3]
    assert remaining(store, c) == c_ids[:3]
    assert dict(report.per_feed) == {a: 4, b: 2, c: 2}
    # a feed may keep everything while the others are limited: a large keep
    roomy = Policy(keep_per_feed=1, feed_keep=MappingProxyType({"https://b.example/feed": 100}))
    store.retention.prune(roomy, now=NOW)
    assert remaining(store, b) == b_ids[:3] and remaining(store, c) == c_ids[:1]


def test_keep_days_deletes_old_read_articles_only(store: Store) -> None:
    feed_id, ids = feed_with(store, "a", 10)  # published today, yesterday, ... 9 days ago
    store.marks.set_read([ids[8]], read=False)
    report = store.retention.prune(Policy(keep_days=5), now=NOW + timedelta(hours=1))
    # 0-4 days old stay (the 5-day-old one is 5 days and 1 hour old), 8 is unread
    assert remaining(store, feed_id) == [*ids[:5], ids[8]]
    assert report.total == 4
    # with both limits, an article past either goes
    store.retention.prune(Policy(keep_days=5, keep_per_feed=2), now=NOW + timedelta(hours=1))
    assert remaining(store, feed_id) == [ids[0], ids[1], ids[8]]


def test_dry_run_changes_nothing_and_tells_what_would_go(store: Store) -> None:
    a, a_ids = feed_with(store, "a", 6)
    b, b_ids = feed_with(store, "b", 4)
    before = store.articles.count()
    policy = Policy(keep_per_feed=1)
    dry = store.retention.prune(policy, dry_run=True, now=NOW)
    assert dry.dry_run and dict(dry.per_feed) == {a: 5, b: 3}
    assert store.articles.count() == before and store.retention.tombstones(a) == 0
    assert remaining(store, a) == a_ids and remaining(store, b) == b_ids
    real = store.retention.prune(policy, now=NOW)
    assert dict(real.per_feed) == dict(dry.per_feed)
    assert store.articles.count() == before - 8


def test_feed_ids_limit_the_prune_to_those_feeds(store: Store) -> None:
    a, a_ids = feed_with(store, "a", 4)
    b, b_ids = feed_with(store, "b", 4)
    report = store.retention.prune(Policy(keep_per_feed=1), feed_ids=[b], now=NOW)
    assert dict(report.per_feed) == {b: 3}
    assert remaining(store, a) == a_ids and remaining(store, b) == b_ids[:1]


def test_the_demo_and_hidden_page_feeds_are_never_pruned(store: Store) -> None:
    for kind in (FeedKind.DEMO, FeedKind.PAGE):
        feed, _ = store.feeds.add(f"https://{kind}.example/feed", kind=kind)
        store.articles.upsert(feed.id, items(str(kind), 3))
        store.marks.set_read(store.articles.ordered_ids(feed_id=feed.id))
    before = store.articles.count()
    assert store.retention.prune(Policy(keep_per_feed=0, keep_days=1), now=NOW).total == 0
    assert store.articles.count() == before == 6


def test_a_pruned_article_is_not_stored_again_while_the_feed_lists_it(store: Store) -> None:
    feed_id, ids = feed_with(store, "a", 5)
    store.retention.prune(Policy(keep_per_feed=2), now=NOW)
    assert store.retention.tombstones(feed_id) == 3
    again = store.articles.upsert(feed_id, items("a", 5))  # the next refresh: same feed
    assert again.new_ids == [] and remaining(store, feed_id) == ids[:2]
    # the same link under a new GUID is the same article
    moved = FeedItem(guid="a-new-guid", url="https://a.example/post/4", title="again")
    assert store.articles.upsert(feed_id, [moved]).new_ids == []
    # a really new item is stored
    fresh = items("a", 1, start=NOW + timedelta(days=1))[0]
    fresh.guid, fresh.url = "a-fresh", "https://a.example/post/fresh"
    assert len(store.articles.upsert(feed_id, [fresh]).new_ids) == 1
    # unsubscribing forgets the tombstones with the feed
    store.feeds.remove("https://a.example/feed")
    assert store.retention.tombstones(feed_id) == 0


def test_large_prunes_go_in_batches_and_take_their_search_rows(store: Store) -> None:
    count = TOMBSTONES_PER_FEED + 200
    feed_id, ids = feed_with(store, "big", count)
    assert len(store.search.find("zebrafish", limit=count + 10).hits) == count
    report = store.retention.prune(Policy(keep_per_feed=10), now=NOW)
    assert report.total == count - 10 and remaining(store, feed_id) == ids[:10]
    assert len(store.search.find("zebrafish", limit=count + 10).hits) == 10
    # the newest tombstones are kept, the oldest forgotten
    assert store.retention.tombstones(feed_id) == TOMBSTONES_PER_FEED
    newest_gone = items("big", 11)[10]
    oldest_gone = items("big", count)[count - 1]
    stored = store.articles.upsert(feed_id, [newest_gone, oldest_gone])
    assert len(stored.new_ids) == 1
    assert store.articles.get(stored.new_ids[0]).guid == oldest_gone.guid  # type: ignore[union-attr]


def test_articles_without_a_link_are_pruned_like_the_others(store: Store) -> None:
    feed, _ = store.feeds.add("https://nolink.example/feed")
    linkless = [
        FeedItem(guid=f"n{n}", title=f"note {n}", published=(NOW - timedelta(days=n)).isoformat())
        for n in range(3)
    ]
    store.articles.upsert(feed.id, linkless)
    ids = store.articles.ordered_ids(feed_id=feed.id)
    store.marks.set_read(ids)
    # an unsent draft elsewhere: the links drafts are about are a list an article without a
    # link must still be compared with (NULL IN a non-empty list is neither true nor false)
    store.drafts.save(article_url="https://elsewhere.example/post", body="later")
    assert store.retention.prune(Policy(keep_per_feed=1), now=NOW).total == 2
    assert remaining(store, feed.id) == ids[:1]
    assert store.articles.upsert(feed.id, linkless).new_ids == []
