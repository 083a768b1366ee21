"""Read and saved state from the main screen, and the undo of the last bulk change.

The rule (also in the help): moving the list cursor previews an article and never marks it
read nor touches the trail. An article is read when it is opened (enter, a click, ``n``/``p``,
a related post, a link, a trail step), or when a preview stays on screen for ``read_after``
seconds (config; 0 marks on preview, "never" only on opening). Launching marks nothing.

``ReadState`` belongs to ``MainScreen``; every store write runs in a thread worker of the
screen and the list shows the new state at once.
"""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from typing import TYPE_CHECKING

from textual.timer import Timer

from reader.store import ViewKind

if TYPE_CHECKING:
    from reader.screens.main import MainScreen
    from reader.store import ArticleRow, Store

UNDO_SECONDS = 12
"""How long the undo toast stays (the undo itself stays until the next undoable change)."""


class ReadState:
    """``m``, ``s``, ``A``, ``M``, ``u`` and the preview dwell."""

    def __init__(self, screen: MainScreen) -> None:
        self.screen = screen
        self._dwell: Timer | None = None
        self._undo: tuple[str, Callable[[], object]] | None = None

    @property
    def store(self) -> Store:
        """The cache."""
        return self.screen.reader_app.store

    # -- one article -------------------------------------------------------------------
    def opened(self, article_id: int) -> None:
        """An article was opened: it is read."""
        self.cancel_dwell()
        self._write(self.store.marks.set_read, [article_id])
        self.screen.article_list.patch(article_id, read=True)

    def previewed(self, article_id: int, *, by_user: bool) -> None:
        """The cursor brought an article on screen: start the dwell (not at launch)."""
        self.cancel_dwell()
        seconds = self.screen.reader_app.config.read_after
        if not by_user or seconds is None:
            return
        if seconds == 0:
            self.opened(article_id)
            return
        self._dwell = self.screen.set_timer(seconds, lambda: self._dwelt(article_id))

    def _dwelt(self, article_id: int) -> None:
        current = self.screen.current
        if self.screen.previewing and current is not None and current.article_id == article_id:
            self.opened(article_id)

    def cancel_dwell(self) -> None:
        """The preview ended before the dwell did."""
        if self._dwell is not None:
            self._dwell.stop()
            self._dwell = None

    def toggle_read(self) -> None:
        """Flip the read state of the article under the cursor (or on the pane)."""
        row = self._focused_row()
        if row is None:
            return
        self.cancel_dwell()  # an explicit "unread" must not be undone by the dwell
        self._write(self.store.marks.set_read, [row.id], not row.read)
        self.screen.article_list.patch(row.id, read=not row.read)
        self.screen.notify("Marked unread." if row.read else "Marked read.", timeout=2)

    def toggle_saved(self) -> None:
        """Save the focused article for later (its page is fetched now), or unsave it."""
        row = self._focused_row()
        if row is None:
            return
        self._write(self.store.marks.set_saved, [row.id], not row.saved)
        self.screen.article_list.patch(row.id, saved=not row.saved)
        if row.saved:
            self.screen.notify("Removed from saved.", timeout=2)
            return
        self.screen.notify("Saved: kept for good and readable offline.", timeout=3)
        self.screen.pages.ensure_cached(row.id)

    def _focused_row(self) -> ArticleRow | None:
        article_list = self.screen.article_list
        article_id = article_list.highlighted_id
        current = self.screen.current
        if not article_list.has_focus and current is not None:
            article_id = current.article_id
        if article_id is None:
            self.screen.notify("No article to mark.", timeout=2)
            return None
        return self.store.articles.rows([article_id]).get(article_id)

    # -- many articles, with undo ------------------------------------------------------
    def mark_view_read(self, *, up_to_cursor: bool = False) -> None:
        """Mark every unread article of the list's view read (or those from the top down to
        the cursor); undo with ``u``."""
        article_list = self.screen.article_list
        if article_list.searching:
            ids = article_list.article_ids
            if up_to_cursor:
                ids = ids[: article_list.cursor + 1]
            job: Callable[[], list[int]] = lambda: self.store.marks.set_read(list(ids))  # noqa: E731
        else:
            up_to = article_list.highlighted_id if up_to_cursor else None
            view = article_list.view  # unread-only or not: only unread rows change anyway
            job = lambda: self.store.marks.read_view(view, up_to=up_to)  # noqa: E731
        self.screen.run_worker(self._mark_many(job), group="marks", exit_on_error=False)

    def mark_to_here(self) -> None:
        """Mark the articles from the top of the list down to the cursor read."""
        self.mark_view_read(up_to_cursor=True)

    async def _mark_many(self, job: Callable[[], list[int]]) -> None:
        changed = await asyncio.to_thread(job)
        self.screen.article_list.forget_rows()
        self.screen.counts_changed()
        if not changed:
            self.screen.notify("Nothing unread here.", timeout=2)
            return
        key = self.screen.key_for("main.undo")
        self.offer_undo(
            f"Marked {len(changed)} read.", lambda: self.store.marks.set_read(changed, False)
        )
        self.screen.notify(
            f"Marked {len(changed)} articles read · {key}: undo", timeout=UNDO_SECONDS
        )

    def offer_undo(self, what: str, undo: Callable[[], object]) -> None:
        """Make ``undo`` the answer to the next ``u`` (it replaces any earlier one)."""
        self._undo = (what, undo)

    def undo(self) -> None:
        """Undo the last bulk change (mark all read, remove a feed)."""
        if self._undo is None:
            self.screen.notify("Nothing to undo.", timeout=2)
            return
        what, job = self._undo
        self._undo = None
        self.screen.run_worker(self._undo_now(what, job), group="marks", exit_on_error=False)

    async def _undo_now(self, what: str, job: Callable[[], object]) -> None:
        result = await asyncio.to_thread(job)
        if result is False:
            self.screen.notify(f"Cannot undo: {what}", severity="warning")
            return
        self.screen.article_list.forget_rows()
        self.screen.after_undo()
        self.screen.notify(f"Undone: {what}", timeout=3)

    def _write(self, write: Callable[..., object], *args: object) -> None:
        async def run() -> None:
            await asyncio.to_thread(write, *args)
            self.screen.counts_changed()
            if self.screen.article_list.view.kind is ViewKind.SAVED:
                self.screen.article_list.reload()

        self.screen.run_worker(run(), group="marks", exit_on_error=False)
