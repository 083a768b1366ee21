"""The sync queue in the store (schema step 13) and the GReader quirks, without a server.

The server tests are in test_sync_freshrss.py; these pin the rules they rely on: every path
that changes read or saved queues the change, toggling back unqueues it, the server's state is
never queued back, and a queued local change wins over the server's older state.
"""

from __future__ import annotations

from reader.sources.items import FeedItem
from reader.store import FeedKind, ServerItem, Store
from reader.sync import quirks


def _synced(store: Store, n: int = 3) -> list[int]:
    store.sync.add_account("acct", "greader", "https://sync.test/api", "me")
    feed, _ = store.feeds.add("https://origin.test/feed", kind=FeedKind.SYNCED)
    store.sync.link_feed("acct", feed.id, "feed/1")
    items = [
        FeedItem(guid=f"g{i}", url=f"https://origin.test/{i}", title=f"T{i}") for i in range(n)
    ]
    store.articles.upsert(feed.id, items)
    ids = store.sync.stored_ids(feed.id, [(i.guid, i.url) for i in items])
    server = [ServerItem(ids[f"g{i}"], str(1000 + i), read=i == 0, starred=False) for i in range(n)]
    store.sync.record_items("acct", server)
    return [ids[f"g{i}"] for i in range(n)]


def test_server_state_is_applied_and_never_queued(store: Store) -> None:
    ids = _synced(store)
    assert store.articles.get(ids[0]).read and not store.articles.get(ids[1]).read
    assert store.sync.pending("acct") == []


def test_every_way_of_marking_queues_and_toggling_back_unqueues(store: Store) -> None:
    ids = _synced(store)
    store.marks.set_read([ids[1]])
    store.articles.set_read(ids[2])
    store.marks.set_saved([ids[0]])
    queued = {(c.item_id, c.state, c.value) for c in store.sync.pending("acct")}
    assert queued == {("1001", "read", True), ("1002", "read", True), ("1000", "starred", True)}
    store.marks.set_read([ids[1]], False)  # back to what the server has: nothing to push
    store.marks.set_saved([ids[0]], False)
    assert {(c.item_id, c.state) for c in store.sync.pending("acct")} == {("1002", "read")}


def test_a_queued_local_change_wins_over_the_servers_older_state(store: Store) -> None:
    ids = _synced(store)
    store.marks.set_read([ids[1]])  # read here, still unread on the server
    pulled = store.sync.reconcile("acct", unread={"1001", "1002"}, starred={"1002"})
    assert store.articles.get(ids[1]).read  # kept: the push will send it
    assert store.articles.get(ids[2]).saved  # starred elsewhere: pulled
    assert pulled == 1
    assert [c.item_id for c in store.sync.pending("acct")] == ["1001"]


def test_recording_a_push_clears_it_and_a_change_made_meanwhile_stays(store: Store) -> None:
    ids = _synced(store)
    store.marks.set_read([ids[1], ids[2]])
    sent = store.sync.pending("acct")
    store.marks.set_read([ids[2]], False)  # the user changes their mind during the push
    store.sync.record_pushed("acct", sent)
    left = store.sync.pending("acct")
    assert [(c.item_id, c.value) for c in left] == [("1002", False)]
    # the server has both read now (what was pushed): the newer local change still waits
    store.sync.reconcile("acct", unread=set(), starred=set())
    assert [(c.item_id, c.value) for c in store.sync.pending("acct")] == [("1002", False)]
    assert store.articles.get(ids[1]).read


def test_local_feeds_are_not_queued_and_removing_an_account_removes_its_feeds(
    store: Store,
) -> None:
    ids = _synced(store)
    local, _ = store.feeds.add("https://local.test/feed")
    store.articles.upsert(local.id, [FeedItem(guid="l", url="https://local.test/1", title="L")])
    local_id = store.articles.by_url("https://local.test/1").id
    store.marks.set_read([local_id])
    assert store.sync.pending("acct") == []
    assert store.sync.remove_account("acct") == 1
    assert store.articles.get(ids[0]) is None and store.articles.get(local_id) is not None


def test_item_ids_in_every_form_become_one_decimal_id() -> None:
    long = "tag:google.com,2005:reader/item/000661a688983d9e"
    decimal = str(0x000661A688983D9E)
    assert quirks.decimal_id(long) == decimal
    assert quirks.decimal_id(decimal) == decimal
    assert quirks.decimal_id("000661a688983d9e") == decimal
    assert quirks.long_id(decimal) == long
    for bad in ("", "tag:google.com,2005:reader/item/zz", "1; DROP", None, "x" * 100, -1):
        assert quirks.decimal_id(bad) is None


def test_freshrss_title_rewrites_are_undone_and_paging_stops() -> None:
    assert quirks.restore_title("A tiny allocator: ＜malloc＞ ＆ friends") == (
        "A tiny allocator: <malloc> & friends"
    )
    assert quirks.restore_title("Harbour Gazette， Weekly") == "Harbour Gazette, Weekly"
    assert quirks.next_page({"continuation": "123"}, 4) == "123"
    assert quirks.next_page({"continuation": "123"}, 0) is None  # empty page: done
    assert quirks.next_page({}, 4) is None
    assert quirks.has_state(["user/1005/state/com.google/read"], "read")
    assert not quirks.has_state(["user/-/state/com.google/reading-list", "read"], "read")
    assert quirks.plain_categories(["user/-/label/X", "tech", 3]) == ["tech"]


def test_removing_a_synced_feed_and_undoing_puts_its_sync_links_back(store: Store) -> None:
    ids = _synced(store)
    feed = store.articles.get(ids[0]).feed_id
    url = store.feeds.get(feed).url
    assert store.sync.queue_feed_change(feed, unsubscribe=True)
    removed = store.trash.remove_feed(feed)
    assert removed is not None and store.sync.feed_accounts() == {}
    assert store.trash.restore(removed)
    assert store.sync.feed_accounts() == {feed: "acct"}
    assert set(store.sync.article_ids("acct", ["1000", "1001", "1002"]).values()) == set(ids)
    assert store.sync.undo_unsubscribe(feed, url, ["News"])  # not pushed yet: just unqueued
    assert store.sync.pending_ops("acct") == []
    store.marks.set_read([ids[1]])  # the restored links still queue marks
    assert [c.item_id for c in store.sync.pending("acct")] == ["1001"]
    removed = store.trash.remove_feed(feed)  # this time a sync sent the unsubscribe first
    assert removed is not None and store.trash.restore(removed)
    assert store.sync.undo_unsubscribe(feed, url, ["News"])
    assert store.sync.pending_ops("acct") == [
        (store.sync.pending_ops("acct")[0][0], "subscribe", {"url": url, "labels": ["News"]})
    ]
    local, _ = store.feeds.add("https://local.test/feed")
    assert not store.sync.undo_unsubscribe(local.id, local.url, [])
