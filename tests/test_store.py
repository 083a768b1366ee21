"""The store on real SQLite files: migrations, upserts, search, drafts, bad files."""

from __future__ import annotations

import sqlite3
import subprocess
import sys
from pathlib import Path
from types import SimpleNamespace

import pytest

from reader.store import Store, StoreError
from reader.store.schema import MIGRATIONS, SCHEMA_VERSION


def item(guid: str, **values: object) -> SimpleNamespace:
    base = dict(
        guid=guid,
        url=f"https://example.test/{guid}",
        title=f"Title {guid}",
        author="A",
        published="2024-03-04T10:00:00Z",
        updated=None,
        summary_html="<p>summary</p>",
        content_html=None,
    )
    base.update(values)
    return SimpleNamespace(**base)


def test_new_store_is_wal_and_current(store: Store) -> None:
    assert store.db.version == SCHEMA_VERSION
    mode = store.db.query_one("PRAGMA journal_mode")[0]
    assert mode == "wal"


def test_old_schema_is_migrated_keeping_data(tmp_path: Path) -> None:
    path = tmp_path / "old.db"
    conn = sqlite3.connect(path)
    conn.executescript(MIGRATIONS[1])
    conn.execute(
        "INSERT INTO feeds (url, title, added_at) VALUES ('https://old.test/feed', 'Old', 'x')"
    )
    conn.execute(
        "INSERT INTO articles (feed_id, guid, url, title, published, summary)"
        " VALUES (1, 'g1', 'https://old.test/1', 'Kept title', '2024-01-01', 'kept words')"
    )
    conn.execute("PRAGMA user_version = 1")
    conn.commit()
    conn.close()
    store = Store.open(path)
    assert store.db.version == SCHEMA_VERSION
    assert store.feeds.by_url("https://old.test/feed").title == "Old"
    assert [hit.row.title for hit in store.search.find("kept").hits] == ["Kept title"]
    store.close()


def test_non_sqlite_file_is_refused_and_untouched(tmp_path: Path) -> None:
    path = tmp_path / "reader.db"
    path.write_bytes(b"my precious notes\n" * 100)
    before = path.read_bytes()
    with pytest.raises(StoreError) as info:
        Store.open(path)
    assert str(path) in str(info.value)
    assert "not a reader database" in str(info.value)
    assert path.read_bytes() == before


def test_corrupt_sqlite_file_is_refused_and_untouched(tmp_path: Path) -> None:
    path = tmp_path / "reader.db"
    good = Store.open(path)
    good.feeds.add("https://x.test/feed")
    good.close()
    data = bytearray(path.read_bytes())
    data[100:4096] = b"\xff" * (4096 - 100)  # smash the first page after the header
    path.write_bytes(bytes(data))
    with pytest.raises(StoreError) as info:
        Store.open(path)
    assert str(path) in str(info.value)
    assert path.read_bytes() == bytes(data)


def test_newer_schema_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "reader.db"
    conn = sqlite3.connect(path)
    conn.execute(f"PRAGMA user_version = {SCHEMA_VERSION + 5}")
    conn.close()
    with pytest.raises(StoreError, match="newer reader"):
        Store.open(path)


def test_upsert_dedupes_by_guid_then_link_and_updates_in_place(store: Store) -> None:
    feed, new = store.feeds.add("https://example.test/feed", title="Example")
    assert new
    first = store.articles.upsert(feed.id, [item("a"), item("b"), item("a")])
    assert len(first.new_ids) == 2
    # Same link under a new GUID is the same article; a changed title updates in place.
    second = store.articles.upsert(
        feed.id, [item("a-new-guid", url="https://example.test/a", title="Changed")]
    )
    assert second.new_ids == [] and second.updated == 1
    record = store.articles.get(first.new_ids[0])
    assert record.title == "Changed"
    assert store.articles.count() == 2


def test_missing_date_gets_fetch_time_and_order_is_newest_first(store: Store) -> None:
    feed, _ = store.feeds.add("https://example.test/feed")
    result = store.articles.upsert(
        feed.id,
        [item("old", published="2020-01-01T00:00:00Z"), item("undated", published=None)],
    )
    ids = store.articles.ordered_ids()
    assert ids == [result.new_ids[1], result.new_ids[0]]
    assert store.articles.get(result.new_ids[1]).published.startswith("20")


def test_rows_window_and_read_state(store: Store) -> None:
    feed, _ = store.feeds.add("https://example.test/feed", title="Feed T")
    ids = store.articles.upsert(feed.id, [item(str(n)) for n in range(30)]).new_ids
    rows = store.articles.rows(ids[5:10])
    assert set(rows) == set(ids[5:10])
    assert rows[ids[5]].feed_title == "Feed T" and not rows[ids[5]].read
    store.articles.set_read(ids[5])
    assert store.articles.rows([ids[5]])[ids[5]].read


def test_rendered_cache_is_keyed_by_version_and_dropped_by_new_page(store: Store) -> None:
    feed, _ = store.feeds.add("https://example.test/feed")
    (article_id,) = store.articles.upsert(feed.id, [item("x")]).new_ids
    store.articles.store_rendered(article_id, "v1", {"markdown": "hi"}, None)
    assert store.articles.rendered(article_id, "v1") == {"markdown": "hi"}
    assert store.articles.rendered(article_id, "v2") is None
    store.articles.set_page(article_id, b"<html>new</html>")
    assert store.articles.rendered(article_id, "v1") is None
    assert store.articles.get(article_id).raw_html == b"<html>new</html>"


def test_search_is_ranked_and_safe_with_fts_syntax(store: Store) -> None:
    feed, _ = store.feeds.add("https://example.test/feed")
    store.articles.upsert(
        feed.id,
        [
            item("1", title="Nachtzug nach Triest", summary_html="<p>Schlafwagen</p>"),
            item("2", title="Bakery", summary_html="<p>about a Nachtzug once</p>"),
        ],
    )
    titles = [hit.row.title for hit in store.search.find("nachtzug").hits]
    assert titles == ["Nachtzug nach Triest", "Bakery"]
    assert store.search.find('"unbalanced AND (').hits == []
    assert store.search.find("").hits == []


def test_by_url_ignores_fragment_and_trailing_slash(store: Store) -> None:
    feed, _ = store.feeds.add("https://example.test/feed")
    store.articles.upsert(feed.id, [item("p", url="https://example.test/post/")])
    assert store.articles.by_url("https://example.test/post#comments") is not None
    assert store.articles.by_url("https://example.test/post") is not None


def test_drafts_lifecycle_and_identity(store: Store) -> None:
    url = "https://example.test/post/"
    draft = store.drafts.save(article_url=url, body="first words", name="Ada")
    again = store.drafts.save(article_url=url, body="more words", draft_id=draft.id)
    assert again.id == draft.id and store.drafts.open_for(url).body == "more words"
    store.drafts.set_state(draft.id, "queued")
    assert [d.id for d in store.drafts.outbox()] == [draft.id]
    assert store.drafts.open_for(url) is None
    store.drafts.set_state(draft.id, "published", remote_id="42")
    sent = store.drafts.get(draft.id)
    assert sent.body == "more words" and sent.remote_id == "42" and sent.sent_at
    store.drafts.delete(draft.id)
    assert store.drafts.all() == []
    store.drafts.restore(draft.id)
    assert len(store.drafts.all()) == 1
    from reader.store import Identity

    store.drafts.remember_identity(url, Identity("Ada", "ada@example.test", ""))
    assert store.drafts.identity("https://example.test/other").email == "ada@example.test"


def test_second_process_writes_concurrently_without_corruption(tmp_path: Path) -> None:
    path = tmp_path / "reader.db"
    store = Store.open(path)
    feed, _ = store.feeds.add("https://example.test/feed")
    script = f"""
import sys
from types import SimpleNamespace as N
from reader.store import Store
s = Store.open({str(path)!r})
for n in range(200):
    s.articles.upsert({feed.id}, [N(guid=f"child{{n}}", url=None, title="c", author=None,
        published=None, updated=None, summary_html=None, content_html=None)])
"""
    child = subprocess.Popen([sys.executable, "-c", script])
    for n in range(200):
        store.articles.upsert(feed.id, [item(f"parent{n}")])
    assert child.wait(timeout=60) == 0
    assert store.articles.count() == 400
    assert store.db.query_one("PRAGMA integrity_check")[0] == "ok"
    store.close()


def test_data_dir_created_private(tmp_path: Path) -> None:
    from reader.paths import resolve_paths

    paths = resolve_paths(tmp_path / "fresh").ensure()
    for directory in (paths.config_dir, paths.data_dir, paths.cache_dir):
        assert directory.is_dir()
        assert directory.stat().st_mode & 0o777 == 0o700


def test_removing_a_feed_cleans_the_search_index_so_ids_can_be_reused(store: Store) -> None:
    first, _ = store.feeds.add("https://one.test/feed")
    store.articles.upsert(first.id, [item("a", title="Alpha words")])
    assert store.feeds.remove("https://one.test/feed")
    assert store.search.find("alpha").hits == []
    second, _ = store.feeds.add("https://two.test/feed")
    result = store.articles.upsert(second.id, [item("b", title="Beta words")])
    assert len(result.new_ids) == 1
    assert [hit.row.title for hit in store.search.find("beta").hits] == ["Beta words"]


def test_hidden_related_page_feeds_are_not_subscriptions(store: Store) -> None:
    store.feeds.add("https://real.test/feed", title="Real")
    store.feeds.add("https://other.test/#related-pages", kind="page")
    assert store.feeds.count() == 1
    assert [f.title for f in store.feeds.all()] == ["Real"]
    assert len(store.feeds.all(include_hidden=True)) == 2


def test_comment_counts_categories_and_extra_update_without_a_text_change(store: Store) -> None:
    feed, _ = store.feeds.add("https://example.test/feed")
    (article_id,) = store.articles.upsert(
        feed.id, [item("c", comment_count=1, categories=["news"], extra={"post_id": 7})]
    ).new_ids
    store.articles.store_rendered(article_id, "v1", {"markdown": "kept"}, None)
    result = store.articles.upsert(
        feed.id,
        [item("c", comment_count=4, categories=["news", "city"], extra={"related": [1, 2]})],
    )
    assert result.updated == 0  # the text did not change ...
    record = store.articles.get(article_id)
    assert record.comment_count == 4 and record.categories == ("news", "city")
    assert record.extra == {"post_id": 7, "related": [1, 2]}
    assert store.articles.rendered(article_id, "v1") == {"markdown": "kept"}  # ... nor the cache


def test_health_counts_subscriptions_and_failures(store: Store) -> None:
    store.feeds.add("https://good.test/feed")
    bad, _ = store.feeds.add("https://bad.test/feed")
    gone, _ = store.feeds.add("https://gone.test/feed")
    store.feeds.add("https://x.test/#related-pages", kind="page")
    store.feeds.update(bad.id, last_error="HTTP 500")
    store.feeds.update(gone.id, gone=True)
    assert store.feeds.health() == (3, 2)


def test_nested_transactions_are_savepoints_committed_by_the_outer_one(tmp_path: Path) -> None:
    path = tmp_path / "reader.db"
    store = Store.open(path)
    feed, _ = store.feeds.add("https://example.test/feed")
    other = sqlite3.connect(path)
    with store.db.transaction():
        store.articles.upsert(feed.id, [item("kept")])
        with pytest.raises(RuntimeError), store.db.transaction():
            store.articles.upsert(feed.id, [item("undone")])
            raise RuntimeError("this feed fails alone")
        store.articles.upsert(feed.id, [item("also-kept")])
        # nothing is visible to another connection before the outer block commits
        assert other.execute("SELECT count(*) FROM articles").fetchone()[0] == 0
    guids = {r[0] for r in other.execute("SELECT guid FROM articles")}
    assert guids == {"kept", "also-kept"}
    # the search index followed the savepoints too
    assert {h.row.title for h in store.search.find("Title").hits} == {
        "Title kept",
        "Title also-kept",
    }
    other.close()
    store.close()


def test_script_and_style_text_stays_out_of_the_search_index(store: Store) -> None:
    from reader.store.articles import html_to_index_text

    body = (
        "<p>Harbour news</p><script>alert('pwned')</script><STYLE>.x{color:red}</STYLE>"
        "<script type='x'>\nmore()\n</script ><p>Tide tables</p>"
    )
    text = html_to_index_text(body)
    assert "pwned" not in text and "color" not in text and "more()" not in text
    assert "Harbour news" in text and "Tide tables" in text
    feed, _ = store.feeds.add("https://example.test/feed")
    store.articles.upsert(feed.id, [item("s", content_html=body)])
    assert store.search.find("pwned").ids == []
    assert store.search.find("tide").ids != []


def test_a_rendering_made_before_the_page_arrived_is_not_cached(store: Store) -> None:
    """The race behind a pane stuck on "the full page is not cached yet": an open read the
    feed's text, the page was stored meanwhile, then the open cached its rendering."""
    feed, _ = store.feeds.add("https://example.test/feed")
    (article_id,) = store.articles.upsert(feed.id, [item("r")]).new_ids
    read_before = store.articles.get(article_id).fetched_at
    store.articles.set_page(article_id, b"<html><p>the page</p></html>")
    store.articles.store_rendered(article_id, "v1", {"markdown": "feed text"}, read_before)
    assert store.articles.rendered(article_id, "v1") is None
    now = store.articles.get(article_id).fetched_at
    store.articles.store_rendered(article_id, "v1", {"markdown": "the page"}, now)
    assert store.articles.rendered(article_id, "v1") == {"markdown": "the page"}
