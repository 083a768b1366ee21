"""A saved search that config.toml's ``[searches]`` names: the app shows it in the feeds pane
with its count, and removing it there says the next start brings it back."""

from __future__ import annotations

from types import MappingProxyType

from reader.cli.context import Context
from reader.config import Config
from reader.paths import Paths
from tests.feed_items import Item
from tests.ui.helpers import main_screen, make_app, notifications, settle, wait_for


async def test_a_configured_search_shows_and_its_removal_says_it_comes_back(
    paths: Paths,
) -> None:
    paths.config_file.write_text('[searches]\n"Trams" = "tram"\n', encoding="utf-8")
    context = Context(home=str(paths.config_dir.parent))
    store = context.store  # opening the cache at start adds config.toml's searches
    feed, _ = store.feeds.add("https://city.example/feed", title="City")
    store.articles.upsert(
        feed.id,
        [
            Item("1", "Tram strike ends", "<p>Trams run.</p>", "2026-11-27T09:00Z"),
            Item("2", "Ferry timetable", "<p>Hourly.</p>", "2026-11-26T09:00Z"),
        ],
    )
    config = Config(read_after=None, searches=MappingProxyType({"Trams": "tram"}))
    app = make_app(store, paths, config)
    try:
        async with app.run_test(size=(160, 40)) as pilot:
            await settle(pilot, app)
            pane = main_screen(app).feeds_pane
            counts = lambda: {e.label: e.count for e in pane.entries}  # noqa: E731
            await wait_for(pilot, lambda: counts().get("/ Trams") == 1, what=f"{pane.entries}")
            pane.focus()
            pane.highlighted = [e.label for e in pane.entries].index("/ Trams")
            await pilot.press("d")
            await wait_for(pilot, lambda: "/ Trams" not in counts(), what="the removal")
            await wait_for(
                pilot,
                lambda: any("comes back at the next start" in n for n in notifications(app)),
                what=f"the warning ({notifications(app)})",
            )
    finally:
        context.close()
