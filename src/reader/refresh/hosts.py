"""Which host a feed lives on: the order feeds start in, and the per-host connection cap.

Both exist for the same reason: to be polite to a host and to keep reusing its connections
while many feeds are fetched at once.
"""

from __future__ import annotations

import asyncio
from typing import TYPE_CHECKING
from urllib.parse import urlsplit

if TYPE_CHECKING:
    from reader.store import Feed


def host_of(url: str) -> str:
    """The lower-cased host name of ``url`` ("" when it has none)."""
    return (urlsplit(url).hostname or "").lower()


def spread_hosts(feeds: list[Feed]) -> list[Feed]:
    """Order feeds round-robin by host, keeping each host's own order.

    Why: feeds arrive sorted by title or URL, so one site's feeds sit together. Started in that
    order, the first 128 fetches went to ~13 hosts at the per-host cap of 8 each, the tasks
    waiting for a host held global slots, and every host opened 8 connections: 905 TCP
    connects for 1000 feeds on 100 hosts, measured. Interleaved, a host rarely has more than
    one or two requests in flight and keeps reusing its connections.
    """
    by_host: dict[str, list[Feed]] = {}
    for feed in feeds:
        by_host.setdefault(host_of(feed.url), []).append(feed)
    queues = list(by_host.values())
    spread: list[Feed] = []
    for turn in range(max((len(q) for q in queues), default=0)):
        spread.extend(q[turn] for q in queues if turn < len(q))
    return spread


class HostSlots:
    """One semaphore per host, created on first use: at most ``per_host`` requests at once."""

    def __init__(self, per_host: int) -> None:
        self.per_host = per_host
        self.slots: dict[str, asyncio.Semaphore] = {}

    def __call__(self, url: str) -> asyncio.Semaphore:
        """The semaphore for ``url``'s host."""
        host = host_of(url)
        if host not in self.slots:
            self.slots[host] = asyncio.Semaphore(self.per_host)
        return self.slots[host]
