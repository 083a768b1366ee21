"""``ReaderApp``: wires the store, config, themes, keymap and screens. It stays small on purpose."""

from __future__ import annotations

import json
import logging
import time
from collections.abc import Iterable

from textual.app import App, SystemCommand
from textual.binding import Binding
from textual.screen import Screen

from reader.config import Config
from reader.paths import Paths
from reader.store import Store
from reader.themes import DEFAULT_THEME, load_themes

log = logging.getLogger("reader")


class ReaderApp(App[None]):
    """The terminal news reader."""

    TITLE = "reader"
    CSS_PATH = "reader.tcss"
    ENABLE_COMMAND_PALETTE = True

    BINDINGS = [
        Binding("q", "quit", "Quit", id="app.quit"),
        Binding("question_mark", "help", "Help", id="app.help"),
        Binding("R", "refresh", "Refresh", id="app.refresh"),
        # priority: tab moves focus as it is read, so keys typed right after it (a paste, a
        # script, a fast typist) land in the field it moved to, not the one it left
        Binding("tab", "focus_next", "Next pane", show=False, id="app.next_pane", priority=True),
        Binding(
            "shift+tab",
            "focus_previous",
            "Previous pane",
            show=False,
            id="app.prev_pane",
            priority=True,
        ),
    ]

    def __init__(
        self,
        store: Store,
        paths: Paths,
        config: Config | None = None,
        *,
        warnings: Iterable[str] = (),
        started: float | None = None,
    ) -> None:
        super().__init__()
        self.store = store
        self.paths = paths
        self.config = config or Config()
        self._warnings = list(warnings)
        self._started = started if started is not None else time.perf_counter()
        self.startup_ms: float | None = None
        loaded = load_themes(paths.themes_dir)
        self._warnings += loaded.warnings
        for theme in loaded.themes:
            self.register_theme(theme)
        self.theme = self._initial_theme()
        if self.config.keys:
            from reader.screens.binding_ids import keymap_warnings

            self.set_keymap(dict(self.config.keys))
            self._warnings += keymap_warnings(self.config.keys, self.BINDINGS)

    # -- themes ----------------------------------------------------------------------------
    def _initial_theme(self) -> str:
        wanted = self.config.theme or self._state().get("theme") or DEFAULT_THEME
        if wanted in self.available_themes:
            return wanted
        self._warnings.append(f"unknown theme {wanted!r}; using {DEFAULT_THEME}")
        return DEFAULT_THEME

    def _state(self) -> dict:
        try:
            data = json.loads(self.paths.state_file.read_text(encoding="utf-8"))
        except (OSError, ValueError):
            return {}
        return data if isinstance(data, dict) else {}

    def watch_theme(self, theme: str) -> None:
        """Remember the chosen theme for the next start."""
        if not self.is_mounted:
            return
        state = {**self._state(), "theme": theme}
        try:
            self.paths.state_file.write_text(json.dumps(state), encoding="utf-8")
        except OSError as error:
            self.notify(f"Could not save the theme choice: {error}", severity="warning")

    def get_css_variables(self) -> dict[str, str]:
        """Quote colours derived from the theme unless the theme file sets its own."""
        variables = super().get_css_variables()
        derived = {
            "quote-foreground": variables.get("text-accent", variables.get("accent", "yellow")),
            "quote-background": variables.get("accent-muted", variables.get("surface", "black")),
        }
        return {**derived, **variables}

    # -- lifecycle -------------------------------------------------------------------------
    def on_mount(self) -> None:
        """Show the main screen and any config/theme problems."""
        from reader.screens.main import MainScreen

        self.push_screen(MainScreen())
        for warning in self._warnings:
            self.notify(warning, title="Configuration", severity="warning", timeout=10)

    def on_ready(self) -> None:
        """Log how long the first frame took."""
        self.startup_ms = (time.perf_counter() - self._started) * 1000
        log.info("started in %.0f ms", self.startup_ms)
        self.log.info(f"started in {self.startup_ms:.0f} ms")

    def status_hint(self) -> str:
        """The status bar's resting message."""
        if self.store.feeds.count(include_demo=False) == 0:
            return "Demo site (offline) · a: add your feeds · v: feeds · ? help"
        count, failing = self.store.feeds.health()
        hint = f"{count} feed{'' if count == 1 else 's'}"
        if failing:
            hint += f" · {failing} failing (F shows why)"
        return hint + " · v: feeds · ? help · ctrl+p commands"

    # -- actions ---------------------------------------------------------------------------
    def action_help(self) -> None:
        """Show every key."""
        from reader.screens.dialogs.help import HelpScreen, help_sections

        self.push_screen(HelpScreen(help_sections(self.screen, dict(self.config.keys))))

    def action_refresh(self) -> None:
        """Refresh feeds in the background (the list updates as articles arrive)."""
        refresh = getattr(self.screen, "action_refresh_feeds", None)
        if refresh is None:
            self.notify("Refresh runs from the main screen.", severity="warning")
            return
        refresh()

    def get_system_commands(self, screen: Screen) -> Iterable[SystemCommand]:
        """Palette entries beyond Textual's own (themes, quit, keys...)."""
        yield from super().get_system_commands(screen)
        yield SystemCommand(
            "Refresh feeds", "Fetch new articles from every feed", self.action_refresh
        )
        yield SystemCommand("Help", "Show every key", self.action_help)
        from reader.screens.main import MainScreen

        if isinstance(screen, MainScreen):  # every key of the main screen, by its name
            from functools import partial

            from reader.screens.main_keys import MAIN_BINDINGS, key_for

            for binding in MAIN_BINDINGS:
                if binding.description and binding.id != "main.open":
                    key = key_for(self.config.keys, binding.id or "")
                    yield SystemCommand(
                        binding.description,
                        f"{key} · {binding.id}",
                        partial(screen.run_action, binding.action),
                    )
            for binding in screen.pane.BINDINGS:  # the article's own: link by number, copy
                if isinstance(binding, Binding) and binding.id in ("pane.link_n", "pane.copy"):
                    key = key_for(self.config.keys, binding.id, screen.pane.BINDINGS)
                    yield SystemCommand(
                        binding.description,
                        f"{key} · {binding.id}",
                        partial(screen.pane.run_action, binding.action),
                    )
