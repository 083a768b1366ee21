"""User configuration from ``config.toml``, read once at startup into a frozen dataclass.

A broken file never stops the app: ``load_config`` returns the defaults plus a warning that names
the file and the line, and the UI shows it as a notification.
"""

from __future__ import annotations

import tomllib
from collections.abc import Iterable
from dataclasses import dataclass, field, fields
from pathlib import Path
from types import MappingProxyType
from typing import Any


@dataclass(frozen=True)
class RefreshConfig:
    """How feeds are fetched."""

    concurrency: int = 128
    per_host: int = 8
    timeout: float = 20.0
    max_bytes: int = 10_000_000
    prefetch_pages: int = 5
    user_agent: str | None = None


@dataclass(frozen=True)
class FeedConfig:
    """One feed's own settings, from its ``[feeds."URL"]`` table."""

    refresh_interval: float | None = None
    """Minutes: a refresh skips the feed when it was checked less than this long ago, unless
    the refresh names it or is forced (None or 0: every refresh fetches it)."""
    prefetch: bool = True
    """Fetch the full pages of the feed's new articles (at most ``refresh.prefetch_pages``)."""
    keep: int | None = None
    """Articles of this feed to keep; replaces ``retention.keep_per_feed`` for it."""


@dataclass(frozen=True)
class RetentionConfig:
    """What ``reader prune`` and every refresh delete (``reader.store.retention``).

    Both off by default: nothing is deleted unless the user asks. Saved articles, unread ones
    and those with an unsent comment draft are always kept.
    """

    keep_days: int | None = None
    """Delete read articles published more than this many days ago."""
    keep_per_feed: int | None = None
    """Keep the newest this many articles of each feed; older read ones are deleted."""


def feed_key(url: str) -> str:
    """How ``[feeds."URL"]`` tables and subscriptions are matched: a trailing slash ignored."""
    return url.strip().rstrip("/")


@dataclass(frozen=True)
class Config:
    """Everything a user can set in ``config.toml``."""

    theme: str | None = None
    """Theme name; None keeps the last one chosen in the app."""
    keys: MappingProxyType[str, str] = field(default_factory=lambda: MappingProxyType({}))
    """Binding id → keys (e.g. ``"app.quit" = "q,ctrl+q"``)."""
    show_related: bool = True
    show_list: bool = True
    refresh: RefreshConfig = field(default_factory=RefreshConfig)
    browser: str | None = None
    """Command to open links (None: the system default via ``webbrowser``)."""
    read_after: float | None = 2.0
    """Seconds an article previewed under the list cursor stays on screen before it counts as
    read (0: at once; None, written ``"never"``: only opening it marks it read)."""
    feeds: MappingProxyType[str, FeedConfig] = field(default_factory=lambda: MappingProxyType({}))
    """Per-feed settings by ``feed_key(url)``; read them with ``feed(url)``."""
    retention: RetentionConfig = field(default_factory=RetentionConfig)
    searches: MappingProxyType[str, str] = field(default_factory=lambda: MappingProxyType({}))
    """Saved searches by name (``[searches]``): at start each is added to the cache, or its
    query replaced there when it differs (``store.saved_searches.adopt``)."""

    def feed(self, url: str) -> FeedConfig:
        """The settings of the feed at ``url`` (the defaults when it has no table)."""
        return self.feeds.get(feed_key(url), _NO_FEED_SETTINGS)


def _line_of(error: tomllib.TOMLDecodeError) -> str:
    message = str(error)
    return message[message.find("(at ") :].strip("()") if "(at " in message else message


def load_config(path: Path) -> tuple[Config, list[str]]:
    """Read ``path``; return the config and human-readable warnings (never raises)."""
    if not path.exists():
        return Config(), []
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except tomllib.TOMLDecodeError as error:
        detail = str(error).split(" (at ")[0]
        return Config(), [f"{path}: {_line_of(error)}: {detail}; using defaults"]
    except (OSError, UnicodeDecodeError) as error:
        return Config(), [f"{path}: cannot read ({error}); using defaults"]
    return config_from_dict(data, source=str(path))


def config_from_dict(data: dict[str, Any], *, source: str = "config") -> tuple[Config, list[str]]:
    """Build a Config from parsed TOML, skipping (and reporting) wrong keys and types."""
    warnings: list[str] = []
    values: dict[str, Any] = {}
    simple = {"theme": str, "show_related": bool, "show_list": bool, "browser": str}
    for key, value in data.items():
        if key in simple:
            if isinstance(value, simple[key]):
                values[key] = value
            else:
                warnings.append(f"{source}: {key} must be a {simple[key].__name__}; ignored")
        elif key == "keys":
            if isinstance(value, dict) and all(isinstance(v, str) for v in value.values()):
                values["keys"] = MappingProxyType(dict(value))
            else:
                warnings.append(f'{source}: [keys] must map binding ids to strings like "j,down"')
        elif key == "read_after":
            if value == "never":
                values["read_after"] = None
            elif isinstance(value, int | float) and not isinstance(value, bool) and value >= 0:
                values["read_after"] = float(value)
            else:
                warnings.append(f'{source}: read_after must be seconds (0 or more) or "never"')
        elif key == "refresh":
            refresh, problems = _refresh(value, source)
            values["refresh"] = refresh
            warnings.extend(problems)
        elif key == "feeds":
            values["feeds"], problems = _feeds(value, source)
            warnings.extend(problems)
        elif key == "retention":
            values["retention"], problems = _retention(value, source)
            warnings.extend(problems)
        elif key == "searches":
            values["searches"], problems = _searches(value, source)
            warnings.extend(problems)
        else:
            warnings.append(f"{source}: unknown setting {key!r}; ignored")
    return Config(**values), warnings


_KIND_NAMES = {int: "a whole number", float: "a number", str: "text"}
_MAY_BE_ZERO = frozenset({"prefetch_pages"})
"""Numbers where 0 means "off" (no page prefetch) rather than a mistake."""


def _refresh(value: Any, source: str) -> tuple[RefreshConfig, list[str]]:
    if not isinstance(value, dict):
        return RefreshConfig(), [f"{source}: [refresh] must be a table; ignored"]
    kinds = {f.name: type(getattr(RefreshConfig(), f.name)) for f in fields(RefreshConfig)}
    kinds["user_agent"] = str
    accepted: dict[str, Any] = {}
    warnings = []
    for key, item in value.items():
        kind = kinds.get(key)
        if kind is None:
            warnings.append(f"{source}: unknown setting refresh.{key}; ignored")
            continue
        if kind is float and isinstance(item, int) and not isinstance(item, bool):
            item = float(item)
        if not isinstance(item, kind) or isinstance(item, bool):
            warnings.append(f"{source}: refresh.{key} must be {_KIND_NAMES[kind]}; ignored")
        elif kind in (int, float) and key in _MAY_BE_ZERO and item < 0:
            warnings.append(f"{source}: refresh.{key} must be 0 or more; ignored")
        elif kind in (int, float) and key not in _MAY_BE_ZERO and item <= 0:
            warnings.append(f"{source}: refresh.{key} must be positive; ignored")
        else:
            accepted[key] = item
    return RefreshConfig(**accepted), warnings


_NO_FEED_SETTINGS = FeedConfig()


def _count(value: Any, *, at_least: int) -> int | None:
    """A whole number of at least ``at_least`` (not a bool), or None."""
    if isinstance(value, int) and not isinstance(value, bool) and value >= at_least:
        return value
    return None


def _feeds(value: Any, source: str) -> tuple[MappingProxyType[str, FeedConfig], list[str]]:
    """``[feeds."https://example.org/feed"]`` tables: one ``FeedConfig`` per feed URL."""
    empty: MappingProxyType[str, FeedConfig] = MappingProxyType({})
    if not isinstance(value, dict):
        return empty, [f'{source}: [feeds] must hold tables like [feeds."https://…/feed"]; ignored']
    found: dict[str, FeedConfig] = {}
    warnings: list[str] = []
    for url, table in value.items():
        where = f'feeds."{url}"'
        if not url.strip().lower().startswith(("http://", "https://")):
            warnings.append(f"{source}: {where} is not an http(s) feed URL; ignored")
        elif not isinstance(table, dict):
            warnings.append(f"{source}: {where} must be a table; ignored")
        elif feed_key(url) in found:
            warnings.append(f"{source}: {where} is given twice; the first is used")
        else:
            found[feed_key(url)], problems = _feed(table, source, where)
            warnings.extend(problems)
    return MappingProxyType(found), warnings


def _feed(table: dict[str, Any], source: str, where: str) -> tuple[FeedConfig, list[str]]:
    accepted: dict[str, Any] = {}
    warnings: list[str] = []
    for key, item in table.items():
        if key == "refresh_interval":
            number = item if isinstance(item, int | float) and not isinstance(item, bool) else -1
            if number >= 0:
                accepted[key] = float(number) or None
            else:
                warnings.append(f"{source}: {where}.{key} must be minutes (0 or more); ignored")
        elif key == "prefetch":
            if isinstance(item, bool):
                accepted[key] = item
            else:
                warnings.append(f"{source}: {where}.{key} must be true or false; ignored")
        elif key == "keep":
            if (count := _count(item, at_least=0)) is not None:
                accepted[key] = count
            else:
                warnings.append(
                    f"{source}: {where}.{key} must be a whole number (0 or more); ignored"
                )
        else:
            warnings.append(f"{source}: unknown setting {where}.{key}; ignored")
    return FeedConfig(**accepted), warnings


def _retention(value: Any, source: str) -> tuple[RetentionConfig, list[str]]:
    """``[retention]``: ``keep_days`` (1 or more), ``keep_per_feed`` (0 or more)."""
    if not isinstance(value, dict):
        return RetentionConfig(), [f"{source}: [retention] must be a table; ignored"]
    least = {"keep_days": 1, "keep_per_feed": 0}
    wanted = {
        "keep_days": "a whole number of days (1 or more)",
        "keep_per_feed": "a whole number (0 or more)",
    }
    accepted: dict[str, int] = {}
    warnings: list[str] = []
    for key, item in value.items():
        if key not in least:
            warnings.append(f"{source}: unknown setting retention.{key}; ignored")
        elif (count := _count(item, at_least=least[key])) is not None:
            accepted[key] = count
        else:
            warnings.append(f"{source}: retention.{key} must be {wanted[key]}; ignored")
    return RetentionConfig(**accepted), warnings


def _searches(value: Any, source: str) -> tuple[MappingProxyType[str, str], list[str]]:
    """``[searches]``: ``"Name" = "query"`` lines (the table ``searches_table`` writes)."""
    if not isinstance(value, dict):
        return MappingProxyType({}), [
            f'{source}: [searches] must hold lines like "Trams" = "tram -strike"; ignored'
        ]
    found: dict[str, str] = {}
    warnings: list[str] = []
    for name, query in value.items():
        if isinstance(query, str) and query.strip() and name.strip():
            found[name] = query
        else:
            warnings.append(f'{source}: searches."{name}" must be a query (text); ignored')
    return MappingProxyType(found), warnings


def toml_string(text: str) -> str:
    """``text`` as a TOML basic string (quotes, backslashes and control characters escaped)."""
    out = []
    for char in text:
        if char in '"\\':
            out.append("\\" + char)
        elif ord(char) < 0x20 or ord(char) == 0x7F:
            out.append(f"\\u{ord(char):04X}")
        else:
            out.append(char)
    return '"' + "".join(out) + '"'


def searches_table(searches: Iterable[tuple[str, str]]) -> str:
    """The ``[searches]`` table of config.toml holding these (name, query) pairs."""
    lines = ["[searches]"]
    lines.extend(f"{toml_string(name)} = {toml_string(query)}" for name, query in searches)
    return "\n".join(lines) + "\n"
