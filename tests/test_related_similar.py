"""Local similarity (FTS5 BM25 on salient words) on a real temporary store, across sites."""

from __future__ import annotations

from reader.reading import open_article
from reader.related import related_entries
from reader.related.similar import fold, query_terms, similar_articles
from reader.sources.items import FeedItem
from reader.store import Store

FILLER = (
    "The council met on Tuesday and discussed the budget for the coming year, "
    "including road repairs, school meals and the opening hours of public offices. "
)

TOPICS = {
    "bees": "Urban beekeepers counted hives on rooftops; honey yields, varroa mites and "
    "pollinator corridors between the rooftop hives were the beekeepers' concerns.",
    "trains": "The sleeper train to the coast returns; couchette carriages, overnight "
    "timetables and the sleeper operator's ticket prices drew travellers.",
    "chess": "A schoolgirl won the chess tournament with a daring knight sacrifice; the "
    "grandmaster resigned after the endgame and the chess club celebrated.",
}


def _add(store: Store, site: str, slug: str, title: str, body: str) -> int:
    feed, _ = store.feeds.add(f"https://{site}/feed/", title=site, site_url=f"https://{site}/")
    url = f"https://{site}/{slug}/"
    item = FeedItem(
        guid=url,
        url=url,
        title=title,
        content_html=f"<p>{body}</p>",
        published="2025-03-01T10:00:00+00:00",
    )
    return store.articles.upsert(feed.id, [item]).new_ids[0]


def _corpus(store: Store) -> dict[str, int]:
    ids: dict[str, int] = {}
    for n in range(30):
        ids[f"filler{n}"] = _add(
            store, "council.example", f"meeting-{n}", f"Council meeting {n}", FILLER * 3
        )
    ids["bees1"] = _add(
        store, "a.example", "bees", "Rooftop hives thrive", TOPICS["bees"] + " " + FILLER
    )
    ids["bees2"] = _add(
        store,
        "b.example",
        "honey",
        "Beekeepers and their rooftop hives",
        TOPICS["bees"] + " More hives next year.",
    )
    ids["trains1"] = _add(
        store, "a.example", "sleeper", "The sleeper train returns", TOPICS["trains"]
    )
    ids["trains2"] = _add(
        store,
        "c.example",
        "couchette",
        "Couchette carriages on the coast",
        TOPICS["trains"] + " " + FILLER,
    )
    ids["chess1"] = _add(store, "c.example", "chess", "Chess tournament upset", TOPICS["chess"])
    return ids


def test_similar_articles_across_sites(store: Store) -> None:
    ids = _corpus(store)
    for first, second in (("bees1", "bees2"), ("trains1", "trains2")):
        record = store.articles.get(ids[first])
        assert record is not None
        hits = similar_articles(store, ids[first], record.title, record.content_html or "")
        assert hits and hits[0][0] == ids[second]
        assert ids[first] not in [article_id for article_id, _s in hits]


def test_similar_entries_are_cached_and_labelled(store: Store) -> None:
    ids = _corpus(store)
    readable = open_article(store, ids["bees2"])
    assert readable is not None
    entries = related_entries(store, readable)
    assert entries[0].article_id == ids["bees1"]
    assert entries[0].sources == ("similar",) and entries[0].cached
    assert entries[0].site == "a.example" and entries[0].offsite
    assert all(e.article_id != ids["bees2"] for e in entries)
    assert not any(e.article_id == ids["chess1"] for e in entries)


def test_common_words_are_not_query_terms(store: Store) -> None:
    _corpus(store)
    terms = query_terms(store, "Council budget and the beekeepers", TOPICS["bees"] + FILLER)
    assert "council" not in terms and "budget" not in terms
    assert {"beekeepers", "hives"} & set(terms)


def test_fold_matches_the_index_tokenizer() -> None:
    assert fold("Ähnliche Beiträge École") == "ahnliche beitrage ecole"


def test_empty_and_unique_articles_have_no_similar(store: Store) -> None:
    ids = _corpus(store)
    assert similar_articles(store, ids["chess1"], "", "") == []
    assert similar_articles(store, ids["chess1"], "zzqx", "qqzx wwzv") == []
