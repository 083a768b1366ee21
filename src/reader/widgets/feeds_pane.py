"""The feeds pane: views with their unread counts (All, Unread, Saved, each saved search, each
tag, each feed).

Choosing a row filters the article list (``ViewChosen``); the other keys act on the feed under
the cursor and are carried out by the screen (``FeedAction``). Counts are read in a thread
(``refresh_counts``: three indexed queries whatever the number of feeds) and painted in place,
so the cursor stays where it is while a refresh updates them. A saved search's count is read in
the same thread (``Search.count_unread``: bounded, shown ``1000+`` past ``COUNT_CAP``).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from rich.cells import cell_len
from rich.text import Text
from textual import work
from textual.binding import Binding
from textual.message import Message
from textual.widgets import OptionList
from textual.widgets.option_list import Option

from reader.cells import cell_truncate, terminal_safe
from reader.store import Account, Counts, Feed, FeedKind, SavedSearch, Store, View, ViewKind
from reader.store.search import COUNT_CAP


def failing(feed: Feed) -> bool:
    """Whether the feed's last refresh failed (or the site says it is gone)."""
    return feed.gone or bool(feed.last_error)


@dataclass(frozen=True)
class Entry:
    """One row: the view it stands for, its label and count, and the feed behind it."""

    view: View
    label: str
    count: int
    feed: Feed | None = None
    indent: int = 0
    capped: bool = False
    """The count stopped at its cap (shown ``1000+``)."""
    account: Account | None = None
    """A sync account's row (its feeds follow it); choosing it shows everything."""

    @property
    def key(self) -> str:
        """The row's option id: its view, or its account (whose view is All)."""
        return f"account:{self.account.name}" if self.account else str(self.view)


def account_time(account: Account) -> str:
    """When the account last synced, short and local ('14:05', '3 Dec', 'never')."""
    from datetime import datetime

    if not account.last_sync:
        return "never"
    try:
        when = datetime.fromisoformat(account.last_sync).astimezone()
    except ValueError:
        return "?"
    if when.date() == datetime.now().astimezone().date():
        return when.strftime("%H:%M")
    return f"{when.day} {when.strftime('%b')}"


def entries(
    counts: Counts,
    feeds: list[Feed],
    searches: Sequence[tuple[SavedSearch, int]] = (),
    accounts: Sequence[Account] = (),
    synced: Mapping[int, str] | None = None,
) -> list[Entry]:
    """The rows, top to bottom: the three fixed views, saved searches (``/ name``), tags,
    local feeds by title, then each sync account (``⇅ name``) with its feeds under it."""
    rows = [
        Entry(View(ViewKind.ALL), "All", counts.total),
        Entry(View(ViewKind.UNREAD), "Unread", counts.unread),
        Entry(View(ViewKind.SAVED), "Saved", counts.saved),
    ]
    for saved, unread in searches:
        view = View(ViewKind.SEARCH, search=saved.name)
        rows.append(Entry(view, f"/ {saved.name}", unread, capped=unread >= COUNT_CAP))
    tags: dict[str, list[int]] = {}
    for feed in feeds:
        for tag in feed.tags:
            tags.setdefault(tag, []).append(feed.id)
    for tag in sorted(tags, key=str.lower):
        rows.append(Entry(View(ViewKind.TAG, tag=tag), f"# {tag}", counts.tag_unread(tags[tag])))
    synced = synced or {}
    groups: list[tuple[Account | None, list[Feed]]] = [(None, [])]
    groups += [(account, []) for account in accounts]
    index = {account.name: n + 1 for n, account in enumerate(accounts)}
    for feed in feeds:
        groups[index.get(synced.get(feed.id, ""), 0)][1].append(feed)
    for account, members in groups:
        if account is not None:
            rows.append(Entry(View(), f"⇅ {account.name}", 0, account=account))
        for feed in members:
            label = feed.display_title + (" (demo)" if feed.kind == FeedKind.DEMO else "")
            unread = counts.feed_unread.get(feed.id, 0)
            view = View(ViewKind.FEED, feed_id=feed.id)
            rows.append(Entry(view, label, unread, feed, 1 if account is None else 2))
    return rows


class FeedsPane(OptionList):
    """Views and feeds with counts; enter chooses, other keys manage the feed."""

    BINDINGS = [
        Binding("j", "cursor_down", "Down", show=False, id="feeds.down"),
        Binding("k", "cursor_up", "Up", show=False, id="feeds.up"),
        Binding("a", "feed('add')", "Add a feed", id="feeds.add"),
        Binding("d,delete", "feed('remove')", "Remove feed", id="feeds.remove"),
        Binding("t", "feed('tags')", "Tags", id="feeds.tags"),
        Binding("T", "feed('rename')", "Rename", show=False, id="feeds.rename"),
        Binding("ctrl+r", "feed('retry')", "Refresh this feed now", id="feeds.retry"),
        Binding("o", "feed('site')", "Open the site", show=False, id="feeds.site"),
    ]

    DEFAULT_CSS = """
    FeedsPane {
        background: $surface;
        height: 1fr;
        border: none;
        border-right: vkey $panel;
        padding: 0;
        scrollbar-size-vertical: 1;
        &:focus { border: none; border-right: vkey $panel; }
        & > .option-list--option-highlighted { background: $primary 40%; }
    }
    """

    class Event(Message):
        """Any of the pane's messages (the screen hands them all to one handler)."""

    @dataclass
    class ViewChosen(Event):
        """The user chose a view."""

        view: View

    @dataclass
    class FeedHighlighted(Event):
        """The cursor is on a row: its feed (None for All, Unread, Saved and tags)."""

        entry: Entry

    @dataclass
    class FeedAction(Event):
        """Do ``action`` (add, remove, tags, rename, retry, site) on ``feed`` (None: no feed
        under the cursor; only ``add`` makes sense then, and ``remove`` on a saved search,
        ``view``)."""

        action: str
        feed: Feed | None
        view: View | None = None

    def __init__(self, store: Store, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self.store = store
        self.entries: list[Entry] = []
        self.current = View()
        """The view the list shows (marked ▸)."""

    @work(thread=True, exclusive=True, group="feed-counts")
    def refresh_counts(self) -> None:
        """Read the counts and feeds in a thread, then repaint."""
        counts = self.store.views.counts()
        feeds = self.store.feeds.all(item_counts=False)
        searches = [
            (saved, self.store.search.count_unread(saved.query))
            for saved in self.store.saved_searches.all()
        ]
        accounts, synced = self.store.sync.accounts(), self.store.sync.feed_accounts()
        rows = entries(counts, feeds, searches, accounts, synced)
        self.app.call_from_thread(self.show_entries, rows)

    def show_entries(self, rows: list[Entry]) -> None:
        """Paint rows; the cursor stays on the same view if it is still there."""
        keep = self.highlighted_entry.key if self.highlighted_entry else str(self.current)
        same = [e.key for e in rows] == [e.key for e in self.entries]
        self.entries = rows
        if same:
            for index, entry in enumerate(rows):
                self.replace_option_prompt_at_index(index, self._prompt(entry))
            return
        self.set_options(Option(self._prompt(e), id=e.key) for e in rows)
        keys = [e.key for e in rows]
        self.highlighted = keys.index(keep) if keep in keys else 0

    def on_resize(self) -> None:
        """Labels are cut to the width."""
        if self.entries:
            for index, entry in enumerate(self.entries):
                self.replace_option_prompt_at_index(index, self._prompt(entry))

    def _prompt(self, entry: Entry) -> Text:
        width = max(8, self.scrollable_content_region.width - 1)
        mark = "▸" if entry.view == self.current and entry.account is None else " "
        bad = entry.feed is not None and failing(entry.feed)
        count = f" {entry.count}{'+' if entry.capped else ''}" if entry.count else ""
        if entry.account is not None:  # when it last synced; ! when that failed
            bad, count = bool(entry.account.last_error), f" {account_time(entry.account)}"
        room = width - 2 - entry.indent - cell_len(count) - (2 if bad else 0)
        if entry.account is not None and room < cell_len(entry.label):  # the name first
            room, count = room + cell_len(count), ""
        label = cell_truncate(terminal_safe(entry.label), max(1, room))
        pad = " " * max(0, room - cell_len(label))
        text = Text(f"{mark} {' ' * entry.indent}")
        text.append(label, "bold" if entry.count and entry.feed is None else "")
        if bad:
            text.append(" !", "bold red")
        text.append(pad + count, "dim" if entry.feed is not None else "bold")
        return text

    def choose(self, view: View) -> None:
        """Mark ``view`` as the one shown and put the cursor on it."""
        self.current = view
        views = [e.view for e in self.entries]
        if view in views:
            self.highlighted = views.index(view)
        self.show_entries(self.entries)

    @property
    def highlighted_entry(self) -> Entry | None:
        """The row under the cursor."""
        index = self.highlighted
        return self.entries[index] if index is not None and index < len(self.entries) else None

    def on_option_list_option_selected(self, event: OptionList.OptionSelected) -> None:
        """Enter or a click: show that view."""
        event.stop()
        entry = self.entries[event.option_index]
        self.choose(entry.view)
        self.post_message(self.ViewChosen(entry.view))

    def on_option_list_option_highlighted(self, event: OptionList.OptionHighlighted) -> None:
        """Say which row the cursor is on (the status bar shows a feed's health)."""
        event.stop()
        if event.option_index < len(self.entries):
            self.post_message(self.FeedHighlighted(self.entries[event.option_index]))

    def action_feed(self, action: str) -> None:
        """Ask the screen to act on the feed under the cursor."""
        entry = self.highlighted_entry
        feed, view = (entry.feed, entry.view) if entry else (None, None)
        self.post_message(self.FeedAction(action, feed, view))
