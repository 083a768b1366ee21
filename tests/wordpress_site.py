"""``wordpress_env()`` for tests that want the shared WordPress without the pytest fixture.

Same start script and rule as ``tests.wordpress`` (it calls it): skipped when WordPress cannot
run here, a failure when ``READER_REQUIRE_WORDPRESS=1`` (CI), never a silent pass.
"""

from __future__ import annotations

import os


def wordpress_env() -> dict[str, str]:
    """``WP_URL`` and ``WP_MANIFEST`` of a running instance (skip, or fail in CI)."""
    if os.environ.get("WP_URL") and os.environ.get("WP_MANIFEST"):
        return {"WP_URL": os.environ["WP_URL"], "WP_MANIFEST": os.environ["WP_MANIFEST"]}
    # imported here: importing tests.wordpress at collection would stop pytest from rewriting
    # the asserts of the modules that load it as a plugin
    from tests.wordpress import start_wordpress

    found = start_wordpress()
    return {"WP_URL": found["WP_URL"], "WP_MANIFEST": found["WP_MANIFEST"]}
