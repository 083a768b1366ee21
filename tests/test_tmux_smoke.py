"""End to end: the installed `reader` command in a real terminal (tmux), as a user runs it."""

from __future__ import annotations

import os
import shutil
import sqlite3
import subprocess
import sys
import time
import uuid
from collections.abc import Iterator
from contextlib import closing
from pathlib import Path

import pytest

pytestmark = pytest.mark.tmux

READER = Path(sys.executable).parent / "reader"


def tmux(*args: str) -> str:
    return subprocess.run(
        ["tmux", *args], check=True, capture_output=True, text=True, timeout=10
    ).stdout


@pytest.fixture
def session(tmp_path: Path) -> Iterator[tuple[str, Path]]:
    if shutil.which("tmux") is None:
        if os.environ.get("CI") or os.environ.get("READER_REQUIRE_WORDPRESS"):
            pytest.fail("tmux is required in CI")
        pytest.skip("tmux is not installed")
    assert READER.exists(), f"{READER} is not installed"
    name = f"reader-{uuid.uuid4().hex[:8]}"
    yield name, tmp_path / "home"
    subprocess.run(["tmux", "kill-session", "-t", name], capture_output=True)


def start(name: str, home: Path, width: int = 100, height: int = 30) -> None:
    tmux(
        "new-session",
        "-d",
        "-s",
        name,
        "-x",
        str(width),
        "-y",
        str(height),
        f"env -u COLUMNS -u LINES READER_HOME={home} TERM=xterm-256color {READER}",
    )


def screen(name: str) -> str:
    return tmux("capture-pane", "-p", "-t", name)


HANG_S = 60.0
"""How long a wait may take before it counts as a hang (generous: a loaded machine is slow)."""


def wait_for(name: str, text: str, timeout: float = HANG_S) -> str:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        shown = screen(name)
        if text in shown:
            return shown
        time.sleep(0.1)
    raise AssertionError(f"{text!r} never appeared; screen:\n{screen(name)}")


def alive(name: str) -> bool:
    return subprocess.run(["tmux", "has-session", "-t", name], capture_output=True).returncode == 0


def draft_bodies(home: Path) -> list[str]:
    """The drafts on disk right now (read straight from SQLite while the app runs)."""
    with closing(sqlite3.connect(home / "data" / "reader.db", timeout=30)) as db:
        return [row[0] for row in db.execute("SELECT body FROM drafts ORDER BY id")]


def wait_for_drafts(home: Path, bodies: list[str]) -> None:
    """Wait until the autosave has put exactly ``bodies`` on disk."""
    deadline = time.monotonic() + HANG_S
    while (found := draft_bodies(home)) != bodies:
        assert time.monotonic() < deadline, f"drafts on disk: {found!r}, expected {bodies!r}"
        time.sleep(0.05)


def gone(pid: int) -> bool:
    """Whether process ``pid`` has exited (a zombie waiting to be reaped has)."""
    try:
        stat = Path(f"/proc/{pid}/stat").read_text()
    except OSError:
        return True
    return stat.rpartition(")")[2].split()[0] == "Z"


def test_launch_navigate_compose_quit_and_draft_survives(session: tuple[str, Path]) -> None:
    name, home = session
    start(name, home)
    wait_for(name, "Lanterns and Dumplings")
    wait_for(name, "Home »")
    wait_for(name, "Demo site")
    tmux("send-keys", "-t", name, "j")
    wait_for(name, "repair café, on ne jette plus")
    tmux("send-keys", "-t", name, "c")
    wait_for(name, "Autosaved · esc")
    tmux("send-keys", "-t", name, "-l", "Typed in tmux")
    wait_for(name, "Typed in tmux")
    tmux("send-keys", "-t", name, "Escape")
    wait_for(name, "Draft saved")
    tmux("send-keys", "-t", name, "q")
    deadline = time.monotonic() + HANG_S
    while alive(name) and time.monotonic() < deadline:
        time.sleep(0.1)
    assert not alive(name), "reader did not quit on q"
    log = (home / "cache" / "reader.log").read_text()
    assert "started in" in log
    start(name, home)
    wait_for(name, "Home »")
    tmux("send-keys", "-t", name, "j")
    wait_for(name, "repair café, on ne jette plus")
    tmux("send-keys", "-t", name, "c")
    wait_for(name, "Typed in tmux")
    tmux("send-keys", "-t", name, "Escape")
    tmux("send-keys", "-t", name, "q")


def test_small_terminal_shows_a_message(session: tuple[str, Path]) -> None:
    name, home = session
    start(name, home, 50, 12)
    wait_for(name, "needs at least")
    tmux("send-keys", "-t", name, "q")


def test_sigkill_mid_typing_keeps_everything_older_than_the_debounce(
    session: tuple[str, Path],
) -> None:
    import signal

    from reader.store import Store

    name, home = session
    start(name, home)
    wait_for(name, "Home »")
    tmux("send-keys", "-t", name, "c")
    wait_for(name, "Autosaved · esc")
    # Wait for each debounced autosave to reach the disk rather than sleeping past the delay:
    # what was saved before the crash must survive it.
    tmux("send-keys", "-t", name, "-l", "First sentence.")
    wait_for_drafts(home, ["First sentence."])
    tmux("send-keys", "-t", name, "-l", " Second sentence.")
    wait_for_drafts(home, ["First sentence. Second sentence."])
    tmux("send-keys", "-t", name, "-l", " Lost")  # typed just before the crash
    pid = int(tmux("display", "-p", "-t", name, "#{pane_pid}").strip())
    os.kill(pid, signal.SIGKILL)
    deadline = time.monotonic() + HANG_S
    while not gone(pid):
        assert time.monotonic() < deadline, f"reader (pid {pid}) outlived SIGKILL"
        time.sleep(0.05)
    store = Store.open(home / "data" / "reader.db")
    try:
        bodies = [draft.body for draft in store.drafts.all()]
    finally:
        store.close()
    assert len(bodies) == 1
    assert bodies[0].startswith("First sentence. Second sentence.")


def test_keys_typed_right_after_tab_land_in_the_field_tab_moved_to(
    session: tuple[str, Path],
) -> None:
    """One send-keys call, as a paste or a script types: tab must move focus as it is read."""
    name, home = session
    start(name, home, 120, 36)
    wait_for(name, "min read")  # the first article is on the pane: c has one to comment on
    tmux("send-keys", "-t", name, "c")
    wait_for(name, "Autosaved · esc")
    tmux("send-keys", "-t", name, "Body", "Tab", "Ada", "Tab", "ada@example.test", "Tab", "web")
    shown = wait_for(name, "ada@example.test")
    fields = next(line for line in shown.splitlines() if "ada@example.test" in line)
    cells = [part.strip(" ▊▎│") for part in fields.split("▎▊")]
    assert cells[:3] == ["Ada", "ada@example.test", "web"], fields
    assert any("Body" in line and "Ada" not in line for line in shown.splitlines())
