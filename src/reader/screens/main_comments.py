"""Writing comments from the main screen: the composer, the drafts dialog, the outbox.

``CommentFlow`` belongs to ``MainScreen`` (it is no screen of its own; the screen's ``c`` and
``D`` call it). It pushes the dialogs, acts on their answers, and sends the outbox in a worker
of the screen: after a comment is queued in the composer, and after a refresh that reached the
network. Queued comments stay in the store whatever happens to a send.
"""

from __future__ import annotations

import logging
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from reader.screens.main import MainScreen
    from reader.store import Draft

log = logging.getLogger("reader")


class CommentFlow:
    """``c`` (comment, or reply to the focused comment), ``D`` (drafts), sending the outbox."""

    def __init__(self, screen: MainScreen) -> None:
        self.screen = screen

    def compose(self) -> None:
        """Open the composer for the article being read; a reply to the focused comment."""
        screen = self.screen
        readable = screen.current
        if readable is None or not readable.url:
            screen.notify("Open an article first.", severity="warning")
            return
        from reader.screens.dialogs.compose import ComposeScreen

        replying_to = screen.comments.focused_comment
        parent = int(replying_to.id) if replying_to and replying_to.id.isdigit() else None

        def closed(result: str | None) -> None:
            if result == "queued":
                screen.notify("Comment queued; sending it now…", timeout=3)
                self.send_outbox()
            elif result == "saved":
                screen.notify("Draft saved.", timeout=2)

        store = screen.reader_app.store
        reply_to = (replying_to.author, replying_to.text) if replying_to and parent else None
        composer = ComposeScreen(
            store, readable.url, readable.title, readable.article_id, parent, reply_to
        )
        screen.app.push_screen(composer, closed)

    def drafts(self) -> None:
        """Show every draft and the outbox; a draft chosen there reopens in the composer."""
        from reader.screens.dialogs.compose import ComposeScreen
        from reader.screens.dialogs.draft_list import DraftListScreen

        store = self.screen.reader_app.store

        def reopen(draft: Draft | None) -> None:
            if draft is not None:
                self.screen.app.push_screen(ComposeScreen.for_draft(store, draft))

        self.screen.app.push_screen(DraftListScreen(store), reopen)

    def send_outbox(self) -> None:
        """Send queued comments in the background; they stay queued while offline."""
        self.screen.run_worker(self._send(), group="outbox", exclusive=True, exit_on_error=False)

    async def _send(self) -> None:
        from reader.screens.dialogs.sending import send_outbox

        screen = self.screen
        try:
            results = await send_outbox(screen.app, screen.reader_app.store)
            if any(result.sent for result in results) and not screen.has_class("-hide-comments"):
                screen.comments.load()  # the thread shows the comment (or it as awaiting)
        except Exception as error:  # the drafts stay in the store whatever happens
            log.exception("sending the outbox failed")
            screen.notify(f"Sending stopped: {error}", severity="error")
