"""Subscription commands: add, remove, list, feeds (health), import, export."""

from __future__ import annotations

import argparse
import asyncio
import sys
from dataclasses import asdict
from typing import TYPE_CHECKING, Any

from reader.cells import cell_truncate, plural, terminal_safe
from reader.cli.context import CliError, Context

if TYPE_CHECKING:
    from reader.refresh.engine import RefreshSummary
    from reader.store import Feed


def register(subparsers: argparse._SubParsersAction) -> None:
    """Add the subscription commands."""
    _register_changes(subparsers)
    _register_listings(subparsers)
    _register_files(subparsers)


def _register_changes(subparsers: argparse._SubParsersAction) -> None:
    add = subparsers.add_parser(
        "add",
        help="subscribe to a feed, site or article URL",
        description="Subscribe to URL: a feed, or a site/article page whose feed is discovered "
        "(WordPress sites are also read through their REST API). Fetches it right away.",
    )
    add.add_argument("url")
    add.add_argument("--tag", action="append", default=[], help="tag the feed (repeatable)")
    add.add_argument("--no-refresh", action="store_true", help="subscribe without fetching now")
    add.add_argument(
        "--account",
        metavar="NAME",
        help="subscribe on this sync account's server (its next sync, now unless --no-refresh)",
    )
    add.add_argument("--json", action="store_true", help="print JSON")
    add.set_defaults(handler=cmd_add)

    remove = subparsers.add_parser(
        "remove",
        help="unsubscribe from a feed",
        description="Unsubscribe; its articles leave the cache, comment drafts are kept.",
    )
    remove.add_argument("url")
    remove.set_defaults(handler=cmd_remove)


def _register_listings(subparsers: argparse._SubParsersAction) -> None:
    listing = subparsers.add_parser(
        "list", help="list subscriptions", description="List subscribed feeds (title and URL)."
    )
    listing.add_argument("--json", action="store_true", help="print JSON")
    listing.set_defaults(handler=cmd_list)

    feeds = subparsers.add_parser(
        "feeds",
        help="subscriptions with their health",
        description="Every feed with its last status, error, item count and last success.",
    )
    feeds.add_argument("--json", action="store_true", help="print JSON")
    feeds.set_defaults(handler=cmd_feeds)


def _register_files(subparsers: argparse._SubParsersAction) -> None:
    importing = subparsers.add_parser(
        "import",
        help="subscribe to every feed of an OPML or newsboat urls file",
        description="Import subscriptions from OPML 1/2 (folders become tags) or a newsboat "
        '`urls` file (tags and "~Title" kept). Feeds already subscribed are left alone.',
    )
    importing.add_argument("file", help="the OPML or urls file ('-' reads stdin)")
    importing.add_argument("--json", action="store_true", help="print JSON")
    importing.set_defaults(handler=cmd_import)

    exporting = subparsers.add_parser(
        "export",
        help="write subscriptions as OPML 2.0 (or a newsboat urls file)",
        description="Write every subscription (not the bundled demo) with titles and tags.",
    )
    exporting.add_argument("file", nargs="?", help="where to write (default: stdout)")
    exporting.add_argument("--format", choices=("opml", "newsboat"), default="opml")
    exporting.set_defaults(handler=cmd_export)


def feed_dict(feed: Feed) -> dict[str, Any]:
    """JSON form of a feed row."""
    data = asdict(feed)
    data["tags"] = list(feed.tags)
    return data


def cmd_add(context: Context, args: argparse.Namespace) -> int:
    """Discover and subscribe."""
    if args.account:
        from reader.cli.sync_cmd import add_to_account

        return add_to_account(context, args)
    from reader.subscribe import (
        SubscribeError,
        check_address,
        drop_demo_once_real_feeds_exist,
        subscribe,
    )

    try:
        url = check_address(args.url)
        if context.store.feeds.by_url(url) is not None:
            raise CliError(f"already subscribed to {url}")
        feed = asyncio.run(
            subscribe(context.store, url, args.tag, timeout=context.config.refresh.timeout)
        )
    except SubscribeError as error:
        raise CliError(str(error)) from None
    drop_demo_once_real_feeds_exist(context.store)
    summary, deferred = (None, None) if args.no_refresh else _first_fetch(context, feed)
    feed = context.store.feeds.get(feed.id) or feed
    data = {
        "feed": feed_dict(feed),
        "refresh": summary.as_dict() if summary else None,
        "refresh_deferred": deferred,
    }
    errors = summary.errors if summary is not None else []

    def human(_: Any) -> None:
        print(f"subscribed to {terminal_safe(feed.display_title)}")
        print(f"  feed: {feed.url}" + (" (WordPress REST too)" if feed.api_url else ""))
        if summary is not None and not errors:
            print(f"  {summary.new_items} articles, {summary.pages} pages cached")

    context.emit(data, human)
    if deferred:  # subscribed; the running refresh chose its feeds already, the next one fetches
        print(
            f"reader: not fetched yet: {deferred}; the next `reader refresh` fetches it",
            file=sys.stderr,
        )
    if errors:  # subscribed (the address is a feed) but nothing readable came back this time
        reason = terminal_safe(errors[0].error or errors[0].state)
        print(
            f"reader: first fetch of {feed.url} failed: {reason}\n"
            f"reader: it stays subscribed and is retried by `reader refresh`; "
            f"`reader remove {feed.url}` undoes this",
            file=sys.stderr,
        )
        return 1  # like `reader refresh` when every feed (here the one) failed
    return 0


def _first_fetch(context: Context, feed: Feed) -> tuple[RefreshSummary | None, str | None]:
    """Refresh the new feed now: (summary, None), or (None, why it waits for the next run)."""
    from reader.cli.refresh_cmd import run_refresh
    from reader.store.lock import RefreshBusy

    try:
        return run_refresh(context, [feed], quiet=True), None
    except CliError as error:
        busy = error.__cause__
        if not isinstance(busy, RefreshBusy):  # only a running refresh is not a failure
            raise
        about = busy.holder.describe()
        return None, "another refresh is running" + (f" ({about})" if about else "")


def cmd_remove(context: Context, args: argparse.Namespace) -> int:
    """Unsubscribe."""
    feed = context.store.feeds.by_url(args.url)
    if feed is not None:
        context.store.sync.queue_feed_change(feed.id, unsubscribe=True)
    if not context.store.feeds.remove(args.url):
        raise CliError(f"not subscribed to {args.url} (see `reader list`)")
    print(f"unsubscribed from {args.url}")
    return 0


def cmd_list(context: Context, args: argparse.Namespace) -> int:
    """Titles and URLs."""
    feeds = [f for f in context.store.feeds.all()]

    def human(_: Any) -> None:
        if not feeds:
            print("no subscriptions yet; add one with `reader add URL`")
        for feed in feeds:
            tags = f"  [{', '.join(feed.tags)}]" if feed.tags else ""
            demo = "  (bundled demo)" if feed.kind == "demo" else ""
            print(f"{terminal_safe(feed.display_title)}{tags}{demo}\n  {feed.url}")

    context.emit([feed_dict(feed) for feed in feeds], human)
    return 0


def cmd_feeds(context: Context, args: argparse.Namespace) -> int:
    """Health table."""
    feeds = context.store.feeds.all()

    def human(_: Any) -> None:
        if not feeds:
            print("no subscriptions yet; add one with `reader add URL`")
            return
        for feed in feeds:
            mark = "✗" if feed.last_error or feed.gone else ("✓" if feed.last_success else "·")
            title = cell_truncate(terminal_safe(feed.display_title), 40)
            status = feed.last_status if feed.last_status is not None else "-"
            success = (feed.last_success or "never")[:16].replace("T", " ")
            state = f"failing, last ok {success}" if mark == "✗" else f"ok {success}"
            print(f"{mark} {title:<40} {feed.item_count:>6} items  last {status}  {state}")
            if feed.tags:
                print("    tags: " + ", ".join(terminal_safe(tag) for tag in feed.tags))
            if feed.gone:
                print("    gone (HTTP 410): the site removed this feed")
            elif feed.last_error:
                print(f"    {terminal_safe(feed.last_error)}")

    context.emit([feed_dict(feed) for feed in feeds], human)
    return 0


def cmd_import(context: Context, args: argparse.Namespace) -> int:
    """Add every subscription of a file."""
    from pathlib import Path

    from reader.sources.items import FeedError
    from reader.sources.opml import parse_subscriptions

    try:
        data = sys.stdin.buffer.read() if args.file == "-" else Path(args.file).read_bytes()
    except OSError as error:
        raise CliError(f"cannot read {args.file}: {error.strerror or error}") from error
    try:
        parsed = parse_subscriptions(data)
    except FeedError as error:  # binary, XML that is not OPML, text without URLs: bad input
        raise CliError(f"{args.file}: {error}", code=2) from error
    added, existing = [], []
    for sub in parsed.subscriptions:
        feed, new = context.store.feeds.add(
            sub.url, title=sub.title, site_url=sub.site_url, tags=sub.tags
        )
        (added if new else existing).append(feed)
    from reader.subscribe import drop_demo_once_real_feeds_exist

    drop_demo_once_real_feeds_exist(context.store)
    data_out = {
        "added": [feed_dict(f) for f in added],
        "already_subscribed": [f.url for f in existing],
        "warnings": parsed.warnings,
    }

    def human(_: Any) -> None:
        if not parsed.subscriptions:
            print(f"no feeds in {args.file}; nothing imported")
        else:
            print(f"imported {plural(len(added), 'feed')} ({len(existing)} already subscribed)")
        for warning in parsed.warnings:
            print(f"  warning: {terminal_safe(warning)}")
        if added:
            print("fetch them with `reader refresh`")

    context.emit(data_out, human)
    return 0


def cmd_export(context: Context, args: argparse.Namespace) -> int:
    """Write subscriptions out."""
    from pathlib import Path

    from reader.sources.opml import Subscription, write_newsboat_urls, write_opml

    subs = [
        Subscription(f.url, f.title, tuple(f.tags), f.site_url)
        for f in context.store.feeds.subscriptions()
    ]
    text = write_opml(subs) if args.format == "opml" else write_newsboat_urls(subs)
    if args.file:
        try:
            Path(args.file).write_text(text, encoding="utf-8")
        except OSError as error:
            raise CliError(f"cannot write {args.file}: {error.strerror or error}") from error
        print(f"wrote {plural(len(subs), 'feed')} to {args.file}", file=sys.stderr)
    else:
        sys.stdout.write(text)
    return 0
