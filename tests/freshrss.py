"""pytest fixtures for the real FreshRSS 1.24.3 in ``../shared/sync`` (never a mock).

``freshrss`` (function scope) gives each test the seeded state: it runs ``start.sh`` with
``SYNC_FRESH=1`` (the data is rebuilt, ~2 s; item ids change, so tests read them from the
manifest) and returns start.sh's ``KEY=VALUE`` output plus ``manifest``. Test sessions that
run at the same time take turns: the first use takes an exclusive lock held until the session
ends, because every test changes the one server's state. When FreshRSS cannot start, the tests
are skipped with the reason, or fail when ``READER_REQUIRE_FRESHRSS=1`` (``.ci/run`` sets it).

The test command stops what it started, as ``tests/wordpress.py`` does for WordPress: if the
server did not answer before this session first used it, ``release_freshrss()`` (called by
``tests/conftest.py`` at the end of the session) runs ``stop.sh``. An instance that was already
running, or ``READER_FRESHRSS_KEEP=1`` (``.ci/run`` starts and stops it itself), is left alone.
"""

from __future__ import annotations

import fcntl
import json
import os
import subprocess
import sys
import tempfile
import urllib.request
from pathlib import Path
from typing import Any

import pytest


def _shared_sync() -> Path:
    candidates = [Path(__file__).resolve().parents[2] / "shared", Path("/work/shared")]
    if os.environ.get("READER_SHARED"):
        candidates.insert(0, Path(os.environ["READER_SHARED"]))
    for shared in candidates:
        if (shared / "sync" / "start.sh").is_file():
            return shared / "sync"
    return candidates[0] / "sync"


SYNC_DIR = _shared_sync()
PORT = os.environ.get("SYNC_PORT", "8766")
LOCK = Path(tempfile.gettempdir()) / f"reader-tests-freshrss-{PORT}.lock"
_held: Any = None
_started_by_us = False


def _answers() -> bool:
    try:
        url = f"http://127.0.0.1:{PORT}/api/greader.php"
        with urllib.request.urlopen(url, timeout=10) as answer:
            return answer.status == 200
    except OSError:
        return False


def _unavailable(reason: str) -> None:
    if os.environ.get("READER_REQUIRE_FRESHRSS") == "1":
        pytest.fail(f"FreshRSS is required (READER_REQUIRE_FRESHRSS=1): {reason}", pytrace=False)
    pytest.skip(f"FreshRSS not available: {reason}")


class FreshRSS(dict):
    """start.sh's variables and the manifest, with what tests do to the server."""

    def actualize(self) -> str:
        """Make FreshRSS fetch its feeds now."""
        done = subprocess.run(
            ["bash", str(SYNC_DIR / "actualize.sh")],
            capture_output=True,
            text=True,
            stdin=subprocess.DEVNULL,
            timeout=300,
            check=True,
        )
        return done.stdout

    def item(self, feed_key: str, n: int) -> dict[str, Any]:
        """The manifest entry of item ``n`` of a feed."""
        feed = next(f for f in self["manifest"]["feeds"] if f["key"] == feed_key)
        return next(i for i in feed["items"] if i["n"] == n)


def start_fresh() -> FreshRSS:
    """Seeded FreshRSS for one test (the session's lock held from the first call)."""
    global _held, _started_by_us
    if not (SYNC_DIR / "start.sh").is_file():
        _unavailable(f"{SYNC_DIR / 'start.sh'} not found")
    if _held is None:
        _held = open(LOCK, "w")  # held until the session ends
        fcntl.flock(_held, fcntl.LOCK_EX)
        _started_by_us = not _answers() and os.environ.get("READER_FRESHRSS_KEEP") != "1"
    env = {**os.environ, "SYNC_FRESH": "1", "SYNC_SELFTEST": "0"}
    try:
        done = subprocess.run(
            ["bash", str(SYNC_DIR / "start.sh")],
            capture_output=True,
            text=True,
            stdin=subprocess.DEVNULL,
            env=env,
            timeout=900,
            check=False,
        )
    except (OSError, subprocess.TimeoutExpired) as error:
        _unavailable(f"start.sh did not finish: {error}")
    if done.returncode != 0:
        _unavailable(f"start.sh exited {done.returncode}: {done.stderr.strip()[-400:]}")
    values = FreshRSS(line.split("=", 1) for line in done.stdout.splitlines() if "=" in line)
    with open(values["SYNC_MANIFEST"], encoding="utf-8") as handle:
        values["manifest"] = json.load(handle)
    return values


@pytest.fixture
def freshrss() -> FreshRSS:
    """The real FreshRSS, freshly seeded."""
    return start_fresh()


def release_freshrss() -> None:
    """End of session: stop FreshRSS if this session started it; free the lock."""
    global _held, _started_by_us
    if _held is None:
        return
    if _started_by_us:
        done = subprocess.run(
            ["bash", str(SYNC_DIR / "stop.sh")],
            capture_output=True,
            text=True,
            stdin=subprocess.DEVNULL,
            timeout=300,
            check=False,
        )
        if done.returncode != 0:
            print(f"sync stop.sh exited {done.returncode}:\n{done.stderr}", file=sys.stderr)
    _started_by_us = False
    _held.close()
    _held = None
