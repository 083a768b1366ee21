"""Time reader.render.quotes.find_quotes on article-sized Markdown and on hostile input.

Run: .venv/bin/python bench/quotes.py

Articles are generated from a fixed seed (original filler prose in several languages with
quotations, apostrophes, links, emphasis and code spans), so runs are comparable. The
single regex from notes/textual.md, which pairs only well-formed „…“ “…” «…» ‚…‘ ‹…› and
knows nothing of paragraphs, runs side by side as the floor to compare against.
"""

from __future__ import annotations

import json
import random
import re
import statistics
import time
from collections.abc import Callable
from pathlib import Path

from reader.render.quotes import find_quotes

# The highlight regex from notes/textual.md: the cheapest thing that could work.
REFERENCE = re.compile(r"„[^„“”]*[“”]|“[^“”]*”|«[^«»]*»|‚[^‚‘’]*[‘’]|‹[^‹›]*›")

WORDS = (
    "the council met on a wet morning and the tram ran late while neighbours argued about "
    "bridges bicycles markets rent schools water gardens trains budgets lanterns harbour "
    "weather ferries bakeries libraries"
).split()
APOSTROPHE_WORDS = ["don't", "it’s", "O’Neill", "Jones’s", "students'", "l'homme", "'90s"]
QUOTES = [
    "“{}”",
    "„{}“",
    "«{}»",
    "« {} »",
    "»{}«",
    '"{}"',
    "“{} ‘{}’ {}”",
    "„{} ‚{}‘ {}“",
    "「{}」",
]


def _phrase(rng: random.Random, n: int) -> str:
    return " ".join(rng.choice(WORDS) for _ in range(n))


def make_article(words: int, quote_rate: float = 0.02, seed: int = 7) -> str:
    """A Markdown article of about `words` words, paragraphs of 40-90 words.

    quote_rate is the chance that the next word starts a quotation: 0.02 gives about one
    quotation per 40 words, already more than a typical news story; 0.12 is an interview
    transcript where every line is speech.
    """
    rng = random.Random(seed)
    paragraphs: list[str] = []
    count = 0
    while count < words:
        parts: list[str] = []
        target = rng.randint(40, 90)
        n = 0
        while n < target:
            roll = rng.random()
            if roll < quote_rate:
                form = rng.choice(QUOTES)
                fill = [_phrase(rng, rng.randint(1, 6)) for _ in range(form.count("{}"))]
                parts.append(form.format(*fill))
                n += sum(len(f.split()) for f in fill)
            elif roll < quote_rate + 0.04:
                parts.append(rng.choice(APOSTROPHE_WORDS))
                n += 1
            elif roll < quote_rate + 0.06:
                parts.append(f"[{_phrase(rng, 2)}](https://example.org/{rng.randint(1, 999)})")
                n += 2
            elif roll < quote_rate + 0.08:
                parts.append(f"*{_phrase(rng, 2)}*")
                n += 2
            elif roll < quote_rate + 0.085:
                parts.append('`cmd --flag "x"`')
                n += 1
            else:
                parts.append(rng.choice(WORDS))
                n += 1
        paragraphs.append(" ".join(parts) + ".")
        if rng.random() < 0.1:
            paragraphs.append("> " + _phrase(rng, 12) + " “" + _phrase(rng, 4) + "”.")
        count += n
    return "\n\n".join(paragraphs)


def time_call(fn: Callable[[str], object], text: str, budget: float = 0.5) -> tuple[float, float]:
    """Median and best seconds per call, over as many calls as fit in `budget` seconds."""
    fn(text)
    samples: list[float] = []
    deadline = time.perf_counter() + budget
    while time.perf_counter() < deadline or len(samples) < 5:
        t0 = time.perf_counter()
        fn(text)
        samples.append(time.perf_counter() - t0)
    return statistics.median(samples), min(samples)


# Real articles: the human-made bodies of the extraction benchmark (181 news and blog pages).
CORPUS = Path(__file__).resolve().parents[2] / "shared/corpora/extraction/scrapinghub"


def real_articles() -> list[tuple[str, str]]:
    """The longest and a typical real article body, plus all of them joined, if present."""
    truth = CORPUS / "ground-truth.json"
    if not truth.exists():
        return []
    bodies = sorted(v["articleBody"] for v in json.loads(truth.read_text()).values())
    bodies.sort(key=len)
    longest, median = bodies[-1], bodies[len(bodies) // 2]
    return [
        (f"real: median body ({len(median.split()):,} words)", median),
        (f"real: longest body ({len(longest.split()):,} words)", longest),
        (f"real: all {len(bodies)} bodies as one text", "\n\n".join(bodies)),
    ]


def main() -> None:
    inputs: list[tuple[str, str]] = [
        (f"article {w:,} words", make_article(w)) for w in (1_000, 5_000, 20_000, 100_000)
    ]
    inputs += [
        (f"interview {w:,} words (dense quotes)", make_article(w, quote_rate=0.12))
        for w in (5_000, 20_000)
    ]
    inputs += real_articles()
    inputs += [
        ("hostile: 100k chars of mixed marks", ("“„«»‹›‘’‚'\"「」 x\n" * 7_700)[:100_000]),
        ("hostile: 100k openers then closers", "«" * 50_000 + "」" * 50_000),
        ("hostile: 100k apostrophes", "a' " * 33_333),
        ("hostile: 20k backtick runs", "".join("`" * (i % 50 + 1) + " “ " for i in range(20_000))),
        ("hostile: 50k link brackets", "[“x](" * 10_000),
        ("hostile: one 1 MB paragraph", make_article(150_000).replace("\n\n", " ")),
    ]
    print(f"{'input':42} {'chars':>9} {'spans':>6} {'median':>10} {'best':>10} {'regex ref':>10}")
    for name, text in inputs:
        spans = find_quotes(text)
        med, best = time_call(find_quotes, text)
        ref, _ = time_call(REFERENCE.findall, text, budget=0.2)
        print(
            f"{name:42} {len(text):>9,} {len(spans):>6} "
            f"{med * 1e3:>8.3f}ms {best * 1e3:>8.3f}ms {ref * 1e3:>8.3f}ms"
        )


if __name__ == "__main__":
    main()
