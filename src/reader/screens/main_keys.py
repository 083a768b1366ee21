"""The main screen's keys. Each has an id: ``[keys]`` in config.toml remaps it by that id, the
help (``?``) and README list them by it, and each is in the command palette."""

from __future__ import annotations

from collections.abc import Iterable, Mapping

from textual.binding import Binding

MAIN_BINDINGS = [
    Binding("enter", "open_highlighted", "Open", show=False, id="main.open"),
    Binding("n", "next_unread", "Next unread", id="main.next_unread"),
    Binding("p", "previous_unread", "Prev unread", show=False, id="main.previous_unread"),
    Binding("m", "delegate('marks.toggle_read')", "Read/unread", id="main.toggle_read"),
    Binding("s", "delegate('marks.toggle_saved')", "Save", id="main.toggle_saved"),
    Binding(
        "A",
        "delegate('marks.mark_view_read')",
        "Mark all read",
        show=False,
        id="main.mark_all_read",
    ),
    Binding(
        "M",
        "delegate('marks.mark_to_here')",
        "Mark read up to here",
        show=False,
        id="main.mark_read_to_here",
    ),
    Binding("u", "delegate('marks.undo')", "Undo", show=False, id="main.undo"),
    Binding(
        "U",
        "delegate('feeds.toggle_unread_only')",
        "Unread only",
        show=False,
        id="main.unread_only",
    ),
    Binding("v,f4", "delegate('layout_panes.toggle_feeds')", "Feeds", id="main.feeds_pane"),
    Binding("a", "delegate('feeds.add')", "Add a feed", show=False, id="main.add_feed"),
    Binding(
        "e",
        "delegate('pages.fetch_focused')",
        "Fetch the full page",
        show=False,
        id="main.fetch_page",
    ),
    Binding(
        "ctrl+l", "delegate('pages.ask_url')", "Open a web address", show=False, id="main.open_url"
    ),
    Binding("r", "focus_related", "Related", id="main.focus_related"),
    Binding(
        "right_square_bracket",
        "related_step(1)",
        "Next related",
        show=False,
        id="main.next_related",
    ),
    Binding(
        "left_square_bracket",
        "related_step(-1)",
        "Prev related",
        show=False,
        id="main.previous_related",
    ),
    Binding("b,alt+left", "back", "Back", id="main.back"),
    Binding("f,alt+right", "forward", "Forward", show=False, id="main.forward"),
    Binding("c", "compose", "Comment", id="main.compose"),
    Binding("C", "toggle_comments", "Comments", id="main.comments"),
    Binding("D", "drafts", "Drafts and outbox", show=False, id="main.drafts"),
    Binding("F", "delegate('feeds.health')", "Feeds and their health", show=False, id="main.feeds"),
    Binding("o", "open_browser", "Open in the browser", show=False, id="main.open_browser"),
    Binding("slash", "search", "Search", id="main.search"),
    Binding("escape", "clear_search", "Leave search results", show=False, id="main.clear_search"),
    Binding(
        "ctrl+s",
        "delegate('searching.save')",
        "Save the search as a view",
        show=False,
        id="main.save_search",
    ),
    Binding(
        "full_stop",
        "delegate('searching.next_match')",
        "Next search match in the article",
        show=False,
        id="main.next_match",
    ),
    Binding(
        "comma",
        "delegate('searching.previous_match')",
        "Previous search match in the article",
        show=False,
        id="main.previous_match",
    ),
    Binding("f2", "toggle_list", "Hide/show the list", show=False, id="main.toggle_list"),
    Binding(
        "f3", "toggle_related", "Hide/show related posts", show=False, id="main.toggle_related"
    ),
]


def key_for(
    keymap: Mapping[str, str], binding_id: str, bindings: Iterable[object] = MAIN_BINDINGS
) -> str:
    """The first key bound to ``binding_id`` (remaps applied), as the footer shows it; the main
    screen's keys by default, any widget's ``BINDINGS`` when given."""
    from textual.keys import format_key

    for binding in bindings:
        if isinstance(binding, Binding) and binding.id == binding_id:
            return format_key(keymap.get(binding_id, binding.key).split(",")[0].strip())
    return binding_id
