"""The ``reader`` command: the TUI when run bare, subcommands for people and scripts.

Each command family lives in its own module with a ``register(subparsers)`` function; this module
only builds the parser, sets up paths/config/store on demand and turns errors into messages.
"""

from __future__ import annotations

import argparse
import importlib
import sys

from reader import __version__
from reader.cli.context import CliError, Context

COMMAND_MODULES = (
    "reader.cli.feeds_cmd",
    "reader.cli.refresh_cmd",
    "reader.cli.articles_cmd",
    "reader.cli.searches_cmd",
    "reader.cli.comments_cmd",
    "reader.cli.library_cmd",
    "reader.cli.labels_cmd",
    "reader.cli.prune_cmd",
    "reader.cli.sync_cmd",
)
"""Modules that add subcommands; a module that does not exist yet is skipped."""


def build_parser() -> argparse.ArgumentParser:
    """The full argument parser (every subcommand has --help)."""
    parser = argparse.ArgumentParser(
        prog="reader",
        description="A terminal news reader. Run without a command to open the app.",
        epilog="State lives in the platform's user dirs, or under READER_HOME / --home.",
    )
    parser.add_argument("--version", action="version", version=f"reader {__version__}")
    parser.add_argument(
        "--home", metavar="DIR", help="keep config, data and cache under DIR (like READER_HOME)"
    )
    subparsers = parser.add_subparsers(dest="command", metavar="COMMAND")
    for name in COMMAND_MODULES:
        try:
            module = importlib.import_module(name)
        except ModuleNotFoundError as error:
            if error.name == name:
                continue
            raise
        module.register(subparsers)
    return parser


def run(argv: list[str] | None = None, *, started: float | None = None) -> int:
    """Parse ``argv`` and run the command; return the exit status."""
    parser = build_parser()
    args = parser.parse_args(argv)
    context = Context(home=args.home, json_output=getattr(args, "json", False))
    try:
        if args.command is None:
            from reader.cli.tui import run_tui

            return run_tui(context, started=started)
        _ = context.config  # read now so a broken config.toml is reported by every command
        return int(args.handler(context, args) or 0)
    except CliError as error:
        print(f"reader: {error}", file=sys.stderr)
        return error.code
    except KeyboardInterrupt:
        print("reader: interrupted", file=sys.stderr)
        return 130
    except BrokenPipeError:  # `reader show 1 | head`: the reader of our output left; fine
        import os

        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
        return 0
    finally:
        context.close()
