"""Open a web address outside the terminal, never through a shell.

``webbrowser`` happily starts console browsers (lynx, w3m) in the foreground, which would fight
the TUI for the terminal, so without a graphical session we do not guess: the caller copies the
address instead. A ``browser`` command from config.toml is split like a shell would (shlex) but
run directly, with the URL as one argument (``{url}`` marks where, else it goes last).
"""

from __future__ import annotations

import os
import shlex
import subprocess
import sys


def has_graphical_session() -> bool:
    """True where a GUI browser can open without taking over this terminal."""
    if sys.platform in ("darwin", "win32"):
        return True
    return bool(os.environ.get("DISPLAY") or os.environ.get("WAYLAND_DISPLAY"))


def open_in_browser(url: str, command: str | None = None) -> bool:
    """Open ``url`` (already checked to be http/https); return whether a browser was started."""
    if command:
        try:
            argv = shlex.split(command)
        except ValueError:
            return False
        if not argv:
            return False
        argv = [part.replace("{url}", url) for part in argv]
        if "{url}" not in command:
            argv.append(url)
        try:
            subprocess.Popen(  # an argv list: no shell ever sees the URL
                argv,
                stdin=subprocess.DEVNULL,
                stdout=subprocess.DEVNULL,
                stderr=subprocess.DEVNULL,
                start_new_session=True,
            )
        except OSError:
            return False
        return True
    if not has_graphical_session():
        return False
    import webbrowser

    try:
        return webbrowser.open(url)
    except webbrowser.Error:
        return False
