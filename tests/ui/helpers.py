"""Building the real app on a real store for Pilot tests."""

from __future__ import annotations

import time
from collections.abc import Callable

from textual.pilot import Pilot

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


async def wait_for(
    pilot: Pilot[object], predicate: Callable[[], object], timeout: float = 30.0, what: str = ""
) -> None:
    """Let the app run until ``predicate()`` is true; fail with ``what`` after ``timeout`` s.

    Use this instead of a fixed ``pilot.pause(seconds)``: it returns as soon as the condition
    holds, and the timeout only guards against a hang (it is generous on purpose, so a loaded
    machine is slow but not wrong). An exception raised by ``predicate`` (a widget that is not
    mounted yet, say) counts as "not yet" and is shown if the wait times out.
    """
    deadline = time.monotonic() + timeout
    last_error: BaseException | None = None
    while True:
        try:
            if predicate():
                return
            last_error = None
        except Exception as error:  # not there yet; shown on timeout
            last_error = error
        if time.monotonic() > deadline:
            detail = f" (last error: {last_error!r})" if last_error else ""
            raise AssertionError(
                f"timed out after {timeout:g} s waiting for {what or 'the condition'}{detail}"
            )
        await pilot.pause()
