"""The app's `R` under config.toml's per-feed settings and retention, against a real local
server: a feed checked recently is left alone, and old read articles are pruned at the end."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from pytest_httpserver import HTTPServer

from reader.config import config_from_dict
from reader.paths import Paths
from reader.store import Store
from tests.ui.helpers import main_screen, make_app, notifications, settle, wait_for


def rss(base: str, count: int) -> str:
    items = "".join(
        f"<item><title>Note {n}</title><link>{base}/n/{n}</link><guid>n{n}</guid>"
        f"<pubDate>Tue, {10 + n} Nov 2026 09:00:00 +0000</pubDate></item>"
        for n in range(count)
    )
    return f'<rss version="2.0"><channel><title>Notes</title>{items}</channel></rss>'


async def test_R_applies_the_retention_policy_and_refresh_intervals(
    store: Store, paths: Paths, httpserver: HTTPServer
) -> None:
    base = httpserver.url_for("").rstrip("/")
    httpserver.expect_request("/notes.xml").respond_with_data(
        rss(base, 4), content_type="application/rss+xml"
    )
    httpserver.expect_request("/quiet.xml").respond_with_data(
        rss(base + "/q", 1), content_type="application/rss+xml"
    )
    notes, _ = store.feeds.add(httpserver.url_for("/notes.xml"), title="Notes")
    quiet_url = httpserver.url_for("/quiet.xml")
    store.feeds.add(quiet_url, title="Quiet")
    store.feeds.update(notes.id, last_checked="2020-01-01T00:00:00+00:00")
    config, warnings = config_from_dict(
        {
            "retention": {"keep_per_feed": 1},
            "feeds": {quiet_url: {"refresh_interval": 600, "prefetch": False}},
        }
    )
    assert warnings == []
    # the quiet feed was checked a minute ago: the app's refresh leaves it alone
    quiet = store.feeds.by_url(quiet_url)
    assert quiet is not None
    minute_ago = (datetime.now(UTC) - timedelta(minutes=1)).replace(microsecond=0)
    store.feeds.update(quiet.id, last_checked=minute_ago.isoformat())
    app = make_app(store, paths, config)
    async with app.run_test(size=(120, 36)) as pilot:
        await settle(pilot, app)
        await pilot.press("R")
        await wait_for(pilot, lambda: "new articles" in " ".join(notifications(app)))
        assert len(store.articles.ordered_ids(feed_id=notes.id)) == 4  # unread: all kept
        assert not [r for r in httpserver.log if r[0].path == "/quiet.xml"]
        store.marks.set_read(store.articles.ordered_ids(feed_id=notes.id))
        app.clear_notifications()
        await pilot.press("R")
        await wait_for(pilot, lambda: "pruned" in " ".join(notifications(app)))
        await settle(pilot, app)
        assert "3 old articles pruned" in " ".join(notifications(app))
        assert len(store.articles.ordered_ids(feed_id=notes.id)) == 1
        assert len(main_screen(app).article_list.article_ids) == 1


async def test_refreshing_one_chosen_feed_ignores_its_interval(
    store: Store, paths: Paths, httpserver: HTTPServer
) -> None:
    base = httpserver.url_for("").rstrip("/")
    httpserver.expect_request("/slow.xml").respond_with_data(
        rss(base, 2), content_type="application/rss+xml"
    )
    slow_url = httpserver.url_for("/slow.xml")
    slow, _ = store.feeds.add(slow_url, title="Slow")
    just_now = datetime.now(UTC).replace(microsecond=0).isoformat()
    store.feeds.update(slow.id, last_checked=just_now)
    config, _ = config_from_dict({"feeds": {slow_url: {"refresh_interval": 600}}})
    app = make_app(store, paths, config)
    async with app.run_test(size=(120, 36)) as pilot:
        await settle(pilot, app)
        screen = main_screen(app)
        assert screen.refresher.start()  # every feed: the slow one is not due
        await wait_for(pilot, lambda: "new articles" in " ".join(notifications(app)))
        assert not httpserver.log and store.articles.ordered_ids(feed_id=slow.id) == []
        app.clear_notifications()
        chosen = store.feeds.get(slow.id)
        assert chosen is not None and screen.refresher.start([chosen])  # named: fetched
        await wait_for(pilot, lambda: "new articles" in " ".join(notifications(app)))
        feed_fetches = [r for r, _ in httpserver.log if r.path == "/slow.xml"]
        assert len(feed_fetches) == 1 and len(store.articles.ordered_ids(feed_id=slow.id)) == 2
