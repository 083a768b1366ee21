"""pytest fixtures for the real WordPress in ``../shared/wordpress`` (never a mock).

``wordpress`` (session scope) runs ``start.sh`` (idempotent: a running instance is reused) and
returns its ``KEY=VALUE`` output as a dict (``WP_URL``, ``WP_MANIFEST``, ``WP_APP_PASSWORD`` ...)
plus ``manifest``, the parsed manifest; the dict also has helper methods (``post``,
``rest_comments``, ``store_post``, ``closed_port``) so test modules need no import from here.
When WordPress cannot start the tests are skipped with the reason, or fail when
``READER_REQUIRE_WORDPRESS=1`` (CI sets it, so a broken server is never a silent skip).

``wp_comment_marker`` is a per-session token to put into every comment text: at the end of the
session every comment containing it is deleted (admin application password), so the shared
instance goes back to what its manifest describes for the other test modules.

Use from a test module: ``pytest_plugins = ("tests.wordpress",)``.

The test command stops what it started: if WordPress did not answer before this session ran
``start.sh``, ``release_wordpress()`` (called by ``tests/conftest.py`` when the session ends) runs
``stop.sh``. Sessions that run at the same time share the instance, so each registers its pid in
``$TMPDIR/reader-tests-wordpress-$WP_PORT/``; the last one to finish stops it, and only if a test
session started it. An instance that was already running (started by hand, or by ``.ci/run``,
which also sets ``READER_WORDPRESS_KEEP=1``) is left running.
"""

from __future__ import annotations

import contextlib
import fcntl
import functools
import json
import os
import subprocess
import sys
import tempfile
import urllib.request
import uuid
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest


def _start_sh() -> Path:
    """start.sh: $READER_WORDPRESS_DIR, $READER_SHARED/wordpress (.ci/run), or ../shared."""
    if os.environ.get("READER_WORDPRESS_DIR"):
        return Path(os.environ["READER_WORDPRESS_DIR"]) / "start.sh"
    candidates = [Path(__file__).resolve().parents[2] / "shared", Path("/work/shared")]
    if os.environ.get("READER_SHARED"):
        candidates.insert(0, Path(os.environ["READER_SHARED"]))
    for shared in candidates:
        if (shared / "wordpress" / "start.sh").is_file():
            return shared / "wordpress" / "start.sh"
    return candidates[0] / "wordpress" / "start.sh"


START_SH = _start_sh()
STOP_SH = START_SH.with_name("stop.sh")
START_TIMEOUT = float(os.environ.get("READER_WORDPRESS_TIMEOUT", "900"))
WP_PORT = os.environ.get("WP_PORT", "8765")
SESSIONS = Path(tempfile.gettempdir()) / f"reader-tests-wordpress-{WP_PORT}"
"""Bookkeeping shared by concurrent test sessions: ``users/<pid>``, ``started-by-tests``."""
STARTED_BY_TESTS = SESSIONS / "started-by-tests"


class WordPress(dict):
    """start.sh's variables, the manifest, and helpers the comment tests share."""

    def post(self, post_id: int) -> dict[str, Any]:
        """The manifest entry of a post."""
        return next(p for p in self["manifest"]["posts"] if p["id"] == post_id)

    def admin_auth(self) -> tuple[str, str]:
        """HTTP Basic credentials (application password) for the REST API."""
        return (self.get("WP_ADMIN_USER", "admin"), self["WP_APP_PASSWORD"])

    def store_post(self, store: Any, post_id: int, html: bytes | None = None) -> Any:
        """Put a post into a real store with its page HTML (fetched unless given)."""
        import httpx

        entry = self.post(post_id)
        if html is None:
            html = httpx.get(entry["link"], timeout=30).content
        feed, _new = store.feeds.add(f"{self['WP_URL']}/feed/", title="The Loopback Ledger")
        store.articles.upsert(feed.id, [ArticleItem(entry["link"], entry["title"])])
        record = store.articles.by_url(entry["link"])
        store.articles.set_page(record.id, html)
        return store.articles.get(record.id)

    def rest_comments(
        self, post_id: int, *, admin: bool = False, **params: Any
    ) -> list[dict[str, Any]]:
        """Comments of a post straight from ``/wp-json/wp/v2/comments`` (what the world sees)."""
        import httpx

        answer = httpx.get(
            f"{self['WP_URL']}/wp-json/wp/v2/comments",
            params={"post": post_id, "per_page": 100, **params},
            auth=self.admin_auth() if admin else None,
            timeout=30,
        )
        answer.raise_for_status()
        return answer.json()

    @staticmethod
    def closed_port() -> int:
        """A loopback port nothing listens on (connections are refused)."""
        import socket

        with socket.socket() as sock:
            sock.bind(("127.0.0.1", 0))
            return sock.getsockname()[1]


class ArticleItem:
    """The fields ``store.articles.upsert`` reads from a feed item."""

    def __init__(self, url: str, title: str) -> None:
        self.guid = url
        self.url = url
        self.title = title
        self.author = None
        self.published = None
        self.updated = None
        self.summary_html = None
        self.content_html = None


def _unavailable(reason: str) -> None:
    if os.environ.get("READER_REQUIRE_WORDPRESS") == "1":
        pytest.fail(f"WordPress is required (READER_REQUIRE_WORDPRESS=1): {reason}", pytrace=False)
    pytest.skip(f"WordPress not available: {reason}")


@pytest.fixture(scope="session")
def wordpress() -> WordPress:
    """Start (or reuse) the shared WordPress and describe it."""
    return start_wordpress()


@functools.cache
def start_wordpress() -> WordPress:
    """Run start.sh once per session (it is idempotent); skip, or fail in CI, if it cannot."""
    if not START_SH.is_file():
        _unavailable(f"{START_SH} not found")
    _register_session()
    env = dict(os.environ)
    env.setdefault("WP_SELFTEST", "0")  # the self-test adds ~2 s and the tests check more
    try:
        done = subprocess.run(
            ["bash", str(START_SH)],
            check=False,
            capture_output=True,
            text=True,
            stdin=subprocess.DEVNULL,
            env=env,
            timeout=START_TIMEOUT,
        )
    except (OSError, subprocess.TimeoutExpired) as error:
        _unavailable(f"start.sh did not finish: {error}")
    if done.returncode != 0:
        tail = "\n".join(done.stderr.strip().splitlines()[-5:])
        _unavailable(f"start.sh exited with {done.returncode}:\n{tail}")
    values = WordPress(line.split("=", 1) for line in done.stdout.splitlines() if "=" in line)
    if "WP_URL" not in values or "WP_MANIFEST" not in values:
        _unavailable(f"start.sh printed no WP_URL/WP_MANIFEST: {done.stdout[:200]!r}")
    with open(values["WP_MANIFEST"], encoding="utf-8") as handle:
        values["manifest"] = json.load(handle)
    return values


@pytest.fixture(scope="session")
def wp_comment_marker(wordpress: WordPress) -> Iterator[str]:
    """A token for comment texts; comments carrying it are deleted when the session ends."""
    marker = f"rdrtest{uuid.uuid4().hex[:12]}"
    yield marker
    _delete_marked(wordpress, marker)


def _delete_marked(wp: WordPress, marker: str) -> None:
    import httpx

    api = f"{wp['WP_URL']}/wp-json/wp/v2/comments"
    with httpx.Client(auth=wp.admin_auth(), timeout=30) as client:
        for status in ("approve", "hold", "spam"):
            for _round in range(20):
                answer = client.get(
                    api, params={"search": marker, "status": status, "per_page": 100}
                )
                items = answer.json() if answer.status_code == 200 else []
                if not items:
                    break
                for item in items:
                    client.delete(f"{api}/{item['id']}", params={"force": "true"})


# -- stopping what this test command started ----------------------------------------------------

_registered = False


def _answers() -> bool:
    """Whether a WordPress answers on WP_PORT already."""
    try:
        with urllib.request.urlopen(f"http://127.0.0.1:{WP_PORT}/wp-json/", timeout=10) as answer:
            return answer.status == 200
    except OSError:
        return False


@contextlib.contextmanager
def _sessions_lock() -> Iterator[None]:
    (SESSIONS / "users").mkdir(parents=True, exist_ok=True)
    with open(SESSIONS / ".lock", "w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        yield


def _other_sessions() -> list[int]:
    """Live test sessions registered besides this one (files of dead ones are removed)."""
    others = []
    for entry in (SESSIONS / "users").iterdir():
        pid = int(entry.name) if entry.name.isdigit() else 0
        if pid == os.getpid():
            continue
        if pid > 0 and _alive(pid):
            others.append(pid)
        else:
            entry.unlink(missing_ok=True)
    return others


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:  # someone else's process: alive
        return True
    return True


def _register_session() -> None:
    """Note this session as a user; remember whether a test session is starting WordPress."""
    global _registered
    if _registered or os.environ.get("READER_WORDPRESS_KEEP") == "1":
        return
    with _sessions_lock():
        others = _other_sessions()
        if not _answers():
            STARTED_BY_TESTS.touch()  # start.sh is about to start it: ours to stop
        elif not others:
            STARTED_BY_TESTS.unlink(missing_ok=True)  # running, and not for a test session
        (SESSIONS / "users" / str(os.getpid())).touch()
        _registered = True


def release_wordpress() -> None:
    """End of session: stop WordPress if a test session started it and no other one uses it."""
    global _registered
    if not _registered:
        return
    with _sessions_lock():
        (SESSIONS / "users" / str(os.getpid())).unlink(missing_ok=True)
        _registered = False
        others = _other_sessions()
        if not STARTED_BY_TESTS.exists():
            return
        if others:
            print(f"WordPress left running for test sessions {others}", file=sys.stderr)
            return
        env = dict(os.environ)
        if start_wordpress.cache_info().currsize:
            env["WP_STATE_DIR"] = start_wordpress()["WP_STATE_DIR"]
        done = subprocess.run(
            ["bash", str(STOP_SH)],
            capture_output=True,
            text=True,
            stdin=subprocess.DEVNULL,
            env=env,
            timeout=300,
            check=False,
        )
        if done.returncode == 0:
            STARTED_BY_TESTS.unlink(missing_ok=True)
        else:
            print(f"stop.sh exited {done.returncode}:\n{done.stderr}", file=sys.stderr)
