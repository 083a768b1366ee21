"""What a refresh reports: per-feed outcomes, progress events and the run's summary.

Plain data so the CLI (``reader refresh --json``) and the TUI (status bar, failing-feed list)
can show the same facts without knowing how the engine works.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any


@dataclass(slots=True)
class FeedOutcome:
    """What happened to one feed. ``state`` is new|unchanged|not-modified|error|gone|skipped."""

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


@dataclass(slots=True)
class RefreshSummary:
    """Totals for a run plus every per-feed outcome (in completion order)."""

    outcomes: list[FeedOutcome] = field(default_factory=list)
    elapsed: float = 0.0

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
    def all_failed(self) -> bool:
        """True when feeds were attempted and none worked (the CLI's non-zero exit)."""
        tried = [o for o in self.outcomes if o.state != "skipped"]
        return bool(tried) and all(o.state in ("error", "gone") for o in tried)

    def as_dict(self) -> dict[str, Any]:
        """JSON-ready summary for ``reader refresh --json``."""
        return {
            "feeds": len(self.outcomes), "new_items": self.new_items,
            "updated_items": self.updated_items, "pages": self.pages,
            "not_modified": self.count("not-modified"), "errors": len(self.errors),
            "skipped": self.count("skipped"), "elapsed": round(self.elapsed, 3),
            "failures": [{"url": o.url, "error": o.error} for o in self.errors],
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
