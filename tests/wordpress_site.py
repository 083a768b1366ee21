"""``wordpress_env()`` for tests that want the shared WordPress without the pytest fixture.

It uses the same start script and the same rule as ``tests.wordpress``: skipped when WordPress
cannot run here, a failure when ``READER_REQUIRE_WORDPRESS=1`` (CI), never a silent pass.
"""

from __future__ import annotations

import functools
import os
import subprocess


@functools.cache
def _start() -> dict[str, str] | str:
    # imported here: importing tests.wordpress at collection would stop pytest from rewriting
    # the asserts of the modules that load it as a plugin
    from tests.wordpress import START_SH, START_TIMEOUT

    if os.environ.get("WP_URL") and os.environ.get("WP_MANIFEST"):
        return {"WP_URL": os.environ["WP_URL"], "WP_MANIFEST": os.environ["WP_MANIFEST"]}
    if not START_SH.is_file():
        return f"{START_SH} not found"
    try:
        out = subprocess.run(
            ["bash", str(START_SH)],
            capture_output=True,
            text=True,
            stdin=subprocess.DEVNULL,
            timeout=START_TIMEOUT,
        )
    except (OSError, subprocess.TimeoutExpired) as error:
        return f"start.sh did not finish: {error}"
    if out.returncode != 0:
        return f"WordPress did not start: {out.stderr[-300:]}"
    return dict(line.split("=", 1) for line in out.stdout.splitlines() if "=" in line)


def wordpress_env() -> dict[str, str]:
    """``WP_URL`` and ``WP_MANIFEST`` of a running instance (skip, or fail in CI)."""
    from tests.wordpress import _unavailable

    found = _start()
    if isinstance(found, str):
        _unavailable(found)
    assert isinstance(found, dict)
    return found
