"""The feeds pane and subscriptions from inside the app, against real local HTTP servers."""

from __future__ import annotations

from pytest_httpserver import HTTPServer

from reader.config import Config, RefreshConfig
from reader.demo import DEMO_FEED_URL
from reader.paths import Paths
from reader.screens.dialogs.sending import ConfirmScreen
from reader.screens.dialogs.text_prompt import TextPrompt
from reader.store import Store, View, ViewKind
from reader.widgets.feeds_pane import FeedsPane
from tests.hostile_server import HostileServer
from tests.ui.helpers import main_screen, make_app, notifications, open_dialog, settle, wait_for

ITEM = """<item><title>{title}</title><link>{base}/{slug}</link><guid>{base}/{slug}</guid>
<pubDate>{day} Nov 2026 09:00:00 +0000</pubDate>
<description>&lt;p&gt;{title}: the short version.&lt;/p&gt;</description></item>"""


def rss(base: str, title: str, items: list[tuple[str, str]]) -> str:
    """An RSS feed whose items are (slug, title), newest first."""
    body = "".join(
        ITEM.format(base=base, slug=slug, title=text, day=f"Tue, {28 - n:02d}")
        for n, (slug, text) in enumerate(items)
    )
    return (
        f'<?xml version="1.0" encoding="utf-8"?><rss version="2.0"><channel>'
        f"<title>{title}</title><link>{base}/</link>{body}</channel></rss>"
    )


def page(title: str, text: str) -> str:
    return (
        f"<!DOCTYPE html><html lang='en'><head><title>{title}</title></head><body><article>"
        f"<h1>{title}</h1><p>{text}</p><p>{text} And more about it, at length.</p>"
        "</article></body></html>"
    )


def entry_count(pane: FeedsPane, label: str) -> int | None:
    return next((e.count for e in pane.entries if e.label == label), None)


async def type_into_prompt(pilot, app, text: str) -> None:  # type: ignore[no-untyped-def]
    await wait_for(pilot, lambda: isinstance(app.screen, TextPrompt), what="the prompt")
    await pilot.press(*text)
    await pilot.press("enter")


async def test_views_filter_the_list_and_counts_move_during_a_refresh(
    store: Store, paths: Paths, httpserver: HTTPServer
) -> None:
    base = httpserver.url_for("").rstrip("/")
    items = [("tram", "Tram strike ends"), ("ferry", "Ferry timetable"), ("bake", "Bake sale")]
    httpserver.expect_request("/harbour").respond_with_data(
        rss(base, "Harbour Gazette", items), content_type="application/rss+xml"
    )
    httpserver.expect_request("/hills").respond_with_data(
        rss(base, "Hill News", [("snow", "First snow")]), content_type="application/rss+xml"
    )
    harbour, _ = store.feeds.add(httpserver.url_for("/harbour"), title="Harbour", tags=["city"])
    hills, _ = store.feeds.add(httpserver.url_for("/hills"), title="Hills", tags=["country"])
    config = Config(read_after=None, refresh=RefreshConfig(prefetch_pages=0, timeout=600))
    with HostileServer(drip_interval=0.5) as slow:
        # a byte every half second: no read timeout, so the refresh runs until the test ends
        store.feeds.add(slow.url("/drip"), title="Slow")
        app = make_app(store, paths, config)
        async with app.run_test(size=(160, 40)) as pilot:
            await settle(pilot, app)
            screen = main_screen(app)
            pane = screen.feeds_pane
            assert pane.display, "shown from 150 columns on"
            await wait_for(pilot, lambda: entry_count(pane, "Harbour") == 0, what="the pane")
            await pilot.press("R")
            await wait_for(
                pilot,
                lambda: entry_count(pane, "Harbour") == 3 and entry_count(pane, "# city") == 3,
                what=f"counts to follow the refresh ({pane.entries}, {notifications(app)}, "
                f"{screen.status.message}, {store.views.counts()})",
            )
            await wait_for(
                pilot,
                lambda: entry_count(pane, "Unread") == 4 and entry_count(pane, "All") == 4,
                what="every count",
            )
            running = [w for w in app.workers if w.group == "refresh" and not w.is_finished]
            assert running, "the slow feed is still being fetched"
            pane.focus()
            pane.highlighted = [e.label for e in pane.entries].index("# country")
            await pilot.press("enter")
            await wait_for(
                pilot, lambda: len(screen.article_list.article_ids) == 1, what="the tag view"
            )
            assert screen.article_list.view == View(ViewKind.TAG, tag="country")
            assert screen.article_list.has_focus
            assert "Showing # country" in screen.status.message
            pane.highlighted = [e.label for e in pane.entries].index("Harbour")
            pane.focus()
            await pilot.press("enter")
            await wait_for(
                pilot, lambda: len(screen.article_list.article_ids) == 3, what="the feed view"
            )
            await pilot.press("A")
            await wait_for(pilot, lambda: entry_count(pane, "Harbour") == 0, what="A in a feed")
            assert entry_count(pane, "Hills") == 1, "only the view's articles"
            assert store.views.counts().feed_unread == {hills.id: 1}
            assert harbour.id not in store.views.counts().feed_unread


async def test_add_a_feed_in_the_app_then_remove_it_and_undo(
    demo_store: Store, paths: Paths, httpserver: HTTPServer
) -> None:
    base = httpserver.url_for("").rstrip("/")
    httpserver.expect_request("/").respond_with_data(
        f"<html><head><title>Valley Post</title><link rel='alternate' "
        f"type='application/rss+xml' href='{base}/feed'></head><body>Hello</body></html>",
        content_type="text/html",
    )
    httpserver.expect_request("/feed").respond_with_data(
        rss(base, "Valley Post", [("mill", "The mill reopens"), ("bridge", "Bridge works")]),
        content_type="application/rss+xml",
    )
    for slug in ("mill", "bridge"):
        httpserver.expect_request(f"/{slug}").respond_with_data(
            page(slug.title(), "The valley talks of little else."), content_type="text/html"
        )
    app = make_app(demo_store, paths, Config(read_after=None))
    async with app.run_test(size=(160, 40)) as pilot:
        await settle(pilot, app)
        screen = main_screen(app)
        await pilot.press("a")
        await type_into_prompt(pilot, app, base + "/")
        await wait_for(pilot, lambda: demo_store.feeds.by_url(base + "/feed"), what="subscribed")
        feed = demo_store.feeds.by_url(base + "/feed")
        await wait_for(
            pilot,
            lambda: len(screen.article_list.article_ids) == 2,
            what="the new feed's articles",
        )
        assert screen.article_list.view == View(ViewKind.FEED, feed_id=feed.id)
        await wait_for(
            pilot,
            lambda: (
                screen.current is not None
                and screen.current.article_id in screen.article_list.article_ids
                and screen.current.from_page
            ),
            what="its newest article on the pane, with the page prefetched",
        )
        assert demo_store.feeds.count(include_demo=False) == 1
        assert demo_store.feeds.by_url(DEMO_FEED_URL) is None, "the demo left"
        pane = screen.feeds_pane
        await wait_for(pilot, lambda: entry_count(pane, "Valley Post") == 2, what="its row")
        pane.focus()
        pane.highlighted = [e.label for e in pane.entries].index("Valley Post")
        await pilot.press("d")
        await wait_for(pilot, lambda: isinstance(app.screen, ConfirmScreen), what="confirm")
        await pilot.press("y")
        await wait_for(pilot, lambda: demo_store.feeds.get(feed.id) is None, what="removal")
        await wait_for(pilot, lambda: entry_count(pane, "Valley Post") is None, what="row gone")
        assert any("u: undo" in n for n in notifications(app))
        await pilot.press("u")
        await wait_for(pilot, lambda: demo_store.feeds.get(feed.id) is not None, what="undo")
        assert len(demo_store.views.ids(View(ViewKind.FEED, feed_id=feed.id))) == 2
        await wait_for(pilot, lambda: entry_count(pane, "Valley Post") == 2, what="row back")


async def test_adding_something_that_is_not_a_feed_says_why(
    demo_store: Store, paths: Paths, httpserver: HTTPServer
) -> None:
    httpserver.expect_request("/nothing").respond_with_data(
        "<html><body>No feed here.</body></html>", content_type="text/html"
    )
    app = make_app(demo_store, paths)
    async with app.run_test(size=(140, 40)) as pilot:
        await settle(pilot, app)
        await pilot.press("a")
        await type_into_prompt(pilot, app, httpserver.url_for("/nothing"))
        await wait_for(
            pilot,
            lambda: any("could not subscribe" in n for n in notifications(app)),
            what="the reason",
        )
        await pilot.press("a")
        await type_into_prompt(pilot, app, "javascript:alert(1)")
        await wait_for(
            pilot, lambda: any("not a web address" in n for n in notifications(app)), what="bad"
        )
        assert demo_store.feeds.count(include_demo=False) == 0


async def test_open_a_web_address_and_a_404_fails_cleanly(
    demo_store: Store, paths: Paths, httpserver: HTTPServer
) -> None:
    httpserver.expect_request("/essay").respond_with_data(
        page("On lighthouses", "Every lighthouse has its own rhythm of light."),
        content_type="text/html",
    )
    httpserver.expect_request("/gone").respond_with_data("no", status=404)
    app = make_app(demo_store, paths)
    async with app.run_test(size=(140, 40)) as pilot:
        await settle(pilot, app)
        screen = main_screen(app)
        await pilot.press("ctrl+l")
        await type_into_prompt(pilot, app, httpserver.url_for("/essay"))
        await wait_for(
            pilot,
            lambda: screen.current is not None and screen.current.title == "On lighthouses",
            what="the page as an article",
        )
        assert "rhythm of light" in screen.current.markdown
        assert demo_store.articles.by_url(httpserver.url_for("/essay")) is not None
        await pilot.press("ctrl+l")
        await type_into_prompt(pilot, app, httpserver.url_for("/gone"))
        await wait_for(
            pilot,
            lambda: any("404" in n and "Could not open" in n for n in notifications(app)),
            what="the 404 message",
        )
        assert screen.current.title == "On lighthouses"


async def test_e_fetches_the_full_page_and_the_pane_switches_to_it(
    store: Store, paths: Paths, httpserver: HTTPServer
) -> None:
    base = httpserver.url_for("").rstrip("/")
    httpserver.expect_request("/feed").respond_with_data(
        rss(base, "Summary Only", [("long", "A long story")]), content_type="application/rss+xml"
    )
    httpserver.expect_request("/long").respond_with_data(
        page("A long story", "The full text that only the page has."), content_type="text/html"
    )
    feed, _ = store.feeds.add(httpserver.url_for("/feed"))
    from reader.sources.parse import parse_feed

    parsed = parse_feed(rss(base, "Summary Only", [("long", "A long story")]).encode(), base)
    store.articles.upsert(feed.id, parsed.items)
    app = make_app(store, paths, Config(read_after=None))
    async with app.run_test(size=(140, 40)) as pilot:
        await settle(pilot, app)
        screen = main_screen(app)
        assert "only the page has" not in screen.current.markdown
        await pilot.press("e")
        await wait_for(
            pilot,
            lambda: "only the page has" in screen.current.markdown,
            what="the page on the pane",
        )
        assert store.articles.by_url(base + "/long").raw_html


async def test_tag_and_rename_a_feed_from_the_pane(store: Store, paths: Paths) -> None:
    feed, _ = store.feeds.add("https://valley.test/feed", title="Valley Post", tags=["local"])
    app = make_app(store, paths, Config(read_after=None))
    async with app.run_test(size=(160, 40)) as pilot:
        await settle(pilot, app)
        screen = main_screen(app)
        pane = screen.feeds_pane
        await wait_for(pilot, lambda: entry_count(pane, "Valley Post") == 0, what="the row")
        pane.focus()
        pane.highlighted = [e.label for e in pane.entries].index("Valley Post")
        await pilot.press("t")
        await wait_for(pilot, lambda: isinstance(app.screen, TextPrompt), what="the tag prompt")
        prompt_input = app.screen.query_one("#prompt-input")
        assert prompt_input.value == "local"
        prompt_input.value = ""
        await pilot.press(*"news, rivers, news")
        await pilot.press("enter")
        await wait_for(pilot, lambda: store.feeds.get(feed.id).tags == ("news", "rivers"), what="t")
        await wait_for(pilot, lambda: entry_count(pane, "# rivers") == 0, what="the tag row")
        assert entry_count(pane, "# local") is None
        pane.highlighted = [e.label for e in pane.entries].index("Valley Post")
        await pilot.press("T")
        await wait_for(pilot, lambda: isinstance(app.screen, TextPrompt), what="the name prompt")
        app.screen.query_one("#prompt-input").value = ""
        await pilot.press(*"Valley Evening Post", "enter")
        await wait_for(pilot, lambda: store.feeds.get(feed.id).title == "Valley Evening Post")
        await wait_for(pilot, lambda: entry_count(pane, "Valley Evening Post") == 0, what="row")


async def test_the_health_screen_refreshes_a_failing_feed_and_removes_one(
    store: Store, paths: Paths, httpserver: HTTPServer
) -> None:
    from reader.screens.dialogs.feed_health import FeedHealthScreen

    base = httpserver.url_for("").rstrip("/")
    httpserver.expect_request("/feed").respond_with_data(
        rss(base, "Back Again", [("up", "We are back")]), content_type="application/rss+xml"
    )
    bad, _ = store.feeds.add(httpserver.url_for("/feed"), title="Back Again")
    store.feeds.update(bad.id, last_status=500, last_error="HTTP 500 from the server")
    other, _ = store.feeds.add("https://other.test/feed", title="Other")
    app = make_app(store, paths, Config(read_after=None))
    async with app.run_test(size=(140, 40)) as pilot:
        await settle(pilot, app)
        screen = main_screen(app)
        health = await open_dialog(pilot, app, "F", FeedHealthScreen)
        assert health.feeds[0].id == bad.id, "failing first"
        await pilot.press("ctrl+r")
        await wait_for(pilot, lambda: store.feeds.get(bad.id).last_error is None, what="retry")
        await wait_for(pilot, lambda: len(screen.article_list.article_ids) == 1, what="items")
        health = await open_dialog(pilot, app, "F", FeedHealthScreen)
        from textual.widgets import DataTable

        table = health.query_one(DataTable)
        table.move_cursor(row=[f.id for f in health.feeds].index(other.id))
        await pilot.press("d")
        await wait_for(pilot, lambda: isinstance(app.screen, ConfirmScreen), what="confirm")
        await pilot.press("n")
        await settle(pilot, app)
        assert store.feeds.get(other.id) is not None, "no means no"
