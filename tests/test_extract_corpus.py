"""Quality floor on a sample of the shared extraction corpus (scrapinghub benchmark).

Scores every fifth page (and then all pages) with the benchmark's own metric
so a regression in the content finder fails here, not only in
bench/extraction.py. The floors sit a little under the measured values, to
absorb harmless changes.
"""

from __future__ import annotations

import gzip
import json
import os
import sys
from pathlib import Path

import pytest

from reader.extract import extract_article, extract_text


def _corpus() -> Path:
    """The shared corpus: $READER_SHARED (set by .ci/run), ../shared, or /work/shared."""
    roots = [Path(__file__).resolve().parents[2] / "shared", Path("/work/shared")]
    if os.environ.get("READER_SHARED"):
        roots.insert(0, Path(os.environ["READER_SHARED"]))
    for root in roots:
        if (root / "corpora" / "extraction" / "scoring.py").exists():
            return root / "corpora" / "extraction"
    return roots[0] / "corpora" / "extraction"


CORPUS = _corpus()
SAMPLE_FLOOR_F1 = 0.94  # measured 0.959 on this sample (2026-11-26)
FULL_FLOOR_F1 = 0.965  # measured 0.972 on all 181 pages; the project goal is 0.970

pytestmark = [
    pytest.mark.skipif(
        not (CORPUS / "scoring.py").exists() and not os.environ.get("READER_SHARED"),
        reason="shared extraction corpus not available",
    ),
    pytest.mark.filterwarnings("ignore::DeprecationWarning"),  # raised inside scoring.py
]


@pytest.fixture(scope="module")
def scoring():  # the benchmark's scorer, imported from the corpus directory
    sys.path.insert(0, str(CORPUS))
    try:
        import scoring as mod
    finally:
        sys.path.remove(str(CORPUS))
    return mod


@pytest.fixture(scope="module")
def sample(scoring) -> list[tuple[str, str | None, str]]:
    root = CORPUS / "scrapinghub"
    gold = json.loads((root / "ground-truth.json").read_text("utf-8"))
    pages = []
    for pid in sorted(gold)[::5]:
        raw = gzip.decompress((root / "html" / f"{pid}.html.gz").read_bytes())
        pages.append((scoring.decode_html(raw), gold[pid].get("url"), gold[pid]["articleBody"]))
    return pages


def test_sample_f1_floor(scoring, sample) -> None:
    results = [
        scoring.shingle_tp_fp_fn(true, scoring.strip_markdown(extract_text(html, url)))
        for html, url, true in sample
    ]
    m = scoring.shingle_metrics(results)
    assert m["f1"] >= SAMPLE_FLOOR_F1, m


def test_full_corpus_f1_floor(scoring) -> None:
    """All pages (about a second): guards the project's headline number."""
    root = CORPUS / "scrapinghub"
    gold = json.loads((root / "ground-truth.json").read_text("utf-8"))
    results = []
    for pid in sorted(gold):
        html = scoring.decode_html(gzip.decompress((root / "html" / f"{pid}.html.gz").read_bytes()))
        out = extract_text(html, gold[pid].get("url"))
        results.append(
            scoring.shingle_tp_fp_fn(gold[pid]["articleBody"], scoring.strip_markdown(out))
        )
    m = scoring.shingle_metrics(results)
    assert m["f1"] >= FULL_FLOOR_F1, m


def test_sample_articles_never_fail(sample) -> None:
    for html, url, _true in sample:
        article = extract_article(html, url)
        assert article.ok, (url, article.error)
        assert article.markdown.strip()
