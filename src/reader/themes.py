"""Themes as data: ``themes/*.toml`` shipped with reader, then the user's own from the config dir.

A file maps onto ``textual.theme.Theme``; its ``[variables]`` table sets app variables such as
``quote-foreground``. A bad file becomes a warning (shown as a notification), never a crash.
"""

from __future__ import annotations

import tomllib
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from textual.theme import Theme

DEFAULT_THEME = "reader-dark"
COLOR_KEYS = (
    "primary", "secondary", "warning", "error", "success", "accent", "foreground", "background",
    "surface", "panel", "boost",
)  # fmt: skip


@dataclass
class ThemeLoad:
    """Themes that loaded, and what went wrong with the others."""

    themes: list[Theme]
    warnings: list[str]


def builtin_theme_dir() -> Path:
    """Where the shipped theme files are: inside the wheel, or ``themes/`` in a source checkout."""
    packaged = Path(__file__).parent / "themes"
    if packaged.is_dir():
        return packaged
    return Path(__file__).resolve().parents[2] / "themes"


def theme_from_file(path: Path) -> Theme:
    """Parse one theme file; raises ValueError with a readable reason."""
    from textual.color import Color, ColorParseError
    from textual.theme import Theme

    try:
        data: dict[str, Any] = tomllib.loads(path.read_text(encoding="utf-8"))
    except tomllib.TOMLDecodeError as error:
        raise ValueError(f"not valid TOML: {error}") from error
    except (OSError, UnicodeDecodeError) as error:
        raise ValueError(f"cannot read: {error}") from error
    name = data.get("name") or path.stem
    if not isinstance(name, str) or not name.strip():
        raise ValueError("the theme needs a name")
    for key in COLOR_KEYS:
        if key in data:
            try:
                Color.parse(data[key])
            except (ColorParseError, TypeError, ValueError) as error:
                raise ValueError(f"{key} = {data[key]!r} is not a colour") from error
    if "primary" not in data:
        raise ValueError("the theme needs at least a primary colour")
    variables = data.get("variables", {})
    if not isinstance(variables, dict):
        raise ValueError("[variables] must be a table")
    for key, value in variables.items():
        if key.endswith(("foreground", "background", "color")):
            try:
                Color.parse(value)
            except (ColorParseError, TypeError, ValueError) as error:
                raise ValueError(f"variables.{key} = {value!r} is not a colour") from error
    data = {**data, "name": name, "variables": {k: str(v) for k, v in variables.items()}}
    try:
        return Theme(**data)
    except TypeError as error:
        raise ValueError(f"unknown setting ({error})") from error


def load_themes(user_dir: Path | None) -> ThemeLoad:
    """Load built-in themes, then user themes (which may replace a built-in by name)."""
    result = ThemeLoad([], [])
    directories = [builtin_theme_dir()]
    if user_dir is not None and user_dir.is_dir():
        directories.append(user_dir)
    for directory in directories:
        for path in sorted(directory.glob("*.toml")):
            try:
                result.themes.append(theme_from_file(path))
            except ValueError as error:
                result.warnings.append(f"theme {path}: {error}")
    return result
