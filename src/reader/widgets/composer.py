"""The comment composer: a TextArea plus name / e-mail / website, autosaved as you type.

Every change schedules a save 0.4 s later (one write per typing burst); closing the composer or
quitting the app flushes at once, so nothing typed is lost. ``DraftTextArea`` parks the cursor
before undo to dodge textual#6686 (undo after a large paste crashed).
"""

from __future__ import annotations

import sqlite3
import time
from dataclasses import dataclass
from pathlib import Path

from textual import on
from textual.app import ComposeResult
from textual.containers import Horizontal, Vertical
from textual.message import Message
from textual.timer import Timer
from textual.widgets import Input, Label, TextArea
from textual.widgets.text_area import Selection

from reader.store import Draft, Identity, Store

FIELDS = ("name", "email", "website")
AUTOSAVE_DELAY = 0.4
RETRY_DELAY = 5.0
"""Seconds before a failed autosave (database busy past its timeout, disk full) is retried."""
"""Seconds after the last keystroke before the draft is written (kept under 0.5 s)."""


class DraftTextArea(TextArea):
    """TextArea whose undo cannot crash after a large paste (textual#6686)."""

    def undo(self) -> None:
        """Undo with the cursor parked at the start, where every document line exists."""
        self.selection = Selection.cursor((0, 0))
        super().undo()

    def redo(self) -> None:
        """Redo, guarded the same way."""
        self.selection = Selection.cursor((0, 0))
        super().redo()


class Composer(Vertical):
    """Edits one draft for one article (or a reply to one comment)."""

    DEFAULT_CSS = """
    Composer {
        height: auto;
        & #composer-fields { height: auto; }
        & #composer-fields Input { width: 1fr; }
        & DraftTextArea { height: 1fr; min-height: 6; }
        & #composer-count { color: $text-muted; height: 1; }
    }
    """

    @dataclass
    class Saved(Message):
        """The draft was written to the store."""

        composer: Composer
        draft: Draft

    def __init__(
        self,
        store: Store,
        article_url: str,
        article_id: int | None = None,
        parent_comment: int | None = None,
        *,
        id: str | None = None,
    ) -> None:
        super().__init__(id=id)
        self.store = store
        self.save_error: str | None = None
        self.article_url = article_url
        self.article_id = article_id
        self.parent_comment = parent_comment
        self.draft: Draft | None = store.drafts.open_for(article_url, parent_comment)
        self._timer: Timer | None = None
        self._area: DraftTextArea
        self._inputs: dict[str, Input]
        self._count: Label
        self._dirty = False

    def compose(self) -> ComposeResult:
        """TextArea with the draft, identity fields remembered per site."""
        identity = self.store.drafts.identity(self.article_url)
        draft = self.draft
        with Horizontal(id="composer-fields"):
            yield Input(draft.name if draft else identity.name, placeholder="Name", id="name")
            yield Input(draft.email if draft else identity.email, placeholder="E-mail", id="email")
            yield Input(
                draft.website if draft else identity.website, placeholder="Website", id="website"
            )
        yield DraftTextArea(
            draft.body if draft else "",
            soft_wrap=True,
            tab_behavior="focus",
            placeholder="Write your comment…",
            id="body",
        )
        yield Label("", id="composer-count")

    def on_mount(self) -> None:
        """Keep references (children are gone by the time ``on_unmount`` flushes), focus."""
        self._area = self.query_one(DraftTextArea)
        self._inputs = {name: self.query_one(f"#{name}", Input) for name in FIELDS}
        self._count = self.query_one("#composer-count", Label)
        self._area.focus()
        self._update_count()

    def identity_value(self, field: str) -> str:
        """The current value of ``name``, ``email`` or ``website``."""
        return self._inputs[field].value.strip()

    @property
    def text(self) -> str:
        """The comment text."""
        return self._area.text

    def _update_count(self) -> None:
        text = self.text
        words = len(text.split())
        self._count.update(
            f"{len(text)} characters · {words} words"
            + ("" if self.draft is None else f" · draft #{self.draft.id} saved")
        )

    @on(TextArea.Changed)
    @on(Input.Changed)
    def _changed(self) -> None:
        self._dirty = True
        self._update_count()
        if self._timer is not None:
            self._timer.stop()
        self._timer = self.set_timer(AUTOSAVE_DELAY, self.save)

    def save(self) -> Draft | None:
        """Write the draft now if anything changed (also called on close and quit)."""
        if self._timer is not None:
            self._timer.stop()
            self._timer = None
        if not self._dirty:
            return self.draft
        name, email, website = (self._inputs[field].value.strip() for field in FIELDS)
        text = self.text
        if self.draft is None and not text.strip():
            self._dirty = False
            return None
        try:
            self.draft = self.store.drafts.save(
                article_url=self.article_url,
                article_id=self.article_id,
                draft_id=self.draft.id if self.draft else None,
                parent_comment=self.parent_comment,
                body=text,
                name=name,
                email=email,
                website=website,
            )
            if name or email or website:
                self.store.drafts.remember_identity(
                    self.article_url, Identity(name, email, website)
                )
        except sqlite3.Error as error:
            # the text stays in the editor and is retried; nothing the user typed is lost
            self._count.update(f"not saved ({error}); retrying in {RETRY_DELAY:.0f} s")
            self._timer = self.set_timer(RETRY_DELAY, self.save)
            self.save_error = str(error)
            return self.draft
        self.save_error = None
        self._dirty = False
        self._update_count()
        self.post_message(self.Saved(self, self.draft))
        return self.draft

    def on_unmount(self) -> None:
        """Flush: a pending timer would never fire once the widget is gone.

        If the store still refuses the draft, its text goes to a file beside the database
        (``rescued-drafts/``) and the app is told where: closing never loses what was typed.
        """
        if not hasattr(self, "_area"):
            return
        self.save()
        if self._dirty and self.save_error:
            if self._timer is not None:
                self._timer.stop()
            rescued = self.rescue()
            self.app.notify(
                f"The draft could not be saved ({self.save_error}); its text is in {rescued}",
                severity="error",
                timeout=15,
            )

    def rescue(self) -> Path:
        """Write the draft's text and where it belongs to a file of its own; return its path."""
        folder = Path(self.store.path).parent / "rescued-drafts"
        folder.mkdir(mode=0o700, parents=True, exist_ok=True)
        target = folder / f"draft-{time.strftime('%Y%m%d-%H%M%S')}-{id(self):x}.txt"
        target.write_text(
            f"article: {self.article_url}\nreply to: {self.parent_comment}\n\n{self.text}\n",
            encoding="utf-8",
        )
        return target
