"""Opening links: configured commands run without a shell; no GUI means no console browser."""

from __future__ import annotations

import time
from pathlib import Path

import pytest

from reader.browser import open_in_browser


def test_configured_command_gets_the_url_as_one_argument(tmp_path: Path) -> None:
    out = tmp_path / "args"
    script = tmp_path / "fake-browser"
    script.write_text(f'#!/bin/sh\nprintf "%s\\n" "$@" > {out}\n')
    script.chmod(0o755)
    url = "https://example.test/a?b=1&c=$(touch /tmp/pwned);"
    assert open_in_browser(url, f"{script} --new-tab {{url}}")
    # The command runs detached: wait until it has written both lines (30 s only guards a hang).
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        if out.exists() and len(out.read_text().splitlines()) >= 2:
            break
        time.sleep(0.01)
    assert out.read_text().splitlines() == ["--new-tab", url]


def test_without_a_graphical_session_nothing_is_started(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("DISPLAY", raising=False)
    monkeypatch.delenv("WAYLAND_DISPLAY", raising=False)
    import webbrowser

    monkeypatch.setattr(webbrowser, "open", lambda *a, **k: pytest.fail("must not be called"))
    assert open_in_browser("https://example.test/") is False


def test_broken_command_is_false_not_an_exception() -> None:
    assert open_in_browser("https://example.test/", "/nonexistent/browser") is False
    assert open_in_browser("https://example.test/", 'unbalanced "quote') is False
