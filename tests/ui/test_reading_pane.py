"""Reading pane: numbered links, in-app link following, copy, quote highlighting."""

from __future__ import annotations

from reader.paths import Paths
from reader.store import Store
from tests.ui.helpers import main_screen, make_app, open_dialog, settle, wait_for


async def test_number_key_follows_cached_link_in_app(demo_store: Store, paths: Paths) -> None:
    app = make_app(demo_store, paths)
    async with app.run_test(size=(140, 40)) as pilot:
        await settle(pilot, app)
        screen = main_screen(app)
        links = screen.current.links
        # Pick the first numbered link that points at another cached demo post.
        number = next(
            n
            for n, url in enumerate(links, 1)
            if n <= 9
            and demo_store.articles.by_url(url) is not None
            and demo_store.articles.by_url(url).id != screen.current.article_id
        )
        target = demo_store.articles.by_url(links[number - 1]).id
        await pilot.press("enter", str(number))
        await settle(pilot, app)
        assert screen.current.article_id == target
        assert len(screen.trail.entries) == 2


async def test_g_prompts_for_any_link_number(demo_store: Store, paths: Paths) -> None:
    app = make_app(demo_store, paths)
    async with app.run_test(size=(140, 40)) as pilot:
        await settle(pilot, app)
        screen = main_screen(app)
        first = screen.current.article_id
        await pilot.press("enter")
        from reader.screens.dialogs.link_prompt import LinkPrompt

        await open_dialog(pilot, app, "g", LinkPrompt)
        assert isinstance(app.screen, LinkPrompt)
        await pilot.press("9", "9", "9", "enter")
        await settle(pilot, app)
        assert isinstance(app.screen, LinkPrompt)  # out of range: stays, says why
        await pilot.press("escape")
        await wait_for(pilot, lambda: app.screen is screen, what="the prompt to close")
        assert screen.current.article_id == first


async def test_y_copies_the_article_address(demo_store: Store, paths: Paths) -> None:
    app = make_app(demo_store, paths)
    async with app.run_test(size=(120, 36)) as pilot:
        await settle(pilot, app)
        await pilot.press("enter", "y")
        await wait_for(pilot, lambda: app.clipboard, what="the copy")
        assert app.clipboard == main_screen(app).current.url


async def test_quotes_are_painted_with_the_quote_style(demo_store: Store, paths: Paths) -> None:
    app = make_app(demo_store, paths)
    async with app.run_test(size=(140, 50)) as pilot:
        await settle(pilot, app)
        pane = main_screen(app).pane
        quote_style = pane.get_component_rich_style("reading-pane--quote")
        painted = [
            segment.text
            for y in range(pane.size.height)
            for segment in pane.render_line(y)
            if segment.style
            and segment.style.color == quote_style.color
            and segment.style.bgcolor == quote_style.bgcolor
        ]
        assert any(text.startswith(("“", "„", "«", '"')) for text in painted), painted


async def test_a_theme_switch_repaints_the_open_article(demo_store, paths) -> None:  # type: ignore[no-untyped-def]
    """Lines painted in the old theme's colours must not survive a theme change."""
    from tests.ui.helpers import main_screen, make_app, settle, wait_for

    app = make_app(demo_store, paths)
    async with app.run_test(size=(120, 36)) as pilot:
        await settle(pilot, app)
        pane = main_screen(app).pane
        app.theme = "reader-dark"
        await settle(pilot, app)

        def backgrounds() -> set[object]:
            return {seg.style.bgcolor for seg in pane.render_line(8) if seg.style}

        dark, dark_pane = backgrounds(), pane.rich_style.bgcolor
        assert dark == {dark_pane}
        app.theme = "reader-paper"
        await wait_for(pilot, lambda: pane.rich_style.bgcolor != dark_pane, what="the new theme")
        await settle(pilot, app)
        assert backgrounds() == {pane.rich_style.bgcolor}


def test_lines_never_break_at_a_no_break_space() -> None:
    """French guillemets and thousands keep their no-break spaces: « eux », 10 000 €."""
    from textual.content import Content

    from reader.widgets.reading_pane import wrap

    text = (
        "Les habitants réclamaient depuis longtemps "
        "«\u00a0un vrai coin à eux\u00a0» pour 10\u202f000\u00a0€."
    )
    for width in range(12, 60):
        lines = [line.plain for line in wrap(Content(text), width)]
        assert " ".join(lines).replace("  ", " ").count("\u00a0") == 3, (width, lines)
        for line in lines:
            assert not line.startswith(("»", "€", "000")), (width, lines)
            assert not line.rstrip().endswith("«"), (width, lines)
            assert "\ue000" not in line and "\ue001" not in line
        assert "".join(lines).replace(" ", "") == text.replace(" ", "")
