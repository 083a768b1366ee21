"""Quality floor on a sample of the shared extraction corpus (scrapinghub benchmark).

Scores every fifth page with the benchmark's own metric so a regression in the
content finder fails here, not only in bench/extraction.py. The floor sits a
little under the measured value of the sample, to absorb harmless changes.
"""

from __future__ import annotations

import gzip
import json
import sys
from pathlib import Path

import pytest

from reader.extract import extract_article, extract_text

CORPUS = Path(__file__).resolve().parents[2] / "shared" / "corpora" / "extraction"
SAMPLE_FLOOR_F1 = 0.92

pytestmark = [
    pytest.mark.skipif(not (CORPUS / "scoring.py").exists(),
                       reason="shared extraction corpus not available"),
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
    results = [scoring.shingle_tp_fp_fn(true, scoring.strip_markdown(extract_text(html, url)))
               for html, url, true in sample]
    m = scoring.shingle_metrics(results)
    assert m["f1"] >= SAMPLE_FLOOR_F1, m


def test_sample_articles_never_fail(sample) -> None:
    for html, url, _true in sample:
        article = extract_article(html, url)
        assert article.ok, (url, article.error)
        assert article.markdown.strip()
