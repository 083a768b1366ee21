"""Benchmark: the related list of an article in a cache of 100,000 articles.

Seeds a real store file (synthetic articles over 40 feeds: each article mixes one of 400 topic
vocabularies with Zipf-distributed common words, titles from the topic words, categories per
topic, body links to same-site posts), then times ``related_entries`` (every local source:
page block, same-feed tags, body links, FTS5 similarity, cache resolution) for random articles,
the similarity source alone, and a trail step (open an article, extracting it, plus its
list). The bar from issue 5: median ≤ 30 ms at 100k.

    python bench/related.py [--articles 100000] [--samples 200] [--db PATH] [--reseed]

The seeded file is reused between runs (``--reseed`` rebuilds it).
"""

from __future__ import annotations

import argparse
import json
import random
import statistics
import sys
import tempfile
import time
from pathlib import Path

from reader.reading import Readable, open_article
from reader.related import related_entries
from reader.related.similar import similar_articles
from reader.store import Store

FEEDS = 40
TOPICS = 400
SYLLABLES = (
    "ka",
    "lo",
    "mi",
    "ne",
    "ru",
    "sa",
    "te",
    "vo",
    "zi",
    "ba",
    "do",
    "fe",
    "gu",
    "hi",
    "ja",
    "ko",
    "le",
    "mo",
    "nu",
    "pi",
    "qua",
    "ri",
    "so",
    "tu",
    "vi",
    "wa",
)


def _word(rng: random.Random) -> str:
    return "".join(rng.choice(SYLLABLES) for _ in range(rng.randint(2, 4)))


def seed(path: Path, count: int, rng: random.Random) -> None:
    """Fill a fresh store with ``count`` articles (direct batched SQL: seeding is not timed)."""
    store = Store.open(path)
    common = list(dict.fromkeys(_word(rng) for _ in range(30_000)))
    weights = [1 / (rank + 1) for rank in range(len(common))]
    topics = [[_word(rng) for _ in range(40)] for _ in range(TOPICS)]
    feeds = []
    for n in range(FEEDS):
        feed, _new = store.feeds.add(
            f"https://site{n}.example/feed/",
            title=f"Site {n}",
            site_url=f"https://site{n}.example/",
        )
        feeds.append(feed.id)
    batch: list[tuple] = []
    fts: list[tuple] = []
    for article_id in range(1, count + 1):
        topic = rng.randrange(TOPICS)
        feed_index = rng.randrange(FEEDS)
        words = rng.choices(common, weights, k=120) + rng.choices(topics[topic], k=40)
        rng.shuffle(words)
        title = " ".join(rng.choices(topics[topic], k=4) + rng.choices(common[:200], k=3))
        body = " ".join(words)
        url = f"https://site{feed_index}.example/2024/{article_id % 12 + 1:02d}/post-{article_id}/"
        link = f"https://site{feed_index}.example/2024/01/post-{rng.randint(1, count)}/"
        html = f"<p>{body}</p><p><a href='{link}'>see also</a></p>"
        categories = json.dumps([f"topic {topic}", f"tag {topic % 37}", "News"])
        published = f"2024-{article_id % 12 + 1:02d}-{article_id % 28 + 1:02d}T10:00:00+00:00"
        batch.append((article_id, feeds[feed_index], url, url, title, published, html, categories))
        fts.append((article_id, title, body))
        if len(batch) >= 5000:
            _flush(store, batch, fts)
            batch, fts = [], []
    _flush(store, batch, fts)
    store.db.query("PRAGMA optimize")
    store.close()


def _flush(store: Store, batch: list[tuple], fts: list[tuple]) -> None:
    with store.db.transaction() as conn:
        conn.executemany(
            "INSERT INTO articles (id, feed_id, guid, url, title, published, content_html,"
            " categories) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
            batch,
        )
        conn.executemany("INSERT INTO articles_fts (rowid, title, body) VALUES (?, ?, ?)", fts)


def readable_for(store: Store, article_id: int) -> Readable:
    """What the UI holds after opening an article (built directly: opening is not timed)."""
    record = store.articles.get(article_id)
    assert record is not None
    body = (record.content_html or "").replace("<p>", "").replace("</p>", "\n")
    links = [part.split("'", 1)[0] for part in body.split("href='")[1:]]
    return Readable(
        article_id=record.id,
        url=record.url,
        title=record.title,
        feed_title=record.feed_title,
        markdown=body,
        links=links,
    )


def percentile(values: list[float], share: float) -> float:
    """The value below which ``share`` of ``values`` lie."""
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(share * len(ordered)))]


def main(argv: list[str] | None = None) -> int:
    """Seed if needed, then time the related list."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--articles", type=int, default=100_000)
    parser.add_argument("--samples", type=int, default=200)
    parser.add_argument("--db", type=Path, default=None)
    parser.add_argument("--reseed", action="store_true")
    args = parser.parse_args(argv)
    path = args.db or Path(tempfile.gettempdir()) / f"reader-bench-related-{args.articles}.db"
    rng = random.Random(5)
    if args.reseed or not path.exists():
        for suffix in ("", "-wal", "-shm"):
            Path(f"{path}{suffix}").unlink(missing_ok=True)
        started = time.perf_counter()
        seed(path, args.articles, rng)
        print(
            f"seeded {args.articles:,} articles in {time.perf_counter() - started:.1f} s ({path})"
        )
    store = Store.open(path)
    total = store.articles.count()
    sample = [rng.randint(1, total) for _ in range(args.samples)]
    readables = [readable_for(store, article_id) for article_id in sample]
    related_entries(store, readables[0])  # warm the page cache
    full, similar, sizes = [], [], []
    for readable in readables:
        started = time.perf_counter()
        entries = related_entries(store, readable)
        full.append((time.perf_counter() - started) * 1000)
        sizes.append(len(entries))
        started = time.perf_counter()
        similar_articles(store, readable.article_id, readable.title, readable.markdown)
        similar.append((time.perf_counter() - started) * 1000)
    step = []
    for article_id in sample[:50]:  # a trail step: open (extract, first time) + its list
        started = time.perf_counter()
        opened = open_article(store, article_id, use_cache=False)
        assert opened is not None
        related_entries(store, opened)
        step.append((time.perf_counter() - started) * 1000)
    print(
        f"cache: {total:,} articles; {len(sample)} random articles; "
        f"{statistics.mean(sizes):.1f} entries on average"
    )
    for name, values in (
        ("related_entries (all sources)", full),
        ("similarity source alone", similar),
        ("trail step: open + related", step),
    ):
        print(
            f"{name:32} median {statistics.median(values):6.1f} ms   "
            f"p95 {percentile(values, 0.95):6.1f} ms   max {max(values):6.1f} ms"
        )
    store.close()
    ok = statistics.median(full) <= 30.0
    print("bar (median ≤ 30 ms):", "met" if ok else "NOT met")
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
