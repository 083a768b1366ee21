"""Start (or reuse) the shared real WordPress for integration tests; skip when unavailable."""

from __future__ import annotations

import functools
import os
import subprocess
from pathlib import Path

import pytest

SCRIPT = Path(__file__).resolve().parents[2] / "shared" / "wordpress" / "start.sh"


@functools.cache
def _start() -> dict[str, str] | str:
    if os.environ.get("WP_URL") and os.environ.get("WP_MANIFEST"):
        return {"WP_URL": os.environ["WP_URL"], "WP_MANIFEST": os.environ["WP_MANIFEST"]}
    if not SCRIPT.exists():
        return "the shared WordPress is not available"
    out = subprocess.run(["bash", str(SCRIPT)], capture_output=True, text=True,
                         stdin=subprocess.DEVNULL, timeout=900)
    if out.returncode != 0:
        return f"WordPress did not start: {out.stderr[-300:]}"
    return dict(line.split("=", 1) for line in out.stdout.splitlines() if "=" in line)


def wordpress_env() -> dict[str, str]:
    """``WP_URL`` and ``WP_MANIFEST`` of a running instance, or skip the test."""
    found = _start()
    if isinstance(found, str):
        pytest.skip(found)
    return found
