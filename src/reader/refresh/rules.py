"""What ``config.toml`` says about a refresh run beyond how to fetch: each feed's own settings
(``refresh_interval``, ``prefetch``), whether intervals are ignored this time, and the retention
policy applied when the run ends.

The retention policy runs after the store process has stopped (``engine.refresh``), so the
cache still has one writer at a time; in the app it runs on a thread beside the app's own short
writes (each delete batch is one short transaction).
"""

from __future__ import annotations

import asyncio
import traceback
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from reader.config import Config, FeedConfig
from reader.refresh.summary import RefreshSummary, log_internal
from reader.store.retention import Policy

if TYPE_CHECKING:
    from reader.store import Feed, Store


@dataclass(frozen=True)
class RunRules:
    """The per-feed rules of one run; the defaults fetch every feed, with pages, and delete
    nothing."""

    feed: Callable[[str], FeedConfig] = field(default_factory=lambda: Config().feed)
    """A feed's own settings by its URL (``Config.feed``)."""
    force: bool = False
    """Fetch feeds checked less than their ``refresh_interval`` ago too."""
    retention: Policy = field(default_factory=Policy)

    @classmethod
    def from_config(cls, config: Config, *, force: bool = False) -> RunRules:
        """The rules ``config.toml`` sets."""
        return cls(feed=config.feed, force=force, retention=Policy.from_config(config))


async def prune_after(
    store: Store, rules: RunRules, feeds: list[Feed], summary: RefreshSummary
) -> None:
    """Apply the retention policy to the run's ``feeds``; what went goes in ``summary.pruned``.

    A failure (the cache locked for longer than the busy timeout, a full disk) costs only the
    pruning: it is logged and put in ``summary.prune_error``; the refresh itself worked.
    """
    if not rules.retention.active or not feeds:
        return
    ids = [feed.id for feed in feeds]
    try:
        report = await asyncio.to_thread(store.retention.prune, rules.retention, feed_ids=ids)
    except Exception as exc:
        summary.prune_error = f"pruning old articles failed: {type(exc).__name__}: {exc}"
        log_internal("pruning after the refresh", summary.prune_error, traceback.format_exc())
    else:
        summary.pruned = dict(report.per_feed)
