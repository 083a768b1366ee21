"""``reader account add|list|remove`` and ``reader sync``: accounts on Google Reader API servers.

Exit status: 0 done; 1 the server refused or could not be reached (one line says which), or
a sync had errors (what it could do is kept); 2 the command line is wrong (no password given,
an unknown account, a bad name or address); 75 another sync of this cache is running (the
app's: one sync per cache, ``store.lock.SyncLock``; ``--wait`` waits for it).
"""

from __future__ import annotations

import argparse
import os
import sys
from typing import Any

from reader.cli.context import CliError, Context


def register(subparsers: argparse._SubParsersAction) -> None:
    """Add ``account`` and ``sync``."""
    account = subparsers.add_parser(
        "account",
        help="sync accounts (FreshRSS, Miniflux, ... over the Google Reader API)",
        description="Accounts on servers that speak the Google Reader API. The password is "
        "used once to log in; only the server's token is kept, in a file only you can read.",
    )
    actions = account.add_subparsers(dest="account_command", metavar="ACTION", required=True)
    add = actions.add_parser("add", help="log in and add an account")
    add.add_argument("--kind", choices=("greader",), default="greader")
    add.add_argument("--url", required=True, help="the API address (FreshRSS: …/api/greader.php)")
    add.add_argument("--user", required=True)
    add.add_argument("--name", help="what to call it (default: USER@HOST)")
    add.add_argument(
        "--password-stdin",
        action="store_true",
        help="read the password from stdin (else from READER_PASSWORD)",
    )
    add.add_argument("--json", action="store_true", help="print JSON")
    add.set_defaults(handler=cmd_account_add)
    listing = actions.add_parser("list", help="list accounts")
    listing.add_argument("--json", action="store_true", help="print JSON")
    listing.set_defaults(handler=cmd_account_list)
    remove = actions.add_parser("remove", help="remove an account, its feeds and its token")
    remove.add_argument("name")
    remove.add_argument("--json", action="store_true", help="print JSON")
    remove.set_defaults(handler=cmd_account_remove)

    sync = subparsers.add_parser(
        "sync",
        help="sync accounts: push local read/saved changes, pull feeds, items and state",
        description="Push the read and saved changes made here, then fetch the server's "
        "feeds, new items and read/starred state. Exit 0: done; 1: an account failed.",
    )
    sync.add_argument("names", metavar="NAME", nargs="*", help="only these accounts")
    sync.add_argument("--json", action="store_true", help="print JSON")
    sync.add_argument(
        "--wait",
        type=float,
        default=0.0,
        metavar="SECONDS",
        help="if another sync of this cache is running (the app's, say), wait for it to end "
        "(at most SECONDS) instead of exiting 75",
    )
    sync.set_defaults(handler=cmd_sync)


def _password(args: argparse.Namespace) -> str:
    if args.password_stdin:
        password = sys.stdin.readline().rstrip("\r\n")
    else:
        password = os.environ.get("READER_PASSWORD", "")
    if not password:
        raise CliError("no password: pass --password-stdin or set READER_PASSWORD", 2)
    return password


def cmd_account_add(context: Context, args: argparse.Namespace) -> int:
    """Log in and save the account."""
    from reader.sync.accounts import add_account
    from reader.sync.greader import SyncError

    password = _password(args)
    try:
        account = add_account(
            context.store,
            context.paths,
            kind=args.kind,
            url=args.url,
            user=args.user,
            password=password,
            name=args.name,
        )
    except ValueError as error:
        raise CliError(str(error), 2) from error
    except SyncError as error:
        raise CliError(str(error), 1) from error
    context.emit(
        {"name": account.name, "kind": account.kind, "url": account.url, "user": account.username},
        lambda d: print(f"added {d['name']} ({d['url']}); `reader sync` fetches it"),
    )
    return 0


def cmd_account_list(context: Context, args: argparse.Namespace) -> int:
    """List accounts with their last sync."""
    store = context.store
    rows = [
        {
            "name": a.name,
            "kind": a.kind,
            "url": a.url,
            "user": a.username,
            "feeds": len(store.sync.feed_links(a.name)),
            "last_sync": a.last_sync,
            "last_error": a.last_error,
            "queued": store.sync.queued_count(a.name),
        }
        for a in store.sync.accounts()
    ]

    def human(data: list[dict]) -> None:
        if not data:
            print("no accounts; add one with `reader account add`")
        for row in data:
            state = f"error: {row['last_error']}" if row["last_error"] else "ok"
            print(
                f"{row['name']}\t{row['url']}\t{row['feeds']} feeds\t"
                f"last sync {row['last_sync'] or 'never'}\t{row['queued']} queued\t{state}"
            )

    context.emit(rows, human)
    return 0


def cmd_account_remove(context: Context, args: argparse.Namespace) -> int:
    """Forget an account."""
    from reader.sync.accounts import remove_account

    removed = remove_account(context.store, context.paths, args.name)
    if removed < 0:
        raise CliError(f"no account called {args.name!r} (see `reader account list`)", 2)
    context.emit(
        {"name": args.name, "feeds_removed": removed},
        lambda d: print(f"removed {d['name']} and its {d['feeds_removed']} feeds"),
    )
    return 0


def cmd_sync(context: Context, args: argparse.Namespace) -> int:
    """Sync every account (or the ones named)."""
    accounts = context.store.sync.accounts()
    if args.names:
        known = {a.name for a in accounts}
        unknown = [n for n in args.names if n not in known]
        if unknown:
            raise CliError(f"no account called {unknown[0]!r} (see `reader account list`)", 2)
        accounts = [a for a in accounts if a.name in args.names]
    if not accounts:
        raise CliError("no accounts; add one with `reader account add`", 2)
    context.log_to_file()
    reports = []
    lock = _sync_lock(context, getattr(args, "wait", 0.0))
    try:
        for account in accounts:
            report = _sync_one(context, account)
            if report.auth_failed and _login_again(context, account):
                report = _sync_one(context, account)  # once: a refusal now is reported
            if report.auth_failed:
                report.errors[-1] += (
                    f"; log in again: reader account add --name {account.name}"
                    f" --url {account.url} --user {account.username} --password-stdin"
                )
            reports.append(report)
    finally:
        lock.release()

    def human(data: list[dict]) -> None:
        for r in data:
            print(
                f"{r['account']}: {r['feeds']} feeds, {r['new_items']} new items,"
                f" {r['pushed']} changes pushed, {r['pulled']} pulled, {r['queued']} queued"
            )
            for error in r["errors"]:
                print(f"reader: {r['account']}: {error}", file=sys.stderr)

    context.emit([r.to_dict() for r in reports], human)
    return 1 if any(r.errors for r in reports) else 0


def _sync_lock(context: Context, wait: float) -> Any:
    """The cache's sync lock, or ``CliError`` (exit 75) while another sync holds it."""
    from reader.store.lock import RefreshBusy, SyncLock

    lock = SyncLock(context.store.path)
    try:
        lock.acquire(wait)
    except RefreshBusy as busy:
        raise CliError(str(busy), code=75) from busy
    return lock


def _sync_one(context: Context, account: Any) -> Any:
    """One account's sync; a missing token counts as a refused login."""
    from reader.sync.accounts import connect
    from reader.sync.engine import SyncReport, sync_account
    from reader.sync.greader import SyncError

    try:
        with connect(context.paths, account) as client:
            return sync_account(context.store, client, account)
    except SyncError as error:  # no token saved
        return SyncReport(account.name, errors=[str(error)], auth_failed=True)


def _login_again(context: Context, account: Any) -> bool:
    """The server refused the stored token: on a terminal, ask for the password once and log
    in again; whether a new token was stored (never on a pipe, nor with --json)."""
    import getpass

    from reader.sync.accounts import relogin
    from reader.sync.greader import SyncError

    if context.json_output or not sys.stdin.isatty():
        return False
    print(f"reader: {account.name}: the server refused the saved login", file=sys.stderr)
    try:
        password = getpass.getpass(f"Password for {account.username} at {account.url}: ")
    except (EOFError, KeyboardInterrupt):
        return False
    if not password:
        return False
    try:
        relogin(context.store, context.paths, account, password)
    except SyncError as error:
        print(f"reader: {account.name}: {error}", file=sys.stderr)
        return False
    return True


def add_to_account(context: Context, args: argparse.Namespace) -> int:
    """``reader add URL --account NAME``: subscribe on the account's server (quickadd, queued
    like any change to a synced feed), then sync it now unless ``--no-refresh``."""
    from reader.subscribe import SubscribeError, check_address

    account = context.store.sync.account(args.account)
    if account is None:
        raise CliError(f"no account called {args.account!r} (see `reader account list`)", 2)
    try:
        url = check_address(args.url)
    except SubscribeError as error:
        raise CliError(str(error), 2) from None
    context.store.sync.queue_op(account.name, "subscribe", url=url, labels=list(args.tag))
    if args.no_refresh:
        print(f"queued: the next `reader sync` subscribes to {url} on {account.name}")
        return 0
    print(f"subscribing to {url} on {account.name}…", file=sys.stderr)
    args.names, args.wait = [account.name], 0.0
    return cmd_sync(context, args)
