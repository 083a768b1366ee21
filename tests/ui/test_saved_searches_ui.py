"""Saved searches in the app: save the search shown (ctrl+s), see it in the feeds pane with its
unread count, watch the count follow a refresh (a real local HTTP server), choose it, remove it."""

from __future__ import annotations

from pytest_httpserver import HTTPServer

from reader.config import Config, RefreshConfig
from reader.paths import Paths
from reader.screens.dialogs.search import SearchScreen
from reader.screens.dialogs.text_prompt import TextPrompt
from reader.store import Store, View, ViewKind
from reader.widgets.feeds_pane import FeedsPane
from tests.feed_items import Item
from tests.ui.helpers import main_screen, make_app, notifications, open_dialog, settle, wait_for

ITEMS = [
    ("new-line", "A new tram line for the harbour", "Mon, 30 Nov 2026 09:00:00 +0000"),
    ("strike", "Tram strike ends", "Fri, 27 Nov 2026 09:00:00 +0000"),
    ("ferry", "Ferry timetable", "Thu, 26 Nov 2026 09:00:00 +0000"),
]


def rss(base: str) -> str:
    items = "".join(
        f"<item><title>{title}</title><link>{base}/{slug}</link><guid>{base}/{slug}</guid>"
        f"<pubDate>{day}</pubDate><description>{title}: the short version.</description></item>"
        for slug, title, day in ITEMS
    )
    return (
        '<?xml version="1.0" encoding="utf-8"?><rss version="2.0"><channel>'
        f"<title>Harbour Gazette</title><link>{base}/</link>{items}</channel></rss>"
    )


def count_of(pane: FeedsPane, label: str) -> int | None:
    return next((e.count for e in pane.entries if e.label == label), None)


async def test_save_a_search_see_its_count_follow_a_refresh_choose_and_remove_it(
    store: Store, paths: Paths, httpserver: HTTPServer
) -> None:
    base = httpserver.url_for("").rstrip("/")
    httpserver.expect_request("/feed").respond_with_data(
        rss(base), content_type="application/rss+xml"
    )
    feed, _ = store.feeds.add(httpserver.url_for("/feed"), title="Harbour")
    # the cache before the refresh: the feed's two older items (same guids as the server's)
    store.articles.upsert(
        feed.id,
        [
            Item(f"{base}/strike", "Tram strike ends", "<p>Trams run.</p>", "2026-11-27T09:00Z"),
            Item(f"{base}/ferry", "Ferry timetable", "<p>Hourly.</p>", "2026-11-26T09:00Z"),
        ],
    )
    config = Config(read_after=None, refresh=RefreshConfig(prefetch_pages=0, timeout=60))
    app = make_app(store, paths, config)
    async with app.run_test(size=(160, 40)) as pilot:
        await settle(pilot, app)
        screen = main_screen(app)
        pane = screen.feeds_pane
        await pilot.press("ctrl+s")
        await wait_for(
            pilot, lambda: any("Search first" in n for n in notifications(app)), what="a hint"
        )
        await open_dialog(pilot, app, "slash", SearchScreen)
        await pilot.press(*"tram")
        await pilot.press("enter")
        await wait_for(pilot, lambda: screen.article_list.searching, what="the results")
        await pilot.press("ctrl+s")
        await wait_for(pilot, lambda: isinstance(app.screen, TextPrompt), what="the name prompt")
        await pilot.press("ctrl+u", *"Trams", "enter")
        await wait_for(
            pilot, lambda: count_of(pane, "/ Trams") == 1, what=f"the saved search {pane.entries}"
        )
        assert store.saved_searches.get("trams").query == "tram"
        labels = [e.label for e in pane.entries]
        assert labels.index("/ Trams") == labels.index("Saved") + 1, labels
        await pilot.press("R")
        await wait_for(
            pilot,
            lambda: count_of(pane, "/ Trams") == 2,
            what=f"the count to follow the refresh ({pane.entries}, {notifications(app)})",
        )
        await pilot.press("escape")  # leave the search results
        await wait_for(pilot, lambda: not screen.article_list.searching, what="the view")
        pane.focus()
        pane.highlighted = [e.label for e in pane.entries].index("/ Trams")
        await pilot.press("enter")
        view = View(ViewKind.SEARCH, search="Trams")
        await wait_for(pilot, lambda: screen.article_list.view == view, what="the search view")
        titles = lambda: [  # noqa: E731
            store.articles.get(i).title for i in screen.article_list.article_ids
        ]
        await wait_for(pilot, lambda: len(screen.article_list.article_ids) == 2, what="its ids")
        assert titles() == ["A new tram line for the harbour", "Tram strike ends"]  # newest first
        assert "Showing / Trams" in screen.status.message
        pane.focus()
        await pilot.press("d")
        await wait_for(pilot, lambda: count_of(pane, "/ Trams") is None, what="the removal")
        await wait_for(pilot, lambda: screen.article_list.view == View(), what="back to All")
        assert store.saved_searches.all() == []
        await pilot.press("u")
        await wait_for(pilot, lambda: count_of(pane, "/ Trams") == 2, what="the undo")
