"""The store's tables and queries behind related posts, on a real SQLite file."""

from __future__ import annotations

from reader.store import RemotePost, RemoteState, Store

A, B, C = "https://a.example/one/", "https://b.example/two/", "https://c.example/three/"


def test_remote_remember_keeps_state_and_better_data(store: Store) -> None:
    store.remote_posts.remember([(A, "First", "2024-05-01"), (B, "", None)])
    store.remote_posts.set_outcome(A, "queued", 2, "HTTP 503", "2999-01-01T00:00:00+00:00")
    store.remote_posts.remember([(A, "", None), (B, "Second", "2024-06-02")])
    rows = store.remote_posts.lookup([A, B, C])
    assert set(rows) == {A, B}, "unknown URLs are left out"
    assert rows[A] == RemotePost(
        A, "First", "2024-05-01", "queued", 2, "HTTP 503", "2999-01-01T00:00:00+00:00"
    ), "an empty title or date never erases what was known, and the state is kept"
    assert rows[B] == RemotePost(B, "Second", "2024-06-02")
    assert rows[A].state is RemoteState.QUEUED and rows[B].state is RemoteState.KNOWN
    store.remote_posts.remember([])  # nothing to do, no error


def test_remote_lookup_in_chunks(store: Store) -> None:
    urls = [f"https://many.example/{n}/" for n in range(950)]
    store.remote_posts.remember((url, f"Post {n}", None) for n, url in enumerate(urls))
    found = store.remote_posts.lookup([*urls, C])
    assert len(found) == 950 and found[urls[-1]].title == "Post 949"


def test_remote_attempts_and_outcome(store: Store) -> None:
    assert store.remote_posts.attempts(A) == 0
    store.remote_posts.remember([(A, "", None)])
    store.remote_posts.set_outcome(A, "missing", 3, "HTTP 404", None)
    assert store.remote_posts.attempts(A) == 3
    row = store.remote_posts.lookup([A])[A]
    expected = ("missing", 3, "HTTP 404", None)
    assert (row.state, row.attempts, row.last_error, row.next_try) == expected


def test_remote_mark_queued_only_from_known_or_queued(store: Store) -> None:
    store.remote_posts.remember([(A, "", None), (B, "", None), (C, "", None)])
    store.remote_posts.set_outcome(B, "missing", 1, "HTTP 410", None)
    store.remote_posts.set_outcome(C, "queued", 1, "timeout", "2999-01-01T00:00:00+00:00")
    for url in (A, B, C):
        store.remote_posts.mark_queued(url, "offline")
    rows = store.remote_posts.lookup([A, B, C])
    assert (rows[A].state, rows[A].last_error) == ("queued", "offline")
    assert (rows[B].state, rows[B].last_error) == ("missing", "HTTP 410")
    assert (rows[C].state, rows[C].attempts) == ("queued", 1)


def test_remote_mark_fetched_clears_error_and_next_try(store: Store) -> None:
    store.remote_posts.remember([(A, "", None)])
    store.remote_posts.set_outcome(A, "queued", 1, "timeout", "2999-01-01T00:00:00+00:00")
    store.remote_posts.mark_fetched(A)
    row = store.remote_posts.lookup([A])[A]
    assert (row.state, row.last_error, row.next_try, row.attempts) == ("fetched", None, None, 1)


def test_remote_due_respects_state_attempts_and_next_try(store: Store) -> None:
    urls = [f"https://d.example/{n}/" for n in range(5)]
    store.remote_posts.remember((url, "", None) for url in urls)
    store.remote_posts.mark_queued(urls[0], "offline")  # due at once
    store.remote_posts.set_outcome(urls[1], "queued", 1, "503", "2024-01-01T00:00:00+00:00")
    store.remote_posts.set_outcome(urls[2], "queued", 1, "503", "2999-01-01T00:00:00+00:00")
    store.remote_posts.set_outcome(urls[3], "queued", 6, "503", None)  # out of attempts
    store.remote_posts.set_outcome(urls[4], "failed", 1, "HTTP 403", None)
    due = store.remote_posts.due(6, 10, now="2025-01-01T00:00:00+00:00")
    assert {post.url for post in due} == {urls[0], urls[1]}
    assert [post.url for post in store.remote_posts.due(6, 1)] == [due[0].url]
    later = store.remote_posts.due(6, 10, now="3000-01-01T00:00:00+00:00")
    assert {post.url for post in later} == {urls[0], urls[1], urls[2]}


def _feed(store: Store, host: str, title: str | None = None) -> int:
    feed, _ = store.feeds.add(f"https://{host}/feed/", title=title, site_url=f"https://{host}/")
    return feed.id


def _post(
    store: Store,
    feed_id: int,
    url: str,
    title: str,
    *,
    body: str | None = "<p>words</p>",
    published: str = "2025-01-01T00:00:00+00:00",
    categories: tuple[str, ...] = (),
) -> int:
    from reader.sources.items import FeedItem

    item = FeedItem(
        guid=url,
        url=url,
        title=title,
        content_html=body,
        published=published,
        categories=categories,
    )
    return store.articles.upsert(feed_id, [item]).new_ids[0]


def test_posts_by_id_and_by_url(store: Store) -> None:
    from reader.store.related_articles import CachedPost

    named, untitled = _feed(store, "n.example", "Named"), _feed(store, "u.example")
    one = _post(store, named, "https://n.example/one/", "One")
    bare = _post(store, untitled, "https://u.example/bare/", "Bare", body=None)
    assert store.related_articles.posts([]) == {}
    posts = store.related_articles.posts([one, bare, 999])
    assert posts[one] == CachedPost(
        one, "https://n.example/one/", "One", "2025-01-01T00:00:00+00:00", "Named", True
    )
    assert (posts[bare].site, posts[bare].readable) == ("https://u.example/feed/", False)
    assert set(posts) == {one, bare}
    found = store.related_articles.posts_at(["https://u.example/bare/", "https://x.example/"])
    assert [post.id for post in found] == [bare]
    assert store.related_articles.posts_at([]) == []


def test_posts_by_url_prefer_a_stored_page_then_the_newest(store: Store) -> None:
    url = "https://d.example/same/"
    first = _post(store, _feed(store, "d.example"), url, "First")
    second = _post(store, _feed(store, "e.example"), url, "Second")
    third = _post(store, _feed(store, "f.example"), url, "Third")
    assert [p.id for p in store.related_articles.posts_at([url])] == [third, second, first]
    store.articles.set_page(first, b"<html>page</html>")
    assert [p.id for p in store.related_articles.posts_at([url])] == [first, third, second]


def test_posts_by_url_in_chunks(store: Store) -> None:
    feed = _feed(store, "c.example")
    urls = [f"https://c.example/{n}/" for n in range(450)]
    for n, url in enumerate(urls):
        _post(store, feed, url, f"Post {n}")
    found = store.related_articles.posts_at(urls)
    assert sorted(post.url for post in found) == sorted(urls)


def test_headlines(store: Store) -> None:
    feed = _feed(store, "h.example")
    one = _post(store, feed, "https://h.example/one/", "One")
    rows = store.related_articles.headlines([one, 999])
    assert list(rows) == [one]
    assert (rows[one].url, rows[one].title, rows[one].published) == (
        "https://h.example/one/",
        "One",
        "2025-01-01T00:00:00+00:00",
    )
    assert store.related_articles.headlines([]) == {}


def test_sharing_terms_within_the_newest_window(store: Store) -> None:
    feed, other = _feed(store, "t.example"), _feed(store, "o.example")
    old = _post(
        store,
        feed,
        "https://t.example/old/",
        "Old",
        published="2020-01-01T00:00:00+00:00",
        categories=("Food",),
    )
    both = _post(store, feed, "https://t.example/both/", "Both", categories=("FOOD", "Travel"))
    none = _post(store, feed, "https://t.example/none/", "None", categories=("Sport",))
    _post(store, other, "https://o.example/elsewhere/", "Elsewhere", categories=("food",))
    shared = store.related_articles.sharing_terms(feed, ["food", "travel"], 500)
    assert sorted(shared) == sorted(
        [
            (old, "2020-01-01T00:00:00+00:00", {"food"}),
            (both, "2025-01-01T00:00:00+00:00", {"food", "travel"}),
        ]
    )
    newest_two = store.related_articles.sharing_terms(feed, ["food"], 2)
    assert [row[0] for row in newest_two] == [both], "the old post is outside the window"
    assert store.related_articles.sharing_terms(feed, [], 500) == []
    assert none not in {row[0] for row in shared}
    assert store.related_articles.window_size(feed, 500) == 3
    assert store.related_articles.window_size(feed, 2) == 2
    assert store.related_articles.window_size(12345, 500) == 0


def test_fts_counts_ids_and_matches(store: Store) -> None:
    assert store.related_articles.highest_id() is None
    feed = _feed(store, "s.example")
    ids = [
        _post(store, feed, f"https://s.example/{n}/", f"Post {n}", body=f"<p>{words}</p>")
        for n, words in enumerate(
            ["hives honey bees", "hives honey", "hives", "trains sleeper", "honey cake"]
        )
    ]
    assert store.related_articles.highest_id() == max(ids)
    assert store.related_articles.term_count("hives", 100) == 3
    assert store.related_articles.term_count("hives", 2) == 2, "counting stops at the cap"
    assert store.related_articles.term_count("absent", 100) == 0
    matches = store.related_articles.best_matches(["hives", "honey"], ids[0], 10)
    assert [article_id for article_id, _rank in matches][:1] == [ids[1]]
    assert {article_id for article_id, _rank in matches} == {ids[1], ids[2], ids[4]}
    ranks = [rank for _id, rank in matches]
    assert ranks == sorted(ranks) and all(rank < 0 for rank in ranks)
    assert len(store.related_articles.best_matches(["hives", "honey"], ids[0], 1)) == 1
    assert store.related_articles.best_matches([], ids[0], 10) == []


def test_feed_sites_include_hidden_feeds(store: Store) -> None:
    feed = _feed(store, "a.example", "A")
    page, _ = store.feeds.add(
        "https://b.example/#related-pages", title="b.example", site_url=None, kind="page"
    )
    assert store.feeds.sites() == [
        (feed, "https://a.example/feed/", "https://a.example/", "feed"),
        (page.id, "https://b.example/#related-pages", None, "page"),
    ]


def test_a_post_stored_under_two_spellings_resolves_to_the_copy_with_a_page(
    store: Store,
) -> None:
    """Related posts open the cached copy that can be read offline, not a newer bare row."""
    from reader.related import _cached_at
    from reader.sources.items import FeedItem

    feed, _ = store.feeds.add("https://news.test/feed")
    store.articles.upsert(feed.id, [FeedItem(guid="old", url="https://news.test/a", title="A")])
    store.articles.upsert(feed.id, [FeedItem(guid="new", url="http://news.test/a/", title="A")])
    with_page = store.articles.by_url("https://news.test/a")
    store.articles.set_page(with_page.id, b"<html><body><p>text</p></body></html>")
    (post,) = _cached_at(store, ["https://news.test/a"]).values()
    assert post.id == with_page.id
