"""End to end, the daily keys: the feeds pane's counts, mark all read and undo, unread only.

The installed `reader` runs on the bundled demo (14 unread articles, one feed) in a real
80×24 terminal (tmux). Every step waits for what the screen (and the cache file) should show:
nothing here depends on how fast the machine is.
"""

from __future__ import annotations

import os
import re
import shutil
import sqlite3
import subprocess
import time
import uuid
from collections.abc import Callable, Iterator
from contextlib import closing
from dataclasses import dataclass
from pathlib import Path

import pytest

from tests.test_tmux_smoke import HANG_S, READER, screen, start, tmux, wait_for

pytestmark = pytest.mark.tmux

WIDTH, HEIGHT = 80, 24
DEMO_ARTICLES = 14
ROW = re.compile(r"^ ([● ])([★ ]) (\S.*?)\s*$")
"""One article list row: `` ●★ Title…`` (unread mark, saved mark, the title cut to fit)."""
UNREAD_ROW = re.compile(r"^[▸ ] Unread\s*(\d*)\s*$")


@dataclass(frozen=True)
class Row:
    """One row of the article list as the terminal shows it."""

    unread: bool
    saved: bool
    title: str
    """As shown: cut to the column, without the trailing ``…``."""


@pytest.fixture
def demo(tmp_path: Path) -> Iterator[tuple[str, Path]]:
    """The app on the demo (a fresh READER_HOME) at 80×24 in tmux: session name and home."""
    if shutil.which("tmux") is None:
        if os.environ.get("CI"):
            pytest.fail("tmux is required in CI")
        pytest.skip("tmux is not installed")
    assert READER.exists(), f"{READER} is not installed"
    name, home = f"reader-daily-{uuid.uuid4().hex[:8]}", tmp_path / "home"
    start(name, home, WIDTH, HEIGHT)
    yield name, home
    subprocess.run(["tmux", "kill-session", "-t", name], capture_output=True)


def columns(shown: str) -> list[list[str]]:
    """Each screen line cut into its panes (a toast's ``▌`` edge ends the line)."""
    return [line.split("▌")[0].split("▕") for line in shown.splitlines()]


def list_rows(shown: str, *, feeds_pane: bool) -> list[Row]:
    """The article list's rows (the list is the second column when the feeds pane shows)."""
    index = 1 if feeds_pane else 0
    rows = []
    for parts in columns(shown)[: HEIGHT - 2]:  # the status bar and the footer are no rows
        if len(parts) > max(1, index) and (match := ROW.match(parts[index])):
            unread, saved, title = match.groups()
            rows.append(Row(unread == "●", saved == "★", title.rstrip("…").rstrip()))
    return rows


def pane_unread(shown: str) -> int | None:
    """The Unread row's count in the feeds pane (0 when blank), None if the pane is hidden."""
    for parts in columns(shown):
        if len(parts) >= 3 and (match := UNREAD_ROW.match(parts[0])):
            return int(match.group(1) or 0)
    return None


def pane_count(shown: str, label: str) -> int | None:
    """The count on the feeds pane's row whose label starts with ``label``."""
    pattern = re.compile(rf"^[▸ ] +{re.escape(label)}.*?(\d*)\s*$")
    for parts in columns(shown):
        if len(parts) >= 3 and (match := pattern.match(parts[0])):
            return int(match.group(1) or 0)
    return None


def wait_until(name: str, check: Callable[[str], bool], what: str) -> str:
    """Wait until ``check(screen)`` holds; fail with the screen after HANG_S."""
    deadline = time.monotonic() + HANG_S
    while time.monotonic() < deadline:
        shown = screen(name)
        if check(shown):
            return shown
        time.sleep(0.1)
    raise AssertionError(f"never: {what}; screen:\n{screen(name)}")


def db_articles(home: Path) -> list[tuple[str, bool]]:
    """(title, read) of every article in the cache, newest first (the list's order)."""
    with closing(sqlite3.connect(home / "data" / "reader.db", timeout=30)) as db:
        query = "SELECT title, read FROM articles ORDER BY published DESC, id DESC"
        return [(title, bool(read)) for title, read in db.execute(query)]


def wait_for_unread_in_db(home: Path, expected: int) -> list[tuple[str, bool]]:
    """Wait until the cache file holds ``expected`` unread articles (writes run in threads)."""
    deadline = time.monotonic() + HANG_S
    while True:
        articles = db_articles(home)
        unread = sum(not read for _title, read in articles)
        if unread == expected:
            return articles
        assert time.monotonic() < deadline, f"{unread} unread on disk, expected {expected}"
        time.sleep(0.1)


def titles_match(rows: list[Row], titles: list[str]) -> bool:
    """Whether the rows show exactly ``titles``, in order (each row a prefix of its title)."""
    return len(rows) == len(titles) and all(
        row.title and title.startswith(row.title) for row, title in zip(rows, titles, strict=True)
    )


def launched(name: str, home: Path) -> list[str]:
    """Wait for the demo to be listed and previewed; return its titles, newest first."""
    wait_for(name, "Home »")  # the first article is previewed
    wait_until(
        name,
        lambda s: len(list_rows(s, feeds_pane=False)) == DEMO_ARTICLES,
        f"{DEMO_ARTICLES} rows listed",
    )
    articles = wait_for_unread_in_db(home, DEMO_ARTICLES)  # launching marks nothing read
    assert len(articles) == DEMO_ARTICLES
    return [title for title, _read in articles]


def press(name: str, *keys: str) -> None:
    """Send keys to the app."""
    tmux("send-keys", "-t", name, *keys)


def test_feeds_pane_counts_then_mark_all_read_and_undo(demo: tuple[str, Path]) -> None:
    name, home = demo
    titles = launched(name, home)

    press(name, "v")
    shown = wait_until(name, lambda s: pane_unread(s) == DEMO_ARTICLES, "the pane's Unread 14")
    assert pane_count(shown, "All") == DEMO_ARTICLES
    assert pane_count(shown, "Saved") == 0
    assert pane_count(shown, "Reader De") == DEMO_ARTICLES  # the demo feed's unread count
    wait_for(name, "Remove feed")  # the footer shows the focused pane's keys
    rows = list_rows(shown, feeds_pane=True)
    assert titles_match(rows, titles) and all(row.unread for row in rows)

    press(name, "A")  # a screen key: it works with the feeds pane focused
    shown = wait_until(
        name,
        lambda s: (
            len(rows := list_rows(s, feeds_pane=True)) == DEMO_ARTICLES
            and not any(row.unread for row in rows)
            and pane_unread(s) == 0
        ),
        "every ● gone and the pane's Unread count blank",
    )
    wait_for(name, f"Marked {DEMO_ARTICLES} articles read · u: undo")
    assert pane_count(shown, "All") == DEMO_ARTICLES
    wait_for_unread_in_db(home, 0)

    press(name, "u")
    wait_for(name, f"Undone: Marked {DEMO_ARTICLES} read.")
    shown = wait_until(
        name,
        lambda s: (
            len(rows := list_rows(s, feeds_pane=True)) == DEMO_ARTICLES
            and all(row.unread for row in rows)
            and pane_unread(s) == DEMO_ARTICLES
        ),
        "every ● back and the pane's Unread count 14",
    )
    assert pane_count(shown, "Reader De") == DEMO_ARTICLES
    wait_for_unread_in_db(home, DEMO_ARTICLES)

    press(name, "Enter")  # on "All": the list shows it and takes the focus
    wait_for(name, "Showing All")
    press(name, "q")


def test_unread_only_lists_the_unread_articles(demo: tuple[str, Path]) -> None:
    name, home = demo
    titles = launched(name, home)

    press(name, "m")  # the launch preview (no dwell at launch): marked by hand
    wait_until(
        name,
        lambda s: [r.unread for r in list_rows(s, feeds_pane=False)][:2] == [False, True],
        "the first article read",
    )
    press(name, "j")  # a preview left on screen read_after (2 s by default) is read
    wait_until(
        name,
        lambda s: [r.unread for r in list_rows(s, feeds_pane=False)][:3] == [False, False, True],
        "the previewed second article read by the dwell",
    )
    press(name, "n")  # opens the next unread one: read
    wait_until(
        name,
        lambda s: (
            [r.unread for r in list_rows(s, feeds_pane=False)][:4] == [False, False, False, True]
        ),
        "the third article read by opening it",
    )
    articles = wait_for_unread_in_db(home, DEMO_ARTICLES - 3)
    unread_titles = [title for title, read in articles if not read]
    assert unread_titles == titles[3:]

    press(name, "U")
    wait_for(name, "Showing All · unread only")
    wait_until(
        name,
        lambda s: (
            titles_match(rows := list_rows(s, feeds_pane=False), unread_titles)
            and all(row.unread for row in rows)
        ),
        "only the 11 unread articles listed",
    )

    press(name, "U")
    wait_until(
        name,
        lambda s: (
            "unread only" not in s
            and titles_match(rows := list_rows(s, feeds_pane=False), titles)
            and [row.unread for row in rows] == [False] * 3 + [True] * (DEMO_ARTICLES - 3)
        ),
        "every article listed again, the three read ones without ●",
    )
    wait_for(name, "Showing All · v: feeds")
    wait_for_unread_in_db(home, DEMO_ARTICLES - 3)
    press(name, "q")
