"""Search results you can judge in the app: matched title words marked in the list, the snippet
of the result under the cursor in the status bar and under its row, the matched words marked in
the article and ``.``/``,`` jumping between them."""

from __future__ import annotations

from reader.config import Config
from reader.paths import Paths
from reader.screens.dialogs.search import SearchScreen
from reader.store import Store
from reader.widgets.reading_pane import ReadingPane
from tests.feed_items import Item
from tests.ui.helpers import main_screen, make_app, notifications, open_dialog, settle, wait_for


def long_body(marked: set[int]) -> str:
    """Sixty paragraphs; those in ``marked`` mention the harbour."""
    return "".join(
        f"<p>Paragraph {n}: "
        + ("the harbour wall was mended. " if n in marked else "nothing to see here. ") * 3
        + "</p>"
        for n in range(60)
    )


def seed(store: Store) -> None:
    feed, _ = store.feeds.add("https://quay.example/feed", title="Quay News")
    store.articles.upsert(
        feed.id,
        [
            Item("a", "Harbour works begin", long_body({5, 30, 55}), "2026-11-20T09:00:00Z"),
            Item("b", "Ferry news", "<p>The harbour master <b>speaks</b>.</p>", "2026-11-19T09Z"),
            Item("c", "Snow report", "<p>Snow on the passes.</p>", "2026-11-21T09:00:00Z"),
        ],
    )


def marked_texts(strip, attribute: str) -> list[str]:  # type: ignore[no-untyped-def]
    return [seg.text for seg in strip if seg.style and getattr(seg.style, attribute)]


def text_of(widget, y: int) -> str:  # type: ignore[no-untyped-def]
    return "".join(seg.text for seg in widget.render_line(y))


async def test_results_show_marked_titles_snippets_and_matches_to_jump_to(
    store: Store, paths: Paths
) -> None:
    seed(store)
    app = make_app(store, paths, Config(read_after=None))
    async with app.run_test(size=(150, 30)) as pilot:
        await settle(pilot, app)
        screen = main_screen(app)
        article_list, pane = screen.article_list, screen.query_one(ReadingPane)
        assert not marked_texts(article_list.render_line(0), "underline"), "no search: no marks"
        await open_dialog(pilot, app, "slash", SearchScreen)
        await pilot.press(*"harbour", "enter")
        await wait_for(pilot, lambda: article_list.searching, what="the results")
        await wait_for(
            pilot,
            lambda: screen.current is not None and screen.current.title == "Harbour works begin",
            what="the best result on the pane",
        )
        assert marked_texts(article_list.render_line(0), "underline") == ["Harbour"]
        await wait_for(
            pilot,
            lambda: (
                "2 results" in screen.status.message and "harbour wall" in screen.status.message
            ),
            what=f"the first snippet ({screen.status.message!r})",
        )
        # the snippet shows under the cursor row too, two lines, the words marked
        await wait_for(pilot, lambda: text_of(article_list, 1).strip(), what="the snippet row")
        assert "harbour wall" in text_of(article_list, 1) + text_of(article_list, 2)
        marked = [marked_texts(article_list.render_line(y), "underline") for y in (1, 2)]
        assert set(marked[0] + marked[1]) == {"harbour"}
        assert "Ferry news" in text_of(article_list, 3)
        assert marked_texts(article_list.render_line(3), "underline") == [], "no title match"
        await wait_for(pilot, lambda: len(pane.match_lines) >= 4, what="matches in the article")
        title_line = pane.match_lines[0]
        assert marked_texts(pane.render_line(title_line), "reverse") == ["Harbour"]
        assert pane.scroll_y == 0
        first_body = pane.match_lines[1]
        await pilot.press("full_stop")
        await wait_for(pilot, lambda: pane.scroll_y > 0, what="a jump down")
        assert pane.scroll_y <= first_body <= pane.scroll_y + pane.size.height
        seen = [pane.scroll_y]
        for _ in range(len(pane.match_lines)):
            await pilot.press("full_stop")
            await pilot.pause()
            seen.append(pane.scroll_y)
        assert seen == sorted(seen) and seen[-1] > seen[0], seen
        assert any("No more matches below" in n for n in notifications(app))
        for _ in range(3):  # the last lines may all sit in the bottom screenful
            await pilot.press("comma")
            await pilot.pause()
        await wait_for(pilot, lambda: pane.scroll_y < seen[-1], what="a jump back up")
        await pilot.press("j")  # the list's cursor: the second result
        await wait_for(
            pilot,
            lambda: (
                screen.status.message.startswith("2/2 · ")
                and "harbour master speaks" in screen.status.message
            ),
            what=f"the second snippet, plain text ({screen.status.message!r})",
        )
        await wait_for(
            pilot,
            lambda: "harbour master speaks" in text_of(article_list, 2),
            what="the second snippet under its row",
        )
        assert "Ferry news" in text_of(article_list, 1)
        assert "Snow" not in text_of(article_list, 1) and "harbour wall" not in text_of(
            article_list, 2
        )
        assert "<b>" not in text_of(article_list, 2)
        await pilot.press("escape")
        await wait_for(pilot, lambda: not article_list.searching, what="the view again")
        await wait_for(pilot, lambda: pane.match_lines == [], what="the marks to go")
        assert not marked_texts(article_list.render_line(0), "underline")
        await pilot.press("full_stop")
        await wait_for(pilot, lambda: any("No search" in n for n in notifications(app)))
