"""``reader searches``: the saved searches (``reader search --save NAME QUERY`` saves one).

A saved search is a view of the app's feeds pane: its matches newest first, with the number
of unread articles it matches (counted up to ``store.search.COUNT_CAP``, then shown ``1000+``).
They live in the cache; ``--export`` prints them as config.toml's ``[searches]`` table, which
every start adds to the cache (``Context.store``): that is how they move to another machine.
"""

from __future__ import annotations

import argparse
import sys
from typing import Any

from reader.cells import terminal_safe
from reader.cli.context import CliError, Context


def register(subparsers: argparse._SubParsersAction) -> None:
    """Add ``reader searches``."""
    searches = subparsers.add_parser(
        "searches",
        help="list or remove saved searches",
        description="List the saved searches with their unread counts (save one with "
        "`reader search --save NAME QUERY`), remove one with --remove NAME, or print them as "
        "config.toml's [searches] table with --export (in another machine's config.toml, "
        "its next start adds them).",
    )
    what = searches.add_mutually_exclusive_group()
    what.add_argument("--remove", metavar="NAME", help="forget the search called NAME")
    what.add_argument(
        "--export", action="store_true", help="print them as config.toml's [searches] table"
    )
    searches.add_argument("--json", action="store_true", help="print JSON")
    searches.set_defaults(handler=cmd_searches)


def save_search(context: Context, name: str, query: str) -> None:
    """Save ``query`` as ``name`` (``reader search --save``); CliError (exit 2) when empty."""
    try:
        context.store.saved_searches.save(name, query)
    except ValueError as error:
        raise CliError(str(error), code=2) from error


def cmd_searches(context: Context, args: argparse.Namespace) -> int:
    """List the saved searches, or remove one."""
    from reader.store.search import COUNT_CAP

    store = context.store
    if args.export:
        from reader.config import searches_table

        sys.stdout.write(searches_table((s.name, s.query) for s in store.saved_searches.all()))
        return 0
    if args.remove is not None:
        return _remove(context, args.remove)
    data = []
    for saved in store.saved_searches.all():
        unread = store.search.count_unread(saved.query)
        data.append(
            {
                "name": saved.name,
                "query": saved.query,
                "unread": unread,
                "unread_capped": unread >= COUNT_CAP,
                "added_at": saved.added_at,
            }
        )

    def human(rows: list[dict[str, Any]]) -> None:
        if not rows:
            print("no saved searches (save one: reader search --save NAME QUERY…)")
        for row in rows:
            count = f"{row['unread']}{'+' if row['unread_capped'] else ''}"
            print(f"{count:>6}  {terminal_safe(row['name'])}  {terminal_safe(row['query'])}")

    context.emit(data, human)
    return 0


def _remove(context: Context, name: str) -> int:
    """Forget one saved search; warn when config.toml names it (the next start adds it back)."""
    removed = context.store.saved_searches.remove(name)
    if removed is None:
        raise CliError(f"no saved search is called {terminal_safe(name)}")
    if any(n.strip().casefold() == removed.name.casefold() for n in context.config.searches):
        print(
            f"reader: {terminal_safe(removed.name)} is in the [searches] table of "
            f"{context.paths.config_file}: remove it there too, or the next start adds it back",
            file=sys.stderr,
        )
    context.emit(
        {"removed": removed.name, "query": removed.query},
        lambda data: print(f"removed {terminal_safe(data['removed'])}: {data['query']}"),
    )
    return 0
