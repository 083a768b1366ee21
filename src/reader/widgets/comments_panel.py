"""The comments panel: an article's thread, replies indented, threads collapsible.

Threads are short (tens to a few hundred comments), so each comment is its own focusable card;
the card under focus is what ``c`` replies to. Collapsing a card hides its replies.

The panel loads its own thread: the cached one (or the page's own comment list) at once, then a
fresh fetch when online, in a worker of its own. The screen only says which article is on the
reading pane and whether the panel is open.
"""

from __future__ import annotations

import asyncio
import logging
from dataclasses import dataclass
from typing import TYPE_CHECKING

from rich.markup import escape
from textual import work
from textual.binding import Binding
from textual.containers import VerticalScroll
from textual.message import Message
from textual.widgets import Static

from reader.cells import format_date, terminal_safe

if TYPE_CHECKING:
    from textual.app import ComposeResult

    from reader.comments.thread import ThreadComment
    from reader.extract.model import Comment
    from reader.reading import Readable
    from reader.store import Store

log = logging.getLogger("reader")


@dataclass(frozen=True)
class CommentItem:
    """What a card shows (from a fetched thread or the page's own comment list)."""

    id: str
    parent: str | None
    author: str
    date: str | None
    text: str
    depth: int


class CommentCard(Static, can_focus=True):
    """One comment; enter/space folds its replies."""

    DEFAULT_CSS = """
    CommentCard {
        padding: 0 1;
        margin: 0 0 1 0;
        border-left: outer $panel-lighten-2;
        &:focus { border-left: outer $accent; background: $boost; }
        &.-collapsed { color: $text-muted; }
        &.-hidden { display: none; }
    }
    """

    def __init__(self, item: CommentItem, replies: int) -> None:
        super().__init__(id=None)
        self.item = item
        self.replies = replies
        self.collapsed = False
        self.styles.margin = (0, 0, 1, min(item.depth, 6) * 3)
        self._paint()

    def _paint(self) -> None:
        item = self.item
        head = f"[b]{escape(terminal_safe(item.author) or 'Anonymous')}[/b]"
        if item.date:
            head += f" [dim]· {escape(format_date(item.date))}[/dim]"
        if self.replies:
            fold = "▸" if self.collapsed else "▾"
            head += f" [dim]· {fold} {self.replies} repl{'y' if self.replies == 1 else 'ies'}[/]"
        text = "\n".join(terminal_safe(line) for line in item.text.strip().splitlines())
        self.update(f"{head}\n{escape(text)}")

    def set_collapsed(self, collapsed: bool) -> None:
        """Fold or unfold (the panel hides the replies)."""
        self.collapsed = collapsed
        self.set_class(collapsed, "-collapsed")
        self._paint()


class CommentsPanel(VerticalScroll):
    """Threaded comments of the current article."""

    BINDINGS = [
        Binding("j,down", "move(1)", "Next comment", show=False, id="comments.next"),
        Binding("k,up", "move(-1)", "Previous comment", show=False, id="comments.previous"),
        Binding("enter,space", "toggle", "Fold replies", id="comments.toggle"),
    ]

    DEFAULT_CSS = """
    CommentsPanel {
        height: 40%;
        border-top: hkey $panel;
        background: $surface;
        & #comments-title { color: $text-accent; text-style: bold; padding: 0 1; }
        & #comments-note { color: $text-muted; padding: 0 1; }
    }
    """

    @dataclass
    class CountChanged(Message):
        """The number of comments shown changed (the screen updates titles)."""

        panel: CommentsPanel
        count: int

    def __init__(self, store: Store, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self.store = store
        self.items: list[CommentItem] = []
        self.readable: Readable | None = None
        """The article on the reading pane (its comments are shown once loaded)."""

    def compose(self) -> ComposeResult:
        """Title and note; cards are mounted by ``show``."""
        yield Static("Comments", id="comments-title")
        yield Static("", id="comments-note")

    async def show(self, items: list[CommentItem], note: str = "") -> None:
        """Replace the thread (the user's own comments not in it yet follow it, marked)."""
        theirs = len(items)
        url = self.readable.url if self.readable is not None else None
        items = items + (
            await asyncio.to_thread(own_comments, self.store, url, items) if url else []
        )
        self.items = items
        await self.remove_children(CommentCard)
        replies: dict[str, int] = {}
        for item in items:
            if item.parent:
                replies[item.parent] = replies.get(item.parent, 0) + 1
        await self.mount_all([CommentCard(item, replies.get(item.id, 0)) for item in items])
        mine = len(items) - theirs
        title = f"Comments ({theirs}{f' + {mine} yours' if mine else ''})"
        title = title if items else "No comments yet"
        self.query_one("#comments-title", Static).update(title)
        self.query_one("#comments-note", Static).update(
            escape(note) or ("c on a comment replies to it" if items else "Press c to write one.")
        )
        self.scroll_home(animate=False)
        self.post_message(self.CountChanged(self, len(items)))

    def set_article(self, readable: Readable, *, load: bool) -> None:
        """The reading pane shows ``readable``; ``load`` its comments now (the panel is open)."""
        self.readable = readable
        if load:
            self.load()

    @work(exclusive=True, group="comments", exit_on_error=False)
    async def load(self, focus: bool = False) -> None:
        """Cached thread (or the page's own list) at once, then a fresh fetch when online."""
        from reader.comments.thread import cached_thread
        from reader.demo import is_demo_url

        readable = self.readable
        if readable is None:
            return
        url = readable.url or ""
        thread = await asyncio.to_thread(cached_thread, self.store, url) if url else None
        if thread is not None and thread.comments:
            items = [items_from_thread_comment(c) for c in thread.comments]
            note = f"cached {(thread.fetched_at or '')[:16].replace('T', ' ')}"
        else:
            items = items_from_page(readable.comments)
            note = "from the saved page" if items else ""
        await self.show(items, note)
        if focus:
            self.focus_first()
        if url and not is_demo_url(url):
            await self._refetch(url, items, focus)

    async def _refetch(self, url: str, shown: list[CommentItem], focus: bool) -> None:
        """Replace what is shown with a fresh fetch (kept, with the reason, when offline)."""
        from reader.comments.thread import fetch_thread, source_label

        try:
            fresh = await fetch_thread(self.store, url)
        except Exception as error:  # keep what is shown; say why it is not fresh
            log.warning("comments fetch failed for %s: %s", url, error)
            return
        if self.readable is None or self.readable.url != url:
            return  # the pane moved on meanwhile
        if fresh.offline:
            await self.show(shown, f"offline: {fresh.error or 'showing saved comments'}")
        elif fresh.comments or not shown:
            await self.show(
                [items_from_thread_comment(c) for c in fresh.comments], source_label(fresh.source)
            )
        if focus:
            self.focus_first()

    @property
    def cards(self) -> list[CommentCard]:
        """Visible and hidden cards in thread order."""
        return list(self.query(CommentCard))

    @property
    def focused_comment(self) -> CommentItem | None:
        """The comment under focus (the reply target)."""
        focused = self.screen.focused
        return focused.item if isinstance(focused, CommentCard) else None

    def focus_first(self) -> None:
        """Focus the first comment (or the panel when empty)."""
        cards = [card for card in self.cards if card.display]
        if cards:
            cards[0].focus()
        else:
            self.focus()

    def action_move(self, step: int) -> None:
        """Focus the next/previous visible card."""
        cards = [card for card in self.cards if not card.has_class("-hidden")]
        if not cards:
            return
        focused = self.screen.focused
        index = cards.index(focused) if focused in cards else (-1 if step > 0 else len(cards))
        target = cards[max(0, min(len(cards) - 1, index + step))]
        target.focus()
        target.scroll_visible(animate=False)

    def action_toggle(self) -> None:
        """Fold or unfold the focused comment's replies."""
        focused = self.screen.focused
        if not isinstance(focused, CommentCard) or not focused.replies:
            return
        focused.set_collapsed(not focused.collapsed)
        self._apply_folds()

    def _apply_folds(self) -> None:
        hidden_below: int | None = None
        for card in self.cards:
            depth = card.item.depth
            if hidden_below is not None and depth > hidden_below:
                card.add_class("-hidden")
                continue
            hidden_below = None
            card.remove_class("-hidden")
            if card.collapsed:
                hidden_below = depth


def items_from_page(comments: list[Comment]) -> list[CommentItem]:
    """Thread the page's own comment list with the same rules as fetched threads."""
    from reader.comments.thread import threaded
    from reader.store.comments import StoredComment

    stored = [StoredComment(c.id, c.parent, c.author, c.date, c.text) for c in comments]
    return [items_from_thread_comment(c) for c in threaded(stored)]


def items_from_thread_comment(comment: ThreadComment) -> CommentItem:
    """A card item from a comment of a threaded thread."""
    return CommentItem(
        comment.id, comment.parent, comment.author, comment.date, comment.text, comment.depth
    )


OWN_STATES = {"queued": "queued", "sending": "sending", "published": "awaiting moderation"}
"""The user's comments shown under a thread until the site's thread holds them."""


def own_comments(store: Store, url: str, shown: list[CommentItem]) -> list[CommentItem]:
    """The user's queued and sent comments on ``url`` that the thread does not show yet."""
    from reader.store.comments import thread_key

    key, ids = thread_key(url), {item.id for item in shown}
    mine = []
    for draft in store.drafts.all():
        label = OWN_STATES.get(draft.state)
        if label is None or thread_key(draft.article_url) != key or draft.remote_id in ids:
            continue
        reply = f"↳ reply to #{draft.parent_comment}: " if draft.parent_comment else ""
        author = f"{draft.name or 'You'} · {label}"
        mine.append(
            CommentItem(f"draft-{draft.id}", None, author, draft.updated_at, reply + draft.body, 0)
        )
    return mine
