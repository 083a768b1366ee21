"""Pilot tests driving the real app over the demo site in a real store."""

from __future__ import annotations

import json
from typing import TYPE_CHECKING

from reader.config import Config
from reader.paths import Paths
from reader.store import Store
from tests.ui.helpers import (
    main_screen,
    make_app,
    notifications,
    open_composer,
    open_dialog,
    settle,
    text_area,
    wait_for,
)

if TYPE_CHECKING:
    from reader.app import ReaderApp


def palette_options(app: ReaderApp) -> list[str]:
    """First lines of what the open command palette lists ([] when it is not open)."""
    from textual.command import CommandList, CommandPalette

    if not isinstance(app.screen, CommandPalette):
        return []
    options = app.screen.query_one(CommandList)
    return [
        str(options.get_option_at_index(i).prompt).split("\n")[0]
        for i in range(options.option_count)
    ]


async def test_starts_on_demo_with_first_article_open(demo_store: Store, paths: Paths) -> None:
    app = make_app(demo_store, paths)
    async with app.run_test(size=(140, 40)) as pilot:
        await settle(pilot, app)
        screen = main_screen(app)
        ids = screen.article_list.article_ids
        assert len(ids) == demo_store.articles.count() >= 12
        assert screen.current is not None and screen.current.article_id == ids[0]
        assert screen.pane.line_count > 20
        assert "Demo site" in screen.status.message
        assert app.startup_ms is not None


async def test_list_cursor_previews_and_enter_opens_and_marks_read(
    demo_store: Store, paths: Paths
) -> None:
    app = make_app(demo_store, paths, Config(read_after=None))
    async with app.run_test(size=(140, 40)) as pilot:
        await settle(pilot, app)
        screen = main_screen(app)
        ids = screen.article_list.article_ids
        await pilot.press("j", "j")
        await settle(pilot, app)
        assert screen.article_list.cursor == 2
        assert screen.current.article_id == ids[2] and screen.previewing
        assert not demo_store.articles.get(ids[2]).read
        await pilot.press("enter")
        await settle(pilot, app)
        assert screen.pane.has_focus and not screen.previewing
        assert demo_store.articles.get(ids[2]).read
        assert screen.trail.current.article_id == ids[2]


async def test_follow_related_back_and_forward_restore_scroll(
    demo_store: Store, paths: Paths
) -> None:
    app = make_app(demo_store, paths)
    async with app.run_test(size=(140, 40)) as pilot:
        await settle(pilot, app)
        screen = main_screen(app)
        first = screen.current.article_id
        await pilot.press("enter")  # focus the pane
        await pilot.press("space", "space")
        await settle(pilot, app)
        scrolled = screen.pane.scroll_y
        assert scrolled > 0
        await pilot.press("r")
        assert screen.related.has_focus and screen.related.entries
        target = screen.related.entries[0]
        assert target.article_id is not None
        await pilot.press("enter")
        await settle(pilot, app)
        assert screen.current.article_id == target.article_id
        assert screen.pane.scroll_y == 0
        assert "2/2" in screen.status.trail
        await pilot.press("b")
        await settle(pilot, app)
        assert screen.current.article_id == first
        assert screen.pane.scroll_y == scrolled
        await pilot.press("f")
        await settle(pilot, app)
        assert screen.current.article_id == target.article_id


async def test_bracket_walks_related_in_place(demo_store: Store, paths: Paths) -> None:
    app = make_app(demo_store, paths)
    async with app.run_test(size=(140, 40)) as pilot:
        await settle(pilot, app)
        screen = main_screen(app)
        origin = screen.current
        related = [entry.article_id for entry in screen.related.entries]
        assert len(related) >= 3
        for step in range(3):
            await pilot.press("right_square_bracket")
            await settle(pilot, app)
            assert screen.current.article_id == related[step]
            assert screen.status.trail.startswith(f"{step + 1}/{len(related)} ←")
            assert origin.title[:20] in screen.status.trail
        # The sidebar still lists the origin's related posts while walking.
        assert [entry.article_id for entry in screen.related.entries] == related
        await pilot.press("left_square_bracket")
        await settle(pilot, app)
        assert screen.current.article_id == related[1]
        assert len(screen.trail.entries) == 5
        await pilot.press("b")  # leaving the walk: the sidebar follows the article again
        await settle(pilot, app)
        assert screen.current.article_id == related[2]
        assert not screen.status.trail.startswith("2/")


async def test_compose_autosaves_and_survives_restart(demo_store: Store, paths: Paths) -> None:
    app = make_app(demo_store, paths)
    async with app.run_test(size=(120, 36)) as pilot:
        await settle(pilot, app)
        url = main_screen(app).current.url
        await open_composer(pilot, app)
        await pilot.press(*"Great piece")
        # The autosave is debounced: wait for it to land instead of sleeping past the delay.
        await wait_for(
            pilot,
            lambda: getattr(demo_store.drafts.open_for(url), "body", None) == "Great piece",
            what="the autosave of 'Great piece'",
        )
        draft = demo_store.drafts.open_for(url)
        assert draft is not None and draft.body == "Great piece"
        await pilot.press(*" indeed")
        # Quit right away: the pending autosave must be flushed, not lost.
        await app.action_quit()
    reopened = Store.open(paths.db_file)
    app2 = make_app(reopened, paths)
    async with app2.run_test(size=(120, 36)) as pilot:
        await settle(pilot, app2)
        assert main_screen(app2).current.url == url
        composer = await open_composer(pilot, app2)
        assert text_area(composer).text == "Great piece indeed"
    reopened.close()


async def test_a_demo_comment_is_explained_and_never_queued(
    demo_store: Store, paths: Paths
) -> None:
    """The demo site is offline by design: its comments would wait for the network forever."""
    app = make_app(demo_store, paths)
    async with app.run_test(size=(120, 36)) as pilot:
        await settle(pilot, app)
        url = main_screen(app).current.url
        dialog = await open_composer(pilot, app)
        from textual.widgets import Input

        warning = str(dialog.query_one("#compose-warning").render())
        assert "demo site is offline by design" in warning
        app.screen.query_one("#name", Input).value = "Ada"
        app.screen.query_one("#email", Input).value = "ada@example.test"
        await pilot.press(*"Queued words")
        await pilot.press("ctrl+s")
        await wait_for(
            pilot, lambda: any("Not queued" in n for n in notifications(app)), what="the refusal"
        )
        assert demo_store.drafts.outbox() == []
        assert [d.body for d in demo_store.drafts.all()] == ["Queued words"], "kept as a draft"
        assert demo_store.drafts.identity(url).name == "Ada"


async def test_undo_after_large_paste_does_not_crash(demo_store: Store, paths: Paths) -> None:
    """Regression guard for textual#6686."""
    app = make_app(demo_store, paths)
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot, app)
        area = text_area(await open_composer(pilot, app))
        pasted = "\n".join(f"line {n} of a long pasted text" for n in range(48))
        area.insert(pasted)
        await pilot.pause()
        await pilot.press("ctrl+z")
        await wait_for(pilot, lambda: not app.is_running or area.text == "", what="the undo")
        assert app.is_running
        assert area.text == ""
        await pilot.press("ctrl+y")
        await wait_for(pilot, lambda: area.text == pasted, what="the redo")
        assert area.text == pasted


async def test_theme_switch_persists(demo_store: Store, paths: Paths) -> None:
    app = make_app(demo_store, paths)
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot, app)
        assert app.theme == "reader-dark"
        app.theme = "reader-paper"
        await pilot.pause()
    assert json.loads(paths.state_file.read_text())["theme"] == "reader-paper"
    app2 = make_app(demo_store, paths)
    async with app2.run_test(size=(100, 30)) as pilot:
        assert app2.theme == "reader-paper"
        # Let the first article finish opening: quitting while it opens fails its worker
        # (NoMatches on a widget of the already-removed screen).
        await settle(pilot, app2)


async def test_theme_from_command_palette(demo_store: Store, paths: Paths) -> None:
    app = make_app(demo_store, paths)
    async with app.run_test(size=(120, 36)) as pilot:
        await settle(pilot, app)
        await pilot.press("ctrl+p")
        await wait_for(pilot, lambda: palette_options(app), what="the command palette")
        commands = app.screen
        await pilot.press(*"theme")
        # The palette searches in the background: Enter picks whatever is first by then.
        await wait_for(
            pilot,
            lambda: palette_options(app)[:1] == ["Theme"],
            what="'Theme' at the top of the palette",
        )
        await pilot.press("enter")
        await wait_for(
            pilot,
            lambda: app.screen is not commands and "reader-contrast" in palette_options(app),
            what="the theme palette",
        )
        await pilot.press(*"reader-contrast")
        await wait_for(
            pilot,
            lambda: palette_options(app) == ["reader-contrast"],
            what="'reader-contrast' alone in the palette",
        )
        await pilot.press("enter")
        await wait_for(pilot, lambda: app.theme == "reader-contrast", what="the theme switch")
        assert app.theme == "reader-contrast"


async def test_bad_theme_file_is_a_notification(demo_store: Store, paths: Paths) -> None:
    paths.themes_dir.mkdir(parents=True, exist_ok=True)
    (paths.themes_dir / "broken.toml").write_text('name = "broken"\nprimary = "not-a-colour"\n')
    (paths.themes_dir / "mine.toml").write_text('name = "mine"\nprimary = "#112233"\n')
    app = make_app(demo_store, paths)
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot, app)
        messages = notifications(app)
        assert any("broken.toml" in m and "not a colour" in m for m in messages)
        assert "mine" in app.available_themes
        assert app.is_running


async def test_config_keymap_remaps_bindings(demo_store: Store, paths: Paths) -> None:
    from types import MappingProxyType

    config = Config(keys=MappingProxyType({"app.help": "h"}))
    app = make_app(demo_store, paths, config)
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot, app)
        from reader.screens.dialogs.help import HelpScreen

        help_screen = await open_dialog(pilot, app, "h", HelpScreen)
        assert isinstance(app.screen, HelpScreen)
        rows = dict((text, keys) for keys, text in help_screen.rows)
        assert rows["Help"] == "h"


async def test_too_small_terminal_shows_message(demo_store: Store, paths: Paths) -> None:
    app = make_app(demo_store, paths)
    async with app.run_test(size=(40, 10)) as pilot:
        await settle(pilot, app)
        screen = main_screen(app)
        assert screen.has_class("-too-small")
        await pilot.resize_terminal(100, 30)
        await wait_for(pilot, lambda: not screen.has_class("-too-small"), what="the resize")
        assert not screen.has_class("-too-small")


async def test_hide_and_show_panes(demo_store: Store, paths: Paths) -> None:
    app = make_app(demo_store, paths)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot, app)
        screen = main_screen(app)
        assert screen.has_class("-hide-related")  # narrow: sidebar starts hidden
        await pilot.press("f3")
        assert not screen.has_class("-hide-related")
        assert screen.has_class("-hide-list"), "at 80 columns the list yields to the sidebar"
        await pilot.press("f2")
        assert not screen.has_class("-hide-list") and screen.has_class("-hide-related")
        await pilot.press("f2")
        assert screen.has_class("-hide-list")
        await pilot.press("f2")
        assert not screen.has_class("-hide-list")


async def test_search_filters_list(demo_store: Store, paths: Paths) -> None:
    app = make_app(demo_store, paths)
    async with app.run_test(size=(120, 36)) as pilot:
        await settle(pilot, app)
        screen = main_screen(app)
        total = len(screen.article_list.article_ids)
        from reader.screens.dialogs.search import SearchScreen

        await open_dialog(pilot, app, "slash", SearchScreen)
        await pilot.press(*"Triest", "enter")
        await settle(pilot, app)
        assert 0 < len(screen.article_list.article_ids) < total
        assert "Triest" in screen.current.title or "Triest" in screen.current.markdown
        await pilot.press("escape")
        await settle(pilot, app)
        assert len(screen.article_list.article_ids) == total


async def test_composer_preview_shows_name_and_paragraphs(demo_store: Store, paths: Paths) -> None:
    app = make_app(demo_store, paths)
    async with app.run_test(size=(120, 36)) as pilot:
        await settle(pilot, app)
        await open_composer(pilot, app)
        from textual.widgets import Input, Static

        app.screen.query_one("#name", Input).value = "Ada"
        await pilot.press(*"Hello there")
        await pilot.press("ctrl+r")
        await wait_for(
            pilot,
            lambda: app.screen.query_one("#compose-preview", Static).display,
            what="the preview",
        )
        preview = app.screen.query_one("#compose-preview", Static)
        assert preview.display
        text = str(preview.render())
        assert "Ada" in text and "Hello there" in text


async def test_list_rows_fit_wide_characters_and_show_comment_counts(
    store: Store, paths: Paths
) -> None:
    from types import SimpleNamespace

    feed, _ = store.feeds.add("https://jp.test/feed", title="東京ニュース")
    store.articles.upsert(
        feed.id,
        [
            SimpleNamespace(
                guid="jp1",
                url="https://jp.test/1",
                title="東京で新しい図書館が開館しました" * 3,
                author=None,
                published="2026-11-20T10:00:00Z",
                updated=None,
                summary_html="<p>本文</p>",
                content_html=None,
                comment_count=7,
            )
        ],
    )
    app = make_app(store, paths)
    async with app.run_test(size=(200, 40)) as pilot:
        await settle(pilot, app)
        article_list = main_screen(app).article_list
        width = article_list.scrollable_content_region.width
        strip = article_list.render_line(0)
        assert strip.cell_length == width
        text = "".join(segment.text for segment in strip)
        assert "💬7" in text and "…" in text


async def test_escape_sequences_never_reach_the_terminal(store: Store, paths: Paths) -> None:
    from types import SimpleNamespace

    evil = "\x1b]52;c;ZXZpbA==\x07Harbour \x1b[2J\x1b[31mnews\u202e reversed\x9b1;1H"
    feed, _ = store.feeds.add("https://evil.test/feed", title=evil)
    store.articles.upsert(
        feed.id,
        [
            SimpleNamespace(
                guid="e1",
                url="https://evil.test/1",
                title=evil,
                author=evil,
                published="2026-11-20T10:00:00Z",
                updated=None,
                summary_html=f"<p>{evil} body text</p>",
                content_html=None,
            )
        ],
    )
    app = make_app(store, paths)
    async with app.run_test(size=(160, 40)) as pilot:
        await settle(pilot, app)
        screen = main_screen(app)
        painted = []
        for widget in (screen.article_list, screen.pane):
            for y in range(widget.size.height):
                painted.extend(segment.text for segment in widget.render_line(y))
        text = "".join(painted)
        assert "Harbour" in text and "news" in text
        for bad in ("\x1b", "\x07", "\x9b", "\u202e"):
            assert bad not in text


async def test_an_unknown_key_id_in_the_config_is_named_with_the_closest_one(
    demo_store: Store, paths: Paths
) -> None:
    from types import MappingProxyType

    config = Config(keys=MappingProxyType({"main.bak": "backspace", "app.quit": "q,ctrl+q"}))
    app = make_app(demo_store, paths, config)
    async with app.run_test(size=(120, 36)) as pilot:
        await settle(pilot, app)
        messages = notifications(app)
        assert any("'main.bak'" in m and "did you mean 'main.back'" in m for m in messages)
        assert not any("app.quit" in m for m in messages), "a known id is not reported"


async def test_r_then_bracket_opens_the_first_related_post(demo_store: Store, paths: Paths) -> None:
    app = make_app(demo_store, paths)
    async with app.run_test(size=(140, 40)) as pilot:
        await settle(pilot, app)
        screen = main_screen(app)
        related = [entry.article_id for entry in screen.related.entries]
        assert len(related) >= 2
        await pilot.press("r")
        await settle(pilot, app)
        await pilot.press("right_square_bracket")
        await settle(pilot, app)
        assert screen.current.article_id == related[0]
        assert screen.status.trail.startswith(f"1/{len(related)} ←")
        await pilot.press("right_square_bracket")
        await settle(pilot, app)
        assert screen.current.article_id == related[1]


async def test_the_reading_column_keeps_fifty_cells_the_list_and_sidebar_take_turns(
    demo_store: Store, paths: Paths
) -> None:
    for width, height in ((80, 24), (100, 30)):
        app = make_app(demo_store, paths)
        async with app.run_test(size=(width, height)) as pilot:
            await settle(pilot, app)
            screen = main_screen(app)
            assert screen.article_list.display and screen.has_class("-hide-related")
            await pilot.press("r")
            await settle(pilot, app)
            assert not screen.has_class("-hide-related") and screen.related.has_focus
            assert not screen.article_list.display, "the list yields to the sidebar"
            assert screen.pane.size.width >= 50, (width, screen.pane.size.width)
            await pilot.press("f3")
            await settle(pilot, app)
            assert screen.article_list.display and screen.has_class("-hide-related")
            await pilot.press("r")
            await settle(pilot, app)
            await pilot.press("f2")  # the list asked back: now the sidebar yields
            await settle(pilot, app)
            assert screen.article_list.display and screen.has_class("-hide-related")
            assert screen.pane.size.width >= 34


async def test_help_end_reaches_the_last_line_and_lists_ids(
    demo_store: Store, paths: Paths
) -> None:
    from textual.containers import VerticalScroll

    from reader.screens.dialogs.help import HelpScreen

    app = make_app(demo_store, paths)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot, app)
        help_screen = await open_dialog(pilot, app, "question_mark", HelpScreen)
        box = help_screen.query_one("#help-box", VerticalScroll)
        assert box.max_scroll_y > 0, "the help is longer than the screen at 80x24"
        assert "main.toggle_read" in help_screen.ids and "feeds.add" in help_screen.ids
        await pilot.press("G")
        await wait_for(pilot, lambda: box.scroll_y == box.max_scroll_y, what="the bottom")
        await pilot.press("g")
        await wait_for(pilot, lambda: box.scroll_y == 0, what="the top")
        await pilot.press("j", "j")
        await wait_for(pilot, lambda: box.scroll_y == 2, what="two lines down")


async def test_the_feeds_pane_takes_the_sidebars_room_when_both_would_squeeze_the_article(
    demo_store: Store, paths: Paths
) -> None:
    app = make_app(demo_store, paths)
    async with app.run_test(size=(140, 36)) as pilot:
        await settle(pilot, app)
        screen = main_screen(app)
        assert not screen.has_class("-hide-related") and screen.has_class("-hide-feeds")
        await pilot.press("v")
        await settle(pilot, app)
        assert not screen.has_class("-hide-feeds") and screen.feeds_pane.has_focus
        assert screen.has_class("-hide-related"), "the sidebar yields to the feeds pane"
        assert screen.pane.size.width >= 50
        await pilot.press("v")  # focused: v hides the feeds pane, the sidebar comes back
        await settle(pilot, app)
        assert screen.has_class("-hide-feeds") and not screen.has_class("-hide-related")
