"""``reader searches``: the saved searches (``reader search --save NAME QUERY`` saves one).

A saved search is a view of the app's feeds pane: its matches newest first, with the number
of unread articles it matches (counted up to ``store.search.COUNT_CAP``, then shown ``1000+``).
"""

from __future__ import annotations

import argparse
from typing import Any

from reader.cells import terminal_safe
from reader.cli.context import CliError, Context


def register(subparsers: argparse._SubParsersAction) -> None:
    """Add ``reader searches``."""
    searches = subparsers.add_parser(
        "searches",
        help="list or remove saved searches",
        description="List the saved searches with their unread counts (save one with "
        "`reader search --save NAME QUERY`), or remove one with --remove NAME.",
    )
    searches.add_argument("--remove", metavar="NAME", help="forget the search called NAME")
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
    if args.remove is not None:
        removed = store.saved_searches.remove(args.remove)
        if removed is None:
            raise CliError(f"no saved search is called {terminal_safe(args.remove)}")
        context.emit(
            {"removed": removed.name, "query": removed.query},
            lambda data: print(f"removed {terminal_safe(data['removed'])}: {data['query']}"),
        )
        return 0
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
