"""What a refresh reports: per-feed outcomes, progress events and the run's summary.

Plain data so the CLI (``reader refresh --json``) and the TUI (status bar, failing-feed list)
can show the same facts without knowing how the engine works.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass, field
from typing import Any


@dataclass(slots=True)
class FeedOutcome:
    """What happened to one feed. ``state`` is new|unchanged|not-modified|error|gone|skipped,
    or not-due (checked less than its ``refresh_interval`` ago: ``checked_ago`` minutes)."""

    feed_id: int
    url: str
    state: str
    status: int | None = None
    new_items: int = 0
    updated_items: int = 0
    pages: int = 0
    error: str | None = None
    moved_to: str | None = None
    elapsed: float = 0.0
    internal: bool = False
    """The error is ours (a bug, a crashed process, a full disk), not the feed's: the
    traceback is in the log file and the CLI exits non-zero."""
    checked_ago: float | None = None


@dataclass(slots=True)
class RefreshSummary:
    """Totals for a run plus every per-feed outcome (in completion order)."""

    outcomes: list[FeedOutcome] = field(default_factory=list)
    elapsed: float = 0.0
    pruned: dict[int, int] = field(default_factory=dict)
    """Articles the retention policy deleted after the run, by feed id."""
    prune_error: str | None = None
    """Why that pruning failed (the refresh itself still counts)."""

    def count(self, state: str) -> int:
        """How many feeds ended in ``state``."""
        return sum(1 for o in self.outcomes if o.state == state)

    @property
    def new_items(self) -> int:
        """Items stored for the first time."""
        return sum(o.new_items for o in self.outcomes)

    @property
    def updated_items(self) -> int:
        """Stored items whose text changed."""
        return sum(o.updated_items for o in self.outcomes)

    @property
    def pages(self) -> int:
        """Article pages prefetched."""
        return sum(o.pages for o in self.outcomes)

    @property
    def errors(self) -> list[FeedOutcome]:
        """Feeds that failed (including gone ones)."""
        return [o for o in self.outcomes if o.state in ("error", "gone")]

    @property
    def internal_errors(self) -> list[FeedOutcome]:
        """Failures that are our fault, not the feed's."""
        return [o for o in self.outcomes if o.internal and o.state == "error"]

    @property
    def fetched(self) -> int:
        """Feeds whose server sent a body this time (a 304 sends none)."""
        return sum(
            1
            for o in self.outcomes
            if o.status is not None and 200 <= o.status < 300 and o.state != "not-modified"
        )

    @property
    def stored(self) -> int:
        """Feeds whose items were parsed and stored (new or not)."""
        return self.count("new") + self.count("unchanged")

    @property
    def all_failed(self) -> bool:
        """True when feeds were attempted and none worked (the CLI's non-zero exit)."""
        tried = [o for o in self.outcomes if o.state not in ("skipped", "not-due")]
        return bool(tried) and all(o.state in ("error", "gone") for o in tried)

    @property
    def not_due_range(self) -> list[int] | None:
        """[least, most] minutes since the not-due feeds were checked (None: there are none)."""
        ages = [o.checked_ago for o in self.outcomes if o.checked_ago is not None]
        return [int(min(ages)), int(max(ages))] if ages else None

    def as_dict(self) -> dict[str, Any]:
        """JSON-ready summary for ``reader refresh --json``."""
        return {
            "feeds": len(self.outcomes),
            "fetched": self.fetched,
            "stored": self.stored,
            "unchanged": self.count("unchanged"),
            "new_items": self.new_items,
            "updated_items": self.updated_items,
            "pages": self.pages,
            "not_modified": self.count("not-modified"),
            "errors": len(self.errors),
            "internal_errors": len(self.internal_errors),
            "skipped": self.count("skipped"),
            "not_due": self.count("not-due"),
            "not_due_checked_ago": self.not_due_range,
            "pruned": sum(self.pruned.values()),
            "prune_error": self.prune_error,
            "elapsed": round(self.elapsed, 3),
            "failures": [
                {
                    "feed_id": o.feed_id,
                    "url": o.url,
                    "status": o.status,
                    "error": o.error,
                    "internal": o.internal,
                }
                for o in self.errors
            ],
        }


@dataclass(slots=True)
class RefreshProgress:
    """Sent to ``on_progress`` after each feed finishes."""

    done: int
    total: int
    outcome: FeedOutcome
    pages_pending: int = 0
    """With the last feed: how many feeds' page prefetches are still running (the run goes
    on until they finish)."""


def log_internal(what: str, error: str | None, detail: str | None) -> None:
    """An internal error: one line for the user elsewhere, the whole story (the traceback)
    for the log file."""
    story = f"\n{detail.rstrip()}" if detail else ""
    logging.getLogger("reader").error("%s failed: %s%s", what, error, story)
