"""Each related-posts source on fixture pages written for this project, in a real store."""

from __future__ import annotations

import re
import time
from dataclasses import replace
from pathlib import Path

import pytest

from reader.extract.model import RelatedLink as PageLink
from reader.reading import Readable, open_article
from reader.related import MAX_RELATED, related_entries
from reader.related.urls import canonical_key, canonical_url, looks_like_post
from reader.sources.items import FeedItem
from reader.store import Store

FIXTURES = Path(__file__).parent / "fixtures" / "related"


def page_url(raw: bytes) -> str:
    """The canonical URL a fixture page declares."""
    found = re.search(rb'rel="canonical" href="([^"]+)"', raw)
    assert found, "fixture without canonical link"
    return found.group(1).decode()


def store_page(
    store: Store,
    raw: bytes,
    url: str | None = None,
    *,
    title: str = "",
    categories: tuple[str, ...] = (),
    extra: dict | None = None,
) -> int:
    """Put a page into the store the way refresh + page prefetch do; return its id."""
    url = url or page_url(raw)
    site = url.split("/", 3)[:3]
    feed, _ = store.feeds.add("/".join(site) + "/feed/", title=site[2], site_url="/".join(site))
    item = FeedItem(guid=url, url=url, title=title or url, categories=categories, extra=extra or {})
    result = store.articles.upsert(feed.id, [item])
    article_id = result.new_ids[0]
    store.articles.set_page(article_id, raw)
    return article_id


def fixture_entries(store: Store, name: str):  # type: ignore[no-untyped-def]
    raw = (FIXTURES / name).read_bytes()
    article_id = store_page(store, raw)
    readable = open_article(store, article_id)
    assert readable is not None
    return readable, related_entries(store, readable)


@pytest.mark.parametrize(
    ("name", "expected"),
    [
        (
            "jetpack.html",
            [
                "harbourside.example/2025/09/ferry-operator-contract",
                "harbourside.example/2025/08/pier-renovation-begins",
                "harbourside.example/2025/07/island-bus-link",
            ],
        ),
        (
            "yarpp.html",
            [
                "greenway.example/railway-land-cleared",
                "greenway.example/seed-swap-library",
                "greenway.example/community-orchard-first-harvest",
            ],
        ),
        (
            "crp.html",
            [
                "metroledger.example/news/bus-driver-recruitment",
                "metroledger.example/news/tram-night-trial",
                "othercity.example/2025/night-transport-survey",
            ],
        ),
        (
            "core-block.html",
            ["coastline.example/cable-route-options", "coastline.example/dunes-protection-plan"],
        ),
        (
            "theme-de.html",
            [
                "kurier.example/2025/01/selbstverbuchung-test",
                "kurier.example/2024/11/lesesaal-renoviert",
            ],
        ),
        (
            "theme-fr.html",
            [
                "gazette.example/2024/02/halle-charpente",
                "gazette.example/2024/09/commercants-provisoires",
            ],
        ),
        (
            "theme-es.html",
            [
                "diariocostero.example/2025/02/plan-movilidad",
                "diariocostero.example/2024/12/aparcamiento-puerto",
            ],
        ),
        (
            "theme-en.html",
            [
                "valleyecho.example/organ-restoration-complete",
                "valleyecho.example/youth-choir-founded",
            ],
        ),
    ],
)
def test_page_block_of_each_plugin_and_theme(store: Store, name: str, expected: list[str]) -> None:
    readable, entries = fixture_entries(store, name)
    page = [e for e in entries if "page" in e.sources]
    assert [canonical_key(e.url) for e in page] == expected
    assert entries[: len(expected)] == page, "the page block ranks first, in page order"
    own = canonical_key(readable.url)
    assert all(canonical_key(e.url) != own for e in entries)
    assert all(e.url.startswith(("http://", "https://")) for e in entries)
    assert all(not e.cached and e.title for e in page)


def test_jetpack_tracking_parameters_and_scheme_are_merged(store: Store) -> None:
    _readable, entries = fixture_entries(store, "jetpack.html")
    contract = entries[0]
    assert contract.url == "https://harbourside.example/2025/09/ferry-operator-contract/"
    assert contract.sources == ("page", "links")
    assert contract.title == "The ferry operator's new contract, clause by clause"
    pier = entries[1]
    assert "utm_" not in pier.url and "relatedposts" not in pier.url
    assert pier.sources == ("page", "links")
    assert len({canonical_key(e.url) for e in entries}) == len(entries)


def test_body_links_keep_posts_only(store: Store) -> None:
    _readable, entries = fixture_entries(store, "jetpack.html")
    linked = [canonical_key(e.url) for e in entries if "links" in e.sources]
    assert linked == [
        "harbourside.example/2025/09/ferry-operator-contract",
        "harbourside.example/2025/08/pier-renovation-begins",
    ]
    assert not any("operator.example" in e.url for e in entries)


def test_offsite_entries_are_kept_and_marked(store: Store) -> None:
    _readable, entries = fixture_entries(store, "crp.html")
    survey = entries[-1]
    assert survey.offsite and survey.site == "othercity.example"
    assert not any(e.offsite for e in entries[:-1])
    assert entries[0].site == "metroledger.example"  # the article's own feed title


@pytest.mark.parametrize(
    "url",
    [
        "https://a.example/tag/x/",
        "https://a.example/category/news/",
        "https://a.example/feed/",
        "https://a.example/author/jo/",
        "https://a.example/wp-content/uploads/a.jpg",
        "https://a.example/post/#comment-3",
        "https://a.example/post/#respond",
        "https://a.example/post/?replytocom=4",
        "https://a.example/",
        "https://a.example/2024/05/",
        "https://a.example/page/2/",
    ],
)
def test_not_posts(url: str) -> None:
    assert not looks_like_post(url)


@pytest.mark.parametrize(
    "url",
    [
        "https://a.example/2024/05/some-post/",
        "https://a.example/news/story-1",
        "https://a.example/?p=12",
    ],
)
def test_posts(url: str) -> None:
    assert looks_like_post(url)


def test_canonical_forms() -> None:
    variants = [
        "https://www.a.example/post/",
        "http://a.example/post",
        "https://a.example/post/?utm_source=x&utm_campaign=y#top",
        "HTTPS://A.EXAMPLE/post/?fbclid=1",
    ]
    assert len({canonical_key(v) for v in variants}) == 1
    assert canonical_url("https://a.example/p/?id=3&utm_medium=m#x") == "https://a.example/p/?id=3"


def _hostile_page(links: list[str]) -> bytes:
    items = "".join(f'<li><a href="{u}">Story {n}</a></li>' for n, u in enumerate(links))
    return (
        f'<html><head><title>Hostile</title><link rel="canonical" '
        f'href="https://h.example/self/"></head><body><article><h1>Hostile</h1>'
        f"<p>{'Words of the body. ' * 40}</p></article>"
        f'<div class="related-posts"><ul>{items}</ul></div></body></html>'
    ).encode()


def _five_hundred_links(store: Store) -> Readable:
    links = [f"https://h.example/2024/01/story-{n}/" for n in range(500)]
    article_id = store_page(store, _hostile_page(links), "https://h.example/self/")
    readable = open_article(store, article_id)
    assert readable is not None
    return replace(readable, related=[PageLink(f"Story {n}", u) for n, u in enumerate(links)])


def test_five_hundred_related_links_are_capped(store: Store) -> None:
    entries = related_entries(store, _five_hundred_links(store))
    assert len(entries) == MAX_RELATED
    assert canonical_key(entries[0].url) == "h.example/2024/01/story-0"


@pytest.mark.slow
def test_five_hundred_related_links_are_fast(store: Store) -> None:
    """Wall clock (``pytest -m slow``): capped before the per-link work, not after."""
    readable = _five_hundred_links(store)
    started = time.perf_counter()
    entries = related_entries(store, readable)
    assert time.perf_counter() - started < 5
    assert len(entries) == MAX_RELATED


def test_self_links_and_unsafe_schemes_are_dropped(store: Store) -> None:
    article_id = store_page(
        store, _hostile_page(["https://h.example/ok/"]), "https://h.example/self/"
    )
    readable = open_article(store, article_id)
    assert readable is not None
    readable = replace(
        readable,
        related=[
            PageLink("Me", "http://h.example/self"),
            PageLink("Me again", "https://www.h.example/self/#comments"),
            PageLink("Script", "javascript:alert(1)"),
            PageLink("Data", "data:text/html,x"),
            PageLink("Mail", "mailto:a@b.example"),
            PageLink("Bad port", "https://h.example:99999/x/"),
            PageLink("Bad host", "http://[h.example/x/"),
            PageLink("Fine", "https://h.example/ok/"),
        ],
    )
    assert [e.title for e in related_entries(store, readable)] == ["Fine"]


def test_jetpack_rest_field_on_the_item(store: Store) -> None:
    raw = (FIXTURES / "theme-en.html").read_bytes()
    field = [
        {
            "id": 7,
            "url": "https://valleyecho.example/organ-restoration-complete/",
            "title": "The cathedral organ sounds again",
            "date": "March 3, 2025",
        },
        {
            "id": 9,
            "url": "https://valleyecho.example/bell-ringers/",
            "title": "Bell ringers wanted",
            "date": "February 10, 2025",
        },
        {"id": 10, "url": "javascript:void(0)", "title": "bad"},
        "not an item",
    ]
    article_id = store_page(store, raw, extra={"jetpack-related-posts": field})
    readable = open_article(store, article_id)
    assert readable is not None
    entries = related_entries(store, readable)
    by_key = {canonical_key(e.url): e for e in entries}
    assert by_key["valleyecho.example/organ-restoration-complete"].sources == ("page", "jetpack")
    bells = by_key["valleyecho.example/bell-ringers"]
    assert bells.sources == ("jetpack",) and bells.date == "2025-02-10"
    assert [canonical_key(e.url) for e in entries][:3] == [
        "valleyecho.example/organ-restoration-complete",
        "valleyecho.example/youth-choir-founded",
        "valleyecho.example/bell-ringers",
    ]


def _article(
    store: Store, feed_id: int, url: str, title: str, body: str, categories: tuple[str, ...] = ()
) -> int:
    item = FeedItem(
        guid=url,
        url=url,
        title=title,
        content_html=f"<p>{body}</p>",
        published="2025-01-01T00:00:00+00:00",
        categories=categories,
    )
    return store.articles.upsert(feed_id, [item]).new_ids[0]


def test_ranking_tiers_and_multi_source_bonus(store: Store) -> None:
    from reader.store import RelatedLink

    feed, _ = store.feeds.add("https://r.example/feed/", title="R", site_url="https://r.example/")
    own = _article(store, feed.id, "https://r.example/own/", "Own", "text", ("alpha", "beta"))
    _article(store, feed.id, "https://r.example/tagged/", "Tagged", "x", ("alpha", "beta"))
    _article(store, feed.id, "https://r.example/both/", "Both", "y", ("alpha", "beta"))
    store.related.replace(
        own, "site", [RelatedLink("https://r.example/site-only/", "Site", "site", 0)]
    )
    readable = Readable(
        article_id=own,
        url="https://r.example/own/",
        title="Own",
        related=[PageLink("Page", "https://r.example/page/")],
        links=["https://r.example/link-only/", "https://r.example/both/"],
    )
    entries = related_entries(store, readable, similar=False)
    titles = [e.title for e in entries]
    assert titles[0] == "Page"
    assert titles.index("Both") < titles.index("Site") < titles.index("Link only")
    assert titles.index("Tagged") < titles.index("Link only")
    both = next(e for e in entries if e.title == "Both")
    assert both.sources == ("tags", "links") and both.cached


def test_feed_content_counts_as_cached_and_remote_state_shows(store: Store) -> None:
    from reader.related.remote import record_failure

    feed, _ = store.feeds.add("https://c.example/feed/", title="C", site_url="https://c.example/")
    own = _article(store, feed.id, "https://c.example/own/", "Own", "text")
    other = _article(store, feed.id, "https://c.example/other/", "Other", "feed body only")
    record_failure(
        store, "https://c.example/gone/", "HTTP 404 not found", permanent=True, missing=True
    )
    record_failure(store, "https://c.example/later/", "offline", permanent=False)
    readable = Readable(
        article_id=own,
        url="https://c.example/own/",
        title="Own",
        related=[
            PageLink("Other", "http://c.example/other"),
            PageLink("Gone", "https://c.example/gone/"),
            PageLink("Later", "https://c.example/later/"),
        ],
    )
    entries = related_entries(store, readable, similar=False)
    assert [(e.article_id, e.state) for e in entries] == [
        (other, ""),
        (None, "missing"),
        (None, "queued"),
    ]
    assert entries[1].error == "HTTP 404 not found"


def test_related_cli_json_matches(store: Store, capsys: pytest.CaptureFixture[str]) -> None:
    import json

    from reader.cli import run

    raw = (FIXTURES / "yarpp.html").read_bytes()
    store_page(store, raw)
    store.close()
    assert run(["related", page_url(raw), "--json"]) == 0
    rows = json.loads(capsys.readouterr().out)
    assert [r["title"] for r in rows] == [
        "Old railway land cleared for gardens",
        "A seed swap at the library",
        "The community orchard's first harvest",
    ]
    assert rows[0]["sources"] == ["page", "links"] and rows[0]["cached"] is False
    assert {"url", "site", "date", "sources", "cached", "state"} <= set(rows[0])
    assert run(["related", page_url(raw)]) == 0
    out = capsys.readouterr().out
    assert "○ Old railway land cleared for gardens" in out and "page, links" in out
