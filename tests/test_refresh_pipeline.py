"""The refresh's parser and store processes (reader.refresh.pipeline) on a real SQLite file.

Each test spawns real processes: replies must reach the feed that asked, grouped commits must
let one bad feed fail alone, and a dead child process must turn into per-feed errors, not a
hang.
"""

from __future__ import annotations

import asyncio
import os
import signal
from pathlib import Path

from reader.refresh.pipeline import StorePipeline
from reader.refresh.worker import StoreJob, store_batch
from reader.sources.parse import parse_feed
from reader.store import Store


def rss(feed: int, items: int) -> bytes:
    entries = "".join(
        f"<item><title>Feed {feed} post {n}</title><link>https://site.test/{feed}/{n}</link>"
        f"<guid>f{feed}-{n}</guid><description>Body of post {n}</description></item>"
        for n in range(items)
    )
    head = f'<rss version="2.0"><channel><title>Feed {feed}</title>'
    return f"{head}{entries}</channel></rss>".encode()


def test_a_grouped_commit_lets_one_bad_feed_fail_alone(tmp_path: Path) -> None:
    store = Store.open(tmp_path / "reader.db")
    good = [store.feeds.add(f"https://site.test/{n}.xml")[0].id for n in range(3)]
    jobs = [
        StoreJob(
            n,
            feed_id,
            parse_feed(rss(n, n + 1), "https://site.test/", None),
            None,
            {"last_status": 200},
            True,
            False,
        )
        for n, feed_id in enumerate(good)
    ]
    # a feed id with no row: its articles break the foreign key, inside the same transaction
    jobs.insert(
        1,
        StoreJob(
            99,
            424242,
            parse_feed(rss(9, 2), "https://site.test/", None),
            None,
            {"last_status": 200},
            True,
            False,
        ),
    )
    replies = dict(store_batch(store, jobs))
    assert replies[99].error and "could not store the feed" in replies[99].error
    assert [replies[n].new_items for n in range(3)] == [1, 2, 3]
    assert store.articles.count() == 6
    assert [store.feeds.get(i).title for i in good] == ["Feed 0", "Feed 1", "Feed 2"]
    store.close()


async def test_replies_reach_the_feed_that_asked(tmp_path: Path) -> None:
    path = tmp_path / "reader.db"
    store = Store.open(path)
    feeds = [store.feeds.add(f"https://site.test/{n}.xml")[0].id for n in range(40)]
    pipeline = StorePipeline.start(str(path))
    try:
        results = await asyncio.gather(
            *(
                pipeline.store(
                    feed_id,
                    rss(n, n % 7 + 1),
                    "https://site.test/",
                    None,
                    {"last_status": 200},
                    True,
                    True,
                )
                for n, feed_id in enumerate(feeds)
            )
        )
    finally:
        await pipeline.close()
    assert [r.new_items for r in results] == [n % 7 + 1 for n in range(40)]
    assert [store.feeds.get(f).title for f in feeds] == [f"Feed {n}" for n in range(40)]
    assert store.articles.count() == sum(n % 7 + 1 for n in range(40))
    assert not pipeline.writer.is_alive()
    store.close()


async def test_a_parse_error_is_stored_on_the_feed_row(tmp_path: Path) -> None:
    path = tmp_path / "reader.db"
    store = Store.open(path)
    feed, _ = store.feeds.add("https://site.test/page")
    pipeline = StorePipeline.start(str(path))
    try:
        stored = await pipeline.store(
            feed.id,
            b"<html><body>hello</body></html>",
            "https://site.test/page",
            "text/html",
            {"last_status": 200, "last_success": "x"},
            True,
            True,
        )
    finally:
        await pipeline.close()
    assert stored.error == "not a feed (HTML page)"
    row = store.feeds.get(feed.id)
    assert row.last_error == stored.error and row.last_status == 200
    assert row.last_success is None  # only the fields that describe this fetch were kept
    store.close()


async def test_a_killed_store_process_is_replaced_and_its_feeds_stored(tmp_path: Path) -> None:
    path = tmp_path / "reader.db"
    store = Store.open(path)
    feed, _ = store.feeds.add("https://site.test/0.xml")
    pipeline = StorePipeline.start(str(path))
    first_writer = pipeline.writer
    try:
        os.kill(first_writer.pid, signal.SIGKILL)
        first = await asyncio.wait_for(
            pipeline.store(feed.id, rss(0, 2), "https://site.test/", None, {}, True, True), 30
        )
        later = await pipeline.store(feed.id, rss(0, 3), "https://site.test/", None, {}, True, True)
    finally:
        await asyncio.wait_for(pipeline.close(), 20)
    assert first.error is None and first.new_items == 2
    assert later.error is None and later.new_items == 1
    assert pipeline.restarts == 1 and pipeline.writer is not first_writer
    assert first_writer.exitcode == -signal.SIGKILL
    assert store.articles.count() == 3
    store.close()


async def test_a_killed_parser_process_is_replaced_and_its_feed_stored(tmp_path: Path) -> None:
    path = tmp_path / "reader.db"
    store = Store.open(path)
    feed, _ = store.feeds.add("https://site.test/0.xml")
    pipeline = StorePipeline.start(str(path))
    try:
        # wait until the parser has booted, then kill it
        await asyncio.wait_for(
            pipeline.store(feed.id, rss(0, 1), "https://site.test/", None, {}, True, True), 20
        )
        for process in list(pipeline.parsers._processes.values()):
            os.kill(process.pid, signal.SIGKILL)
        stored = await asyncio.wait_for(
            pipeline.store(feed.id, rss(0, 3), "https://site.test/", None, {}, True, True), 30
        )
    finally:
        await asyncio.wait_for(pipeline.close(), 20)
    assert stored.error is None and stored.new_items == 2
    assert pipeline.restarts == 1
    store.close()


async def test_a_pipeline_that_keeps_dying_gives_up_with_the_reason(tmp_path: Path) -> None:
    from reader.refresh import pipeline as module

    path = tmp_path / "reader.db"
    store = Store.open(path)
    feed, _ = store.feeds.add("https://site.test/0.xml")
    pipeline = StorePipeline.start(str(path))
    try:
        for _ in range(module.MAX_RESTARTS + 1):
            os.kill(pipeline.writer.pid, signal.SIGKILL)
            await asyncio.to_thread(pipeline.writer.join, 10)
            while pipeline.writer.exitcode is not None and not pipeline.failure:
                await asyncio.sleep(0.05)  # the collector notices within 0.5 s
        stored = await asyncio.wait_for(
            pipeline.store(feed.id, rss(0, 2), "https://site.test/", None, {}, True, True), 30
        )
    finally:
        await asyncio.wait_for(pipeline.close(), 20)
    assert stored.internal and stored.error
    assert "killed by SIGKILL" in stored.error and "gave up after" in stored.error
    assert store.articles.count() == 0
    store.close()


def test_a_flushing_checkpoint_backfills_the_wal_and_survives_a_vanished_file(
    tmp_path: Path,
) -> None:
    from reader.store.checkpoint import Checkpointer

    path = tmp_path / "reader.db"
    store = Store.open(path)
    feed, _ = store.feeds.add("https://site.test/0.xml")
    store.db.query("PRAGMA wal_autocheckpoint = 0")
    store.articles.upsert(feed.id, parse_feed(rss(0, 20), "https://site.test/", None).items)
    Checkpointer(store).checkpoint(flush=True)
    busy, frames, copied = store.db.query("PRAGMA wal_checkpoint(PASSIVE)")[0]
    assert busy == 0 and frames == copied  # nothing was left to copy
    gone = Checkpointer(store)
    gone.path = str(tmp_path / "no-such-dir" / "reader.db")
    gone.checkpoint(flush=True)  # a store that cannot be opened: skipped, nothing raised
    assert store.articles.count() == 20
    store.close()


async def test_closing_while_feeds_are_in_flight_ends_every_process(tmp_path: Path) -> None:
    """Ctrl-C: the refresh is cancelled with parsed feeds still on their way; nothing hangs."""
    path = tmp_path / "reader.db"
    store = Store.open(path)
    feeds = [store.feeds.add(f"https://site.test/{n}.xml")[0].id for n in range(60)]
    pipeline = StorePipeline.start(str(path))
    body = rss(0, 30).replace(b"Body of post", b"Long body " * 400)  # ~120 KB once parsed:
    # more than a pipe holds, so a parser can only finish its write if someone reads
    tasks = [
        asyncio.create_task(
            pipeline.store(
                feed_id, body, "https://site.test/", None, {"last_status": 200}, True, True
            )
        )
        for feed_id in feeds
    ]
    # Cancel once the first feed is stored: then some are stored, some parsed and queued, and
    # some not started (60 feeds of ~120 KB take far longer than one).
    await asyncio.wait_for(asyncio.wait(tasks, return_when=asyncio.FIRST_COMPLETED), 60)
    parsers = list(pipeline.parsers._processes.values())
    for task in tasks:
        task.cancel()
    await asyncio.wait_for(pipeline.close(), 30)
    await asyncio.gather(*tasks, return_exceptions=True)
    assert not pipeline.writer.is_alive()
    for parser in parsers:  # a parser stuck writing to the stopped store process never ends
        await asyncio.to_thread(parser.join, 10)
        assert not parser.is_alive()
    assert store.db.query_one("PRAGMA integrity_check")[0] == "ok"
    store.close()
