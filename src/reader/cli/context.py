"""What every command needs: paths, config, the store (opened lazily) and output helpers."""

from __future__ import annotations

import json
import sys
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from reader.paths import Paths, resolve_paths

if TYPE_CHECKING:
    from reader.config import Config
    from reader.store import Store


class CliError(Exception):
    """A failure to report as one line on stderr (no traceback)."""

    def __init__(self, message: str, code: int = 1) -> None:
        super().__init__(message)
        self.code = code


class Context:
    """Lazily built resources for one command run."""

    def __init__(self, home: str | None = None, json_output: bool = False) -> None:
        self.paths: Paths = resolve_paths(home).ensure()
        self.json_output = json_output
        self._store: Store | None = None
        self._config: Config | None = None
        self.config_warnings: list[str] = []

    @property
    def config(self) -> Config:
        """The user's config (defaults plus config.toml); problems go to stderr once."""
        if self._config is None:
            from reader.config import load_config

            self._config, self.config_warnings = load_config(self.paths.config_file)
            for warning in self.config_warnings:
                print(f"reader: {warning}", file=sys.stderr)
        return self._config

    @property
    def store(self) -> Store:
        """The local cache (opened and migrated on first use); config.toml's ``[searches]``
        are added to it (or their queries updated) as it opens."""
        if self._store is None:
            from reader.store import Store, StoreError

            try:
                self._store = Store.open(self.paths.db_file)
                if self.config.searches:
                    self._store.saved_searches.adopt(self.config.searches)
            except StoreError as error:
                raise CliError(str(error)) from error
        return self._store

    def emit(self, data: Any, human: Callable[[Any], None]) -> None:
        """Print ``data`` as JSON with --json, else call ``human(data)``."""
        if self.json_output:
            json.dump(data, sys.stdout, ensure_ascii=False, indent=2, default=str)
            sys.stdout.write("\n")
        else:
            human(data)

    def log_to_file(self) -> None:
        """Send the ``reader`` logger to the log file (tracebacks of internal errors go there;
        the terminal gets one line each)."""
        import logging

        logger = logging.getLogger("reader")
        if not any(
            getattr(h, "baseFilename", None) == str(self.paths.log_file) for h in logger.handlers
        ):
            handler = logging.FileHandler(self.paths.log_file, encoding="utf-8")
            handler.setFormatter(
                logging.Formatter("%(asctime)s %(levelname)s %(name)s: %(message)s")
            )
            logger.addHandler(handler)
            logger.setLevel(logging.INFO)
            logger.propagate = False

    def close(self) -> None:
        """Close the store if it was opened."""
        if self._store is not None:
            self._store.close()
            self._store = None
