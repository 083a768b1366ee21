"""Subscription commands: add, remove, list, feeds (health), refresh, import, export."""

from __future__ import annotations

import argparse
import asyncio
import sys
from dataclasses import asdict
from typing import TYPE_CHECKING, Any

from reader.cli.context import CliError, Context
from reader.text import cell_truncate, terminal_safe

if TYPE_CHECKING:
    from reader.refresh.engine import RefreshSummary
    from reader.store import Feed


def register(subparsers: argparse._SubParsersAction) -> None:
    """Add the subscription commands."""
    add = subparsers.add_parser(
        "add",
        help="subscribe to a feed, site or article URL",
        description="Subscribe to URL: a feed, or a site/article page whose feed is discovered "
        "(WordPress sites are also read through their REST API). Fetches it right away.",
    )
    add.add_argument("url")
    add.add_argument("--tag", action="append", default=[], help="tag the feed (repeatable)")
    add.add_argument("--no-refresh", action="store_true", help="subscribe without fetching now")
    add.add_argument("--json", action="store_true", help="print JSON")
    add.set_defaults(handler=cmd_add)

    remove = subparsers.add_parser(
        "remove",
        help="unsubscribe from a feed",
        description="Unsubscribe; its articles leave the cache, comment drafts are kept.",
    )
    remove.add_argument("url")
    remove.set_defaults(handler=cmd_remove)

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

    refresh = subparsers.add_parser(
        "refresh",
        help="fetch new articles from every feed",
        description="Fetch every feed concurrently (conditional GET), store new articles and "
        "prefetch their pages. One feed's failure never stops the others; it is recorded on "
        "the feed (see `reader feeds`). Exit status: 0 done (some feeds may have failed for "
        "their own reasons: network, HTTP, not a feed); 1 every feed failed; 3 a feed failed "
        "because of an internal error of reader (details in the log file); 75 another refresh "
        "of this cache was running (see --wait).",
    )
    refresh.add_argument("--json", action="store_true", help="print JSON")
    refresh.add_argument("--no-pages", action="store_true", help="do not prefetch article pages")
    refresh.add_argument(
        "--wait", nargs="?", type=float, const=float("inf"), default=0.0, metavar="SECONDS",
        help="if another refresh of this cache is running, wait for it to end (at most SECONDS) "
        "instead of exiting at once with status 75")
    refresh.set_defaults(handler=cmd_refresh)

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


def _remove_demo_once_real_feeds_exist(context: Context) -> None:
    """The demo is for empty stores; it leaves when the user subscribes to something real."""
    from reader.demo import DEMO_FEED_URL

    if context.store.feeds.count(include_demo=False) > 0:
        context.store.feeds.remove(DEMO_FEED_URL)


def _refresh_settings(context: Context, **overrides: Any) -> dict[str, Any]:
    refresh = context.config.refresh
    settings: dict[str, Any] = {
        "concurrency": refresh.concurrency,
        "per_host": refresh.per_host,
        "total_timeout": refresh.timeout,
        "max_bytes": refresh.max_bytes,
        "prefetch_pages": refresh.prefetch_pages,
        "user_agent": refresh.user_agent,
    }
    settings.update(overrides)
    return settings


def cmd_add(context: Context, args: argparse.Namespace) -> int:
    """Discover and subscribe."""
    from reader.net.client import make_client
    from reader.sanitize import safe_url
    from reader.sources.discover import discover

    url = safe_url(args.url.strip(), None)
    if not url or not url.startswith(("http://", "https://")):
        raise CliError(f"{args.url!r} is not a web address (http:// or https://)")
    existing = context.store.feeds.by_url(url)
    if existing is not None:
        raise CliError(f"already subscribed to {url}")

    async def run() -> Any:
        async with make_client() as client:
            return await discover(client, url, total_timeout=context.config.refresh.timeout)

    found = asyncio.run(run())
    if found.error and not found.feeds:
        raise CliError(f"could not subscribe to {url}: {found.error}")
    if found.feeds:
        link = found.feeds[0]
        feed_url, kind = link.url, "wordpress" if found.wordpress_api else "feed"
    else:  # a WordPress site without a feed link: read it through its REST API
        feed_url, kind = found.wordpress_api or url, "wordpress"
    if context.store.feeds.by_url(feed_url) is not None:
        raise CliError(f"already subscribed to {feed_url}")
    feed, _ = context.store.feeds.add(
        feed_url,
        title=terminal_safe(found.title) or None,
        site_url=found.url,
        kind=kind,
        tags=args.tag,
        api_url=found.wordpress_api,
    )
    _remove_demo_once_real_feeds_exist(context)
    summary = None
    deferred = None  # why the first fetch waits for the next refresh
    if not args.no_refresh:
        try:
            summary = _run_refresh(context, [feed], quiet=True)
        except CliError as error:
            from reader.store.lock import RefreshBusy

            busy = error.__cause__
            if not isinstance(busy, RefreshBusy):  # only a running refresh is not a failure
                raise
            about = busy.holder.describe()
            deferred = "another refresh is running" + (f" ({about})" if about else "")
        feed = context.store.feeds.get(feed.id) or feed
    data = {"feed": feed_dict(feed), "refresh": summary.as_dict() if summary else None,
            "refresh_deferred": deferred}
    errors = summary.errors if summary is not None else []

    def human(_: Any) -> None:
        print(f"subscribed to {terminal_safe(feed.display_title)}")
        print(f"  feed: {feed.url}" + (" (WordPress REST too)" if feed.api_url else ""))
        if summary is not None and not errors:
            print(f"  {summary.new_items} articles, {summary.pages} pages cached")

    context.emit(data, human)
    if deferred:  # subscribed; the running refresh chose its feeds already, the next one fetches
        print(f"reader: not fetched yet: {deferred}; the next `reader refresh` fetches it",
              file=sys.stderr)
    if errors:  # subscribed (the address is a feed) but nothing readable came back this time
        reason = terminal_safe(errors[0].error or errors[0].state)
        print(f"reader: first fetch of {feed.url} failed: {reason}\n"
              f"reader: it stays subscribed and is retried by `reader refresh`; "
              f"`reader remove {feed.url}` undoes this", file=sys.stderr)
        return 1  # like `reader refresh` when every feed (here the one) failed
    return 0


def cmd_remove(context: Context, args: argparse.Namespace) -> int:
    """Unsubscribe."""
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
            print(
                f"{mark} {title:<40} {feed.item_count:>6} items  last {status}"
                f"  ok {(feed.last_success or 'never')[:16]}"
            )
            if feed.gone:
                print("    gone (HTTP 410): the site removed this feed")
            elif feed.last_error:
                print(f"    {terminal_safe(feed.last_error)}")

    context.emit([feed_dict(feed) for feed in feeds], human)
    return 0


def _run_refresh(
    context: Context, feeds: list[Feed] | None, *, quiet: bool = False, wait: float = 0.0,
    **overrides: Any,
) -> RefreshSummary:
    """One refresh while holding the cache's refresh lock (``reader.store.lock``).

    While another refresh of this cache runs (a second `reader refresh`, the TUI's ``R``) this
    raises ``CliError`` with exit code 75 (EX_TEMPFAIL: cron simply tries again next time), at
    once or when ``wait`` seconds have passed without the other one ending.
    """
    from reader.refresh.engine import RefreshProgress, refresh
    from reader.store.lock import RefreshBusy, RefreshLock

    lock = RefreshLock(context.store.path)
    try:
        lock.acquire()
    except RefreshBusy as busy:
        if not wait:
            raise CliError(str(busy), code=75) from busy
        about = busy.holder.describe()
        print(f"reader: waiting for the refresh that is running{f' ({about})' if about else ''}"
              " to end…", file=sys.stderr)
        try:
            lock.acquire(wait)
        except RefreshBusy as still:
            raise CliError(str(still), code=75) from still
    try:
        show_bar = not quiet and not context.json_output and sys.stderr.isatty()
        settings = _refresh_settings(context, **overrides)
        if not show_bar:
            return asyncio.run(refresh(context.store, feeds, **settings))
        from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn

        with Progress(
            TextColumn("refreshing"),
            BarColumn(),
            MofNCompleteColumn(),
            TextColumn("{task.fields[last]}"),
            transient=True,
        ) as bar:
            task = bar.add_task("refresh", total=None, last="")

            def progress(event: RefreshProgress) -> None:
                bar.update(
                    task,
                    completed=event.done,
                    total=event.total,
                    last="fetching article pages…"
                    if event.pages_pending
                    else cell_truncate(event.outcome.url, 50),
                )

            return asyncio.run(refresh(context.store, feeds, on_progress=progress, **settings))
    finally:
        lock.release()


def cmd_refresh(context: Context, args: argparse.Namespace) -> int:
    """Refresh every feed."""
    feeds = [f for f in context.store.feeds.all() if f.kind not in ("demo", "page")]
    if not feeds:
        raise CliError("no subscriptions to refresh; add one with `reader add URL`")
    overrides = {"prefetch_pages": 0} if args.no_pages else {}
    context.log_to_file()
    summary = _run_refresh(context, feeds, wait=args.wait, **overrides)

    def human(data: dict[str, Any]) -> None:
        print(refresh_account(data))
        for failure in data["failures"][:20]:
            mark = "✗ internal error:" if failure["internal"] else "✗"
            print(f"  {mark} {failure['url']}: {terminal_safe(failure['error'])}")
        if len(data["failures"]) > 20:
            print(f"  … and {len(data['failures']) - 20} more (see `reader feeds`)")
        if data["internal_errors"]:
            print(f"  {data['internal_errors']} failure(s) above are reader's own errors, not "
                  f"the feeds'; details in {context.paths.log_file}")

    context.emit(summary.as_dict(), human)
    return refresh_exit_code(summary)


def refresh_account(data: dict[str, Any]) -> str:
    """The exact account of a run: every feed is in exactly one of these counts."""
    parts = [f"{data['stored']} stored ({data['new_items']} new items, "
             f"{data['updated_items']} updated)",
             f"{data['not_modified']} not modified (304)"]
    failed = data["errors"] - data["internal_errors"]
    parts.append(f"{failed} failed")
    if data["internal_errors"]:
        parts.append(f"{data['internal_errors']} internal errors")
    if data["skipped"]:
        parts.append(f"{data['skipped']} skipped (waiting or gone)")
    pages = f"; {data['pages']} pages cached" if data["pages"] else ""
    return (f"{data['feeds']} feeds in {data['elapsed']:.1f} s, {data['fetched']} fetched: "
            f"{', '.join(parts)}{pages}")


REFRESH_INTERNAL_ERROR = 3
"""``reader refresh`` exit code when a feed failed for a reason of ours (see the log)."""


def refresh_exit_code(summary: RefreshSummary) -> int:
    """0: done (feeds may have failed for their own reasons); 1: every feed failed;
    3: at least one feed failed because of reader itself (a bug worth reporting)."""
    if summary.internal_errors:
        return REFRESH_INTERNAL_ERROR
    return 1 if summary.all_failed else 0


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
    _remove_demo_once_real_feeds_exist(context)
    data_out = {
        "added": [feed_dict(f) for f in added],
        "already_subscribed": [f.url for f in existing],
        "warnings": parsed.warnings,
    }

    def human(_: Any) -> None:
        if not parsed.subscriptions:
            print(f"no feeds in {args.file}; nothing imported")
        else:
            print(f"imported {len(added)} feeds ({len(existing)} already subscribed)")
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
        for f in context.store.feeds.all()
        if f.kind not in ("demo", "page")
    ]
    text = write_opml(subs) if args.format == "opml" else write_newsboat_urls(subs)
    if args.file:
        try:
            Path(args.file).write_text(text, encoding="utf-8")
        except OSError as error:
            raise CliError(f"cannot write {args.file}: {error.strerror or error}") from error
        print(f"wrote {len(subs)} feeds to {args.file}", file=sys.stderr)
    else:
        sys.stdout.write(text)
    return 0
