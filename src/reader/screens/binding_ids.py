"""Every key binding id of the app: what ``[keys]`` in config.toml may remap.

Collected from the classes that declare bindings, so a new binding is known as soon as it
exists; the app checks the user's ``[keys]`` against it at start (a typo gets a warning that
names the closest id instead of silently doing nothing).
"""

from __future__ import annotations

import difflib
from collections.abc import Iterable, Mapping

from textual.binding import Binding


def _bindings() -> Iterable[Binding]:
    from reader.screens.dialogs.compose import ComposeScreen
    from reader.screens.dialogs.draft_list import DraftListScreen
    from reader.screens.dialogs.feed_health import FeedHealthScreen
    from reader.screens.dialogs.help import HelpScreen
    from reader.screens.dialogs.link_prompt import LinkPrompt
    from reader.screens.dialogs.search import SearchScreen
    from reader.screens.dialogs.sending import ConfirmScreen
    from reader.screens.dialogs.text_prompt import TextPrompt
    from reader.screens.main_keys import MAIN_BINDINGS
    from reader.widgets.article_list import ArticleList
    from reader.widgets.comments_panel import CommentsPanel
    from reader.widgets.feeds_pane import FeedsPane
    from reader.widgets.reading_pane import ReadingPane
    from reader.widgets.related_posts import RelatedPosts

    yield from MAIN_BINDINGS
    for owner in (
        ArticleList,
        CommentsPanel,
        FeedsPane,
        ReadingPane,
        RelatedPosts,
        ComposeScreen,
        ConfirmScreen,
        DraftListScreen,
        FeedHealthScreen,
        HelpScreen,
        LinkPrompt,
        SearchScreen,
        TextPrompt,
    ):
        yield from (b for b in owner.BINDINGS if isinstance(b, Binding))


def known_ids(app_bindings: Iterable[Binding | tuple] = ()) -> set[str]:
    """Every binding id declared in the screens and widgets, plus the app's own (passed in:
    importing the app here would make ``screens`` and ``app.py`` import each other)."""
    extra = [b for b in app_bindings if isinstance(b, Binding)]
    return {binding.id for binding in (*_bindings(), *extra) if binding.id}


def keymap_warnings(
    keymap: Mapping[str, str], app_bindings: Iterable[Binding | tuple] = ()
) -> list[str]:
    """One warning per ``[keys]`` entry that names no binding, with the closest id if any."""
    known = known_ids(app_bindings)
    warnings = []
    for name in sorted(set(keymap) - known):
        close = difflib.get_close_matches(name, sorted(known), n=1, cutoff=0.6)
        hint = f"; did you mean {close[0]!r}?" if close else " (? lists every id)"
        warnings.append(f"[keys]: no key has the id {name!r}{hint}")
    return warnings
