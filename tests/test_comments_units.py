"""Comment code that needs no server: answer mapping, matching, threading, the cache, queueing."""

from __future__ import annotations

import sys

import pytest

from reader.comments.outbox import queue
from reader.comments.page_parts import PageInfo, api_root_from_link_header, read_page
from reader.comments.send import choose_path, read_form_answer, read_rest_answer, wp_die_message
from reader.comments.thread import parse_comment_feed, threaded
from reader.comments.wp import rest_url, same_comment, search_snippet
from reader.extract.model import CommentForm
from reader.store.comments import StoredComment

PAGE = "http://blog.example/2024/03/post/"
WP_DIE = (
    "<!DOCTYPE html><html><head><title>Comment Submission Failure</title></head>"
    '<body id="error-page"><div class="wp-die-message"><p><strong>Error:</strong> Please type '
    "your comment text.\x1b[2J</p></div><p><a href='javascript:history.back()'>&laquo; Back</a>"
    "</p></body></html>"
)


def test_rest_url_for_pretty_and_plain_roots():
    assert rest_url("http://a.example/wp-json/", "wp/v2/comments", {"post": 3}) == (
        "http://a.example/wp-json/wp/v2/comments?post=3"
    )
    assert rest_url("http://a.example/?rest_route=/", "/wp/v2/comments", {"post": 3}) == (
        "http://a.example/?rest_route=/wp/v2/comments&post=3"
    )


def test_api_root_from_link_header():
    header = (
        '<http://a.example/wp-json/>; rel="https://api.w.org/", '
        "<http://a.example/?p=1>; rel=shortlink"
    )
    assert api_root_from_link_header(header, PAGE) == "http://a.example/wp-json/"
    assert api_root_from_link_header("<http://a.example/?p=1>; rel=shortlink", PAGE) is None


@pytest.mark.parametrize(
    ("status", "location", "state", "remote"),
    [
        (302, f"{PAGE}#comment-42", "published", "42"),
        (302, f"{PAGE}?unapproved=43&moderation-hash=abc#comment-43", "moderation", "43"),
        (409, None, "published", None),
    ],
)
def test_form_success_answers(status, location, state, remote):
    result = read_form_answer(status, location, WP_DIE if status == 409 else "", PAGE)
    assert (result.state, result.remote_id) == (state, remote)


def test_form_failures_carry_the_sites_message():
    result = read_form_answer(200, None, WP_DIE, PAGE)
    assert (result.state, result.message) == ("failed", "Please type your comment text.")
    assert "empty page" in read_form_answer(200, None, "", PAGE).message
    assert "log in" in read_form_answer(302, "http://blog.example/wp-login.php", "", PAGE).message
    assert read_form_answer(503, None, "<html>busy</html>", PAGE).message == (
        "the site answered HTTP 503"
    )
    assert wp_die_message("<html><body><p>not an error page</p></body></html>") == ""


@pytest.mark.parametrize(
    ("status", "answer", "state", "needle"),
    [
        (201, {"id": 7, "status": "approved"}, "published", "published"),
        (201, {"id": 8, "status": "hold"}, "moderation", "moderation"),
        (409, {"code": "comment_duplicate", "message": "Duplicate"}, "published", "duplicate"),
        (401, {"code": "rest_comment_login_required"}, "failed", "logged-in"),
        (403, {"code": "rest_comment_closed"}, "failed", "closed"),
        (
            400,
            {
                "code": "rest_invalid_param",
                "message": "Invalid parameter(s): author_email",
                "data": {"params": {"author_email": "Invalid email address."}},
            },
            "failed",
            "author_email: Invalid email address.",
        ),
        (500, None, "failed", "HTTP 500"),
    ],
)
def test_rest_answers(status, answer, state, needle):
    result = read_rest_answer(status, answer)
    assert result.state == state and needle in result.message


def test_choose_path():
    form = CommentForm(action=f"{PAGE}wp-comments-post.php", fields={"comment_post_ID": "1"})
    page = PageInfo(url=PAGE, form=form, api_root="http://blog.example/wp-json/", post_id=1)
    assert choose_path(page) == "form"
    assert choose_path(page, "rest") == "rest"
    no_form = PageInfo(url=PAGE, api_root="http://blog.example/wp-json/", post_id=1)
    assert choose_path(no_form) == "rest"
    assert choose_path(PageInfo(url=PAGE)).state == "failed"
    closed = PageInfo(url=PAGE, comments_open=False, api_root="http://x/wp-json/", post_id=1)
    assert "closed" in choose_path(closed).message
    captcha = CommentForm(action=form.action, blocked_reason="the form is protected by a captcha")
    guarded = PageInfo(url=PAGE, form=captcha, api_root="http://blog.example/wp-json/", post_id=1)
    assert "captcha" in choose_path(guarded, "rest").message


def test_matching_survives_wordpress_typography():
    body = 'It\'s "fine" -- really... 100 % sure'
    rendered_text = "It’s “fine” – really… 100 % sure"
    assert same_comment("Tess", rendered_text, "tess", body)
    assert not same_comment("Someone else", rendered_text, "Tess", body)
    assert not same_comment("Tess", "another text entirely", "Tess", body)
    assert search_snippet(body) == "really"  # a verbatim piece of the text, for LIKE
    assert search_snippet("one two three\nfour five six seven") == "four five six seven"


def test_threaded_orders_replies_and_survives_cycles():
    comments = [
        StoredComment("3", "2", "c", "2024-01-03", "x"),
        StoredComment("1", None, "a", "2024-01-01", "x"),
        StoredComment("2", "1", "b", "2024-01-02", "x"),
        StoredComment("4", None, "d", "2024-01-01T12", "x"),
        StoredComment("5", "99", "orphan", "2024-01-05", "x"),
        StoredComment("6", "7", "loop", "2024-01-06", "x"),
        StoredComment("7", "6", "loop", "2024-01-07", "x"),
    ]
    ordered = threaded(comments)
    assert [(c.id, c.depth) for c in ordered[:5]] == [
        ("1", 0),
        ("2", 1),
        ("3", 2),
        ("4", 0),
        ("5", 0),
    ]
    assert {c.id for c in ordered} <= {c.id for c in comments}


def test_atom_comment_feed_with_thr_in_reply_to():
    feed = b"""<?xml version="1.0"?>
<feed xmlns="http://www.w3.org/2005/Atom" xmlns:thr="http://purl.org/syndication/thread/1.0">
 <entry><id>tag:x,2024:c1</id><link href="http://x.example/p/#comment-1"/>
  <author><name>Ann</name></author><published>2024-01-01T10:00:00+01:00</published>
  <content type="html">&lt;p&gt;First&lt;/p&gt;</content></entry>
 <entry><id>tag:x,2024:c2</id><link href="http://x.example/p/#comment-2"/>
  <author><name>Bob</name></author><published>2024-01-02T10:00:00Z</published>
  <thr:in-reply-to ref="tag:x,2024:c1" href="http://x.example/p/#comment-1"/>
  <content type="html">&lt;p&gt;Reply&lt;/p&gt;</content></entry>
</feed>"""
    comments = threaded(parse_comment_feed(feed, "http://x.example/p/feed/"))
    assert [(c.id, c.parent, c.author, c.text, c.depth) for c in comments] == [
        ("1", None, "Ann", "First", 0),
        ("2", "1", "Bob", "Reply", 1),
    ]
    assert comments[0].date == "2024-01-01T09:00:00+00:00"
    with pytest.raises(ValueError):
        parse_comment_feed(b"<html><body>no feed</body></html>", "http://x.example/")


def test_captcha_and_foreign_markup_in_a_form():
    html = """<html><body><form id="commentform" method="post"
      action="https://comments.elsewhere.example/wp-comments-post.php">
      <textarea name="comment"></textarea><div class="h-captcha" data-sitekey="k"></div>
      <input type="hidden" name="comment_post_ID" value="9"></form></body></html>"""
    page = read_page(html, PAGE)
    assert page.form is not None and page.post_id == 9
    assert "hCaptcha" in page.form.blocked_reason or "captcha" in page.form.blocked_reason


def test_cache_replace_and_read(store):
    comments = [
        StoredComment("1", None, "Ann", "2024-01-01T00:00:00+00:00", "hi"),
        StoredComment(
            "2", "1", "Bob", None, "yo", "https://bob.example", "https://news.test/p#comment-2"
        ),
    ]
    store.comments.replace(f"{PAGE}#comments", comments, source="rest")
    thread = store.comments.thread(PAGE)
    assert thread.comments == comments and thread.source == "rest"
    assert store.comments.count(PAGE) == 2
    store.comments.replace(PAGE, comments[:1], source="page")
    assert [c.id for c in store.comments.thread(PAGE).comments] == ["1"]
    store.comments.forget(PAGE)
    assert store.comments.thread(PAGE) is None and store.comments.count(PAGE) is None


def test_queue_rules(store):
    draft = store.drafts.save(article_url=PAGE, body="text")
    assert queue(store, draft.id).state == "queued"
    assert queue(store, draft.id).state == "queued"  # idempotent
    empty = store.drafts.save(article_url=PAGE, body="  ")
    with pytest.raises(ValueError, match="empty"):
        queue(store, empty.id)
    with pytest.raises(ValueError, match="no draft"):
        queue(store, 999)
    store.drafts.set_state(draft.id, "published", remote_id="5")
    with pytest.raises(ValueError, match="already sent"):
        queue(store, draft.id)


def test_core_comment_modules_stay_light():
    """No textual, and httpx/lxml only when used (the TUI's first frame must not wait)."""
    import subprocess

    code = (
        "import sys, reader.comments.outbox, reader.comments.thread, reader.cli.comments_cmd;"
        "print(sorted(m for m in ('textual', 'httpx', 'lxml') if m in sys.modules))"
    )
    out = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True
    ).stdout
    assert out.strip() == "[]"


def test_thread_sources_read_as_words() -> None:
    from reader.comments.thread import source_label

    assert source_label("rest") == "from the site's API"
    assert source_label("page") == "from the page"
    assert source_label("feed") == "from the site's comment feed"
    assert source_label("elsewhere") == "from elsewhere"
