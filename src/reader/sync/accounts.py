"""Sync accounts: logging in once, and keeping the token (never the password) safe.

The account itself (name, kind, address, user, last sync) is a store row
(``store.sync.SyncState``). The ClientLogin token lives in ``<data dir>/sync/<name>.token``,
mode 0600 from the moment it exists: written to a temporary file opened with ``O_EXCL`` and
mode 0600, flushed to disk, then renamed over the old one, so a crash leaves the old token or
the new one, never half of one, and no other user can ever read it.
"""

from __future__ import annotations

import os
import re
import secrets
from pathlib import Path
from urllib.parse import urlsplit

from reader.paths import Paths
from reader.sanitize import clean_line
from reader.store import Account, Store
from reader.sync.greader import GReader, SyncError

KINDS = ("greader",)
_NAME = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._@-]{0,63}$")


def token_path(paths: Paths, name: str) -> Path:
    """Where an account's token is kept."""
    return paths.data_dir / "sync" / f"{name}.token"


def default_name(url: str, user: str) -> str:
    """``user@host`` for an account not named on the command line."""
    host = urlsplit(url).hostname or "server"
    name = re.sub(r"[^A-Za-z0-9._@-]", "-", f"{user}@{host}")[:64]
    return name if _NAME.match(name) else "account"


def check_name(name: str) -> str:
    """The name if usable as a file name and a key, else ValueError."""
    if not _NAME.match(name):
        raise ValueError(
            f"account name {clean_line(name)[:80]!r}: use letters, digits and . _ @ - (1-64)"
        )
    return name


def write_token(paths: Paths, name: str, token: str) -> Path:
    """Store a token atomically, readable by the user only."""
    target = token_path(paths, name)
    target.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
    temporary = target.with_name(f".{name}.{secrets.token_hex(6)}.tmp")
    descriptor = os.open(temporary, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    try:
        with os.fdopen(descriptor, "w", encoding="utf-8") as handle:
            handle.write(token)
            handle.flush()
            os.fsync(handle.fileno())
        os.replace(temporary, target)
    except BaseException:
        temporary.unlink(missing_ok=True)
        raise
    return target


def read_token(paths: Paths, name: str) -> str | None:
    """The stored token, or None when there is none."""
    try:
        return token_path(paths, name).read_text(encoding="utf-8").strip() or None
    except FileNotFoundError:
        return None


def add_account(
    store: Store, paths: Paths, *, kind: str, url: str, user: str, password: str, name: str | None
) -> Account:
    """Log in (raises ``SyncError``/``AuthError`` with one line) and save the account."""
    if kind not in KINDS:
        raise ValueError(f"unknown account kind {kind!r} (known: {', '.join(KINDS)})")
    with GReader(url) as client:
        token = client.login(user, password)
        client.user_info()  # the token works for reading, not only for logging in
        base = client.base
    name = check_name(name or default_name(base, user))
    write_token(paths, name, token)
    return store.sync.add_account(name, kind, base, clean_line(user))


def relogin(store: Store, paths: Paths, account: Account, password: str) -> None:
    """Log in again (the server refused the stored token) and keep the new token."""
    with GReader(account.url) as client:
        token = client.login(account.username, password)
        client.user_info()
    write_token(paths, account.name, token)


def remove_account(store: Store, paths: Paths, name: str) -> int:
    """Forget an account, its token, feeds and articles; the feeds removed (-1: unknown)."""
    removed = store.sync.remove_account(name)
    token_path(paths, name).unlink(missing_ok=True)
    return removed


def connect(paths: Paths, account: Account) -> GReader:
    """A client logged in with the stored token (``SyncError`` if there is none)."""
    token = read_token(paths, account.name)
    if token is None:
        raise SyncError(f"no login saved for {account.name}; run `reader account add` again")
    return GReader(account.url, token)
