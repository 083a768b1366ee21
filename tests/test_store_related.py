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
