"""The ``/`` dialog searches as you type: results fill the list behind it after a short pause,
a newer query cancels an older one still running, enter keeps the results, esc goes back."""

from __future__ import annotations

from textual.worker import WorkerState

from reader.config import Config
from reader.paths import Paths
from reader.screens.dialogs.search import SearchScreen
from reader.store import Store
from tests.feed_items import Item
from tests.ui.helpers import main_screen, make_app, open_dialog, settle, wait_for

SLOW = '"wall mended"'
"""Both words are in every article, in this order only in the five oldest: the phrase is checked
on the text of thousands of candidates before it finds them (the slowest kind of query)."""


def seed(store: Store) -> None:
    feed, _ = store.feeds.add("https://quay.example/feed", title="Quay News")
    filler = "<p>" + "The wall by the quay was mended again this week. " * 40 + "</p>"
    oldest = "<p>The harbour wall mended at last.</p>"
    items = [
        Item(
            f"w{n}",
            f"Quay diary {n}",
            oldest if n < 5 else filler,
            f"2026-10-01T{n // 60 % 24:02d}:{n % 60:02d}:00Z",
        )
        for n in range(3000)
    ]
    items.append(Item("snow", "Snow report", "<p>Snow on the passes.</p>", "2026-11-21T09Z"))
    items.append(Item("ferry", "Ferry strike", "<p>No ferry today.</p>", "2026-11-22T09Z"))
    store.articles.upsert(feed.id, items)


async def test_search_as_you_type_newer_query_wins_enter_keeps_esc_goes_back(
    store: Store, paths: Paths
) -> None:
    seed(store)
    app = make_app(store, paths, Config(read_after=None))
    async with app.run_test(size=(150, 30)) as pilot:
        await settle(pilot, app)
        screen = main_screen(app)
        article_list = screen.article_list
        every = len(article_list.article_ids)
        dialog = await open_dialog(pilot, app, "slash", SearchScreen)
        await pilot.press(*"snow")
        await wait_for(
            pilot,
            lambda: article_list.searching and article_list.query == "snow",
            what="results while typing",
        )
        assert len(article_list.article_ids) == 1
        assert app.screen is dialog, "the dialog stays open"
        assert "1 result for “snow” · enter: keep them" in screen.status.message
        # two live queries back to back, as the dialog sends them 150 ms apart: the slow one
        # (it finds five articles, after ~0.2 s) must not replace the newer one's results
        screen.searching.live(SLOW)
        [older] = [w for w in app.workers if w.group == "list" and not w.is_finished]
        await wait_for(pilot, lambda: older.state == WorkerState.RUNNING, what="its thread")
        screen.searching.live("ferry")
        await wait_for(pilot, lambda: article_list.query == "ferry", what="the newer query")
        await app.workers.wait_for_complete()
        await pilot.pause()
        assert older.is_cancelled, "the newer query cancelled the older one"
        assert article_list.query == "ferry" and len(article_list.article_ids) == 1
        assert len(store.search.find(SLOW).hits) == 5, "the older query does find articles"
        await pilot.press("ctrl+u", *"ferry")  # the dialog shows what the list shows
        await pilot.press("enter")
        await wait_for(
            pilot,
            lambda: screen.current is not None and screen.current.title == "Ferry strike",
            what="enter: the best result opens",
        )
        assert article_list.searching and article_list.query == "ferry"
        await open_dialog(pilot, app, "slash", SearchScreen)
        await pilot.press(*"snow")
        await wait_for(pilot, lambda: article_list.query == "snow", what="live results again")
        await pilot.press("escape")
        await wait_for(
            pilot, lambda: article_list.query == "ferry", what="esc: the earlier results back"
        )
        await pilot.press("escape")  # leave the results
        await wait_for(pilot, lambda: not article_list.searching, what="the view")
        await wait_for(pilot, lambda: len(article_list.article_ids) == every, what="every row")
