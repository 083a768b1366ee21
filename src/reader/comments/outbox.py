"""The outbox: queue drafts, then send them all when the network is there, never twice.

``drain`` walks every ``queued`` or ``sending`` draft and moves it on:
``queued → sending → published | moderation | failed``. Two rules keep what people type safe:

- A draft found in ``sending`` was interrupted after (maybe) reaching the server, so the thread is
  searched for a comment with the same author and text before anything is posted again; a 409
  duplicate from the server also counts as sent.
- Only one drain runs at a time per store (a lock file next to the database), so the TUI and a
  headless ``reader send`` cannot post the same draft concurrently, and a ``sending`` draft seen
  while holding the lock really is a leftover from a crash.

Network trouble before the request leaves keeps the draft ``queued`` with "offline: will retry".
"""

from __future__ import annotations

import inspect
import os
from collections.abc import Callable
from dataclasses import dataclass, replace
from pathlib import Path
from typing import TYPE_CHECKING, Any

from reader.comments.page_parts import PageInfo, read_page
from reader.comments.send import OFFLINE, SendResult, failed, send_draft
from reader.comments.wp import (
    Offline,
    fetch_page,
    rest_comments,
    same_comment,
    search_snippet,
)

if TYPE_CHECKING:
    import httpx

    from reader.store import Store
    from reader.store.drafts import Draft

ConfirmForeign = Callable[["Draft", str], bool]


@dataclass(frozen=True)
class OutboxEvent:
    """A draft changed state while draining (for a progress line or a toast)."""

    draft_id: int
    state: str
    message: str = ""


class OutboxBusy(Exception):
    """Another drain holds this store's outbox lock."""


class _Lock:
    """An exclusive, non-blocking lock file; released when the process dies (flock)."""

    def __init__(self, db_path: Path) -> None:
        self.path = None if str(db_path) == ":memory:" else Path(f"{db_path}.outbox.lock")
        self.fd: int | None = None

    def acquire(self) -> bool:
        if self.path is None:
            return True
        try:
            import fcntl
        except ImportError:  # no flock (Windows): one reader at a time is then up to the user
            return True
        fd = os.open(self.path, os.O_RDWR | os.O_CREAT, 0o600)
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except OSError:
            os.close(fd)
            return False
        self.fd = fd
        return True

    def release(self) -> None:
        if self.fd is not None:
            os.close(self.fd)
            self.fd = None


def queue(store: Store, draft_id: int) -> Draft:
    """Move a draft (or a failed one, to retry) to the outbox; raises ValueError if it cannot."""
    draft = store.drafts.get(draft_id)
    if draft is None or draft.deleted_at is not None:
        raise ValueError(f"there is no draft {draft_id}")
    if draft.state in ("published", "moderation"):
        raise ValueError(f"draft {draft_id} was already sent")
    if not draft.body.strip():
        raise ValueError(f"draft {draft_id} is empty")
    if draft.state in ("draft", "failed"):
        store.drafts.set_state(draft_id, "queued")
    updated = store.drafts.get(draft_id)
    assert updated is not None
    return updated


def with_identity(store: Store, draft: Draft) -> Draft:
    """Fill a missing name/e-mail/website from the identity remembered for the site."""
    if draft.name and draft.email:
        return draft
    known = store.drafts.identity(draft.article_url)
    return replace(
        draft,
        name=draft.name or known.name,
        email=draft.email or known.email,
        website=draft.website or known.website,
    )


async def page_for(store: Store, draft: Draft, client: httpx.AsyncClient) -> PageInfo:
    """The article page the draft answers: the stored copy the user read, else a fresh fetch."""
    article = store.articles.get(draft.article_id) if draft.article_id else None
    if article is None:
        article = store.articles.by_url(draft.article_url)
    if article is not None and article.raw_html:
        stored = read_page(article.raw_html, article.url or draft.article_url)
        if stored.form is not None or stored.api_root is not None or stored.login_required:
            return stored
        # a stored copy without any way to comment (a cut-down or AMP page?): ask the site
    info, _body = await fetch_page(client, draft.article_url)
    return info


async def find_posted(draft: Draft, page: PageInfo, client: httpx.AsyncClient) -> SendResult | None:
    """Look for the draft's comment on the server; raises Offline when it cannot be asked."""
    candidates: list[tuple[str, str, str, str | None]] = []
    rest_done = False
    if page.api_root and page.post_id:
        try:
            found = await rest_comments(
                client, page.api_root, page.post_id, search=search_snippet(draft.body) or None
            )
        except ValueError:
            found = []
        else:
            rest_done = True
        candidates = [(c.id, c.author, c.text, c.link) for c in found]
    if not rest_done:
        fresh, _body = await fetch_page(client, page.url)
        candidates = [(c.id, c.author, c.text, None) for c in fresh.comments]
    for comment_id, author, text, link in reversed(candidates):
        if same_comment(author, text, draft.name, draft.body):
            return SendResult(
                "published",
                comment_id.removeprefix("comment-"),
                "was already on the site (sent before an interruption)",
                "check",
                link,
            )
    return None


async def _emit(on_event: Callable[[OutboxEvent], Any] | None, event: OutboxEvent) -> None:
    if on_event is None:
        return
    outcome = on_event(event)
    if inspect.isawaitable(outcome):
        await outcome


def unreachable(url: str) -> str | None:
    """Why a comment on ``url`` can never be sent (None if it may be): the bundled demo site
    and any ``.invalid`` host (RFC 2606 names that never resolve)."""
    from urllib.parse import urlsplit

    host = (urlsplit(url).hostname or "").rstrip(".").lower()
    if host == "invalid" or host.endswith(".invalid"):
        return (
            "the bundled demo site is offline by design: its comments cannot be sent"
            if host.startswith("demo.")
            else f"{host} can never be reached (.invalid names do not exist)"
        )
    return None


async def send_one(
    store: Store,
    draft: Draft,
    client: httpx.AsyncClient,
    *,
    allow_foreign_action: bool | ConfirmForeign = False,
    via: str = "auto",
    on_event: Callable[[OutboxEvent], Any] | None = None,
) -> SendResult:
    """Send one outbox draft and record the outcome in the store."""
    draft = with_identity(store, draft)
    interrupted = draft.state == "sending"
    never = unreachable(draft.article_url)
    if never:  # waiting for the network would be forever: fail for good, keep the text
        return await _record(store, draft, failed(never), on_event)
    try:
        page = await page_for(store, draft, client)
        if interrupted:
            earlier = await find_posted(draft, page, client)
            if earlier is not None:
                return await _record(store, draft, earlier, on_event)
    except Offline as exc:
        keep = "sending" if interrupted else "queued"
        result = SendResult(keep, message=f"{OFFLINE} ({exc})")
        return await _record(store, draft, result, on_event)
    except ValueError as exc:
        return await _record(store, draft, failed(f"cannot read the article page: {exc}"), on_event)
    store.drafts.set_state(draft.id, "sending", count_attempt=True)
    await _emit(on_event, OutboxEvent(draft.id, "sending"))
    result = await send_draft(
        draft, page, client=client, via=via, allow_foreign_action=allow_foreign_action is True
    )
    if result.needs_confirmation and callable(allow_foreign_action):
        if allow_foreign_action(draft, result.message):
            result = await send_draft(
                draft, page, client=client, via=via, allow_foreign_action=True
            )
    if result.sent and result.remote_id is None:
        # a 409 duplicate: find the comment so the draft can link to it (best effort)
        try:
            earlier = await find_posted(draft, page, client)
        except (Offline, ValueError):
            earlier = None
        if earlier is not None:
            result = replace(result, remote_id=earlier.remote_id, comment_url=earlier.comment_url)
        else:  # not public: most likely held for moderation, but the server does not say
            result = replace(result, message=f"{result.message}; not public yet (moderation?)")
    return await _record(store, draft, result, on_event)


async def _record(
    store: Store,
    draft: Draft,
    result: SendResult,
    on_event: Callable[[OutboxEvent], Any] | None,
) -> SendResult:
    error = None if result.sent else result.message
    store.drafts.set_state(draft.id, result.state, error=error, remote_id=result.remote_id)
    await _emit(on_event, OutboxEvent(draft.id, result.state, result.message))
    return replace(result, draft_id=draft.id)


async def drain(
    store: Store,
    *,
    client: httpx.AsyncClient | None = None,
    on_event: Callable[[OutboxEvent], Any] | None = None,
    allow_foreign_action: bool | ConfirmForeign = False,
    via: str = "auto",
) -> list[SendResult]:
    """Send every queued (or interrupted) draft; return one result per draft, in outbox order.

    ``allow_foreign_action`` is True to send to forms on other origins without asking, or a
    function ``(draft, message) -> bool`` that asks. Raises ``OutboxBusy`` when another drain is
    running on the same store.
    """
    lock = _Lock(store.path)
    if not lock.acquire():
        raise OutboxBusy("another reader is sending the outbox right now")
    own = client is None
    if client is None:
        from reader.net.client import make_client

        client = make_client()
    results: list[SendResult] = []
    try:
        for draft in store.drafts.outbox():
            results.append(
                await send_one(
                    store,
                    draft,
                    client,
                    allow_foreign_action=allow_foreign_action,
                    via=via,
                    on_event=on_event,
                )
            )
    finally:
        if own:
            await client.aclose()
        lock.release()
    return results
