"""Time to open a long article: extraction, conversion and the first painted frame.

Seeds a 5,000-word WordPress-style article into a temporary store, then drives the real app
headless and measures, per open: extract+convert (first open, nothing cached), cached open
(rendering cache hit), and the reading pane's layout + paint. Textual's own Markdown widget on
the same Markdown is measured in the same run as the reference.

    python bench/open_article.py [--words 5000] [--runs 7]
"""

from __future__ import annotations

import argparse
import asyncio
import random
import statistics
import tempfile
import time
from pathlib import Path
from types import SimpleNamespace

WORDS = (
    "harbour council library tram station winter summer market bakery river bridge night "
    "morning people city museum garden street school festival project neighbours volunteers "
    "money plan years weeks report debate vote mayor workers coffee bread music stage"
).split()


def article_html(words: int, seed: int = 1) -> str:
    """A long post with headings, quotes, links, a list and a blockquote."""
    rng = random.Random(seed)
    parts, count, n = [], 0, 0
    while count < words:
        n += 1
        sentence = " ".join(rng.choice(WORDS) for _ in range(rng.randint(8, 18)))
        quote = f" “{' '.join(rng.choice(WORDS) for _ in range(6))},” she said."
        link = f' <a href="https://example.test/post/{n}/">{rng.choice(WORDS)}</a>'
        paragraph = f"<p>{sentence.capitalize()}.{quote}{link} {sentence}.</p>"
        parts.append(paragraph)
        if n % 12 == 0:
            parts.append(f"<h2>Part {n // 12}</h2>")
        if n % 17 == 0:
            parts.append(f"<blockquote><p>„{sentence}“</p></blockquote>")
        if n % 23 == 0:
            parts.append("<ul>" + "".join(f"<li>{w} item</li>" for w in WORDS[:5]) + "</ul>")
        count += len(paragraph.split())
    body = "\n".join(parts)
    return (
        "<!doctype html><html lang=en><head><meta charset=utf-8><title>Long read</title></head>"
        "<body><header><nav>Home News</nav></header><article><h1>Long read</h1>"
        f'<div class="entry-content">{body}</div></article><footer>© site</footer></body></html>'
    )


async def measure(words: int, runs: int) -> dict[str, list[float]]:
    from textual.app import App
    from textual.widgets import Markdown

    from reader.app import ReaderApp
    from reader.config import Config
    from reader.paths import resolve_paths
    from reader.reading import open_article
    from reader.store import Store

    results: dict[str, list[float]] = {
        "extract+convert (uncached)": [],
        "open from cache": [],
        "pane layout+paint": [],
        "pane incl. Pilot settle": [],
        "textual Markdown update+paint": [],
        "empty Pilot settle (overhead)": [],
    }
    with tempfile.TemporaryDirectory() as tmp:
        paths = resolve_paths(Path(tmp)).ensure()
        store = Store.open(paths.db_file)
        feed, _ = store.feeds.add("https://example.test/feed", title="Bench")
        ids = []
        for run in range(runs):
            item = SimpleNamespace(
                guid=f"long-{run}",
                url=f"https://example.test/long-{run}/",
                title="Long read",
                author=None,
                published="2026-01-01T00:00:00Z",
                updated=None,
                summary_html=None,
                content_html=None,
            )
            (article_id,) = store.articles.upsert(feed.id, [item]).new_ids
            store.articles.set_page(article_id, article_html(words, run).encode())
            ids.append(article_id)
        for article_id in ids:
            start = time.perf_counter()
            readable = open_article(store, article_id)
            results["extract+convert (uncached)"].append(time.perf_counter() - start)
            start = time.perf_counter()
            readable = open_article(store, article_id)
            results["open from cache"].append(time.perf_counter() - start)
        markdown = readable.markdown
        app = ReaderApp(store, paths, Config())
        async with app.run_test(size=(120, 40)) as pilot:
            await app.workers.wait_for_complete()
            await pilot.pause()
            pane = app.screen.pane  # type: ignore[attr-defined]
            for article_id in ids:
                readable = open_article(store, article_id)
                start = time.perf_counter()
                pane.show(readable)
                for y in range(pane.size.height):  # what the compositor asks for one frame
                    pane.render_line(y)
                results["pane layout+paint"].append(time.perf_counter() - start)
                await pilot.pause()
                results["pane incl. Pilot settle"].append(time.perf_counter() - start)

        class MarkdownApp(App[None]):
            def compose(self):  # type: ignore[no-untyped-def]
                yield Markdown()

        reference = MarkdownApp()
        async with reference.run_test(size=(120, 40)) as pilot:
            widget = reference.query_one(Markdown)
            for _ in ids:
                start = time.perf_counter()
                await widget.update(markdown)
                await pilot.pause()
                results["textual Markdown update+paint"].append(time.perf_counter() - start)
                await widget.update("")
                await pilot.pause()
                start = time.perf_counter()
                await pilot.pause()
                results["empty Pilot settle (overhead)"].append(time.perf_counter() - start)
        store.close()
    return results


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--words", type=int, default=5000)
    parser.add_argument("--runs", type=int, default=7)
    args = parser.parse_args()
    results = asyncio.run(measure(args.words, args.runs))
    print(f"opening a {args.words}-word article ({args.runs} runs; ms)")
    print(f"{'step':<32} {'median':>8} {'min':>8} {'max':>8}")
    for name, values in results.items():
        ms = [v * 1000 for v in values]
        print(f"{name:<32} {statistics.median(ms):8.1f} {min(ms):8.1f} {max(ms):8.1f}")
    total = statistics.median(results["extract+convert (uncached)"]) + statistics.median(
        results["pane layout+paint"]
    )
    cached = statistics.median(results["open from cache"]) + statistics.median(
        results["pane layout+paint"]
    )
    print(f"{'first open to painted':<32} {total * 1000:8.1f}")
    print(f"{'cached open to painted':<32} {cached * 1000:8.1f}")


if __name__ == "__main__":
    main()
