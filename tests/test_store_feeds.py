"""store.feeds: the kinds of feed rows and which of them are the user's subscriptions."""

from __future__ import annotations

from reader.store import FeedKind, Store


def test_subscriptions_leave_out_the_demo_and_hidden_page_feeds(store: Store) -> None:
    store.feeds.add("https://b.test/feed", title="B")
    store.feeds.add("https://a.test/wp-json/wp/v2/posts", title="A", kind=FeedKind.WORDPRESS)
    store.feeds.add("https://demo.test/feed", title="Demo", kind=FeedKind.DEMO)
    store.feeds.add("https://p.test/#related-pages", title="P", kind=FeedKind.PAGE)
    store.feeds.add("https://s.test/feed", title="S", kind=FeedKind.SYNCED)

    every = store.feeds.all(include_hidden=True)
    assert {feed.kind for feed in every} == set(FeedKind)
    assert all(type(feed.kind) is FeedKind for feed in every)
    subscribed = store.feeds.subscriptions()
    assert [(f.title, f.kind) for f in subscribed] == [
        ("A", "wordpress"),
        ("B", "feed"),
        ("S", "synced"),
    ]
    assert [f for f in every if f.subscribed] == subscribed
    # a sync account's feeds are fetched by its server, never by `reader refresh`
    assert [f.title for f in store.feeds.polled()] == ["A", "B"]
    assert [f.title for f in store.feeds.all()] == [
        "A",
        "B",
        "Demo",
        "S",
    ]  # all() still has the demo
