"""``reader tag``, ``reader untag`` and ``reader rename``: what a feed is called and filed under.

A feed is named by its URL (as ``reader list`` shows it) or its id (``reader list --json``,
``reader articles --json``). Tags are kept in the order they were added; adding a tag a feed has
or removing one it does not have changes nothing and is said on stderr (exit 0: the feed ends
up as asked).
"""

from __future__ import annotations

import argparse
import sys
from typing import TYPE_CHECKING, Any

from reader.cells import terminal_safe
from reader.cli.context import CliError, Context

if TYPE_CHECKING:
    from reader.store import Feed


def register(subparsers: argparse._SubParsersAction) -> None:
    """Add the feed label commands."""
    for name, verb in (("tag", "add tags to"), ("untag", "remove tags from")):
        parser = subparsers.add_parser(
            name,
            help=f"{verb} a feed",
            description=f"{verb.capitalize()} a feed. FEED is its URL or id "
            "(see `reader list`). Articles list by tag with `reader articles --tag T`.",
        )
        parser.add_argument("feed", metavar="FEED", help="the feed's URL or id")
        parser.add_argument("tags", metavar="TAG", nargs="+", help="one or more tags")
        parser.add_argument("--json", action="store_true", help="print the feed as JSON")
        parser.set_defaults(handler=cmd_tag, adding=name == "tag")

    rename = subparsers.add_parser(
        "rename",
        help="give a feed your own title",
        description="Set the title a feed shows under (kept across refreshes). "
        "FEED is its URL or id (see `reader list`).",
    )
    rename.add_argument("feed", metavar="FEED", help="the feed's URL or id")
    rename.add_argument("title", metavar="TITLE", nargs="+", help="the new title")
    rename.add_argument("--json", action="store_true", help="print the feed as JSON")
    rename.set_defaults(handler=cmd_rename)


def resolve_feed(context: Context, ref: str) -> Feed:
    """The feed named by a URL or an id; CliError (exit 1) when there is none."""
    store = context.store
    ref = ref.strip()
    feed = store.feeds.get(int(ref)) if ref.isdigit() else store.feeds.by_url(ref)
    if feed is None:
        what = f"with id {ref}" if ref.isdigit() else terminal_safe(ref)
        raise CliError(f"no feed {what} (see `reader list`)")
    return feed


def _clean_tags(tags: list[str]) -> list[str]:
    from reader.sanitize import clean_line

    cleaned = [tag for tag in (clean_line(t).strip() for t in tags) if tag]
    if not cleaned:
        raise CliError("a tag needs at least one visible character", code=2)
    return list(dict.fromkeys(cleaned))


def cmd_tag(context: Context, args: argparse.Namespace) -> int:
    """Add or remove tags."""
    feed = resolve_feed(context, args.feed)
    tags = _clean_tags(args.tags)
    if args.adding:
        same = [tag for tag in tags if tag in feed.tags]
        result = [*feed.tags, *(tag for tag in tags if tag not in feed.tags)]
        note = "already tagged"
    else:
        same = [tag for tag in tags if tag not in feed.tags]
        result = [tag for tag in feed.tags if tag not in tags]
        note = "not tagged"
    if list(result) != list(feed.tags):
        context.store.feeds.update(feed.id, tags=result)
        context.store.sync.queue_feed_change(  # a synced feed: its server too, next sync
            feed.id,
            added=[t for t in result if t not in feed.tags],
            removed=[t for t in feed.tags if t not in result],
        )
    if same:
        print(f"reader: {note} {', '.join(map(terminal_safe, same))}", file=sys.stderr)
    return _show_feed(context, feed.id)


def cmd_rename(context: Context, args: argparse.Namespace) -> int:
    """Set a feed's title."""
    from reader.sanitize import clean_line

    feed = resolve_feed(context, args.feed)
    title = clean_line(" ".join(args.title)).strip()
    if not title:
        raise CliError("the new title is empty", code=2)
    context.store.feeds.update(feed.id, title=title)
    context.store.sync.queue_feed_change(feed.id, title=title)
    return _show_feed(context, feed.id)


def _show_feed(context: Context, feed_id: int) -> int:
    """Print the feed as it is now: title, tags, URL (or JSON, as ``reader list --json``)."""
    from reader.cli.feeds_cmd import feed_dict

    feed = context.store.feeds.get(feed_id)
    assert feed is not None

    def human(_: Any) -> None:
        tags = f"  [{', '.join(map(terminal_safe, feed.tags))}]" if feed.tags else "  (no tags)"
        print(f"{terminal_safe(feed.display_title)}{tags}\n  {feed.url}")

    context.emit(feed_dict(feed), human)
    return 0
