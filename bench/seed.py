"""Seed a store with many realistic articles, fast, for the benchmarks and the query-plan test.

Usage::

    .venv/bin/python bench/seed.py --home /tmp/reader-100k --articles 100000

Articles are spread over ~200 feeds of uneven size (a few busy feeds, many quiet ones), with titles
of varying length, 3–6 KB HTML bodies, publication dates over three years and about a third
marked read. Their words follow ``vocabulary.py``: Zipf-like frequencies in four languages (90 %
English), names and a long tail of rare words, so a search meets words in 1 %, 20 % and 95 % of
articles as in a real cache. Everything goes through the store API (``feeds.add`` and
``articles.upsert``, which writes in batches), so seeding also measures the write path. Read marks
are the exception: the store has no batch ``set_read``, so they go in one ``executemany``.

``cached_home(n)`` seeds a template once per size under ``$READER_BENCH_CACHE`` (default
``/tmp/reader-bench``) and copies it into a fresh READER_HOME for each run, so benches don't pay
for seeding every time.
"""

from __future__ import annotations

import argparse
import os
import random
import shutil
import sqlite3
import sys
import time
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path

from vocabulary import Language, languages, pick_language

from reader.paths import resolve_paths
from reader.store import Store

DEFAULT_FEEDS = 200
READ_FRACTION = 0.3
YEARS = 3
TITLE_RANKS = 800
"""Headlines draw from the first ranks only (real words, names, a few rare ones)."""
VOCABULARY = "zipf1"
"""The vocabulary's version, part of the template's name: a new one seeds a new template."""
_AUTHORS = (None, "Staff", "A. Writer", "Jo Reporter", "Desk", "Amara Okonkwo", "Lena Müller")

_FEED_WORDS = (
    "market climate river harbour museum festival archive library station bridge garden theatre "
    "village county coast island valley mountain forest railway"
).split()
_FEED_ADJ = "new old local national quiet rural urban small open early late".split()
_EXTRA_TITLES = (
    "Ça va mieux à Genève — enquête sur les loyers",
    "Grüße aus Köln: Straßenbahn fährt wieder",
    "東京の図書館、夜間開館を延長",
    "«Nunca más»: la ciudad recuerda la inundación",
    "Что изменилось в школах за десять лет",
    "🚲 Cycling counts up 40% after the bridge reopened",
)


@dataclass
class SeedItem:
    """A feed item with the fields ``Articles.upsert`` reads."""

    guid: str
    url: str
    title: str
    author: str | None
    published: str
    updated: str | None
    summary_html: str
    content_html: str | None = None


@dataclass(frozen=True)
class SeedResult:
    """What a seeding run did and how long it took."""

    articles: int
    feeds: int
    read: int
    seconds: float
    upsert_seconds: float
    db_bytes: int

    def summary(self) -> str:
        """One human line."""
        rate = self.articles / self.seconds if self.seconds else 0.0
        return (
            f"seeded {self.articles:,} articles in {self.feeds} feeds ({self.read:,} read) in "
            f"{self.seconds:.1f} s ({rate:,.0f}/s; upsert {self.upsert_seconds:.1f} s), "
            f"db {self.db_bytes / 1e6:,.0f} MB"
        )


def _title(rng: random.Random, words: Language) -> str:
    """A headline of 2–22 words (long tail) in the article's language, sometimes a quotation."""
    if rng.random() < 0.03:
        return rng.choice(_EXTRA_TITLES)
    length = min(22, max(2, int(rng.lognormvariate(1.9, 0.45))))
    title = " ".join(words.draw(rng, length, content_only=True, top_rank=TITLE_RANKS))
    title = title[:1].upper() + title[1:]
    if rng.random() < 0.15:
        title = f"“{title}”, says the {rng.choice(_FEED_WORDS)}"
    return title


def _sentence(rng: random.Random, words: Language) -> str:
    """One sentence of 8–22 Zipf-drawn words, sometimes a link, emphasis or a quotation."""
    drawn = words.draw(rng, rng.randint(8, 22))
    sentence = " ".join(drawn)
    sentence = sentence[:1].upper() + sentence[1:] + "."
    roll = rng.random()
    if roll < 0.15:
        sentence = f"“{sentence[:-1]},” the {words.draw(rng, 1, content_only=True)[0]} said."
    elif roll < 0.25:
        word = drawn[-1]
        link = f'<a href="https://example.org/{word}">{word}</a>'
        sentence = sentence[: -len(word) - 1] + link + "."
    elif roll < 0.32:
        sentence = f"<em>{sentence}</em>"
    return sentence


def _paragraph(rng: random.Random, words: Language) -> str:
    """One HTML paragraph of roughly 200–1,200 bytes."""
    sentences = [_sentence(rng, words) for _ in range(rng.randint(2, 7))]
    if rng.random() < 0.1:
        return f"<blockquote><p>{' '.join(sentences)}</p></blockquote>"
    return f"<p>{' '.join(sentences)}</p>"


class _Corpus:
    """Pre-built paragraphs per language, so each 3–6 KB body costs a few random choices; each
    article also gets its own lede (fresh Zipf draws: rare words stay rare)."""

    POOL = {"en": 3000, "fr": 300, "de": 300, "es": 300}

    def __init__(self, rng: random.Random) -> None:
        self.languages = languages()
        self.paragraphs = {
            code: [_paragraph(rng, self.languages[code]) for _ in range(size)]
            for code, size in self.POOL.items()
        }
        self.rng = rng

    def summary(self, code: str) -> str:
        """An HTML body of 3–6 KB in one language."""
        target = self.rng.randint(3000, 6000)
        words = self.languages[code]
        parts = [f"<p>{' '.join(_sentence(self.rng, words) for _ in range(3))}</p>"]
        total = len(parts[0])
        pool = self.paragraphs[code]
        while total < target:
            paragraph = self.rng.choice(pool)
            parts.append(paragraph)
            total += len(paragraph) + 1
        html = "\n".join(parts)
        return html[:target] if len(html) > target + 400 else html


def _feed_sizes(total: int, feeds: int, rng: random.Random) -> list[int]:
    """Split ``total`` articles over ``feeds`` unevenly (Zipf-like) without empty feeds."""
    weights = [1.0 / (rank + 1) ** 0.8 for rank in range(feeds)]
    rng.shuffle(weights)
    scale = sum(weights)
    sizes = [max(1, int(total * w / scale)) for w in weights]
    sizes[0] += total - sum(sizes)
    while sizes[0] < 1:  # tiny totals: take from the biggest
        biggest = max(range(feeds), key=sizes.__getitem__)
        sizes[biggest] -= 1
        sizes[0] += 1
    return sizes


def _items(
    feed_index: int, count: int, corpus: _Corpus, rng: random.Random, now: datetime
) -> Iterator[SeedItem]:
    span = YEARS * 365 * 86400
    host = f"news{feed_index:03d}.example"
    for number in range(count):
        code = pick_language(rng)
        moment = now - timedelta(seconds=rng.randrange(span))
        published = moment.replace(microsecond=0).isoformat()
        url = f"https://{host}/{moment:%Y/%m}/{number}-story"
        yield SeedItem(
            guid=f"{host}:{number}",
            url=url,
            title=_title(rng, corpus.languages[code]),
            author=rng.choice(_AUTHORS),
            published=published,
            updated=published if rng.random() < 0.8 else None,
            summary_html=corpus.summary(code),
        )


def seed(
    home: Path | str,
    articles: int,
    *,
    feeds: int = DEFAULT_FEEDS,
    read_fraction: float = READ_FRACTION,
    random_seed: int = 42,
) -> SeedResult:
    """Seed ``articles`` articles over ``feeds`` feeds into the store under READER_HOME ``home``."""
    paths = resolve_paths(home).ensure()
    rng = random.Random(random_seed)
    corpus = _Corpus(rng)
    now = datetime.now(UTC)
    feeds = max(1, min(feeds, articles)) if articles else max(1, feeds)
    sizes = _feed_sizes(articles, feeds, rng) if articles else [0] * feeds
    started = time.perf_counter()
    store = Store.open(paths.db_file)
    try:
        upsert_seconds = 0.0
        new_ids: list[int] = []
        for index, size in enumerate(sizes):
            feed, _ = store.feeds.add(
                f"https://news{index:03d}.example/feed.xml",
                title=f"{rng.choice(_FEED_ADJ).capitalize()} "
                f"{rng.choice(_FEED_WORDS).capitalize()} "
                f"{rng.choice(('Times', 'Post', 'Journal', 'Blog', 'Weekly', 'Herald'))}",
                site_url=f"https://news{index:03d}.example/",
            )
            items = list(_items(index, size, corpus, rng, now))
            tick = time.perf_counter()
            result = store.articles.upsert(feed.id, items)
            upsert_seconds += time.perf_counter() - tick
            new_ids += result.new_ids
        read_ids = [(i,) for i in new_ids if rng.random() < read_fraction]
        # No batch set_read in the store API; one UPDATE per id in a single transaction.
        with store.db.transaction() as conn:
            conn.executemany("UPDATE articles SET read = 1 WHERE id = ?", read_ids)
        store.db.conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    finally:
        store.close()
    seconds = time.perf_counter() - started
    return SeedResult(
        articles=len(new_ids),
        feeds=len(sizes),
        read=len(read_ids),
        seconds=seconds,
        upsert_seconds=upsert_seconds,
        db_bytes=paths.db_file.stat().st_size,
    )


def machine() -> str:
    """CPU count and model, RAM and load average: benches share the machine, so say how busy."""
    model = "unknown CPU"
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                model = line.split(":", 1)[1].strip()
                break
        mem_kb = next(
            int(line.split()[1])
            for line in Path("/proc/meminfo").read_text().splitlines()
            if line.startswith("MemTotal:")
        )
    except (OSError, StopIteration, ValueError):
        mem_kb = 0
    load = ", ".join(f"{value:.2f}" for value in os.getloadavg())
    return (
        f"machine: {os.cpu_count()} CPUs ({model}), {mem_kb / 1024 / 1024:.0f} GB RAM, "
        f"load average {load}"
    )


def bench_cache() -> Path:
    """Where seeded template stores are kept between bench runs."""
    return Path(os.environ.get("READER_BENCH_CACHE", "/tmp/reader-bench"))


def template_home(articles: int, *, feeds: int = DEFAULT_FEEDS) -> Path:
    """A READER_HOME holding a seeded store of this size (seeded once, then reused)."""
    home = bench_cache() / f"template-{articles}-{feeds}-{VOCABULARY}"
    db = resolve_paths(home).db_file
    if db.exists() and _count(db) == articles:
        return home
    shutil.rmtree(home, ignore_errors=True)
    result = seed(home, articles, feeds=feeds)
    print(f"[seed] {result.summary()}", file=sys.stderr)
    return home


def cached_home(articles: int, target: Path | str, *, feeds: int = DEFAULT_FEEDS) -> Path:
    """Copy the seeded template of this size into a fresh READER_HOME ``target``."""
    source = template_home(articles, feeds=feeds)
    target = Path(target)
    shutil.rmtree(target, ignore_errors=True)
    shutil.copytree(source, target)
    # Flush the copy's dirty pages now: writeback of a 1.2 GB copy would otherwise stall the
    # first runs measured after it (seen: 100k startup 1.4 s during writeback, 0.5 s after).
    os.sync()
    return target


def _count(db: Path) -> int:
    try:
        with sqlite3.connect(f"file:{db}?mode=ro", uri=True) as conn:
            return int(conn.execute("SELECT count(*) FROM articles").fetchone()[0])
    except sqlite3.Error:
        return -1


def main(argv: list[str] | None = None) -> int:
    """Seed a store from the command line and print how long it took."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--home", required=True, help="READER_HOME to seed (its store is created)")
    parser.add_argument("--articles", type=int, default=100_000)
    parser.add_argument("--feeds", type=int, default=DEFAULT_FEEDS)
    parser.add_argument("--fresh", action="store_true", help="delete HOME first")
    args = parser.parse_args(argv)
    home = Path(args.home)
    if args.fresh:
        shutil.rmtree(home, ignore_errors=True)
    elif resolve_paths(home).db_file.exists():
        print(f"{home} already has a store; use --fresh to replace it", file=sys.stderr)
        return 2
    result = seed(home, args.articles, feeds=args.feeds)
    print(result.summary())
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
