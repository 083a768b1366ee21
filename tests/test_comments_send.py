"""Sending one draft to the real WordPress: classic form, REST API, and every way it can fail."""

from __future__ import annotations

import uuid
from typing import Any

import pytest

from reader.comments.outbox import drain, queue
from reader.comments.page_parts import read_page
from reader.comments.send import send_draft
from reader.extract.model import CommentForm

pytest_plugins = ("tests.wordpress",)
pytestmark = pytest.mark.wordpress

OPEN_POST = 4
MODERATED_POST = 6
CLOSED_POST = 8


def unique(marker: str, words: str = "a comment from the reader tests") -> str:
    return f"{words.capitalize()} {marker} {uuid.uuid4().hex}"


def new_draft(store: Any, record: Any, body: str, **extra: Any) -> Any:
    values = {"name": "Tess Tester", "email": "tess@example.org", **extra}
    return store.drafts.save(article_url=record.url, article_id=record.id, body=body, **values)


def page_of(record: Any) -> Any:
    return read_page(record.raw_html, record.url)


async def test_form_comment_is_published_and_public(wp, store, client, wp_comment_marker):
    record = wp.store_post(store, OPEN_POST)
    body = unique(wp_comment_marker, "sent through the classic form")
    result = await send_draft(
        new_draft(store, record, body), page_of(record), client=client, via="form"
    )
    assert (result.state, result.via) == ("published", "form")
    assert result.remote_id and result.comment_url.endswith(f"#comment-{result.remote_id}")
    public = {str(c["id"]): c for c in wp.rest_comments(OPEN_POST)}
    assert public[result.remote_id]["author_name"] == "Tess Tester"
    assert body in public[result.remote_id]["content"]["rendered"]


async def test_rest_comment_is_published(wp, store, client, wp_comment_marker):
    record = wp.store_post(store, OPEN_POST)
    body = unique(wp_comment_marker, "sent over the REST API")
    result = await send_draft(
        new_draft(store, record, body), page_of(record), client=client, via="rest"
    )
    assert (result.state, result.via) == ("published", "rest")
    public = {str(c["id"]): c for c in wp.rest_comments(OPEN_POST)}
    assert body in public[result.remote_id]["content"]["rendered"]


@pytest.mark.parametrize("via", ["form", "rest"])
async def test_threaded_reply_keeps_its_parent(wp, store, client, wp_comment_marker, via):
    record = wp.store_post(store, OPEN_POST)
    parent = await send_draft(
        new_draft(store, record, unique(wp_comment_marker, "parent")),
        page_of(record),
        client=client,
        via=via,
    )
    reply_draft = new_draft(
        store, record, unique(wp_comment_marker, "a reply"), parent_comment=int(parent.remote_id)
    )
    reply = await send_draft(reply_draft, page_of(record), client=client, via=via)
    assert reply.state == "published"
    public = {str(c["id"]): c for c in wp.rest_comments(OPEN_POST)}
    assert str(public[reply.remote_id]["parent"]) == parent.remote_id


@pytest.mark.parametrize("via", ["form", "rest"])
async def test_moderated_post_holds_the_comment(wp, store, client, wp_comment_marker, via):
    assert wp.post(MODERATED_POST)["moderated_comments"] is True
    record = wp.store_post(store, MODERATED_POST)
    result = await send_draft(
        new_draft(store, record, unique(wp_comment_marker, "moderate")),
        page_of(record),
        client=client,
        via=via,
    )
    assert result.state == "moderation" and result.remote_id
    assert result.remote_id not in {str(c["id"]) for c in wp.rest_comments(MODERATED_POST)}
    held = wp.rest_comments(MODERATED_POST, admin=True, status="hold")
    assert result.remote_id in {str(c["id"]) for c in held}


async def test_closed_post_403_on_form(wp, store, client, wp_comment_marker):
    """A page saved while comments were open, sent after the site closed them."""
    assert wp.post(CLOSED_POST)["comment_status"] == "closed"
    record = wp.store_post(store, CLOSED_POST)
    closed_page = page_of(record)
    assert closed_page.form is None and not closed_page.comments_open
    draft = new_draft(store, record, unique(wp_comment_marker, "too late"))
    direct = await send_draft(draft, closed_page, client=client)
    assert direct.state == "failed" and "closed" in direct.message
    stale = read_page(wp.store_post(store, OPEN_POST).raw_html, record.url)
    form = stale.form
    stale_form = CommentForm(
        form.action,
        form.method,
        {**form.fields, "comment_post_ID": str(CLOSED_POST)},
        form.required,
    )
    from dataclasses import replace

    result = await send_draft(draft, replace(stale, form=stale_form), client=client, via="form")
    assert result.state == "failed"
    assert result.message == "Sorry, comments are closed for this item."


async def test_closed_post_over_rest(wp, store, client, wp_comment_marker):
    record = wp.store_post(store, CLOSED_POST)
    from dataclasses import replace

    page = replace(page_of(record), post_id=CLOSED_POST)
    result = await send_draft(
        new_draft(store, record, unique(wp_comment_marker, "closed")),
        page,
        client=client,
        via="rest",
    )
    assert result.state == "failed"
    assert result.message == "comments are closed on this article"


@pytest.mark.parametrize("via", ["form", "rest"])
async def test_duplicate_counts_as_sent(wp, store, client, wp_comment_marker, via):
    record = wp.store_post(store, OPEN_POST)
    body = unique(wp_comment_marker, "said twice")
    first = new_draft(store, record, body)
    second = new_draft(store, record, body)
    for draft in (first, second):
        queue(store, draft.id)
    results = await drain(store, client=client, via=via)
    assert [r.state for r in results] == ["published", "published"]
    assert "duplicate" in results[1].message
    assert results[1].remote_id == results[0].remote_id  # found on the server after the 409
    assert store.drafts.get(second.id).state == "published"
    matching = [c for c in wp.rest_comments(OPEN_POST, search=body.split()[-1])]
    assert len(matching) == 1


@pytest.mark.parametrize("via", ["form", "rest"])
async def test_missing_name_and_email_fail_with_the_sites_message(
    wp, store, client, wp_comment_marker, via
):
    record = wp.store_post(store, OPEN_POST)
    draft = new_draft(store, record, unique(wp_comment_marker, "anonymous"), name="", email="")
    queue(store, draft.id)
    [result] = await drain(store, client=client, via=via)
    assert result.state == "failed"
    expected = {
        "form": "Please fill the required fields.",
        "rest": "the site needs a name and an e-mail address",
    }[via]
    assert result.message == expected
    kept = store.drafts.get(draft.id)
    assert (kept.state, kept.error, kept.body) == ("failed", expected, draft.body)


async def test_foreign_form_action_needs_confirmation(wp, store, client, wp_comment_marker):
    """``localhost`` is another origin than ``127.0.0.1`` (the same server, so "yes" works)."""
    page_html = wp.store_post(store, OPEN_POST).raw_html
    foreign_action = wp["WP_URL"].replace("127.0.0.1", "localhost") + "/wp-comments-post.php"
    assert foreign_action.startswith("http://localhost:")
    page_html = page_html.replace(
        f"{wp['WP_URL']}/wp-comments-post.php".encode(), foreign_action.encode()
    )
    record = wp.store_post(store, OPEN_POST, html=page_html)
    assert page_of(record).form.action == foreign_action
    draft = new_draft(store, record, unique(wp_comment_marker, "elsewhere"))
    queue(store, draft.id)
    [refused] = await drain(store, client=client)
    assert refused.state == "failed" and refused.needs_confirmation
    assert "http://localhost:" in refused.message and "confirm" in refused.message
    assert store.drafts.get(draft.id).body == draft.body
    asked: list[str] = []
    queue(store, draft.id)
    [declined] = await drain(
        store, client=client, allow_foreign_action=lambda d, m: asked.append(m) or False
    )
    assert declined.state == "failed" and len(asked) == 1
    queue(store, draft.id)
    [sent] = await drain(store, client=client, allow_foreign_action=lambda d, m: True)
    assert sent.state == "published" and sent.remote_id


async def test_captcha_form_is_detected_and_the_draft_stays(wp, store, client, wp_comment_marker):
    html = wp.store_post(store, OPEN_POST).raw_html.replace(
        b'<p class="form-submit">',
        b'<div class="g-recaptcha" data-sitekey="x"></div><p class="form-submit">',
    )
    record = wp.store_post(store, OPEN_POST, html=html)
    draft = new_draft(store, record, unique(wp_comment_marker, "captcha"))
    queue(store, draft.id)
    [result] = await drain(store, client=client)
    assert result.state == "failed" and "reCAPTCHA" in result.message
    kept = store.drafts.get(draft.id)
    assert (kept.state, kept.body, kept.attempts) == ("failed", draft.body, 1)
    assert draft.body.split()[-1] not in str(wp.rest_comments(OPEN_POST))


async def test_login_only_page_is_not_sent_over_rest(wp, store, client, wp_comment_marker):
    html = wp.store_post(store, OPEN_POST).raw_html
    start, end = html.index(b"<form action="), html.index(b"</form>") + len(b"</form>")
    login = (
        b'<p class="must-log-in">You must be <a href="/wp-login.php">logged in</a>'
        b" to post a comment.</p>"
    )
    record = wp.store_post(store, OPEN_POST, html=html[:start] + login + html[end:])
    page = page_of(record)
    assert page.api_root  # the REST API would take it: it must not be used to get around this
    assert page.login_required or (page.form and page.form.blocked_reason)
    body = unique(wp_comment_marker, "login")
    result = await send_draft(new_draft(store, record, body), page, client=client)
    assert result.state == "failed" and "logged in" in result.message.replace("-", " ")
    assert body.split()[-1] not in str(wp.rest_comments(OPEN_POST))
