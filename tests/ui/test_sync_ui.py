"""The app syncs against the real FreshRSS 1.24.3 (``tests.freshrss``): at launch, after local
marks (debounced), and keeps the changes queued while the server cannot be reached."""

from __future__ import annotations

import threading
from collections.abc import Iterator
from typing import Any

import pytest

from reader.paths import Paths
from reader.store import Store
from reader.store.lock import RefreshBusy, SyncLock
from tests.test_sync_freshrss import Api, Cut, add_account, reader
from tests.ui.helpers import main_screen, make_app, notifications, settle, wait_for

pytest_plugins = ("tests.freshrss",)


def _account_row(app: Any, name: str) -> Any:
    entries = main_screen(app).feeds_pane.entries
    return next((e for e in entries if e.account and e.account.name == name), None)


def _item_of(store: Store, article_id: int) -> str:
    row = store.db.query_one("SELECT item_id FROM sync_items WHERE article_id = ?", (article_id,))
    assert row is not None, "the article is not linked to a server item"
    return str(row[0])


@pytest.fixture
def proxy(freshrss: dict[str, Any]) -> Iterator[Cut]:
    server = Cut(freshrss["SYNC_GREADER_URL"])
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield server
    server.shutdown()
    server.server_close()


async def test_launch_syncs_and_a_mark_reaches_the_server_after_the_debounce(
    freshrss: dict[str, Any], store: Store, paths: Paths
) -> None:
    assert add_account(freshrss) == 0
    manifest = freshrss["manifest"]
    app = make_app(store, paths)
    async with app.run_test(size=(140, 40)) as pilot:
        screen = main_screen(app)
        await wait_for(pilot, lambda: screen.syncing.runs >= 1, 120, "the launch sync")
        subscribed = [f for f in manifest["feeds"] if f["subscribed"]]

        def under_account() -> dict[str, Any]:
            entries = screen.feeds_pane.entries
            start = entries.index(_account_row(app, "fr"))
            return {e.feed.url: e for e in entries[start + 1 :] if e.feed is not None}

        await wait_for(
            pilot,
            lambda: len(under_account()) == len(subscribed),
            what="the account's feeds under its row",
        )
        under = under_account()
        for feed in subscribed:  # under the account, indented, with its unread count
            assert under[feed["url"]].indent == 2
            unread = sum(1 for i in feed["items"] if not i["read"])
            assert under[feed["url"]].count == unread, feed["url"]
        counts = screen.feeds_pane.entries[1]  # Unread
        assert counts.count == manifest["expected"]["unread"]
        await wait_for(pilot, lambda: screen.article_list.article_ids, what="the articles")
        await settle(pilot, app)
        screen.article_list.focus()
        await wait_for(pilot, lambda: screen.article_list.highlighted_id is not None)
        article_id = screen.article_list.highlighted_id
        assert article_id is not None
        row = store.articles.rows([article_id])[article_id]
        item_id = _item_of(store, article_id)
        api = Api(freshrss)
        assert (item_id in api.unread()) == (not row.read)
        await pilot.press("m")  # flip read: queued, then pushed after the debounce
        await wait_for(pilot, lambda: store.sync.queued_count() == 1, what="the queued change")
        runs = screen.syncing.runs
        await wait_for(pilot, lambda: screen.syncing.runs > runs, 120, "the debounced sync")
        assert store.sync.queued_count() == 0, notifications(app)
        assert (item_id in api.unread()) == row.read  # the server has the new state


async def test_server_gone_keeps_the_change_queued_and_says_so(
    freshrss: dict[str, Any], proxy: Cut, store: Store, paths: Paths
) -> None:
    assert add_account(freshrss, proxy.url) == 0
    app = make_app(store, paths)
    async with app.run_test(size=(140, 40)) as pilot:
        screen = main_screen(app)
        await wait_for(pilot, lambda: screen.syncing.runs >= 1, 120, "the launch sync")
        await wait_for(pilot, lambda: screen.article_list.article_ids, what="the articles")
        await settle(pilot, app)
        proxy.drop_after = 0  # from now on every connection closes unanswered
        article_id = next(
            i
            for i, row in store.articles.rows(screen.article_list.article_ids).items()
            if not row.read
        )
        screen.marks.opened(article_id)
        await wait_for(pilot, lambda: store.sync.queued_count() == 1, what="the queued change")
        runs = screen.syncing.runs
        await wait_for(pilot, lambda: screen.syncing.runs > runs, 120, "the debounced sync")
        await wait_for(
            pilot,
            lambda: "1 change queued (offline)" in screen.status.note,
            what="the status bar's queue note",
        )
        assert any("Sync of fr failed" in n for n in notifications(app))
        assert store.sync.queued_count() == 1
        assert store.sync.account("fr").last_error
        await wait_for(
            pilot,
            lambda: _account_row(app, "fr").account.last_error,
            what="the account marked in the feeds pane",
        )
        item_id = _item_of(store, article_id)
        assert item_id in Api(freshrss).unread()  # the server never heard of it
        proxy.drop_after = None  # back: R pushes it
        await pilot.press("R")
        await wait_for(pilot, lambda: screen.syncing.runs > runs + 1, 120, "the R sync")
        assert store.sync.queued_count() == 0 and screen.status.note == ""
        assert item_id not in Api(freshrss).unread()


def test_one_sync_per_cache_the_cli_exits_75_while_another_holds_it(
    freshrss: dict[str, Any], store: Store, capsys: Any
) -> None:
    assert add_account(freshrss) == 0
    first = SyncLock(store.path)  # what the app holds while it syncs
    first.acquire()
    try:
        with pytest.raises(RefreshBusy, match="another sync is running"):
            SyncLock(store.path).acquire()
        capsys.readouterr()
        assert reader("sync") == 75
        assert "another sync is running" in capsys.readouterr().err
    finally:
        first.release()
    assert reader("sync") == 0


def _subscriptions(fresh: dict[str, Any]) -> dict[str, Any]:
    listed = Api(fresh).http.get("subscription/list", params={"output": "json"}).json()
    return {s["url"]: s for s in listed["subscriptions"]}


async def _on_feed(pilot: Any, app: Any, feed_id: int, key: str) -> None:
    """Put the feeds pane's cursor on a feed and press ``key``."""
    pane = main_screen(app).feeds_pane

    def row() -> int | None:
        ids = [e.feed.id if e.feed else None for e in pane.entries]
        return ids.index(feed_id) if feed_id in ids else None

    await wait_for(pilot, lambda: row() is not None, what=f"feed {feed_id} in the pane")
    pane.focus()
    pane.highlighted = row()
    await pilot.press(key)


async def test_rename_tag_and_remove_with_undo_in_the_pane_reach_the_server(
    freshrss: dict[str, Any], store: Store, paths: Paths
) -> None:
    from reader.screens.dialogs.sending import ConfirmScreen
    from reader.screens.dialogs.text_prompt import TextPrompt

    assert add_account(freshrss) == 0
    urls = {f["key"]: f["url"] for f in freshrss["manifest"]["feeds"]}
    app = make_app(store, paths)
    async with app.run_test(size=(160, 40)) as pilot:
        screen = main_screen(app)
        await wait_for(pilot, lambda: screen.syncing.runs >= 1, 120, "the launch sync")
        await wait_for(pilot, lambda: _account_row(app, "fr"), what="the account row")
        renamed, tagged = (
            store.feeds.by_url(urls["tech-rss"]),
            store.feeds.by_url(urls["tech-atom"]),
        )
        gone = store.feeds.by_url(urls["news-atom"])
        gone_items = next(f for f in freshrss["manifest"]["feeds"] if f["key"] == "news-atom")
        gone_items = gone_items["items"]
        await _on_feed(pilot, app, renamed.id, "T")
        await wait_for(pilot, lambda: isinstance(app.screen, TextPrompt), what="the name prompt")
        app.screen.query_one("#prompt-input").value = ""
        await pilot.press(*"Loopback notes", "enter")
        await wait_for(pilot, lambda: not isinstance(app.screen, TextPrompt))
        await _on_feed(pilot, app, tagged.id, "t")
        await wait_for(pilot, lambda: isinstance(app.screen, TextPrompt), what="the tag prompt")
        app.screen.query_one("#prompt-input").value = ""
        await pilot.press(*"Tech, Systems", "enter")
        await wait_for(pilot, lambda: not isinstance(app.screen, TextPrompt))
        await _on_feed(pilot, app, gone.id, "d")
        await wait_for(pilot, lambda: isinstance(app.screen, ConfirmScreen), what="confirm")
        await pilot.press("y")
        await wait_for(pilot, lambda: store.feeds.get(gone.id) is None, what="the removal")
        runs = screen.syncing.runs
        await wait_for(pilot, lambda: screen.syncing.runs > runs, 120, "the debounced sync")
        assert store.sync.pending_ops("fr") == [], notifications(app)
        server = _subscriptions(freshrss)
        assert server[urls["tech-rss"]]["title"] == "Loopback notes"
        labels = {c["id"] for c in server[urls["tech-atom"]]["categories"]}
        assert "user/-/label/Systems" in labels
        assert urls["news-atom"] not in server
        screen.article_list.focus()
        await pilot.press("u")  # undo after the push: subscribed again on the server
        await wait_for(pilot, lambda: store.feeds.get(gone.id) is not None, what="the undo")
        assert store.sync.feed_accounts().get(gone.id) == "fr"
        await wait_for(pilot, lambda: store.sync.pending_ops("fr"), what="the re-subscribe")
        await pilot.press("R")
        await wait_for(pilot, lambda: screen.syncing.runs > runs + 1, 120, "the R sync")
        assert store.sync.pending_ops("fr") == [], notifications(app)
        assert urls["news-atom"] in _subscriptions(freshrss)
        assert store.sync.feed_accounts().get(gone.id) == "fr"
        assert store.feeds.get(gone.id).kind == "synced"
        count = store.db.query_one("SELECT count(*) FROM articles WHERE feed_id = ?", (gone.id,))
        assert count[0] == len(gone_items), "the server's new ids for them made no duplicates"
