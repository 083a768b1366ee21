#!/usr/bin/env python3
"""Extraction quality and speed on the shared corpus, ours beside the references.

    .venv/bin/python bench/extraction.py [--repeat 3] [--corpus ../shared/corpora/extraction]

Prints, per extractor: F1 / precision / recall with the scrapinghub benchmark's
own metric (4-token shingles; Markdown stripped by its strip_markdown), median
and p95 milliseconds per page, and the number of exceptions. Extractors run
interleaved page by page, so load from other processes hits them alike.
trafilatura and readability-lxml are included when installed.

Ours appears twice: ``extract_text`` (the plain running text, what score.py
measures) and ``extract_article`` (the full result with standard Markdown body,
links, figures and metadata; slower and scored on its Markdown).
"""

from __future__ import annotations

import argparse
import gzip
import json
import os
import statistics
import sys
import time
from collections.abc import Callable
from pathlib import Path

DEFAULT_CORPUS = (
    Path(os.environ.get("READER_SHARED", Path(__file__).resolve().parents[2] / "shared"))
    / "corpora"
    / "extraction"
)

Extractor = Callable[[str, "str | None"], str]


def extractors() -> dict[str, Extractor]:
    """Every extractor available in this environment, by display name."""
    from reader.extract import extract_article, extract_text

    found: dict[str, Extractor] = {
        "reader extract_text": extract_text,
        "reader extract_article (md)": lambda h, u: extract_article(h, u).markdown,
    }
    try:
        import trafilatura

        found["trafilatura default"] = lambda h, u: trafilatura.extract(h, url=u) or ""
        found["trafilatura precision"] = lambda h, u: (
            trafilatura.extract(h, url=u, favor_precision=True) or ""
        )
    except ImportError:
        pass
    try:
        import lxml.html
        from readability import Document

        def readability(h: str, u: str | None) -> str:
            summary = Document(h, url=u).summary(html_partial=True)
            return lxml.html.fromstring(summary).text_content() if summary.strip() else ""

        found["readability-lxml"] = readability
    except ImportError:
        pass
    return found


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--corpus", type=Path, default=DEFAULT_CORPUS)
    ap.add_argument("--repeat", type=int, default=1, help="timed runs per page (median kept)")
    args = ap.parse_args()
    sys.path.insert(0, str(args.corpus))
    import scoring  # the benchmark's scorer, shipped with the corpus

    root = args.corpus / "scrapinghub"
    gold = json.loads((root / "ground-truth.json").read_text("utf-8"))
    funcs = extractors()
    for f in funcs.values():  # warm up imports and caches
        f("<html><body><article><p>warm up.</p></article></body></html>", None)
    scores: dict[str, list] = {n: [] for n in funcs}
    times: dict[str, list[float]] = {n: [] for n in funcs}
    errors = dict.fromkeys(funcs, 0)
    for pid in sorted(gold):
        html = scoring.decode_html(gzip.decompress((root / "html" / f"{pid}.html.gz").read_bytes()))
        url = gold[pid].get("url")
        true = gold[pid].get("articleBody", "")
        for name, f in funcs.items():
            runs, out = [], ""
            for _ in range(max(1, args.repeat)):
                t0 = time.perf_counter()
                try:
                    out = f(html, url)
                except Exception as exc:  # counted and scored as empty output
                    out = ""
                    errors[name] += 1
                    print(f"{name}: error on {pid}: {type(exc).__name__}: {exc}", file=sys.stderr)
                runs.append(time.perf_counter() - t0)
            times[name].append(statistics.median(runs) * 1000)
            scores[name].append(scoring.shingle_tp_fp_fn(true, scoring.strip_markdown(out)))
    print(f"{len(gold)} pages, repeat {args.repeat}")
    print(f"{'extractor':30} {'F1':>6} {'P':>6} {'R':>6} {'ms med':>7} {'ms p95':>7} {'errors':>6}")
    for name in funcs:
        m = scoring.shingle_metrics(scores[name])
        ts = sorted(times[name])
        p95 = ts[min(len(ts) - 1, int(0.95 * (len(ts) - 1) + 0.5))]
        print(
            f"{name:30} {m['f1']:6.3f} {m['precision']:6.3f} {m['recall']:6.3f} "
            f"{statistics.median(ts):7.1f} {p95:7.1f} {errors[name]:6d}"
        )


if __name__ == "__main__":
    main()
