"""README's key tables name every key by its binding id (the id ``[keys]`` remaps), and only
ids that exist."""

from __future__ import annotations

import re
from pathlib import Path

from textual.binding import Binding

from reader.app import ReaderApp
from reader.screens.binding_ids import known_ids
from reader.screens.main_keys import MAIN_BINDINGS
from reader.widgets.article_list import ArticleList
from reader.widgets.feeds_pane import FeedsPane

README = Path(__file__).resolve().parent.parent / "README.md"
RANGE = {f"pane.link{n}" for n in range(2, 9)}
"""Written as ``pane.link1 … pane.link9``."""
PSEUDO = {"app.command_palette"}
"""Textual's own ctrl+p, listed by the help under this id."""


def ids(bindings: list[Binding]) -> set[str]:
    return {binding.id for binding in bindings if binding.id}


def table_ids() -> set[str]:
    """Every backquoted id in the last column of README's key tables."""
    found: set[str] = set()
    for line in README.read_text(encoding="utf-8").splitlines():
        cells = re.split(r"(?<!\\)\|", line.strip().strip("|"))  # `\|` is no cell edge
        if line.startswith("|") and len(cells) == 3:
            found.update(re.findall(r"`([a-z_]+\.[a-z0-9_]+)`", cells[2]))
    return found


def test_every_main_feeds_pane_and_list_key_is_in_the_readme() -> None:
    documented = table_ids()
    required = ids(MAIN_BINDINGS) | ids(FeedsPane.BINDINGS) | ids(ArticleList.BINDINGS)
    assert required, "no binding ids found"
    missing = sorted(required - documented)
    assert not missing, f"binding ids missing from README.md's key tables: {missing}"


def test_the_readme_names_no_binding_that_does_not_exist() -> None:
    known = PSEUDO | known_ids(ReaderApp.BINDINGS)
    unknown = sorted(table_ids() - known)
    assert not unknown, f"README.md names binding ids that do not exist: {unknown}"
    assert not (RANGE & table_ids()), "pane.link1 … pane.link9 is written as a range"
