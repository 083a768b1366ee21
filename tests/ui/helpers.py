"""Building the real app on a real store for Pilot tests."""

from __future__ import annotations

from reader.app import ReaderApp
from reader.config import Config
from reader.paths import Paths
from reader.screens.main import MainScreen
from reader.store import Store


def make_app(store: Store, paths: Paths, config: Config | None = None, **kw: object) -> ReaderApp:
    """The app exactly as `reader` builds it, minus the terminal."""
    return ReaderApp(store, paths, config or Config(), **kw)  # type: ignore[arg-type]


def main_screen(app: ReaderApp) -> MainScreen:
    """The main screen (fails loudly if something else is on top)."""
    screen = app.screen
    assert isinstance(screen, MainScreen), f"expected MainScreen, got {screen!r}"
    return screen


async def settle(pilot, app: ReaderApp) -> None:  # type: ignore[no-untyped-def]
    """Wait for workers (opening articles, loading the list) and the message queue."""
    for _ in range(3):
        await app.workers.wait_for_complete()
        await pilot.pause()
