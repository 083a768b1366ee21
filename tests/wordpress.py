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
"""

from __future__ import annotations

import functools
import json
import os
import subprocess
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
START_TIMEOUT = float(os.environ.get("READER_WORDPRESS_TIMEOUT", "900"))


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
