"""`reader prune` and `reader refresh` under config.toml's per-feed settings and retention, run
as the command runs (``reader.cli.run``) on a real cache and a real local server."""

from __future__ import annotations

import json
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta

import pytest

from reader.cli import run
from reader.cli.context import Context
from reader.paths import Paths
from reader.sources.items import FeedItem
from reader.store.lock import RefreshLock
from tests.hostile_server import HostileServer


def reader(*args: str) -> int:
    return run(list(args))


@pytest.fixture
def server() -> Iterator[HostileServer]:
    with HostileServer() as srv:
        yield srv


def seed(prefix: str, count: int) -> list[int]:
    """A subscription with ``count`` read articles, one a day apart; ids newest first."""
    context = Context()
    try:
        store = context.store
        feed, _ = store.feeds.add(f"https://{prefix}.example/feed", title=f"{prefix} news")
        now = datetime.now(UTC)
        store.articles.upsert(
            feed.id,
            [
                FeedItem(
                    guid=f"{prefix}-{n}",
                    url=f"https://{prefix}.example/{n}",
                    title=f"post {n}",
                    published=(now - timedelta(days=n)).isoformat(),
                )
                for n in range(count)
            ],
        )
        ids = store.articles.ordered_ids(feed_id=feed.id)
        store.marks.set_read(ids)
        return ids
    finally:
        context.close()


def article_count() -> int:
    context = Context()
    try:
        return context.store.articles.count()
    finally:
        context.close()


def test_prune_without_a_policy_deletes_nothing(capsys: pytest.CaptureFixture[str]) -> None:
    seed("a", 4)
    assert reader("prune") == 0
    assert "nothing to prune" in capsys.readouterr().out
    assert article_count() == 4


def test_prune_dry_run_then_for_real(paths: Paths, capsys: pytest.CaptureFixture[str]) -> None:
    seed("a", 6)
    seed("b", 3)
    paths.config_file.write_text(
        '[retention]\nkeep_per_feed = 2\n[feeds."https://b.example/feed"]\nkeep = 3\n',
        encoding="utf-8",
    )
    assert reader("prune", "--dry-run", "--json") == 0
    data = json.loads(capsys.readouterr().out)
    assert data["dry_run"] is True and data["total"] == 4 and data["keep_per_feed"] == 2
    assert [(f["title"], f["articles"]) for f in data["feeds"]] == [("a news", 4)]
    assert article_count() == 9  # a dry run deletes nothing
    assert reader("prune", "--dry-run") == 0
    assert capsys.readouterr().out.startswith("would delete 4 articles from 1 feed ")
    assert reader("prune") == 0
    out = capsys.readouterr().out
    assert out.startswith("deleted 4 articles from 1 feed ") and "a news" in out
    assert article_count() == 5
    assert reader("prune", "--json") == 0
    assert json.loads(capsys.readouterr().out)["total"] == 0


def test_prune_waits_for_no_refresh(paths: Paths, capsys: pytest.CaptureFixture[str]) -> None:
    seed("a", 3)
    paths.config_file.write_text("[retention]\nkeep_per_feed = 1\n", encoding="utf-8")
    with RefreshLock(paths.db_file):
        assert reader("prune") == 75
        assert "another refresh is running" in capsys.readouterr().err
        assert reader("prune", "--dry-run", "--json") == 0  # reading is fine
        assert json.loads(capsys.readouterr().out)["total"] == 2
    assert article_count() == 3


def test_bad_retention_settings_are_reported_and_delete_nothing(
    paths: Paths, capsys: pytest.CaptureFixture[str]
) -> None:
    seed("a", 3)
    paths.config_file.write_text("[retention]\nkeep_per_feed = -3\n", encoding="utf-8")
    assert reader("prune") == 0
    captured = capsys.readouterr()
    assert "retention.keep_per_feed must be a whole number" in captured.err
    assert "nothing to prune" in captured.out and article_count() == 3


def rss(server: HostileServer, count: int) -> bytes:
    items = "".join(
        f"<item><title>Item {n}</title><link>{server.url(f'/p/{n}')}</link><guid>i{n}</guid>"
        f"<pubDate>Mon, 0{n + 1} Jan 2024 10:00:00 GMT</pubDate></item>"
        for n in range(count)
    )
    return f'<rss version="2.0"><channel><title>Local</title>{items}</channel></rss>'.encode()


def test_refresh_skips_feeds_not_due_names_force_and_prunes(
    server: HostileServer, paths: Paths, capsys: pytest.CaptureFixture[str]
) -> None:
    server.route("/feed.xml", rss(server, 4), headers={"Content-Type": "application/rss+xml"})
    url = server.url("/feed.xml")
    context = Context()
    context.store.feeds.add(url, title="Local")
    context.close()
    paths.config_file.write_text(
        f'[retention]\nkeep_per_feed = 1\n[feeds."{url}"]\nrefresh_interval = 30\n',
        encoding="utf-8",
    )
    fetches = lambda: sum(1 for r in server.requests if r.path == "/feed.xml")  # noqa: E731
    assert reader("refresh", "--no-pages") == 0
    assert "4 new items" in capsys.readouterr().out and fetches() == 1
    assert reader("refresh", "--no-pages") == 0
    out = capsys.readouterr().out
    assert "1 skipped: checked 0 min ago (refresh_interval)" in out and fetches() == 1
    assert reader("refresh", "--no-pages", "--json") == 0
    assert json.loads(capsys.readouterr().out)["not_due"] == 1
    # the items were unread: nothing pruned yet; read them, and the next refresh prunes
    context = Context()
    context.store.marks.set_read(context.store.articles.ordered_ids())
    context.close()
    assert reader("refresh", "--no-pages", "--force") == 0
    out = capsys.readouterr().out
    assert fetches() == 2 and "3 old articles pruned" in out
    assert reader("refresh", "--no-pages", url + "/", "--json") == 0  # named: fetched anyway
    data = json.loads(capsys.readouterr().out)
    assert fetches() == 3 and data["not_due"] == 0 and data["new_items"] == 0
    assert article_count() == 1  # the pruned items were not stored again
    assert reader("refresh", "https://not.subscribed.example/feed") == 1
    assert "not subscribed to https://not.subscribed.example/feed" in capsys.readouterr().err
