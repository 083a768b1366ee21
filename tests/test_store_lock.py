"""reader.store.lock: one refresh per cache, freed by the kernel when its holder dies."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from reader.store.lock import Holder, RefreshBusy, RefreshLock

HOLD = (
    "import sys, time; from reader.store.lock import RefreshLock; "
    "RefreshLock(sys.argv[1]).acquire(); print('held', flush=True); time.sleep(600)"
)


def hold_in_another_process(db: Path) -> subprocess.Popen[str]:
    process = subprocess.Popen(
        [sys.executable, "-c", HOLD, str(db)], stdout=subprocess.PIPE, text=True
    )
    assert process.stdout is not None and process.stdout.readline() == "held\n"
    return process


def test_a_killed_holder_leaves_no_stale_lock(tmp_path: Path) -> None:
    db = tmp_path / "reader.db"
    holder = hold_in_another_process(db)
    try:
        with pytest.raises(RefreshBusy) as busy:
            RefreshLock(db).acquire()
        assert busy.value.holder.pid == holder.pid
        assert str(busy.value).startswith(f"another refresh is running (pid {holder.pid}, ")
        assert str(busy.value).endswith(" ago); try again when it ends")
    finally:
        holder.send_signal(signal.SIGKILL)
        holder.wait()
    lock = RefreshLock(db)
    lock.acquire()  # at once: the kernel dropped the dead process's lock
    try:
        assert Path(f"{db}.refresh.lock").read_text().split()[0] == str(os.getpid())
    finally:
        lock.release()
    assert Path(f"{db}.refresh.lock").read_text() == ""


def test_waiting_gives_up_after_the_time_given(tmp_path: Path) -> None:
    db = tmp_path / "reader.db"
    first = RefreshLock(db)
    first.acquire()
    try:
        started = time.monotonic()
        with pytest.raises(RefreshBusy, match=r"; waited [0-9.]+ s; try again when it ends$"):
            RefreshLock(db).acquire(wait=0.3)
        assert time.monotonic() - started >= 0.3
    finally:
        first.release()
    with RefreshLock(db) as second:  # free again
        assert second.held


def test_two_locks_in_one_process_exclude_each_other(tmp_path: Path) -> None:
    """flock belongs to the open file: the TUI's second R sees its own first refresh."""
    db = tmp_path / "reader.db"
    with RefreshLock(db), pytest.raises(RefreshBusy) as busy:
        RefreshLock(db).acquire()
    assert busy.value.holder.pid == os.getpid()


def test_an_in_memory_store_needs_no_lock() -> None:
    with RefreshLock(":memory:") as one, RefreshLock(":memory:") as two:
        assert one.held and two.held


def test_holder_descriptions() -> None:
    assert Holder(12, 1000.0).describe(now=1012.0) == "pid 12, started 12 s ago"
    assert Holder(12, 1000.0).describe(now=1000.0 + 600) == "pid 12, started 10 min ago"
    assert Holder(12, 0.0).describe(now=3 * 3600 + 300.0) == "pid 12, started 3 h 5 min ago"
    assert Holder(None, None).describe() == ""
    assert str(RefreshBusy(Holder(None, None))) == (
        "another refresh is running; try again when it ends"
    )
