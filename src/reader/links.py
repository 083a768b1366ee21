"""Opening a web address from any screen: browser if there is one, clipboard otherwise.

Not a screen and no textual import: the app is only told what happened (``notify``) or asked to
copy (``copy_to_clipboard``), so this stays out of the ``screens/`` package.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from reader.cells import cell_truncate

if TYPE_CHECKING:
    from textual.app import App


def open_url(app: App[Any], url: str) -> None:
    """Open ``url`` outside the terminal (http/https only) and tell the user what happened."""
    from reader.browser import open_in_browser
    from reader.sanitize import safe_url

    safe = safe_url(url, None)
    if not safe or not safe.startswith(("http://", "https://")):
        app.notify("That link cannot be opened (not a web address).", severity="warning")
        return
    config = getattr(app, "config", None)
    if open_in_browser(safe, getattr(config, "browser", None)):
        app.notify(f"Opened {cell_truncate(safe, 60)} in the browser.", timeout=3)
        return
    app.copy_to_clipboard(safe)
    app.notify(
        f"No graphical browser here; copied the address instead: {safe} "
        '(set `browser = "cmd {url}"` in config.toml to choose one)',
        timeout=8,
    )
