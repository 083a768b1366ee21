"""The search dialog hides the list behind it, so it lists what the words typed so far find."""

from __future__ import annotations

from textual.widgets import Static

from reader.paths import Paths
from reader.screens.dialogs.search import SearchScreen
from reader.store import Store
from tests.ui.helpers import make_app, open_dialog, settle, wait_for


async def test_the_dialog_lists_the_best_results_as_you_type(
    demo_store: Store, paths: Paths
) -> None:
    app = make_app(demo_store, paths)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot, app)
        dialog = await open_dialog(pilot, app, "slash", SearchScreen)
        results = dialog.query_one("#search-results", Static)
        await pilot.press(*"market")
        await wait_for(pilot, lambda: "2 results" in str(results.render()), what="the live results")
        shown = str(results.render())
        assert "• Lanterns and Dumplings" in shown and "enter: keep them" in shown
        await pilot.press(*"zzzqqq")
        await wait_for(pilot, lambda: "Nothing matches" in str(results.render()), what="no result")
        label = str(dialog.query_one("Label").render())
        assert len(label) <= 66, "the prompt fits the dialog at 80 columns"
