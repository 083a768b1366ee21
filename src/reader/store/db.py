"""The SQLite connection: WAL, schema version, migrations, and refusal to touch foreign files.

One ``Database`` per process holds one connection guarded by a lock, so thread workers and the
event loop can share it. WAL mode plus a busy timeout lets a second running instance read and write
without corrupting anything; the worst it gets is a short wait.
"""

from __future__ import annotations

import sqlite3
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from reader.store.schema import MIGRATIONS, SCHEMA_VERSION

SQLITE_MAGIC = b"SQLite format 3\x00"
BUSY_TIMEOUT = 60.0
"""Seconds a write waits for another process's write transaction (reads never wait: WAL).

Measured with tests/test_two_processes.py's loops beside `reader refresh` (2 cores): a draft save
waited at most 0.01 s beside 40 feeds of 30 items, 0.2 s beside 500 feeds, 1.8-2.7 s beside
feeds of 4000-8000 items (the store process commits up to 16 waiting feeds at once); reads took
at most 0.2 s. 10 s was the old value; a write that gives up loses what it carried (a draft the
composer was saving), so the limit is far above anything measured rather than just above it.
"""


class StoreError(Exception):
    """The store cannot be opened or used; the message names the file and what to do."""


def _check_header(path: Path) -> None:
    """Refuse files that are not SQLite databases before SQLite gets a chance to touch them."""
    try:
        with path.open("rb") as handle:
            head = handle.read(len(SQLITE_MAGIC))
    except OSError as error:
        raise StoreError(f"cannot read the database {path}: {error.strerror or error}") from error
    if head and head != SQLITE_MAGIC:
        raise StoreError(
            f"{path} is not a reader database (not an SQLite file). It was left untouched; "
            "move it away or use --home DIR to start with a fresh store."
        )


class Database:
    """A migrated SQLite connection shared across threads behind a lock."""

    def __init__(self, path: Path | str) -> None:
        self.path = Path(path)
        self._lock = threading.RLock()
        self._depth = 0  # open savepoints (nested transactions)
        memory = str(path) == ":memory:"
        if not memory:
            if self.path.exists():
                _check_header(self.path)
            else:
                self.path.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
        try:
            self.conn = sqlite3.connect(
                str(path), timeout=BUSY_TIMEOUT, check_same_thread=False, isolation_level=None
            )
            self.conn.row_factory = sqlite3.Row
            self.conn.execute(f"PRAGMA busy_timeout = {int(BUSY_TIMEOUT * 1000)}")
            if not memory:
                _wal(self.conn)
            self.conn.execute("PRAGMA synchronous = NORMAL")
            self.conn.execute("PRAGMA foreign_keys = ON")
            self._migrate()
        except sqlite3.DatabaseError as error:
            raise StoreError(
                f"the database {self.path} is unreadable ({error}). It was left untouched; "
                "move it away or use --home DIR to start with a fresh store."
            ) from error

    @property
    def version(self) -> int:
        """The schema version stored in the file (``PRAGMA user_version``)."""
        return int(self.conn.execute("PRAGMA user_version").fetchone()[0])

    def _migrate(self) -> None:
        """Bring the file up to ``SCHEMA_VERSION``, one transaction per step.

        Each step re-reads the version under the write lock: two processes opening an old (or
        new) file at once (the TUI and a cron refresh after an upgrade) must not both run it.
        """
        current = self.version
        if current > SCHEMA_VERSION:
            raise StoreError(
                f"the database {self.path} was written by a newer reader "
                f"(schema {current}, this one knows {SCHEMA_VERSION}); upgrade reader."
            )
        for version in range(current + 1, SCHEMA_VERSION + 1):
            step = MIGRATIONS[version]
            with self.transaction() as conn:
                if self.version >= version:  # another process got the write lock first
                    continue
                if callable(step):  # a step in Python (the text cleanup of version 10)
                    step(conn)
                else:
                    for statement in _statements(step):
                        conn.execute(statement)
                conn.execute(f"PRAGMA user_version = {version}")

    @contextmanager
    def transaction(self) -> Iterator[sqlite3.Connection]:
        """Run a block in one IMMEDIATE transaction (rolled back on error).

        Nested inside another ``transaction()`` of this connection, the block becomes a
        savepoint: its error undoes only its own writes, and nothing is committed until the
        outer block ends. The refresh's store process uses this to commit many feeds at once
        (fewer, larger commits write less WAL) while each feed still fails alone.
        """
        with self._lock:
            if self.conn.in_transaction:
                self._depth += 1
                name = f"nested_{self._depth}"
                self.conn.execute(f"SAVEPOINT {name}")
                try:
                    yield self.conn
                except BaseException:
                    self.conn.execute(f"ROLLBACK TO {name}")
                    self.conn.execute(f"RELEASE {name}")
                    raise
                else:
                    self.conn.execute(f"RELEASE {name}")
                finally:
                    self._depth -= 1
                return
            self.conn.execute("BEGIN IMMEDIATE")
            try:
                yield self.conn
            except BaseException:
                self.conn.execute("ROLLBACK")
                raise
            else:
                self.conn.execute("COMMIT")

    def query(self, sql: str, params: tuple | dict = ()) -> list[sqlite3.Row]:
        """Run a read query and return every row."""
        with self._lock:
            return self.conn.execute(sql, params).fetchall()

    def query_one(self, sql: str, params: tuple | dict = ()) -> sqlite3.Row | None:
        """Run a read query and return the first row or None."""
        with self._lock:
            return self.conn.execute(sql, params).fetchone()

    def column(self, sql: str, params: tuple | dict = ()) -> list:
        """Run a query and return its first column as a plain list (no Row objects: fast)."""
        with self._lock:
            cursor = self.conn.cursor()
            cursor.row_factory = None
            return [row[0] for row in cursor.execute(sql, params)]

    def execute(self, sql: str, params: tuple | dict = ()) -> sqlite3.Cursor:
        """Run one write statement in its own transaction."""
        with self.transaction() as conn:
            return conn.execute(sql, params)

    def close(self) -> None:
        """Close the connection (checkpointing the WAL)."""
        with self._lock:
            self.conn.close()


def _wal(conn: sqlite3.Connection) -> None:
    """Switch to WAL; retried, because SQLite answers "locked" without waiting when two
    processes create the same new file at once (measured: 1 in ~150 three-way races)."""
    for attempt in range(100):
        try:
            conn.execute("PRAGMA journal_mode = WAL")
            return
        except sqlite3.OperationalError as error:
            if "locked" not in str(error) or attempt == 99:
                raise
            time.sleep(0.05)


def _statements(script: str) -> list[str]:
    """Split a migration script into statements (sqlite3 cannot run scripts inside BEGIN)."""
    statements: list[str] = []
    buffer = ""
    for line in script.splitlines(keepends=True):
        buffer += line
        if sqlite3.complete_statement(buffer):
            if buffer.strip():
                statements.append(buffer.strip())
            buffer = ""
    if buffer.strip():
        statements.append(buffer.strip())
    return statements
