"""The whole comment flow in the TUI against the real WordPress: write, queue, send, find."""

from __future__ import annotations

import uuid
from typing import Any

import pytest
from textual.widgets import Input

from reader.paths import Paths
from reader.store import Store
from tests.ui.helpers import main_screen, make_app, open_composer, settle, wait_for

pytest_plugins = ("tests.wordpress",)
pytestmark = pytest.mark.wordpress


async def test_compose_queue_and_send_from_the_tui(
    wordpress: Any, store: Store, paths: Paths, wp_comment_marker: str
) -> None:
    post_id = next(p["id"] for p in wordpress["manifest"]["posts"] if p["id"] not in (6, 8))
    record = wordpress.store_post(store, post_id)
    body = f"Written in the reader TUI {wp_comment_marker} {uuid.uuid4().hex}"
    app = make_app(store, paths)
    async with app.run_test(size=(140, 40)) as pilot:
        await settle(pilot, app)
        assert main_screen(app).current.url == record.url
        await open_composer(pilot, app)
        app.screen.query_one("#name", Input).value = "Tui Tester"
        app.screen.query_one("#email", Input).value = "tui@example.test"
        await pilot.press(*body)
        await pilot.press("ctrl+s")  # queue: it goes out at once in the background

        def sent() -> bool:
            drafts = store.drafts.all()
            return bool(drafts) and all(
                d.state not in ("draft", "queued", "sending") for d in drafts
            )

        await wait_for(pilot, sent, timeout=60, what="the send to finish")
        await settle(pilot, app)
        drafts = store.drafts.all()
        assert [d.state for d in drafts] == ["published"], [(d.state, d.error) for d in drafts]
        assert drafts[0].body == body and drafts[0].remote_id
    found = [c for c in wordpress.rest_comments(post_id) if body in c["content"]["rendered"]]
    assert len(found) == 1 and found[0]["author_name"] == "Tui Tester"
