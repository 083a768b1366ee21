"""Shared fixtures: a private READER_HOME per test, a real store file, the demo site.

Also: Hypothesis without wall-clock deadlines (speed is for the `slow` tests), and WordPress
and FreshRSS stopped when the session ends if this test command started them
(``tests.wordpress``, ``tests.freshrss``)."""

from __future__ import annotations

import sys
from collections.abc import AsyncIterator, Iterator
from pathlib import Path
from typing import TYPE_CHECKING

import pytest
from hypothesis import HealthCheck, settings

from reader.paths import Paths, resolve_paths
from reader.store import Store

if TYPE_CHECKING:
    import httpx

    from tests.wordpress import WordPress

# Hypothesis times every example (a 200 ms deadline) and health-checks how fast data is made:
# both are wall-clock asserts that a busy machine fails. Speed is checked by the `slow` tests.
settings.register_profile("reader", deadline=None, suppress_health_check=[HealthCheck.too_slow])
settings.load_profile("reader")


@pytest.fixture(scope="session", autouse=True)
def _stop_servers_we_started() -> Iterator[None]:
    """At the end of the session, stop the shared WordPress and FreshRSS if this session
    started them.

    ``tests.wordpress`` is looked up, not imported: only a session that used it has anything to
    stop, and importing it here would keep pytest from rewriting its asserts.
    """
    yield
    wordpress = sys.modules.get("tests.wordpress")
    if wordpress is not None:
        wordpress.release_wordpress()
    freshrss = sys.modules.get("tests.freshrss")
    if freshrss is not None:
        freshrss.release_freshrss()


@pytest.fixture(autouse=True)
def _isolated(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    """Never touch the real user dirs; keep themes and colours deterministic."""
    monkeypatch.setenv("READER_HOME", str(tmp_path / "home"))
    monkeypatch.delenv("TEXTUAL_THEME", raising=False)
    monkeypatch.delenv("NO_COLOR", raising=False)


@pytest.fixture
def paths(tmp_path: Path) -> Paths:
    """Resolved, created paths under the test's READER_HOME."""
    return resolve_paths(tmp_path / "home").ensure()


@pytest.fixture
def store(paths: Paths) -> Iterator[Store]:
    """An empty store in a real SQLite file."""
    opened = Store.open(paths.db_file)
    yield opened
    opened.close()


@pytest.fixture
def demo_store(store: Store) -> Store:
    """The store with the bundled demo site installed."""
    from reader.seed import install_demo

    install_demo(store)
    return store


@pytest.fixture
async def client() -> AsyncIterator[httpx.AsyncClient]:
    """The app's own HTTP client (``reader.net.client.make_client``), closed after the test."""
    from reader.net.client import make_client

    async with make_client() as opened:
        yield opened


@pytest.fixture
def wp(wordpress: WordPress) -> WordPress:
    """The real WordPress (``tests.wordpress``; a test module imports ``wordpress`` to use it)."""
    return wordpress
