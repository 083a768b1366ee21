"""``reader prune``: delete old articles as config.toml's retention policy says, or show what
would go (``--dry-run``). Every refresh applies the same policy when it ends."""

from __future__ import annotations

import argparse
from typing import TYPE_CHECKING, Any

from reader.cells import terminal_safe
from reader.cli.context import CliError, Context

if TYPE_CHECKING:
    from reader.store import Policy, PruneReport

BUSY = 75
"""Exit status while a refresh of this cache runs (it prunes when it ends)."""


def register(subparsers: argparse._SubParsersAction) -> None:
    """Add ``reader prune``."""
    prune = subparsers.add_parser(
        "prune",
        help="delete old articles as config.toml's [retention] says",
        description="Delete the articles the retention policy lets go: [retention] keep_days "
        "(read articles published longer ago) and keep_per_feed (each feed's newest articles "
        'stay), or a feed\'s own keep in its [feeds."URL"] table. Saved articles, unread ones '
        "and those with an unsent comment draft are always kept. Without a policy nothing is "
        "deleted. Every refresh applies the same policy when it ends. Exit status 75: a "
        "refresh of this cache is running (it prunes when it ends).",
    )
    prune.add_argument(
        "--dry-run", action="store_true", help="delete nothing; show what would be deleted"
    )
    prune.add_argument("--json", action="store_true", help="print JSON")
    prune.set_defaults(handler=cmd_prune)


def cmd_prune(context: Context, args: argparse.Namespace) -> int:
    """Apply the retention policy (or, with --dry-run, count what it would delete)."""
    from reader.store.retention import Policy

    policy = Policy.from_config(context.config)
    if args.dry_run:
        report = context.store.retention.prune(policy, dry_run=True)
    else:
        report = _prune_locked(context, policy)
    data = prune_dict(context, policy, report)

    def human(data: dict[str, Any]) -> None:
        if not data["policy_set"]:
            print(
                "nothing to prune: config.toml sets no [retention] keep_days or keep_per_feed "
                'and no feed keep ([feeds."URL"]); every article is kept'
            )
            return
        verb = "would delete" if data["dry_run"] else "deleted"
        feeds = len(data["feeds"])
        print(
            f"{verb} {data['total']} articles from {feeds} feed{'s' * (feeds != 1)}"
            " (saved, unread and drafted articles are always kept)"
        )
        for feed in data["feeds"]:
            print(f"  {feed['articles']:>6}  {terminal_safe(feed['title'])}")

    context.emit(data, human)
    return 0


def _prune_locked(context: Context, policy: Policy) -> PruneReport:
    """Prune holding the cache's refresh lock: a running refresh prunes when it ends anyway."""
    from reader.store.lock import RefreshBusy, RefreshLock

    lock = RefreshLock(context.store.path)
    try:
        lock.acquire()
    except RefreshBusy as busy:
        raise CliError(f"{busy} (it prunes old articles when it ends)", code=BUSY) from busy
    try:
        return context.store.retention.prune(policy)
    finally:
        lock.release()


def prune_dict(context: Context, policy: Policy, report: PruneReport) -> dict[str, Any]:
    """JSON form: the policy, the total, and the count of each feed that lost articles."""
    feeds = []
    for feed_id, count in sorted(report.per_feed.items(), key=lambda item: -item[1]):
        feed = context.store.feeds.get(feed_id)
        url = feed.url if feed else ""
        title = feed.display_title if feed else f"feed {feed_id}"
        feeds.append({"feed_id": feed_id, "url": url, "title": title, "articles": count})
    return {
        "dry_run": report.dry_run,
        "total": report.total,
        "policy_set": policy.active,
        "keep_days": policy.keep_days,
        "keep_per_feed": policy.keep_per_feed,
        "feeds": feeds,
    }
