"""config.toml: defaults, every setting, and broken files that must not stop the app."""

from __future__ import annotations

from pathlib import Path

from reader.config import Config, load_config


def write(tmp_path: Path, text: str | bytes) -> Path:
    path = tmp_path / "config.toml"
    if isinstance(text, bytes):
        path.write_bytes(text)
    else:
        path.write_text(text, encoding="utf-8")
    return path


def test_missing_file_gives_defaults(tmp_path: Path) -> None:
    assert load_config(tmp_path / "nope.toml") == (Config(), [])


def test_settings_are_read(tmp_path: Path) -> None:
    config, warnings = load_config(
        write(
            tmp_path,
            'theme = "reader-paper"\nshow_related = false\n'
            '[keys]\n"app.quit" = "ctrl+q"\n[refresh]\nconcurrency = 8\ntimeout = 5\n',
        )
    )
    assert warnings == []
    assert config.theme == "reader-paper" and config.show_related is False
    assert config.keys["app.quit"] == "ctrl+q"
    assert config.refresh.concurrency == 8 and config.refresh.timeout == 5.0


def test_invalid_toml_names_file_and_line(tmp_path: Path) -> None:
    path = write(tmp_path, 'theme = "ok"\n\nshow_related = \n')
    config, warnings = load_config(path)
    assert config == Config()
    assert len(warnings) == 1
    assert str(path) in warnings[0] and "line 3" in warnings[0]


def test_unreadable_bytes(tmp_path: Path) -> None:
    config, warnings = load_config(write(tmp_path, b"\xff\xfe\x00garbage"))
    assert config == Config() and "using defaults" in warnings[0]


def test_wrong_types_and_unknown_keys_are_reported_not_fatal(tmp_path: Path) -> None:
    config, warnings = load_config(
        write(
            tmp_path,
            "theme = 3\nbogus = 1\n[keys]\nx = 1\n[refresh]\nconcurrency = -1\nnope = 2\n"
            "per_host = true\n",
        )
    )
    assert config.theme is None and config.refresh.concurrency == 128
    assert config.refresh.per_host == 8
    joined = "\n".join(warnings)
    for fragment in (
        "theme must be",
        "unknown setting 'bogus'",
        "[keys]",
        "refresh.concurrency must be positive",
        "refresh.nope",
        "refresh.per_host",
    ):
        assert fragment in joined


def test_zero_prefetch_turns_pages_off_but_a_zero_timeout_is_refused(tmp_path: Path) -> None:
    config, warnings = load_config(
        write(tmp_path, "[refresh]\nprefetch_pages = 0\ntimeout = 0\nmax_bytes = 2.5\n")
    )
    assert config.refresh.prefetch_pages == 0
    assert config.refresh.timeout == 20.0 and config.refresh.max_bytes == 10_000_000
    assert len(warnings) == 2
    assert "refresh.timeout must be positive" in warnings[0]
    assert "refresh.max_bytes must be a whole number" in warnings[1]
    _, negative = load_config(write(tmp_path, "[refresh]\nprefetch_pages = -1\n"))
    assert negative == [
        f"{tmp_path / 'config.toml'}: refresh.prefetch_pages must be 0 or more; ignored"
    ]


def test_read_after_takes_seconds_or_never() -> None:
    from reader.config import config_from_dict

    assert config_from_dict({})[0].read_after == 2.0
    assert config_from_dict({"read_after": 0})[0].read_after == 0.0
    assert config_from_dict({"read_after": 3.5})[0].read_after == 3.5
    assert config_from_dict({"read_after": "never"})[0].read_after is None
    for bad in (-1, "soon", True):
        config, warnings = config_from_dict({"read_after": bad})
        assert config.read_after == 2.0 and "read_after" in warnings[0]


def test_the_readme_example_config_is_read_without_a_warning() -> None:
    """The config.toml shown in README.md is valid: every key lands where it says."""
    import re
    import tomllib
    from pathlib import Path

    from reader.config import config_from_dict

    readme = (Path(__file__).resolve().parent.parent / "README.md").read_text(encoding="utf-8")
    blocks = re.findall(r"```toml\n(.*?)```", readme, flags=re.S)
    assert blocks, "README shows a config.toml"
    for block in blocks:
        config, warnings = config_from_dict(tomllib.loads(block), source="README")
        assert warnings == []
    assert config.browser and config.read_after == 2
