"""The help screen: every key, generated from the live bindings (so remapped keys show)."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import VerticalScroll
from textual.screen import ModalScreen
from textual.widgets import Static

INTRO = """[b]reader[/b] — a terminal news reader

Read in the centre, walk related posts on the right, comment with [b]c[/b].
Everything works offline from the local cache; drafts go out with [b]reader send[/b].
"""


class HelpScreen(ModalScreen[None]):
    """Lists the bindings of the screen below and of the app."""

    BINDINGS = [Binding("escape,q,question_mark", "close", "Close", id="help.close")]

    DEFAULT_CSS = """
    HelpScreen {
        align: center middle;
        & #help-box { width: 80%; max-width: 90; height: 85%; border: round $accent;
                      background: $surface; padding: 0 1; }
    }
    """

    def __init__(self, rows: list[tuple[str, str]]) -> None:
        super().__init__()
        self.rows = rows

    def compose(self) -> ComposeResult:
        """Intro and the key table."""
        from rich.markup import escape
        from rich.table import Table

        table = Table(box=None, show_header=False, pad_edge=False)
        table.add_column(style="bold", no_wrap=True)
        table.add_column()
        for keys, description in self.rows:
            table.add_row(escape(keys), escape(description))
        with VerticalScroll(id="help-box"):
            yield Static(INTRO)
            yield Static(table)

    def action_close(self) -> None:
        """Back to reading."""
        self.dismiss(None)


def binding_rows(bindings: list[Binding], keymap: dict[str, str]) -> list[tuple[str, str]]:
    """(keys, description) rows, one per action, with the user's remapped keys."""
    from textual.keys import format_key

    rows: list[tuple[str, str]] = []
    seen: set[str] = set()
    for binding in bindings:
        if binding.action in seen or not binding.description:
            continue
        seen.add(binding.action)
        key_list = keymap.get(binding.id or "", binding.key)
        keys = ", ".join(format_key(key.strip()) for key in key_list.split(","))
        rows.append((keys, binding.description))
    return rows
