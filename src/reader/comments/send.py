"""Send one comment draft to a WordPress site: the page's classic form, or the REST API.

Why both: the classic form (``wp-comments-post.php``) is what every WordPress site with open
comments accepts, exactly as a browser would post it; the REST API answers in JSON (clear error
codes, the new comment's id and status) but core WordPress only allows it for logged-in users, so
it is used when asked for or when the page has no usable form.

Every answer becomes a ``SendResult`` whose ``state`` is what the draft should move to:
``published``, ``moderation``, ``failed`` (with a reason a person can act on), ``queued`` (never
reached the server: offline, retry later) or ``sending`` (the request went out but no answer came
back, so the comment may exist: the outbox must check the thread before it retries).

httpx is imported lazily.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any
from urllib.parse import parse_qs, urljoin, urlsplit

from reader.comments.page_parts import PageInfo, origin
from reader.comments.wp import rest_url
from reader.sanitize import clean_text

if TYPE_CHECKING:
    import httpx

    from reader.store.drafts import Draft

OFFLINE = "offline: will retry"

_COMMENT_ID_RE = re.compile(r"#comment-(\d+)$")


@dataclass(frozen=True)
class SendResult:
    """What became of one send attempt; ``state`` is the draft's next state."""

    state: str
    remote_id: str | None = None
    message: str = ""
    via: str = ""
    comment_url: str | None = None
    needs_confirmation: bool = False
    draft_id: int | None = None

    @property
    def sent(self) -> bool:
        """True when the comment is on the server (public or held for moderation)."""
        return self.state in ("published", "moderation")


def failed(message: str, *, via: str = "", needs_confirmation: bool = False) -> SendResult:
    """A failure the user has to act on; the draft keeps its text."""
    return SendResult("failed", message=message, via=via, needs_confirmation=needs_confirmation)


def network_result(exc: BaseException, url: str, via: str) -> SendResult:
    """Map a transport error: not delivered (queued) versus maybe delivered (sending)."""
    import httpx

    from reader.net.client import describe_error

    reason = describe_error(exc, url)
    if isinstance(exc, httpx.ConnectError | httpx.ConnectTimeout | httpx.PoolTimeout):
        return SendResult("queued", message=f"{OFFLINE} ({reason})", via=via)
    return SendResult(
        "sending",
        message=f"no answer from the server ({reason}); the thread is checked before a retry",
        via=via,
    )


def _foreign(target: str, page: PageInfo, what: str, allow: bool, via: str) -> SendResult | None:
    """Refuse a target on another origin than the page's unless the user confirmed it."""
    if allow or origin(target) == origin(page.url):
        return None
    return failed(
        f"the {what} sends comments to {origin(target)}, not to {origin(page.url)} which served "
        "the article; confirm to send it there anyway",
        via=via,
        needs_confirmation=True,
    )


def choose_path(page: PageInfo, via: str = "auto") -> str | SendResult:
    """Pick "form" or "rest" for this page, or say why neither can work."""
    form = page.form
    rest_ok = page.api_root is not None and page.post_id is not None
    if page.login_required and (form is None or via == "rest"):
        return failed("the site only accepts comments from logged-in users; post it from a browser")
    if form is not None and form.blocked_reason:
        # the site wants a person (captcha, login): the REST API must not be used to get around it
        return failed(form.blocked_reason, via="form")
    if via == "rest":
        if rest_ok:
            return "rest"
        return failed("the page announces no WordPress REST API (or no post id) to send to")
    if form is not None:
        return "form"
    if via == "form":
        return failed("the page has no comment form")
    if rest_ok and page.comments_open:
        return "rest"
    if not page.comments_open:
        return failed("comments are closed on this article", via="form")
    return failed("the page has no comment form and no WordPress REST API")


async def send_draft(
    draft: Draft,
    page: PageInfo,
    *,
    client: httpx.AsyncClient,
    allow_foreign_action: bool = False,
    via: str = "auto",
) -> SendResult:
    """Post ``draft`` through the form or API found on ``page`` (see the module docstring)."""
    path = choose_path(page, via)
    if isinstance(path, SendResult):
        return path
    sender = send_rest if path == "rest" else send_form
    return await sender(draft, page, client=client, allow_foreign_action=allow_foreign_action)


def form_data(draft: Draft, page: PageInfo) -> dict[str, str]:
    """The form's own fields (hidden ones included) with the draft filled in."""
    assert page.form is not None
    data = {k: v for k, v in page.form.fields.items() if k != "wp-comment-cookies-consent"}
    data.update(comment=draft.body, author=draft.name, email=draft.email, url=draft.website)
    if draft.parent_comment:
        data["comment_parent"] = str(draft.parent_comment)
    return data


async def send_form(
    draft: Draft, page: PageInfo, *, client: httpx.AsyncClient, allow_foreign_action: bool = False
) -> SendResult:
    """POST the classic form; success is a redirect to ``#comment-N`` or ``?unapproved=N``."""
    import httpx

    form = page.form
    if form is None:
        return failed("the page has no comment form", via="form")
    if form.blocked_reason:
        return failed(form.blocked_reason, via="form")
    action = urljoin(page.url, form.action)
    if urlsplit(action).scheme not in ("http", "https"):
        return failed(f"the comment form has an unusable action: {action}", via="form")
    refused = _foreign(action, page, "comment form", allow_foreign_action, "form")
    if refused:
        return refused
    if form.method != "post":
        return failed("the comment form does not use POST; post it from a browser", via="form")
    try:
        response = await client.post(
            action,
            data=form_data(draft, page),
            headers={"Referer": page.url, "Accept": "text/html,*/*;q=0.5"},
            follow_redirects=False,
        )
    except httpx.HTTPError as exc:
        return network_result(exc, action, "form")
    return read_form_answer(
        response.status_code, response.headers.get("location"), response.text, page.url
    )


def read_form_answer(status: int, location: str | None, body: str, page_url: str) -> SendResult:
    """Interpret what ``wp-comments-post.php`` answered."""
    if status in (301, 302, 303, 307, 308) and location:
        target = urljoin(page_url, location)
        parts = urlsplit(target)
        unapproved = parse_qs(parts.query).get("unapproved")
        if unapproved:
            return SendResult("moderation", unapproved[0], "held for moderation", "form", target)
        match = _COMMENT_ID_RE.search(target)
        if match:
            return SendResult("published", match.group(1), "published", "form", target)
        if "wp-login.php" in parts.path:
            return failed(
                "the site wants you to log in to comment; post it from a browser", via="form"
            )
        return failed(f"the site redirected to {target} without confirming the comment", via="form")
    message = wp_die_message(body)
    if status == 409:
        return SendResult("published", None, "already on the site (duplicate)", "form")
    if status == 403:
        return failed(message or "the site refused the comment (403: comments closed?)", via="form")
    if status == 200 and not body.strip():
        return failed(
            "the site answered with an empty page: the article's post id is not known "
            "there (was it deleted?)",
            via="form",
        )
    if status == 200:
        return failed(
            message or "the site did not accept the comment (no confirmation)", via="form"
        )
    if status == 429:
        return failed("the site says: too many comments, try again later", via="form")
    detail = f": {message}" if message else ""
    return failed(f"the site answered HTTP {status}{detail}", via="form")


def wp_die_message(body: str) -> str:
    """The text of a WordPress error page (``wp_die``), cleaned for the terminal."""
    if not body or not body.strip():
        return ""
    import lxml.html

    try:
        doc = lxml.html.document_fromstring(body)
    except (ValueError, TypeError):
        return ""
    nodes = doc.xpath("//*[contains(@class, 'wp-die-message')]") or doc.xpath(
        "//body[@id='error-page']"
    )
    if not nodes:
        return ""
    for link in nodes[0].xpath(".//a[contains(@href, 'history.back')]"):
        link.drop_tree()
    text = " ".join(nodes[0].text_content().split())
    text = re.sub(r"^(?:Error|ERROR)\s*:\s*", "", text).removesuffix("« Back").strip()
    return clean_text(text)[:500]


def rest_payload(draft: Draft, post_id: int) -> dict[str, Any]:
    """The JSON body of ``POST /wp/v2/comments``."""
    payload: dict[str, Any] = {
        "post": post_id,
        "content": draft.body,
        "author_name": draft.name,
        "author_email": draft.email,
    }
    if draft.website:
        payload["author_url"] = draft.website
    if draft.parent_comment:
        payload["parent"] = draft.parent_comment
    return payload


async def send_rest(
    draft: Draft, page: PageInfo, *, client: httpx.AsyncClient, allow_foreign_action: bool = False
) -> SendResult:
    """POST to the REST API; 201 carries the new comment's id and status."""
    import httpx

    if page.api_root is None or page.post_id is None:
        return failed("the page announces no WordPress REST API to send to", via="rest")
    endpoint = rest_url(page.api_root, "wp/v2/comments")
    refused = _foreign(endpoint, page, "site's API", allow_foreign_action, "rest")
    if refused:
        return refused
    try:
        response = await client.post(
            endpoint,
            json=rest_payload(draft, page.post_id),
            headers={"Accept": "application/json"},
            follow_redirects=False,
        )
    except httpx.HTTPError as exc:
        return network_result(exc, endpoint, "rest")
    try:
        answer = response.json()
    except (ValueError, json.JSONDecodeError):
        answer = None
    return read_rest_answer(response.status_code, answer)


_REST_REASONS = {
    "rest_comment_login_required": "the site only accepts comments over its API from logged-in "
    "users; send it through the page's form or a browser",
    "rest_comment_closed": "comments are closed on this article",
    "rest_comment_author_data_required": "the site needs a name and an e-mail address",
    "rest_comment_content_invalid": "the comment text is empty or not allowed",
    "rest_comment_invalid_post_id": "the site does not know this article's post id",
    "rest_post_invalid_id": "the site does not know this article's post id",
    "rest_comment_draft_post": "the article is not published (any more)",
    "rest_comment_invalid_author": "the site refused the author details",
    "rest_comment_flood": "the site says you are commenting too fast; try again later",
    "comment_flood": "the site says you are commenting too fast; try again later",
}


def read_rest_answer(status: int, answer: Any) -> SendResult:
    """Interpret the REST API's answer (JSON object or error)."""
    data = answer if isinstance(answer, dict) else {}
    if status in (200, 201) and "id" in data:
        remote = str(data["id"])
        link = data.get("link") if isinstance(data.get("link"), str) else None
        if data.get("status") == "approved":
            return SendResult("published", remote, "published", "rest", link)
        return SendResult("moderation", remote, "held for moderation", "rest", link)
    code = str(data.get("code") or "")
    if status == 409 or code == "comment_duplicate":
        return SendResult("published", None, "already on the site (duplicate)", "rest")
    reason = _REST_REASONS.get(code)
    if reason is None:
        message = clean_text(str(data.get("message") or "")).strip()
        details = data.get("data", {}).get("params") if isinstance(data.get("data"), dict) else None
        if isinstance(details, dict) and details:
            message += " " + "; ".join(f"{k}: {clean_text(str(v))}" for k, v in details.items())
        reason = message.strip() or f"the site answered HTTP {status}"
    if status == 401 and code not in _REST_REASONS:
        reason = f"the site wants you to log in ({reason})"
    return failed(reason[:500], via="rest")
