"""The read rule and the read/saved keys, driven with Pilot over the demo in a real store."""

from __future__ import annotations

from reader.config import Config
from reader.paths import Paths
from reader.store import Store, View, ViewKind
from tests.ui.helpers import main_screen, make_app, notifications, settle, wait_for


def unread(store: Store) -> set[int]:
    return set(store.views.ids(View(ViewKind.UNREAD)))


async def test_launch_and_five_quick_moves_mark_nothing_and_leave_no_trail(
    demo_store: Store, paths: Paths
) -> None:
    everything = set(demo_store.views.ids())
    app = make_app(demo_store, paths, Config(read_after=60))  # "quick": well inside the dwell
    async with app.run_test(size=(140, 40)) as pilot:
        await settle(pilot, app)
        screen = main_screen(app)
        assert screen.current is not None and screen.previewing
        for _ in range(5):
            await pilot.press("j")
        await settle(pilot, app)
        assert screen.current.article_id == screen.article_list.article_ids[5]
        assert unread(demo_store) == everything
        assert screen.trail.current is None and screen.trail.entries == []
        assert all(not row.read for row in demo_store.articles.rows(list(everything)).values())


async def test_a_preview_left_on_screen_for_the_dwell_is_read_but_not_a_visit(
    demo_store: Store, paths: Paths
) -> None:
    app = make_app(demo_store, paths, Config(read_after=0.3))
    async with app.run_test(size=(140, 40)) as pilot:
        await settle(pilot, app)
        screen = main_screen(app)
        ids = screen.article_list.article_ids
        await pilot.pause(0.5)  # the launch preview has no dwell: it stays unread
        assert ids[0] in unread(demo_store)
        await pilot.press("j")
        await wait_for(pilot, lambda: ids[1] not in unread(demo_store), what="the dwell")
        assert screen.trail.entries == []
        row = screen.article_list._rows[ids[1]]
        assert row.read, "the list shows it read without a reload"


async def test_read_after_zero_marks_on_preview_and_never_waits_for_opening(
    demo_store: Store, paths: Paths
) -> None:
    app = make_app(demo_store, paths, Config(read_after=0))
    async with app.run_test(size=(140, 40)) as pilot:
        await settle(pilot, app)
        ids = main_screen(app).article_list.article_ids
        await pilot.press("j")
        await wait_for(pilot, lambda: ids[1] not in unread(demo_store), what="mark on preview")
        assert ids[0] in unread(demo_store), "launch still marks nothing"
    app = make_app(demo_store, paths, Config(read_after=None))
    async with app.run_test(size=(140, 40)) as pilot:
        await settle(pilot, app)
        await pilot.press("j", "j")
        await pilot.pause(0.5)
        assert ids[2] in unread(demo_store)
        await pilot.press("enter")
        await wait_for(pilot, lambda: ids[2] not in unread(demo_store), what="read on open")


async def test_n_opens_the_next_unread_and_records_it(demo_store: Store, paths: Paths) -> None:
    ids = demo_store.views.ids()
    demo_store.marks.set_read(ids[1:3])
    app = make_app(demo_store, paths, Config(read_after=None))
    async with app.run_test(size=(140, 40)) as pilot:
        await settle(pilot, app)
        screen = main_screen(app)
        screen.article_list.focus()
        await pilot.press("n")
        await settle(pilot, app)
        assert screen.current.article_id == ids[3] and not screen.previewing
        assert ids[3] not in unread(demo_store)
        assert [visit.article_id for visit in screen.trail.entries] == [ids[3]]


async def test_m_toggles_read_and_s_saves_with_a_star(demo_store: Store, paths: Paths) -> None:
    app = make_app(demo_store, paths, Config(read_after=None))
    async with app.run_test(size=(140, 40)) as pilot:
        await settle(pilot, app)
        screen = main_screen(app)
        first = screen.article_list.article_ids[0]
        screen.article_list.focus()
        await pilot.press("m")
        await wait_for(pilot, lambda: first not in unread(demo_store), what="m: read")
        await pilot.press("m")
        await wait_for(pilot, lambda: first in unread(demo_store), what="m: unread again")
        await pilot.press("s")
        await wait_for(pilot, lambda: demo_store.articles.get(first).saved, what="s: saved")
        assert screen.article_list._rows[first].saved
        line = screen.article_list.render_line(0).text
        assert "★" in line and "●" in line
        await wait_for(
            pilot,
            lambda: any(e.label == "Saved" and e.count == 1 for e in screen.feeds_pane.entries),
            what="the Saved count",
        )
        await pilot.press("s")
        await wait_for(pilot, lambda: not demo_store.articles.get(first).saved, what="unsaved")


async def test_mark_all_read_then_undo_puts_back_exactly_what_changed(
    demo_store: Store, paths: Paths
) -> None:
    ids = demo_store.views.ids()
    demo_store.marks.set_read([ids[4]])
    before = unread(demo_store)
    app = make_app(demo_store, paths, Config(read_after=None))
    async with app.run_test(size=(140, 40)) as pilot:
        await settle(pilot, app)
        screen = main_screen(app)
        await pilot.press("A")
        await wait_for(pilot, lambda: not unread(demo_store), what="everything read")
        await wait_for(
            pilot,
            lambda: any("u: undo" in n for n in notifications(app)),
            what="the undo toast",
        )
        assert all(row.read for row in demo_store.articles.rows(ids).values())
        await wait_for(
            pilot,
            lambda: screen.article_list._row(0) is not None and screen.article_list._row(0).read,
            what="the list to show it",
        )
        await pilot.press("u")
        await wait_for(pilot, lambda: unread(demo_store) == before, what="the undo")
        assert ids[4] not in unread(demo_store), "read before: still read"
        await pilot.press("u")
        await wait_for(
            pilot, lambda: "Nothing to undo." in notifications(app), what="one undo only"
        )


async def test_mark_read_up_to_the_cursor(demo_store: Store, paths: Paths) -> None:
    app = make_app(demo_store, paths, Config(read_after=None))
    async with app.run_test(size=(140, 40)) as pilot:
        await settle(pilot, app)
        screen = main_screen(app)
        ids = screen.article_list.article_ids
        screen.article_list.focus()
        await pilot.press("j", "j", "j")
        await settle(pilot, app)
        await pilot.press("M")
        await wait_for(pilot, lambda: unread(demo_store) == set(ids[4:]), what="M")


async def test_unread_only_hides_read_articles_and_comes_back(
    demo_store: Store, paths: Paths
) -> None:
    ids = demo_store.views.ids()
    demo_store.marks.set_read(ids[:3])
    app = make_app(demo_store, paths, Config(read_after=None))
    async with app.run_test(size=(140, 40)) as pilot:
        await settle(pilot, app)
        screen = main_screen(app)
        await pilot.press("U")
        await wait_for(
            pilot, lambda: screen.article_list.article_ids == ids[3:], what="unread only"
        )
        assert "unread only" in screen.status.message
        await pilot.press("U")
        await wait_for(pilot, lambda: screen.article_list.article_ids == ids, what="all again")


async def test_every_new_key_is_in_the_command_palette_and_runs_from_it(
    demo_store: Store, paths: Paths
) -> None:
    from reader.app import ReaderApp
    from reader.screens.main_keys import MAIN_BINDINGS
    from tests.ui.test_app_flows import palette_options

    app = make_app(demo_store, paths, Config(read_after=None))
    assert isinstance(app, ReaderApp)
    async with app.run_test(size=(140, 40)) as pilot:
        await settle(pilot, app)
        screen = main_screen(app)
        titles = {command.title for command in app.get_system_commands(screen)}
        for binding in MAIN_BINDINGS:
            if binding.id != "main.open":
                assert binding.description in titles, binding.id
        assert {"Copy link", "Follow link N"} <= titles
        await pilot.press("ctrl+p")
        await wait_for(pilot, lambda: palette_options(app), what="the command palette")
        await pilot.press(*"mark all read")
        await wait_for(
            pilot,
            lambda: palette_options(app)[:1] == ["Mark all read"],
            what="'Mark all read' first",
        )
        await pilot.press("enter")
        await wait_for(pilot, lambda: not unread(demo_store), what="the palette's mark all read")
