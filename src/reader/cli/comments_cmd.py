"""``reader comments``, ``reader draft``, ``reader outbox`` and ``reader send``: comments headless.

Scripts (and people on a train) write drafts any time; ``reader send`` posts the outbox when the
network is back. ``send`` exits 1 when a draft failed and 75 (EX_TEMPFAIL) when drafts are still
waiting for the network, so a cron job can tell "try later" from "look at this".
"""

from __future__ import annotations

import argparse
import asyncio
import sys
from dataclasses import asdict
from typing import TYPE_CHECKING, Any

from reader.cli.context import CliError, Context

if TYPE_CHECKING:
    from reader.store.drafts import Draft

EX_TEMPFAIL = 75
_STATE_LABELS = {
    "draft": "draft",
    "queued": "queued",
    "sending": "sending (interrupted)",
    "published": "published",
    "moderation": "awaiting moderation",
    "failed": "failed",
}


def register(subparsers: argparse._SubParsersAction) -> None:
    """Add the comment commands."""
    comments = subparsers.add_parser(
        "comments",
        help="show an article's comments, threaded",
        description="Fetch and print the comments of an article (cached article id or any URL). "
        "Offline, the thread cached by the last fetch is shown.",
    )
    comments.add_argument("article", metavar="URL|ID")
    comments.add_argument("--offline", action="store_true", help="only show the cached thread")
    comments.add_argument("--json", action="store_true", help="print JSON")
    comments.set_defaults(handler=cmd_comments)

    draft = subparsers.add_parser(
        "draft",
        help="write a comment draft and put it in the outbox",
        description="Save a comment for an article and queue it for `reader send` (no network "
        "needed). Name, e-mail and website are remembered per site.",
    )
    draft.add_argument("article", metavar="URL|ID")
    draft.add_argument("--text", required=True, help="the comment ('-' reads standard input)")
    draft.add_argument("--name", help="your name (remembered for the site)")
    draft.add_argument("--email", help="your e-mail address (remembered for the site)")
    draft.add_argument("--website", help="your website (remembered for the site)")
    draft.add_argument("--parent", type=int, metavar="N", help="reply to comment N")
    draft.add_argument("--hold", action="store_true", help="keep it as a draft; do not queue it")
    draft.add_argument("--json", action="store_true", help="print JSON")
    draft.set_defaults(handler=cmd_draft)

    outbox = subparsers.add_parser(
        "outbox",
        help="list unsent comments: drafts, queued, failed",
        description="List every comment not sent yet, with its state: drafts being written, "
        "queued, interrupted and failed ones (--all: the published ones too).",
    )
    outbox.add_argument("--all", action="store_true", help="list every draft, sent ones too")
    outbox.add_argument("--json", action="store_true", help="print JSON")
    outbox.set_defaults(handler=cmd_outbox)

    send = subparsers.add_parser(
        "send",
        help="send the outbox",
        description="Send every queued draft (and the drafts named by id, e.g. failed ones to "
        "retry). Exit status: 0 all sent, 1 some failed, 75 some still waiting for the network.",
    )
    send.add_argument("ids", nargs="*", type=int, metavar="ID", help="drafts to queue first")
    send.add_argument(
        "--yes",
        action="store_true",
        help="send to comment forms on another site than the article's",
    )
    send.add_argument(
        "--via",
        choices=("auto", "form", "rest"),
        default="auto",
        help="the page's form or the WordPress REST API (default: auto)",
    )
    send.add_argument("--json", action="store_true", help="print JSON")
    send.set_defaults(handler=cmd_send)


def _article(context: Context, ref: str) -> tuple[str, int | None]:
    """(URL, article id or None) for an article id or a URL (a URL need not be cached)."""
    store = context.store
    if ref.isdigit():
        record = store.articles.get(int(ref))
        if record is None:
            raise CliError(f"no article with id {ref} in the cache")
        if not record.url:
            raise CliError(f"article {ref} has no link to comment on")
        return record.url, record.id
    if not ref.startswith(("http://", "https://")):
        raise CliError(f"{ref} is neither an article id nor an http(s) URL")
    record = store.articles.by_url(ref)
    if record is not None and record.url:
        return record.url, record.id
    return ref.split("#", 1)[0], None


def cmd_comments(context: Context, args: argparse.Namespace) -> int:
    """Print an article's comments."""
    from reader.comments.thread import cached_thread, fetch_thread

    url, article_id = _article(context, args.article)
    store = context.store
    if args.offline:
        thread = cached_thread(store, url)
        if thread is None:
            raise CliError(f"no cached comments for {url}; run without --offline")
    else:
        record = store.articles.get(article_id) if article_id else None
        thread = asyncio.run(fetch_thread(store, record or url))
    data = {
        "article_url": thread.article_url,
        "source": thread.source,
        "fetched_at": thread.fetched_at,
        "offline": thread.offline,
        "error": thread.error,
        "count": thread.count,
        "comments": [asdict(c) for c in thread.comments],
    }

    def human(data: dict[str, Any]) -> None:
        if data["offline"]:
            when = data["fetched_at"] or "never"
            print(f"(offline: {data['error']}; cached thread from {when})", file=sys.stderr)
        from reader.cells import plural
        from reader.comments.thread import source_label

        print(
            f"{plural(data['count'], 'comment')} on {data['article_url']} "
            f"({source_label(data['source'])})"
        )
        for c in data["comments"]:
            pad = "    " * c["depth"]
            print(f"\n{pad}#{c['id']} {c['author'] or 'anonymous'} · {c['date'] or ''}")
            for line in c["text"].splitlines() or [""]:
                print(f"{pad}  {line}")

    context.emit(data, human)
    return 0


def cmd_draft(context: Context, args: argparse.Namespace) -> int:
    """Save (and queue) a comment draft."""
    from reader.comments.outbox import queue
    from reader.store.drafts import Identity

    text = sys.stdin.read() if args.text == "-" else args.text
    if not text.strip():
        raise CliError("the comment text is empty")
    url, article_id = _article(context, args.article)
    store = context.store
    known = store.drafts.identity(url)
    identity = Identity(
        name=args.name if args.name is not None else known.name,
        email=args.email if args.email is not None else known.email,
        website=args.website if args.website is not None else known.website,
    )
    if identity != known:
        store.drafts.remember_identity(url, identity)
    draft = store.drafts.save(
        article_url=url,
        article_id=article_id,
        body=text,
        parent_comment=args.parent,
        name=identity.name,
        email=identity.email,
        website=identity.website,
    )
    if not args.hold:
        draft = queue(store, draft.id)
    warnings = [
        f"no {what} given (most sites require one)"
        for what, value in (("name", identity.name), ("e-mail", identity.email))
        if not value
    ]

    def human(data: dict[str, Any]) -> None:
        for warning in warnings:
            print(f"reader: warning: {warning}", file=sys.stderr)
        where = "in the outbox; `reader send` posts it" if data["state"] == "queued" else "saved"
        print(f"draft {data['id']} {where}")

    context.emit({**_draft_dict(draft), "warnings": warnings}, human)
    return 0


def _draft_dict(draft: Draft) -> dict[str, Any]:
    data = asdict(draft)
    data["state_label"] = _STATE_LABELS.get(draft.state, draft.state)
    return data


def cmd_outbox(context: Context, args: argparse.Namespace) -> int:
    """List the outbox (or every draft)."""
    store = context.store
    drafts = store.drafts.all()
    if not args.all:
        drafts = [d for d in drafts if d.state in ("draft", "queued", "sending", "failed")]

    def human(rows: list[dict[str, Any]]) -> None:
        if not rows:
            print("no unsent comments")
        for row in rows:
            first = (row["body"].strip().splitlines() or [""])[0]
            snippet = first[:60] + ("…" if len(first) > 60 else "")
            reply = f" (reply to #{row['parent_comment']})" if row["parent_comment"] else ""
            print(f"{row['id']:>4}  {row['state_label']:<20} {row['article_url']}{reply}")
            print(f"      {snippet}")
            if row["error"]:
                print(f"      ! {row['error']}")

    context.emit([_draft_dict(d) for d in drafts], human)
    return 0


def _confirm(yes: bool) -> Any:
    """--yes allows foreign forms; a terminal asks; a script without --yes refuses."""
    if yes:
        return True
    if not sys.stdin.isatty():
        return False

    def ask(draft: Draft, message: str) -> bool:
        answer = input(f"draft {draft.id}: {message}. Send it there? [y/N] ")
        return answer.strip().lower() in ("y", "yes")

    return ask


def cmd_send(context: Context, args: argparse.Namespace) -> int:
    """Send the outbox and summarise what happened to each draft."""
    from reader.comments.outbox import OutboxBusy, drain, queue

    store = context.store
    for draft_id in args.ids:
        try:
            queue(store, draft_id)
        except ValueError as error:
            raise CliError(str(error)) from error
    try:
        results = asyncio.run(drain(store, allow_foreign_action=_confirm(args.yes), via=args.via))
    except OutboxBusy as error:
        raise CliError(f"{error}; try again in a moment", code=EX_TEMPFAIL) from error
    rows = [{**asdict(r), "state_label": _STATE_LABELS.get(r.state, r.state)} for r in results]

    def human(rows: list[dict[str, Any]]) -> None:
        if not rows:
            print("nothing to send")
        for row in rows:
            remote = f" as comment #{row['remote_id']}" if row["remote_id"] else ""
            detail = f": {row['message']}" if row["message"] and not row["remote_id"] else ""
            print(f"draft {row['draft_id']}: {row['state_label']}{remote}{detail}")
            if row["needs_confirmation"]:
                print("    (run `reader send --yes` to send it anyway)")

    context.emit(rows, human)
    if any(r.state == "failed" for r in results):
        return 1
    if any(r.state in ("queued", "sending") for r in results):
        return EX_TEMPFAIL
    return 0
