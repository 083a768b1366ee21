"""Comments in the TUI: threaded panel, folding, replying, drafts screen with undo."""

from __future__ import annotations

from reader.paths import Paths
from reader.screens.dialogs.compose import ComposeScreen
from reader.screens.dialogs.draft_list import DraftListScreen
from reader.store import Store
from tests.ui.helpers import main_screen, make_app, open_composer, open_dialog, settle, wait_for


async def open_post_with_replies(pilot, app, store: Store) -> None:  # type: ignore[no-untyped-def]
    screen = main_screen(app)
    for article_id in screen.article_list.article_ids:
        from reader.reading import open_article

        readable = open_article(store, article_id)
        if any(c.parent for c in readable.comments):
            screen.article_list.select_id(article_id)
            await settle(pilot, app)
            return
    raise AssertionError("the demo has no post with threaded comments")


async def test_comments_panel_threads_folds_and_replies(demo_store: Store, paths: Paths) -> None:
    app = make_app(demo_store, paths)
    async with app.run_test(size=(140, 44)) as pilot:
        await settle(pilot, app)
        await open_post_with_replies(pilot, app, demo_store)
        screen = main_screen(app)
        await pilot.press("C")
        await settle(pilot, app)
        panel = screen.comments
        cards = panel.cards
        assert len(cards) == len(screen.current.comments) >= 2
        assert any(card.item.depth > 0 for card in cards)
        parent = next(card for card in cards if card.replies)
        parent.focus()

        def hidden_cards() -> list:  # type: ignore[type-arg]
            return [card for card in panel.cards if card.has_class("-hidden")]

        await pilot.press("enter")
        await wait_for(pilot, hidden_cards, what="the thread to fold")
        hidden = hidden_cards()
        assert hidden and all(card.item.depth > parent.item.depth for card in hidden)
        await pilot.press("enter")
        await wait_for(pilot, lambda: not hidden_cards(), what="the thread to unfold")
        assert not [card for card in panel.cards if card.has_class("-hidden")]
        composer = await open_composer(pilot, app)
        assert isinstance(app.screen, ComposeScreen)
        assert composer.parent_comment == int(parent.item.id)
        title = str(composer.query_one("#compose-title").render())
        first_words = " ".join(parent.item.text.split()[:3])
        assert title.startswith(f"Reply to {parent.item.author} (“{first_words}"), title
        await pilot.press(*"A reply")
        await pilot.press("escape")
        await wait_for(
            pilot,
            lambda: demo_store.drafts.open_for(screen.current.url, int(parent.item.id)),
            what="the reply draft",
        )
        draft = demo_store.drafts.open_for(screen.current.url, int(parent.item.id))
        assert draft is not None and draft.body == "A reply"


async def test_drafts_screen_delete_undo_and_reopen(demo_store: Store, paths: Paths) -> None:
    app = make_app(demo_store, paths)
    async with app.run_test(size=(140, 40)) as pilot:
        await settle(pilot, app)
        url = main_screen(app).current.url
        demo_store.drafts.save(article_url=url, body="Keep me", name="Ada")
        drafts = await open_dialog(pilot, app, "D", DraftListScreen)
        assert isinstance(app.screen, DraftListScreen)
        assert len(app.screen.drafts) == 1
        await pilot.press("d")
        await wait_for(pilot, lambda: drafts.drafts == [], what="the delete")
        assert app.screen.drafts == [] and demo_store.drafts.all() == []
        await pilot.press("u")
        await wait_for(pilot, lambda: len(drafts.drafts) == 1, what="the undo")
        assert len(app.screen.drafts) == 1
        await pilot.press("enter")
        from reader.widgets.composer import DraftTextArea

        await wait_for(
            pilot,
            lambda: app.screen.query_one(DraftTextArea).text == "Keep me",
            what="the draft in the composer",
        )
        assert app.screen.query_one(DraftTextArea).text == "Keep me"


async def test_sending_demo_outbox_while_offline_keeps_the_draft(
    demo_store: Store, paths: Paths
) -> None:
    """The demo site's host never resolves: the draft fails for good with the reason (it
    would wait for the network forever) and keeps its text."""
    app = make_app(demo_store, paths)
    async with app.run_test(size=(140, 40)) as pilot:
        await settle(pilot, app)
        url = main_screen(app).current.url
        draft = demo_store.drafts.save(
            article_url=url, body="Sent from the train", name="Ada", email="ada@example.test"
        )
        demo_store.drafts.set_state(draft.id, "queued")
        await open_dialog(pilot, app, "D", DraftListScreen)
        await pilot.press("s")
        await wait_for(
            pilot, lambda: demo_store.drafts.get(draft.id).error, what="the failed send's reason"
        )
        await settle(pilot, app)
        kept = demo_store.drafts.get(draft.id)
        assert kept.body == "Sent from the train"
        assert kept.state == "failed" and "offline by design" in kept.error


async def test_composer_explains_a_captcha_form_up_front(store: Store, paths: Paths) -> None:
    from types import SimpleNamespace

    feed, _ = store.feeds.add("https://blog.test/feed", title="Blog")
    (article_id,) = store.articles.upsert(
        feed.id,
        [
            SimpleNamespace(
                guid="p1",
                url="https://blog.test/p1/",
                title="Post",
                author=None,
                published="2026-11-01T00:00:00Z",
                updated=None,
                summary_html=None,
                content_html=None,
            )
        ],
    ).new_ids
    page = (
        "<html><body><article><h1>Post</h1><div class='entry-content'><p>"
        + "Words of the post that make a real paragraph for the extractor. " * 5
        + "</p></div></article><div id='respond'><form id='commentform' method='post' "
        "action='https://blog.test/wp-comments-post.php'><textarea name='comment' required>"
        "</textarea><input name='author'><input name='email'>"
        "<div class='g-recaptcha' data-sitekey='x'></div>"
        "<input type='hidden' name='comment_post_ID' value='1'></form></div></body></html>"
    )
    store.articles.set_page(article_id, page.encode())
    app = make_app(store, paths)
    async with app.run_test(size=(120, 36)) as pilot:
        await settle(pilot, app)
        composer = await open_composer(pilot, app)
        from textual.widgets import Label

        warning = str(composer.query_one("#compose-warning", Label).render())
        assert "captcha" in warning.lower() and "browser" in warning


async def test_escape_on_an_empty_composer_saves_and_says_nothing(
    demo_store: Store, paths: Paths
) -> None:
    from tests.ui.helpers import notifications, open_composer, text_area

    app = make_app(demo_store, paths)
    async with app.run_test(size=(120, 36)) as pilot:
        await settle(pilot, app)
        await open_composer(pilot, app)
        await pilot.press("escape")
        await settle(pilot, app)
        assert demo_store.drafts.all() == []
        assert "Draft saved." not in notifications(app)
        dialog = await open_composer(pilot, app)
        text_area(dialog).insert("Lovely market.")
        await pilot.press("escape")
        await settle(pilot, app)
        assert [d.body for d in demo_store.drafts.all()] == ["Lovely market."]
        assert "Draft saved." in notifications(app)
        dialog = await open_composer(pilot, app)
        assert text_area(dialog).text == "Lovely market."
        text_area(dialog).clear()
        await pilot.press("escape")
        await settle(pilot, app)
        assert demo_store.drafts.all() == [], "emptied by the user: no blank draft stays"


async def test_composer_preview_keeps_single_line_breaks_and_the_hint_fits_80_columns(
    demo_store: Store, paths: Paths
) -> None:
    from tests.ui.helpers import text_area

    app = make_app(demo_store, paths)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot, app)
        dialog = await open_composer(pilot, app)
        hint = dialog.query_one("#compose-hint")
        assert hint.size.width >= len(str(hint.render())), "the hint is not cut"
        text_area(dialog).insert("First line\nsecond line\n\nNew paragraph")
        await pilot.press("ctrl+r")
        await settle(pilot, app)
        preview = str(dialog.query_one("#compose-preview").render())
        assert "First line\nsecond line\n\nNew paragraph" in preview


async def test_the_users_own_comments_follow_the_thread_until_it_shows_them(
    demo_store: Store, paths: Paths
) -> None:
    app = make_app(demo_store, paths)
    async with app.run_test(size=(140, 44)) as pilot:
        await settle(pilot, app)
        screen = main_screen(app)
        url = screen.current.url
        queued = demo_store.drafts.save(article_url=url, body="On its way", name="Ada")
        demo_store.drafts.set_state(queued.id, "queued")
        sent = demo_store.drafts.save(article_url=url + "#comments", body="Sent", name="Ada")
        demo_store.drafts.set_state(sent.id, "published", remote_id="9999")
        demo_store.drafts.save(article_url=url, body="Still writing")  # a draft: not shown
        await pilot.press("C")
        await settle(pilot, app)
        panel = screen.comments
        site = len(screen.current.comments)
        await wait_for(pilot, lambda: len(panel.items) == site + 2, what="the user's comments")
        labels = {item.author: item.text for item in panel.items[site:]}
        assert labels == {"Ada · queued": "On its way", "Ada · awaiting moderation": "Sent"}
        title = str(panel.query_one("#comments-title").render())
        assert title == f"Comments ({site} + 2 yours)"
