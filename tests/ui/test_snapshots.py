"""A few SVG snapshots of the layout (update with `pytest --snapshot-update` after a review)."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from reader.paths import Paths
from reader.store import Store
from reader.widgets import article_row
from tests.ui.helpers import make_app, settle

FIXED_NOW = datetime(2026, 11, 26, 12, 0, tzinfo=UTC)


@pytest.fixture(autouse=True)
def _deterministic(monkeypatch: pytest.MonkeyPatch) -> None:
    real = article_row.short_date
    monkeypatch.setattr(article_row, "short_date", lambda iso, now=None: real(iso, FIXED_NOW))
    monkeypatch.setenv("TZ", "UTC")
    import time

    time.tzset()


async def _settle(pilot) -> None:  # type: ignore[no-untyped-def]
    app = pilot.app
    await settle(pilot, app)
    for widget in app.query("Input, TextArea"):
        widget.cursor_blink = False  # type: ignore[attr-defined]


def test_main_screen_wide(snap_compare, demo_store: Store, paths: Paths) -> None:
    assert snap_compare(make_app(demo_store, paths), terminal_size=(140, 36), run_before=_settle)


def test_main_screen_80x24(snap_compare, demo_store: Store, paths: Paths) -> None:
    assert snap_compare(make_app(demo_store, paths), terminal_size=(80, 24), run_before=_settle)


def test_composer(
    snap_compare,
    demo_store: Store,
    paths: Paths,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    import reader.widgets.composer as composer

    # The picture is of the text before its autosave: on a loaded machine the 0.4 s timer
    # fired before the snapshot now and then ("· draft #1 saved" appeared in the count line).
    monkeypatch.setattr(composer, "AUTOSAVE_DELAY", 3600.0)

    async def compose(pilot) -> None:  # type: ignore[no-untyped-def]
        await _settle(pilot)
        await pilot.press("c")
        await _settle(pilot)
        await pilot.press(*"A first thought")
        await _settle(pilot)

    assert snap_compare(make_app(demo_store, paths), terminal_size=(100, 30), run_before=compose)


def test_paper_theme_reading(snap_compare, demo_store: Store, paths: Paths) -> None:
    async def paper(pilot) -> None:  # type: ignore[no-untyped-def]
        pilot.app.theme = "reader-paper"
        await _settle(pilot)

    assert snap_compare(make_app(demo_store, paths), terminal_size=(120, 30), run_before=paper)


@pytest.mark.parametrize("size", [(80, 24), (100, 30), (200, 50)], ids=lambda s: f"{s[0]}x{s[1]}")
@pytest.mark.parametrize("panes", ["launch", "related", "feeds"])
def test_every_size_and_pane(
    snap_compare, demo_store: Store, paths: Paths, size: tuple[int, int], panes: str
) -> None:
    """The main screen at three sizes: as launched, with the related sidebar (r), with the
    feeds pane (v)."""

    async def show(pilot) -> None:  # type: ignore[no-untyped-def]
        await _settle(pilot)
        if panes != "launch":
            await pilot.press("r" if panes == "related" else "v")
            await _settle(pilot)

    assert snap_compare(make_app(demo_store, paths), terminal_size=size, run_before=show)
