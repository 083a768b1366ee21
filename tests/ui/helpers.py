"""Building the real app on a real store for Pilot tests, and the Pilot steps they repeat."""

from __future__ import annotations

import time
from collections.abc import Callable
from typing import TypeVar

from textual.pilot import Pilot
from textual.screen import Screen

from reader.app import ReaderApp
from reader.config import Config
from reader.paths import Paths
from reader.screens.dialogs.compose import ComposeScreen
from reader.screens.main import MainScreen
from reader.store import Store
from reader.widgets.composer import DraftTextArea

DialogT = TypeVar("DialogT", bound=Screen[object])


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


async def open_dialog(
    pilot: Pilot[object], app: ReaderApp, key: str, dialog: type[DialogT]
) -> DialogT:
    """Press ``key`` and wait until ``dialog`` is on top with a widget focused (ready for keys:
    keys pressed before that would go to the screen below); return it."""
    await pilot.press(key)
    await wait_for(
        pilot,
        lambda: isinstance(app.screen, dialog) and app.screen.focused is not None,
        what=f"the {dialog.__name__}",
    )
    assert isinstance(app.screen, dialog)
    return app.screen


async def open_composer(pilot: Pilot[object], app: ReaderApp) -> ComposeScreen:
    """Press ``c`` (comment, or reply to the focused comment) and wait until the composer's
    text area is there; return the compose dialog."""
    await pilot.press("c")
    await wait_for(pilot, lambda: app.screen.query_one(DraftTextArea), what="the composer")
    assert isinstance(app.screen, ComposeScreen)
    return app.screen


def text_area(dialog: ComposeScreen) -> DraftTextArea:
    """The composer's text area."""
    return dialog.query_one(DraftTextArea)


def notifications(app: ReaderApp) -> list[str]:
    """The text of every notification shown so far, oldest first."""
    return [notification.message for notification in app._notifications]
