"""The help screen: every key, generated from the live bindings (so remapped keys show)."""

from __future__ import annotations

from typing import Any

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import VerticalScroll
from textual.screen import ModalScreen, Screen
from textual.widgets import Static

INTRO = """[b]reader[/b] — a terminal news reader

Read in the centre, walk related posts on the right, comment with [b]c[/b].
Everything works offline from the local cache; drafts go out with [b]reader send[/b].

[b]When is an article read?[/b] Moving the list cursor previews an article: it is not marked
read and does not join the back/forward trail. Opening it does (enter, a click, [b]n[/b]/[b]p[/b],
a related post, a link, back/forward), and so does a preview left on screen for
[b]read_after[/b] seconds (config.toml; 2 by default, 0 at once, "never"). Launching the app
marks nothing. [b]m[/b] flips read/unread, [b]A[/b] marks the whole view read, [b]u[/b] undoes.

Every key can be remapped in config.toml's [b]\\[keys][/b] by the id in the right column.
"""


class HelpScreen(ModalScreen[None]):
    """Lists the bindings of the screen below and of the app."""

    BINDINGS = [
        Binding("escape,q,question_mark", "close", "Close", id="help.close"),
        Binding("j,down", "scroll(1)", "Down", show=False, id="help.down"),
        Binding("k,up", "scroll(-1)", "Up", show=False, id="help.up"),
        Binding("space,pagedown", "page(1)", "Page down", show=False, id="help.page_down"),
        Binding("pageup", "page(-1)", "Page up", show=False, id="help.page_up"),
        Binding("end,G", "end", "Bottom", show=False, id="help.bottom"),
        Binding("home,g", "home", "Top", show=False, id="help.top"),
    ]

    DEFAULT_CSS = """
    HelpScreen {
        align: center middle;
        & #help-box { width: 80%; max-width: 90; height: 85%; border: round $accent;
                      background: $surface; padding: 0 1; }
    }
    """

    def __init__(self, sections: list[tuple[str, list[tuple[str, str, str]]]]) -> None:
        super().__init__()
        self.sections = sections

    @property
    def rows(self) -> list[tuple[str, str]]:
        """Every (keys, description) row of every section."""
        return [(keys, text) for _title, rows in self.sections for keys, text, _id in rows]

    @property
    def ids(self) -> list[str]:
        """Every binding id listed."""
        return [binding_id for _t, rows in self.sections for _k, _d, binding_id in rows]

    def compose(self) -> ComposeResult:
        """Intro and one key table per section."""
        from rich.markup import escape
        from rich.table import Table

        with VerticalScroll(id="help-box"):
            yield Static(INTRO)
            for title, rows in self.sections:
                table = Table(box=None, show_header=False, pad_edge=False, title_justify="left")
                table.add_column(style="bold", no_wrap=True, min_width=14)
                table.add_column()
                table.add_column(style="dim", no_wrap=True)
                for keys, description, binding_id in rows:
                    table.add_row(escape(keys), escape(description), escape(binding_id))
                yield Static(f"\n[b u]{escape(title)}[/]")
                yield Static(table)

    def action_close(self) -> None:
        """Back to reading."""
        self.dismiss(None)

    def action_scroll(self, lines: int) -> None:
        """A line down or up."""
        self.query_one("#help-box", VerticalScroll).scroll_relative(y=lines, animate=False)

    def action_page(self, pages: int) -> None:
        """A screen down or up."""
        box = self.query_one("#help-box", VerticalScroll)
        box.scroll_relative(y=pages * max(1, box.size.height - 1), animate=False)

    def action_end(self) -> None:
        """To the last line (the palette's ctrl+p included)."""
        self.query_one("#help-box", VerticalScroll).scroll_end(animate=False)

    def action_home(self) -> None:
        """To the first line."""
        self.query_one("#help-box", VerticalScroll).scroll_home(animate=False)


def help_sections(
    screen: Screen[Any], keymap: dict[str, str]
) -> list[tuple[str, list[tuple[str, str, str]]]]:
    """Key tables for the screen below, each pane, and the whole app (remaps applied).

    The app's own keys come from ``screen.app``: importing the app here would make the
    ``screens`` package and ``app.py`` import each other.
    """
    from reader.widgets.article_list import ArticleList
    from reader.widgets.comments_panel import CommentsPanel
    from reader.widgets.feeds_pane import FeedsPane
    from reader.widgets.reading_pane import ReadingPane

    pane = [b for b in ReadingPane.BINDINGS if not (b.id or "").startswith("pane.link")]
    follow = [
        ("1–9", "Follow link 1–9", "pane.link1 … pane.link9"),
        *binding_rows([b for b in ReadingPane.BINDINGS if b.id == "pane.link_n"], keymap),
    ]
    sections = [
        ("Reading", binding_rows(list(getattr(screen, "BINDINGS", [])), keymap)),
        ("Article list", binding_rows(list(ArticleList.BINDINGS), keymap)),
        ("Feeds pane (v)", binding_rows(list(FeedsPane.BINDINGS), keymap)),
        ("Reading pane", binding_rows(pane, keymap) + follow),
        ("Comments panel (C)", binding_rows(list(CommentsPanel.BINDINGS), keymap)),
        (
            "Everywhere",
            [
                *binding_rows(list(screen.app.BINDINGS), keymap),
                ("ctrl+p", "Command palette: themes and every action", "app.command_palette"),
            ],
        ),
    ]
    return [(title, rows) for title, rows in sections if rows]


def binding_rows(bindings: list[Binding], keymap: dict[str, str]) -> list[tuple[str, str, str]]:
    """(keys, description, binding id) rows, one per action, with the user's remapped keys."""
    from textual.keys import format_key

    rows: list[tuple[str, str, str]] = []
    seen: set[str] = set()
    for binding in bindings:
        if binding.action in seen or not binding.description:
            continue
        seen.add(binding.action)
        key_list = keymap.get(binding.id or "", binding.key)
        keys = ", ".join(format_key(key.strip()) for key in key_list.split(","))
        rows.append((keys, binding.description, binding.id or ""))
    return rows
