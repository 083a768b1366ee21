"""Send the comment outbox from the TUI, asking before posting to a form on another site."""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.screen import ModalScreen
from textual.widgets import Button, Label

from reader.cells import terminal_safe

if TYPE_CHECKING:
    from textual.app import App

    from reader.comments.send import SendResult
    from reader.store import Store


class ConfirmScreen(ModalScreen[bool]):
    """A yes/no question; dismisses with True only on an explicit yes."""

    BINDINGS = [
        Binding("y", "answer(True)", "Yes", id="confirm.yes"),
        Binding("n,escape", "answer(False)", "No", id="confirm.no"),
    ]

    DEFAULT_CSS = """
    ConfirmScreen {
        align: center middle;
        & #confirm-box { width: 70; height: auto; border: round $warning; background: $surface;
                         padding: 1 2; }
        & Horizontal { height: auto; margin-top: 1; }
        & Button { margin-right: 2; }
    }
    """

    def __init__(self, question: str, yes: str = "Yes, send") -> None:
        super().__init__()
        self.question = question
        self.yes = yes

    def compose(self) -> ComposeResult:
        """Question and two buttons."""
        with Vertical(id="confirm-box"):
            yield Label(terminal_safe(self.question))
            with Horizontal():
                yield Button(f"{self.yes} (y)", id="yes", variant="warning")
                yield Button("No (n)", id="no")

    def on_button_pressed(self, event: Button.Pressed) -> None:
        """Buttons answer like the keys."""
        self.dismiss(event.button.id == "yes")

    def action_answer(self, answer: bool) -> None:
        """Answer and close."""
        self.dismiss(answer)


async def send_outbox(
    app: App[Any], store: Store, on_change: Callable[[], Any] | None = None
) -> list[SendResult]:
    """Drain the outbox (call from a worker); ask about foreign forms; notify a summary."""
    from reader.comments.outbox import OutboxBusy, drain, queue, send_one
    from reader.net.client import make_client

    def changed(_event: object) -> None:
        if on_change is not None:
            on_change()

    try:
        results = await drain(store, on_event=changed)
    except OutboxBusy as error:
        app.notify(str(error), severity="warning")
        return []
    for index, result in enumerate(results):
        if not (result.needs_confirmation and result.draft_id):
            continue
        question = f"{result.message}\n\nSend this comment there anyway?"
        if not await app.push_screen_wait(ConfirmScreen(question)):
            continue
        queue(store, result.draft_id)
        draft = store.drafts.get(result.draft_id)
        if draft is None:
            continue
        async with make_client() as client:
            results[index] = await send_one(store, draft, client, allow_foreign_action=True)
        changed(None)
    app.notify(
        summary(results), severity="warning" if _failed(results) else "information", timeout=8
    )
    return results


def _failed(results: list[SendResult]) -> list[SendResult]:
    return [result for result in results if result.state == "failed"]


def summary(results: list[SendResult]) -> str:
    """One line about a drain: sent, failed (first reason), waiting."""
    if not results:
        return "The outbox is empty."
    sent = [r for r in results if r.sent]
    held = [r for r in sent if r.state == "moderation"]
    failed = _failed(results)
    waiting = [r for r in results if r.state in ("queued", "sending")]
    parts = [f"{len(sent)} comment{'s' if len(sent) != 1 else ''} sent"]
    if held:
        parts.append(f"{len(held)} awaiting moderation")
    if failed:
        parts.append(f"{len(failed)} failed ({terminal_safe(failed[0].message)})")
    if waiting:
        parts.append(f"{len(waiting)} waiting for the network")
    return ", ".join(parts)
