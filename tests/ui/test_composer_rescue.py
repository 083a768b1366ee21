"""A draft is never lost when the store refuses to write it (busy past its timeout, disk full).

The refusal is real SQLite behaviour, not a mock: ``PRAGMA query_only`` makes every write on
the app's connection fail with ``sqlite3.OperationalError``, as a full disk would.
"""

from __future__ import annotations

from reader.paths import Paths
from reader.screens.dialogs.compose import ComposeScreen
from reader.store import Store
from tests.ui.helpers import main_screen, make_app, open_composer, settle, wait_for


async def test_a_refused_autosave_keeps_the_text_retries_and_rescues_it_on_close(
    demo_store: Store,
    paths: Paths,
) -> None:
    app = make_app(demo_store, paths)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot, app)
        article = main_screen(app).current
        demo_store.db.query("PRAGMA query_only = ON")
        composer = (await open_composer(pilot, app)).composer
        await pilot.press(*"Words worth keeping")
        count = composer.query_one("#composer-count")
        # On a loaded machine an autosave can fail between two keys; the next key repaints the
        # count line, and the failure is said again when the retried save fails after typing.
        await wait_for(
            pilot,
            lambda: composer.save_error is not None and "retrying" in str(count.render()),
            what="a failed autosave, said in the count line",
        )
        assert "readonly" in (composer.save_error or "")
        assert composer.text == "Words worth keeping"
        assert "retrying" in str(count.render())
        await pilot.press("escape")
        await wait_for(pilot, lambda: not isinstance(app.screen, ComposeScreen), what="close")
        await settle(pilot, app)
    rescued = list((demo_store.path.parent / "rescued-drafts").glob("draft-*.txt"))
    assert len(rescued) == 1
    text = rescued[0].read_text(encoding="utf-8")
    assert "Words worth keeping" in text and article.url in text
    demo_store.db.query("PRAGMA query_only = OFF")
    assert demo_store.drafts.open_for(article.url, None) is None  # nothing half-written


async def test_a_retry_saves_the_draft_once_the_store_accepts_it_again(
    demo_store: Store,
    paths: Paths,
    monkeypatch,  # type: ignore[no-untyped-def]
) -> None:
    import reader.widgets.composer as composer_module

    monkeypatch.setattr(composer_module, "RETRY_DELAY", 0.2)
    app = make_app(demo_store, paths)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot, app)
        article = main_screen(app).current
        demo_store.db.query("PRAGMA query_only = ON")
        composer = (await open_composer(pilot, app)).composer
        await pilot.press(*"Second try")
        await wait_for(pilot, lambda: composer.save_error is not None, what="a failed autosave")
        demo_store.db.query("PRAGMA query_only = OFF")
        await wait_for(
            pilot,
            lambda: demo_store.drafts.open_for(article.url, None) is not None,
            what="the retried save",
        )
        assert demo_store.drafts.open_for(article.url, None).body == "Second try"
        assert composer.save_error is None
