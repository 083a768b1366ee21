"""config.toml's per-feed tables (``[feeds."URL"]``) and ``[retention]``: values, defaults, and
warnings for everything wrong (the rest of the file still applies)."""

from __future__ import annotations

from pathlib import Path

import pytest

from reader.config import Config, FeedConfig, RetentionConfig, config_from_dict, load_config


def test_defaults_delete_nothing_and_fetch_every_feed_with_pages() -> None:
    config = Config()
    assert config.retention == RetentionConfig(keep_days=None, keep_per_feed=None)
    assert config.feed("https://example.org/feed") == FeedConfig(None, True, None)


def test_feed_tables_and_retention_are_read(tmp_path: Path) -> None:
    path = tmp_path / "config.toml"
    path.write_text(
        "[retention]\nkeep_days = 30\nkeep_per_feed = 200\n"
        '[feeds."https://example.org/feed/"]\nrefresh_interval = 90\nprefetch = false\nkeep = 50\n'
        '[feeds."http://other.example/rss"]\nrefresh_interval = 0.5\n',
        encoding="utf-8",
    )
    config, warnings = load_config(path)
    assert warnings == []
    assert config.retention == RetentionConfig(keep_days=30, keep_per_feed=200)
    # matched without the trailing slash, either way round
    assert config.feed("https://example.org/feed") == FeedConfig(90.0, False, 50)
    assert config.feed("https://example.org/feed/") == FeedConfig(90.0, False, 50)
    assert config.feed("http://other.example/rss") == FeedConfig(0.5, True, None)
    assert config.feed("http://other.example/rss2") == FeedConfig()


def test_zero_interval_means_every_refresh_and_zero_keep_is_allowed() -> None:
    config, warnings = config_from_dict(
        {"feeds": {"https://a.example/f": {"refresh_interval": 0, "keep": 0}}}
    )
    assert warnings == []
    assert config.feed("https://a.example/f") == FeedConfig(None, True, 0)


@pytest.mark.parametrize(
    ("data", "fragment"),
    [
        ({"feeds": 3}, "[feeds] must hold tables"),
        ({"feeds": {"ftp://x/feed": {}}}, 'feeds."ftp://x/feed" is not an http(s) feed URL'),
        ({"feeds": {"https://x/f": 1}}, 'feeds."https://x/f" must be a table'),
        ({"feeds": {"https://x/f": {"keep": -1}}}, 'feeds."https://x/f".keep must be a whole'),
        ({"feeds": {"https://x/f": {"keep": 2.5}}}, 'feeds."https://x/f".keep must be a whole'),
        ({"feeds": {"https://x/f": {"keep": True}}}, 'feeds."https://x/f".keep must be a whole'),
        ({"feeds": {"https://x/f": {"prefetch": "yes"}}}, ".prefetch must be true or false"),
        ({"feeds": {"https://x/f": {"refresh_interval": -5}}}, ".refresh_interval must be minutes"),
        ({"feeds": {"https://x/f": {"refresh_interval": "1h"}}}, ".refresh_interval must be"),
        ({"feeds": {"https://x/f": {"refresh_interval": False}}}, ".refresh_interval must be"),
        (
            {"feeds": {"https://x/f": {"colour": "red"}}},
            'unknown setting feeds."https://x/f".colour',
        ),
        ({"retention": []}, "[retention] must be a table"),
        ({"retention": {"keep_days": 0}}, "retention.keep_days must be a whole number of days"),
        ({"retention": {"keep_days": "30"}}, "retention.keep_days must be"),
        ({"retention": {"keep_per_feed": -1}}, "retention.keep_per_feed must be a whole number"),
        ({"retention": {"keep_forever": True}}, "unknown setting retention.keep_forever"),
    ],
)
def test_wrong_values_are_reported_and_ignored(data: dict, fragment: str) -> None:
    config, warnings = config_from_dict(data, source="cfg.toml")
    assert len(warnings) == 1 and warnings[0].startswith("cfg.toml: ")
    assert fragment in warnings[0] and warnings[0].endswith("ignored")
    assert config.retention == RetentionConfig()
    assert config.feed("https://x/f") == FeedConfig()


def test_a_bad_key_costs_only_itself() -> None:
    config, warnings = config_from_dict(
        {
            "feeds": {"https://x/f": {"keep": "many", "prefetch": False}},
            "retention": {"keep_days": -1, "keep_per_feed": 10},
        }
    )
    assert len(warnings) == 2
    assert config.feed("https://x/f") == FeedConfig(prefetch=False)
    assert config.retention == RetentionConfig(keep_per_feed=10)


def test_the_same_feed_twice_keeps_the_first() -> None:
    config, warnings = config_from_dict(
        {"feeds": {"https://x/f": {"keep": 1}, "https://x/f/": {"keep": 2}}}
    )
    assert config.feed("https://x/f").keep == 1
    assert warnings == ['config: feeds."https://x/f/" is given twice; the first is used']


def test_settings_are_frozen() -> None:
    config, _ = config_from_dict({"feeds": {"https://x/f": {"keep": 1}}})
    with pytest.raises(AttributeError):
        config.feed("https://x/f").keep = 5  # type: ignore[misc]
    with pytest.raises(TypeError):
        config.feeds["https://y/f"] = FeedConfig()  # type: ignore[index]
