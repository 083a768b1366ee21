"""Removing a feed with undo: every row comes back as it was, on a real SQLite file."""

from __future__ import annotations

from reader.store import RelatedLink, Store, View
from tests.test_store import item


def test_remove_then_restore_brings_back_state_pages_links_search_and_drafts(store: Store) -> None:
    keep, _ = store.feeds.add("https://keep.test/feed", title="Keep")
    gone, _ = store.feeds.add("https://gone.test/feed", title="Gone", tags=["news"])
    store.articles.upsert(keep.id, [item("k1")])
    ids = store.articles.upsert(gone.id, [item(f"g{n}", title=f"Zebra {n}") for n in range(3)])
    first, second, _third = ids.new_ids
    store.marks.set_read([first])
    store.marks.set_saved([second])
    store.articles.set_page(first, b"<html><p>page</p></html>")
    store.related.replace(first, "page", [RelatedLink("https://x.test/a", "A", "page", 0)])
    draft = store.drafts.save(article_url="https://gone.test/g0", body="hi", article_id=first)
    store.db.execute(
        "INSERT INTO pruned (feed_id, guid, url, published) VALUES (?, 'old', NULL, '2020')",
        (gone.id,),
    )
    before = {i: store.articles.get(i) for i in ids.new_ids}

    removed = store.trash.remove_feed(gone.id)
    assert removed is not None and removed.title == "Gone"
    assert store.feeds.get(gone.id) is None and store.articles.get(first) is None
    assert store.search.find("zebra").ids == []
    assert store.drafts.get(draft.id).article_id is None  # the text stays, unlinked

    assert store.trash.restore(removed)
    assert store.feeds.get(gone.id).tags == ("news",)
    assert {i: store.articles.get(i) for i in ids.new_ids} == before
    assert len(store.search.find("zebra").ids) == 3
    assert [link.url for link in store.related.for_article(first)] == ["https://x.test/a"]
    assert store.drafts.get(draft.id).article_id == first
    assert store.views.ids(View.parse("saved")) == [second]
    assert store.retention.tombstones(gone.id), "pruned articles stay pruned"
    assert store.db.query_one("PRAGMA integrity_check")[0] == "ok"


def test_restore_refuses_when_the_address_came_back(store: Store) -> None:
    feed, _ = store.feeds.add("https://gone.test/feed")
    store.articles.upsert(feed.id, [item("a")])
    removed = store.trash.remove_feed(feed.id)
    store.feeds.add("https://gone.test/feed")
    assert not store.trash.restore(removed)
    assert store.trash.remove_feed(10_000) is None
