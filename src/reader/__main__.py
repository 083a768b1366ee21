"""Entry point: ``reader`` and ``python -m reader``."""

from __future__ import annotations

import time

STARTED = time.perf_counter()


def main(argv: list[str] | None = None) -> int:
    """Run the CLI (or the TUI when no subcommand is given)."""
    from reader.cli import run

    return run(argv, started=STARTED)


if __name__ == "__main__":
    raise SystemExit(main())
