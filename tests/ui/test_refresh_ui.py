"""Refreshing from the TUI against a real local HTTP server."""

from __future__ import annotations

from pytest_httpserver import HTTPServer

from reader.paths import Paths
from reader.store import Store
from tests.ui.helpers import main_screen, make_app, notifications, open_dialog, settle, wait_for

RSS = """<?xml version="1.0" encoding="utf-8"?>
<rss version="2.0"><channel><title>Harbour Gazette</title><link>{base}/</link>
<item><title>Ferry timetable changes in December</title><link>{base}/ferry</link>
<guid>{base}/ferry</guid><pubDate>Tue, 24 Nov 2026 09:00:00 +0000</pubDate>
<description>&lt;p&gt;New “winter” timetable.&lt;/p&gt;</description></item>
</channel></rss>"""


async def test_R_refreshes_and_new_articles_appear(
    store: Store, paths: Paths, httpserver: HTTPServer
) -> None:
    base = httpserver.url_for("").rstrip("/")
    httpserver.expect_request("/feed").respond_with_data(
        RSS.format(base=base), content_type="application/rss+xml"
    )
    httpserver.expect_request("/ferry").respond_with_data(
        "<html><body><article><h1>Ferry</h1><p>The ferry runs less often in winter, "
        "the harbour master said on Tuesday.</p></article></body></html>",
        content_type="text/html",
    )
    store.feeds.add(httpserver.url_for("/feed"), title="Harbour Gazette")
    store.feeds.add("http://127.0.0.1:9/broken-feed", title="Broken")
    app = make_app(store, paths)
    async with app.run_test(size=(120, 36)) as pilot:
        await settle(pilot, app)
        screen = main_screen(app)
        assert screen.article_list.article_ids == []
        await pilot.press("R")
        await settle(pilot, app)
        await settle(pilot, app)
        assert len(screen.article_list.article_ids) == 1, notifications(app)
        messages = " ".join(notifications(app))
        assert "1 new article from 2 feeds" in messages and "1 failed" in messages
        broken = store.feeds.by_url("http://127.0.0.1:9/broken-feed")
        assert broken.last_error and "refused" in broken.last_error


async def test_feeds_screen_lists_failing_feeds_first_with_the_reason(
    store: Store, paths: Paths
) -> None:
    good, _ = store.feeds.add("https://good.test/feed", title="Good feed")
    store.feeds.update(good.id, last_status=200, last_success="2026-11-26T10:00:00+00:00")
    bad, _ = store.feeds.add("https://bad.test/feed", title="Bad feed")
    store.feeds.update(bad.id, last_status=500, last_error="HTTP 500 from the server")
    app = make_app(store, paths)
    async with app.run_test(size=(120, 36)) as pilot:
        await settle(pilot, app)
        assert "1 failing" in main_screen(app).status.message
        from textual.widgets import Label

        from reader.screens.dialogs.feed_health import FeedHealthScreen

        health = await open_dialog(pilot, app, "F", FeedHealthScreen)
        label = health.query_one("#feeds-detail", Label)
        await wait_for(pilot, lambda: str(label.render()), what="the feed health detail")
        assert isinstance(app.screen, FeedHealthScreen)
        assert [f.title for f in app.screen.feeds] == ["Bad feed", "Good feed"]
        detail = str(label.render())
        assert "HTTP 500 from the server" in detail
