"""``reader refresh``: every feed at once, one refresh per cache, an exact account at the end."""

from __future__ import annotations

import argparse
import asyncio
import sys
from typing import TYPE_CHECKING, Any

from reader.cells import cell_truncate, plural, terminal_safe
from reader.cli.context import CliError, Context

if TYPE_CHECKING:
    from reader.refresh.engine import RefreshSummary
    from reader.store import Feed

REFRESH_INTERNAL_ERROR = 3
"""``reader refresh`` exit code when a feed failed for a reason of ours (see the log)."""


def register(subparsers: argparse._SubParsersAction) -> None:
    """Add ``reader refresh``."""
    refresh = subparsers.add_parser(
        "refresh",
        help="fetch new articles from every feed",
        description="Fetch every feed concurrently (conditional GET), store new articles and "
        "prefetch their pages. One feed's failure never stops the others; it is recorded on "
        "the feed (see `reader feeds`). A feed with a refresh_interval in config.toml is "
        "skipped while it was checked less than that long ago, unless it is named or --force "
        "is given; the retention policy ([retention], see `reader prune`) runs at the end. "
        "Exit status: 0 done (some feeds may have failed for "
        "their own reasons: network, HTTP, not a feed); 1 every feed failed; 3 a feed failed "
        "because of an internal error of reader (details in the log file); 75 another refresh "
        "of this cache was running (see --wait).",
    )
    refresh.add_argument(
        "urls",
        nargs="*",
        metavar="URL",
        help="refresh only these subscriptions (whatever their refresh_interval)",
    )
    refresh.add_argument(
        "--force",
        "--all",
        dest="force",
        action="store_true",
        help="fetch every feed, even those checked less than their refresh_interval ago",
    )
    refresh.add_argument("--json", action="store_true", help="print JSON")
    refresh.add_argument("--no-pages", action="store_true", help="do not prefetch article pages")
    refresh.add_argument(
        "--wait",
        nargs="?",
        type=float,
        const=float("inf"),
        default=0.0,
        metavar="SECONDS",
        help="if another refresh of this cache is running, wait for it to end (at most SECONDS) "
        "instead of exiting at once with status 75",
    )
    refresh.set_defaults(handler=cmd_refresh)


def _refresh_settings(context: Context, **overrides: Any) -> dict[str, Any]:
    from reader.refresh.rules import RunRules

    refresh = context.config.refresh
    settings: dict[str, Any] = {
        "concurrency": refresh.concurrency,
        "per_host": refresh.per_host,
        "total_timeout": refresh.timeout,
        "max_bytes": refresh.max_bytes,
        "prefetch_pages": refresh.prefetch_pages,
        "user_agent": refresh.user_agent,
        "rules": RunRules.from_config(context.config),
    }
    settings.update(overrides)
    return settings


def run_refresh(
    context: Context,
    feeds: list[Feed] | None,
    *,
    quiet: bool = False,
    wait: float = 0.0,
    **overrides: Any,
) -> RefreshSummary:
    """One refresh while holding the cache's refresh lock (``reader.store.lock``).

    While another refresh of this cache runs (a second `reader refresh`, the TUI's ``R``) this
    raises ``CliError`` with exit code 75 (EX_TEMPFAIL: cron simply tries again next time), at
    once or when ``wait`` seconds have passed without the other one ending.
    """
    from reader.refresh.engine import refresh

    lock = _take_lock(context, wait)
    try:
        settings = _refresh_settings(context, **overrides)
        if quiet or context.json_output or not sys.stderr.isatty():
            return asyncio.run(refresh(context.store, feeds, **settings))
        return _with_progress_bar(context, feeds, settings)
    finally:
        lock.release()


def _take_lock(context: Context, wait: float) -> Any:
    """The cache's refresh lock, or ``CliError`` (exit 75) while another refresh holds it."""
    from reader.store.lock import RefreshBusy, RefreshLock

    lock = RefreshLock(context.store.path)
    try:
        lock.acquire()
    except RefreshBusy as busy:
        if not wait:
            raise CliError(str(busy), code=75) from busy
        about = busy.holder.describe()
        print(
            f"reader: waiting for the refresh that is running{f' ({about})' if about else ''}"
            " to end…",
            file=sys.stderr,
        )
        try:
            lock.acquire(wait)
        except RefreshBusy as still:
            raise CliError(str(still), code=75) from still
    return lock


def _with_progress_bar(
    context: Context, feeds: list[Feed] | None, settings: dict[str, Any]
) -> RefreshSummary:
    """The refresh with a transient bar on stderr (a terminal only)."""
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn

    from reader.refresh.engine import RefreshProgress, refresh

    with Progress(
        TextColumn("refreshing"),
        BarColumn(),
        MofNCompleteColumn(),
        TextColumn("{task.fields[last]}"),
        transient=True,
    ) as bar:
        task = bar.add_task("refresh", total=None, last="")

        def progress(event: RefreshProgress) -> None:
            last = (
                "fetching article pages…"
                if event.pages_pending
                else cell_truncate(event.outcome.url, 50)
            )
            bar.update(task, completed=event.done, total=event.total, last=last)

        return asyncio.run(refresh(context.store, feeds, on_progress=progress, **settings))


def cmd_refresh(context: Context, args: argparse.Namespace) -> int:
    """Refresh every feed."""
    feeds = context.store.feeds.polled()
    if not feeds:
        if context.store.feeds.subscriptions():
            raise CliError("every feed comes from a sync account; `reader sync` updates them")
        raise CliError("no subscriptions to refresh; add one with `reader add URL`")
    overrides: dict[str, Any] = {"prefetch_pages": 0} if args.no_pages else {}
    if args.urls:
        feeds = named_feeds(feeds, args.urls)
    if args.urls or args.force:
        from reader.refresh.rules import RunRules

        overrides["rules"] = RunRules.from_config(context.config, force=True)
    context.log_to_file()
    summary = run_refresh(context, feeds, wait=args.wait, **overrides)

    def human(data: dict[str, Any]) -> None:
        print(refresh_account(data))
        for failure in data["failures"][:20]:
            mark = "✗ internal error:" if failure["internal"] else "✗"
            print(f"  {mark} {failure['url']}: {terminal_safe(failure['error'])}")
        if len(data["failures"]) > 20:
            print(f"  … and {len(data['failures']) - 20} more (see `reader feeds`)")
        if data["internal_errors"]:
            print(
                f"  {data['internal_errors']} failure(s) above are reader's own errors, not "
                f"the feeds'; details in {context.paths.log_file}"
            )
        if data["prune_error"]:
            print(f"  ✗ {terminal_safe(data['prune_error'])} (details in the log file)")

    context.emit(summary.as_dict(), human)
    return refresh_exit_code(summary)


def refresh_account(data: dict[str, Any]) -> str:
    """The exact account of a run: every feed is in exactly one of these counts."""
    parts = [
        f"{data['stored']} stored ({data['new_items']} new items, {data['updated_items']} updated)",
        f"{data['not_modified']} not modified (304)",
    ]
    failed = data["errors"] - data["internal_errors"]
    parts.append(f"{failed} failed")
    if data["internal_errors"]:
        parts.append(f"{data['internal_errors']} internal errors")
    if data["skipped"]:
        parts.append(f"{data['skipped']} skipped (waiting or gone)")
    if data["not_due"]:
        least, most = data["not_due_checked_ago"]
        ago = f"{least}" if least == most else f"{least}–{most}"
        parts.append(f"{data['not_due']} skipped: checked {ago} min ago (refresh_interval)")
    pages = f"; {plural(data['pages'], 'page')} cached" if data["pages"] else ""
    pruned = f"; {plural(data['pruned'], 'old article')} pruned" if data["pruned"] else ""
    return (
        f"{plural(data['feeds'], 'feed')} in {data['elapsed']:.1f} s, {data['fetched']} fetched: "
        f"{', '.join(parts)}{pages}{pruned}"
    )


def named_feeds(feeds: list[Feed], wanted: list[str]) -> list[Feed]:
    """The subscriptions named by URL (a trailing slash ignored) or id; ``CliError`` names
    any that is not one."""
    from reader.config import feed_key

    by_key = {feed_key(feed.url): feed for feed in feeds}
    by_id = {str(feed.id): feed for feed in feeds}
    chosen: dict[int, Feed] = {}
    for name in wanted:
        feed = by_key.get(feed_key(name)) or by_id.get(name.strip())
        if feed is None:
            raise CliError(f"not subscribed to {name} (see `reader list`)")
        chosen[feed.id] = feed
    return list(chosen.values())


def refresh_exit_code(summary: RefreshSummary) -> int:
    """0: done (feeds may have failed for their own reasons); 1: every feed failed;
    3: at least one feed failed because of reader itself (a bug worth reporting)."""
    if summary.internal_errors:
        return REFRESH_INTERNAL_ERROR
    return 1 if summary.all_failed else 0
