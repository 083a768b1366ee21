"""Views, counts and read/saved marks on a real SQLite file."""

from __future__ import annotations

import pytest

from reader.store import Store, View, ViewKind
from tests.test_store import item


@pytest.fixture
def two_feeds(store: Store) -> tuple[Store, list[int], list[int]]:
    """Feed A (tagged news, 5 articles) and feed B (tagged news and tech, 3), newest first."""
    a, _ = store.feeds.add("https://a.test/feed", title="A", tags=["news"])
    b, _ = store.feeds.add("https://b.test/feed", title="B", tags=["news", "tech"])
    a_ids = store.articles.upsert(
        a.id, [item(f"a{n}", published=f"2024-03-0{n + 1}T10:00:00Z") for n in range(5)]
    ).new_ids
    b_ids = store.articles.upsert(
        b.id, [item(f"b{n}", published=f"2024-04-0{n + 1}T10:00:00Z") for n in range(3)]
    ).new_ids
    return store, a_ids, b_ids


def test_view_parse_round_trips_and_rejects_nonsense() -> None:
    for text in ("all", "unread", "saved", "tag:news", "feed:12"):
        assert str(View.parse(text)) == text
    assert View.parse("Unread").kind is ViewKind.UNREAD
    for bad in ("nope", "tag:", "feed:x", "feed:"):
        with pytest.raises(ValueError):
            View.parse(bad)


def test_each_view_lists_its_articles_newest_first(two_feeds) -> None:
    store, a_ids, b_ids = two_feeds
    everything = store.views.ids(View())
    assert everything == list(reversed(b_ids)) + list(reversed(a_ids))
    a_feed = store.articles.get(a_ids[0]).feed_id
    assert store.views.ids(View(ViewKind.FEED, feed_id=a_feed)) == list(reversed(a_ids))
    assert store.views.ids(View(ViewKind.TAG, tag="tech")) == list(reversed(b_ids))
    assert len(store.views.ids(View(ViewKind.TAG, tag="news"))) == 8
    assert store.views.ids(View(ViewKind.TAG, tag="missing")) == []
    store.marks.set_read([a_ids[4], b_ids[0]])
    unread = store.views.ids(View(ViewKind.UNREAD))
    assert a_ids[4] not in unread and b_ids[0] not in unread and len(unread) == 6
    assert store.views.ids(View(ViewKind.TAG, tag="tech"), unread_only=True) == [b_ids[2], b_ids[1]]


def test_counts_follow_marks(two_feeds) -> None:
    store, a_ids, b_ids = two_feeds
    counts = store.views.counts()
    assert (counts.total, counts.unread, counts.saved) == (8, 8, 0)
    a_feed = store.articles.get(a_ids[0]).feed_id
    b_feed = store.articles.get(b_ids[0]).feed_id
    assert counts.feed_unread == {a_feed: 5, b_feed: 3}
    store.marks.set_read(a_ids[:2])
    store.marks.set_saved([b_ids[1]])
    counts = store.views.counts()
    assert (counts.total, counts.unread, counts.saved) == (8, 6, 1)
    assert counts.tag_unread([a_feed, b_feed]) == 6 and counts.feed_unread[a_feed] == 3
    assert store.views.ids(View(ViewKind.SAVED)) == [b_ids[1]]
    assert store.articles.rows([b_ids[1]])[b_ids[1]].saved
    assert store.articles.get(b_ids[1]).saved


def test_marks_return_only_what_changed_so_undo_is_exact(two_feeds) -> None:
    store, a_ids, b_ids = two_feeds
    assert store.marks.set_read([a_ids[0]]) == [a_ids[0]]
    changed = store.marks.read_view(View())
    assert sorted(changed) == sorted(a_ids[1:] + b_ids)
    assert store.views.counts().unread == 0
    assert sorted(store.marks.set_read(changed, read=False)) == sorted(changed)
    assert store.articles.get(a_ids[0]).read  # read before "mark all": still read
    assert store.views.counts().unread == 7
    assert store.marks.set_read(changed, read=False) == []


def test_read_view_up_to_an_article_marks_it_and_the_newer_ones(two_feeds) -> None:
    store, a_ids, _b_ids = two_feeds
    ordered = store.views.ids(View())
    changed = store.marks.read_view(View(), up_to=ordered[3])
    assert sorted(changed) == sorted(ordered[:4])
    assert ordered[3] == a_ids[4]  # the newest four: b2, b1, b0, a4
    assert store.marks.read_view(View(ViewKind.TAG, tag="tech")) == []
    a_feed = View(ViewKind.FEED, feed_id=store.articles.get(a_ids[0]).feed_id)
    assert sorted(store.marks.read_view(a_feed, up_to=a_ids[2])) == [a_ids[2], a_ids[3]]


def test_bulk_marks_cross_the_statement_chunk(store: Store) -> None:
    feed, _ = store.feeds.add("https://c.test/feed")
    ids = store.articles.upsert(feed.id, [item(f"c{n}") for n in range(1200)]).new_ids
    assert len(store.marks.set_read(ids)) == 1200
    assert store.views.counts().unread == 0
    assert len(store.marks.set_saved(ids[:700])) == 700
    assert len(store.views.ids(View(ViewKind.SAVED))) == 700
