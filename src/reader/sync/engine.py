"""One sync of one account: push local changes, then pull feeds, items and state.

Order, and why:

1. **Push** the queued read/starred changes (``edit-tag``, one state change per request, many
   ids), each batch recorded in the store once the server accepted it. Setting a state is
   idempotent, so a batch pushed but not recorded (the process killed in between) is pushed
   again next time and changes nothing.
2. **Subscriptions**: the server's list and folders become feeds (kind ``synced``) and their
   tags; a synced feed the server no longer lists is removed.
3. **Items**: the reading list, page after page, all of it the first time, then only what the
   server fetched since the last sync (``ot``). Each page is stored (one transaction) as it
   arrives, so memory does not grow with the stream and a sync cut short keeps what it stored;
   ``ot`` moves only when a sync completes.
4. **State**: the unread and starred id sets (``stream/items/ids``), so items marked on another
   device show up even when they are not fetched again. Local changes still queued win.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

from reader.sanitize import clean_line, http_url
from reader.sources.items import FeedItem
from reader.store import Account, FeedKind, ServerItem, Store
from reader.sync import quirks
from reader.sync.greader import AuthError, GReader, Refused, Subscription, SyncError


@dataclass
class SyncReport:
    """What one sync did (``reader sync --json`` prints it)."""

    account: str
    feeds: int = 0
    feeds_added: int = 0
    feeds_removed: int = 0
    new_items: int = 0
    pushed: int = 0
    pulled: int = 0
    queued: int = 0
    errors: list[str] = field(default_factory=list)
    auth_failed: bool = False
    """The server refused the stored token: log in again (``reader account add``)."""

    def to_dict(self) -> dict[str, Any]:
        """Plain data."""
        return dict(self.__dict__)


def sync_account(store: Store, client: GReader, account: Account) -> SyncReport:
    """Sync one account; a failure is recorded on the account and in the report."""
    report = SyncReport(account.name)
    try:
        push_ops(store, client, account, report)
        push(store, client, account, report)
        feeds = pull_subscriptions(store, client, account, report)
        newest = pull_items(store, client, account, feeds, report)
        unread = client.item_ids(quirks.READING_LIST, exclude=quirks.READ)
        starred = client.item_ids(quirks.STARRED)
        report.pulled += store.sync.reconcile(account.name, unread, starred)
    except SyncError as error:
        report.errors.append(str(error))
        report.auth_failed = isinstance(error, AuthError)
        store.sync.finish(account.name, error=str(error))
    else:
        since = max(0, newest - quirks.OT_OVERLAP) if newest else account.since
        store.sync.finish(account.name, error=None, since=since)
    report.queued = store.sync.queued_count(account.name)
    return report


def push_ops(store: Store, client: GReader, account: Account, report: SyncReport) -> None:
    """Send queued renames, re-tags and removals of synced feeds, oldest first. A network
    failure stops the sync before the server's list is read back over the local change."""
    for op_id, op, args in store.sync.pending_ops(account.name):
        stream = str(args.get("stream") or "")
        if op == "unsubscribe":
            client.edit_subscription(stream, "unsubscribe")
        elif op == "subscribe":  # reader add --account, or a removal undone after its push
            try:
                stream = client.quickadd(str(args.get("url") or ""))
            except Refused as refused:  # for good: reported once, not sent again
                report.errors.append(str(refused))
                store.sync.drop_op(op_id)
                continue
            labels = args.get("labels")
            for label in labels if isinstance(labels, list) else ():
                client.edit_subscription(stream, "edit", add_label=str(label))
        elif op == "edit":
            title, add, remove = args.get("title"), args.get("add_label"), args.get("remove_label")
            client.edit_subscription(
                stream,
                "edit",
                title=str(title) if title is not None else None,
                add_label=str(add) if add else None,
                remove_label=str(remove) if remove else None,
            )
        store.sync.drop_op(op_id)
        report.pushed += 1


def push(store: Store, client: GReader, account: Account, report: SyncReport) -> None:
    """Send the queued local changes, batch by batch, recording each batch once accepted."""
    while True:
        changes = store.sync.pending(account.name, limit=quirks.EDIT_TAG_BATCH * 4)
        if not changes:
            return
        groups: dict[tuple[str, bool], list] = defaultdict(list)
        for change in changes:
            groups[(change.state, change.value)].append(change)
        for (state, value), batch in groups.items():
            tag = quirks.READ if state == "read" else quirks.STARRED
            for start in range(0, len(batch), quirks.EDIT_TAG_BATCH):
                part = batch[start : start + quirks.EDIT_TAG_BATCH]
                ids = [change.item_id for change in part]
                if value:
                    client.edit_tag(ids, add=tag)
                else:
                    client.edit_tag(ids, remove=tag)
                store.sync.record_pushed(account.name, part)
                report.pushed += len(part)


def pull_subscriptions(
    store: Store, client: GReader, account: Account, report: SyncReport
) -> dict[str, int]:
    """The server's feeds as local feeds; stream id → feed id."""
    subscriptions = client.subscriptions()
    links = store.sync.feed_links(account.name)
    current: dict[str, int] = {}
    for sub in subscriptions:
        feed_id = _feed_for(store, account, sub, links.get(sub.stream_id), report)
        if feed_id is not None:
            current[sub.stream_id] = feed_id
    kept = set(current.values())
    for stream_id, feed_id in links.items():  # a feed now under another stream id is kept
        if stream_id not in current and feed_id not in kept:
            feed = store.feeds.get(feed_id)
            if feed is not None and store.feeds.remove(feed.url):
                report.feeds_removed += 1
    report.feeds = len(current)
    return current


def _feed_for(
    store: Store, account: Account, sub: Subscription, linked: int | None, report: SyncReport
) -> int | None:
    feed = store.feeds.get(linked) if linked is not None else None
    if feed is None:
        feed = store.feeds.by_url(sub.url)
        if feed is not None and store.sync.account_of_feed(feed.id) not in (None, account.name):
            report.errors.append(f"{sub.url} is already synced by another account")
            return None
        if feed is None:
            feed, _new = store.feeds.add(sub.url, title=sub.title, site_url=sub.site_url)
            report.feeds_added += 1
        store.sync.link_feed(account.name, feed.id, sub.stream_id)
    changes: dict[str, object] = {}
    if feed.kind != FeedKind.SYNCED:
        changes["kind"] = FeedKind.SYNCED
    if sub.title and feed.title != sub.title:
        changes["title"] = sub.title
    if sub.site_url and feed.site_url != sub.site_url:
        changes["site_url"] = sub.site_url
    if tuple(feed.tags) != sub.labels:
        changes["tags"] = list(sub.labels)
    if sub.url != feed.url and store.feeds.by_url(sub.url) is None:
        changes["url"] = sub.url
    if changes:
        store.feeds.update(feed.id, **changes)
    return feed.id


def pull_items(
    store: Store, client: GReader, account: Account, feeds: dict[str, int], report: SyncReport
) -> int:
    """Fetch the reading list (since the last sync), store it page by page; the newest
    crawl time seen (Unix seconds, 0 if none)."""
    newest = 0
    for page in client.contents(quirks.READING_LIST, since=account.since):
        by_feed: dict[int, list[tuple[str, FeedItem, bool, bool]]] = defaultdict(list)
        for raw in page.items:
            parsed = _item(raw)
            origin = raw.get("origin")
            stream = origin.get("streamId") if isinstance(origin, dict) else None
            if parsed is None or stream not in feeds:
                continue
            by_feed[feeds[stream]].append(parsed)
            newest = max(newest, quirks.crawl_seconds(raw) or 0)
        with store.transaction():
            for feed_id, entries in by_feed.items():
                report.new_items += _store_items(store, account, feed_id, entries)
    return newest


def _store_items(
    store: Store, account: Account, feed_id: int, entries: list[tuple[str, FeedItem, bool, bool]]
) -> int:
    result = store.articles.upsert(feed_id, [item for _id, item, _r, _s in entries])
    ids = store.sync.stored_ids(feed_id, [(item.guid, item.url) for _i, item, _r, _s in entries])
    linked = [
        ServerItem(ids[item.guid], item_id, read, starred)
        for item_id, item, read, starred in entries
        if item.guid in ids
    ]
    store.sync.record_items(account.name, linked)
    return len(result.new_ids)


def _item(raw: dict[str, Any]) -> tuple[str, FeedItem, bool, bool] | None:
    """A GReader item as (decimal id, FeedItem, read, starred); None if it has no usable id."""
    item_id = quirks.decimal_id(raw.get("id"))
    if item_id is None:
        return None
    url = None
    for key in ("canonical", "alternate"):
        links = raw.get(key)
        if isinstance(links, list) and links and isinstance(links[0], dict):
            url = http_url(str(links[0].get("href") or ""))
            if url:
                break
    published = raw.get("published")
    when = None
    if isinstance(published, (int, float)) and 0 < published < 32_503_680_000:
        when = datetime.fromtimestamp(int(published), UTC).isoformat()
    body = quirks.item_html(raw)
    item = FeedItem(
        guid=quirks.long_id(item_id),
        url=url,
        title=quirks.restore_title(clean_line(str(raw.get("title") or ""))),
        author=clean_line(str(raw.get("author") or "")) or None,
        published=when,
        content_html=body,
        summary_html=body,
        categories=tuple(quirks.plain_categories(raw.get("categories"))[:50]),
    )
    categories = raw.get("categories")
    return (
        item_id,
        item,
        quirks.has_state(categories, "read"),
        quirks.has_state(categories, "starred"),
    )
