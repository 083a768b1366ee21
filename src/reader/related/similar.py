"""Local similarity: cached articles (any site) that share the article's salient words.

How: pick the article's most telling words (frequent here, rare in the cache: tf × idf, with
document frequencies counted (capped) in the existing ``articles_fts`` index),
then let FTS5 rank the cache with BM25 on an OR of those words. Choosing rare words is what keeps
this fast: BM25 must score every row that holds any query word, so common words would make the
query touch most of a 100,000-article cache. ``bench/related.py`` measures it.

No schema change: everything runs on the ``articles_fts`` table the store already keeps (the
statements are ``store.related_articles``' ``term_count``, ``highest_id`` and ``best_matches``).
"""

from __future__ import annotations

import math
import re
import unicodedata
from collections import Counter
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from reader.store import Store

MAX_TEXT = 30_000
"""Characters of the body looked at (the opening says what an article is about)."""
CANDIDATE_TERMS = 24
QUERY_TERMS = 8
MAX_DF_SHARE = 0.05
MAX_DF = 2000
"""Words in more than this share (or number) of cached articles are too common to tell
articles apart, and would make BM25 score a large part of the cache."""
RELATIVE_FLOOR = 0.3
"""Drop matches scoring below this fraction of the best one (noise from one shared word)."""

_WORD = re.compile(r"\w{3,}", re.UNICODE)

STOPWORDS = frozenset(
    """
the and for are but not you all any can had her was one our out has have him his how its may new
now old see two way who did get let say she too use that with this from they will would there their
what about which when make like time just know take into year your some could them than then look
only come over also back after work first well even want because these give most been were said
more other such here where much should very being does each many those while still between
der die das und ist nicht ein eine einer eines dem den des mit von für auf auch sich als aus bei
nach wie wir ihr sie noch nur aber oder wenn dann schon sind war hat haben wird werden kann über
zum zur vom doch dass weil hier mehr sehr alle einem einen keine durch unter ohne gegen
les des une est pas que qui dans pour sur avec par plus sont ont aux ces elle ils nous vous mais
ses leur été fait comme tout tous cette entre sans sous chez aussi bien deux même encore très
los las una del que con por para como más pero sus fue son han este esta entre cuando también
sobre todo desde hasta muy sin ser hay porque donde
https http www com html
""".split()
)


def fold(text: str) -> str:
    """Lower-case without diacritics, like the index's ``remove_diacritics 2`` tokenizer."""
    decomposed = unicodedata.normalize("NFKD", text.casefold())
    return "".join(ch for ch in decomposed if not unicodedata.combining(ch))


def salient_candidates(title: str, body: str) -> Counter[str]:
    """Term frequencies of the article's content words (title words count triple)."""
    counts: Counter[str] = Counter()
    for word in _WORD.findall(fold(body[:MAX_TEXT])):
        if word not in STOPWORDS and not word.isdigit():
            counts[word] += 1
    for word in _WORD.findall(fold(title)):
        if word not in STOPWORDS and not word.isdigit():
            counts[word] += 3
    return counts


def document_frequencies(store: Store, terms: list[str], cap: int) -> dict[str, int]:
    """How many cached articles hold each term, counting no further than ``cap``.

    Counting stops at ``cap`` because a word that common is dropped anyway, and an exact count
    of a word in most of 100,000 articles costs ~10 ms (that is also why ``fts5vocab``, which
    walks the whole posting list, is not used).
    """
    return {term: store.related_articles.term_count(term, cap) for term in terms}


def query_terms(store: Store, title: str, body: str) -> list[str]:
    """The ``QUERY_TERMS`` words that best tell this article apart from the rest of the cache."""
    counts = salient_candidates(title, body)
    if not counts:
        return []
    candidates = [word for word, _n in counts.most_common(CANDIDATE_TERMS)]
    total = max(1, int(store.related_articles.highest_id() or 1))
    ceiling = min(MAX_DF, max(3, int(total * MAX_DF_SHARE)))
    df = document_frequencies(store, candidates, ceiling + 1)
    scored = []
    for word in candidates:
        freq = df.get(word, 0)
        if freq < 2 or freq > ceiling:  # only here, or everywhere: no signal either way
            continue
        scored.append((counts[word] * math.log(total / freq), word))
    scored.sort(reverse=True)
    return [word for _score, word in scored[:QUERY_TERMS]]


def similar_articles(
    store: Store, article_id: int, title: str, body: str, *, limit: int = 10
) -> list[tuple[int, float]]:
    """(article id, BM25 score) of the most similar cached articles, best first."""
    terms = query_terms(store, title, body)
    if not terms:
        return []
    hits = store.related_articles.best_matches(terms, article_id, limit)
    if not hits:
        return []
    best = hits[0][1]
    return [(article_id, rank) for article_id, rank in hits if rank <= best * RELATIVE_FLOOR]
