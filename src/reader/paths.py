"""Every directory reader uses, in one place.

platformdirs gives the user's config, data and cache dirs; ``READER_HOME`` (or ``--home``) puts all
three under one directory so tests and scripts can keep state apart. Directories are created on
demand with mode 0700 because they hold drafts and e-mail addresses.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

APP_NAME = "reader"


@dataclass(frozen=True)
class Paths:
    """Where config, data and cache live for one run."""

    config_dir: Path
    data_dir: Path
    cache_dir: Path

    @property
    def config_file(self) -> Path:
        """The user's ``config.toml``."""
        return self.config_dir / "config.toml"

    @property
    def themes_dir(self) -> Path:
        """User themes (``*.toml``), loaded after the built-in ones."""
        return self.config_dir / "themes"

    @property
    def db_file(self) -> Path:
        """The SQLite store."""
        return self.data_dir / "reader.db"

    @property
    def state_file(self) -> Path:
        """Small UI state (chosen theme) that is not user configuration."""
        return self.data_dir / "state.json"

    @property
    def log_file(self) -> Path:
        """Diagnostics log (startup time, per-feed errors)."""
        return self.cache_dir / "reader.log"

    def ensure(self) -> Paths:
        """Create every directory (0700) if missing; return self."""
        for directory in (self.config_dir, self.data_dir, self.cache_dir):
            directory.mkdir(parents=True, exist_ok=True, mode=0o700)
        return self


def resolve_paths(home: str | os.PathLike[str] | None = None) -> Paths:
    """Return the paths for this run: ``home`` > ``$READER_HOME`` > platformdirs."""
    home = home or os.environ.get("READER_HOME") or None
    if home:
        root = Path(home).expanduser().resolve()
        return Paths(root / "config", root / "data", root / "cache")
    import platformdirs

    return Paths(
        platformdirs.user_config_path(APP_NAME),
        platformdirs.user_data_path(APP_NAME),
        platformdirs.user_cache_path(APP_NAME),
    )
