"""Start the TUI: open the store, seed the demo site when nothing is subscribed, run the app."""

from __future__ import annotations

import logging
import sys

from reader.cli.context import CliError, Context


def run_tui(context: Context, *, started: float | None = None) -> int:
    """Run the app; return its exit status."""
    if not sys.stdout.isatty() and not sys.stdin.isatty():
        raise CliError("the app needs a terminal; use a subcommand (reader --help) in scripts")
    logging.basicConfig(
        filename=context.paths.log_file,
        level=logging.INFO,
        format="%(asctime)s %(levelname)s %(name)s: %(message)s",
    )
    config = context.config
    store = context.store
    from reader.seed import ensure_demo

    try:
        ensure_demo(store)
    except Exception as error:  # the demo is a convenience: never block the app on it
        logging.getLogger("reader").exception("demo seeding failed")
        context.config_warnings.append(f"could not load the demo site: {error}")
    from reader.app import ReaderApp

    app = ReaderApp(store, context.paths, config, warnings=context.config_warnings, started=started)
    app.run()
    return app.return_code or 0
