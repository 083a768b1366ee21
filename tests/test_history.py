"""The reading trail on its own: visits, back/forward, scroll positions, walks, status text.

``history.Trail`` has no UI, so its rules are checked here directly; the Pilot tests in
``tests/ui/test_trail.py`` check that the main screen drives it the same way.
"""

from __future__ import annotations

from rich.cells import cell_len

from reader.history import STATUS_TITLE_CELLS, Trail, Visit, Walk


def trail_of(*ids: int) -> Trail:
    trail = Trail()
    for article_id in ids:
        trail.visit(article_id, f"Article {article_id}")
    return trail


def ids(trail: Trail) -> list[int]:
    return [visit.article_id for visit in trail.entries]


def test_an_empty_trail_has_nowhere_to_go() -> None:
    trail = Trail()
    assert trail.current is None
    assert trail.back() is None and trail.forward() is None
    assert not trail.can_back and not trail.can_forward
    assert trail.position() == ""
    assert trail.status() == ""
    trail.remember_scroll(12.0)  # nothing to remember it on; no error
    assert trail.entries == []


def test_visits_append_and_the_last_is_current() -> None:
    trail = trail_of(1, 2, 3)
    assert ids(trail) == [1, 2, 3]
    assert trail.current == Visit(3, "Article 3")
    assert trail.position() == "3/3"
    assert trail.can_back and not trail.can_forward


def test_visiting_the_current_article_again_changes_nothing() -> None:
    trail = trail_of(1, 2)
    trail.remember_scroll(40.0)
    again = trail.visit(2, "another title")
    assert again is trail.current and again.scroll_y == 40.0 and again.title == "Article 2"
    assert ids(trail) == [1, 2]


def test_an_article_seen_earlier_is_a_new_visit() -> None:
    trail = trail_of(1, 2, 1)
    assert ids(trail) == [1, 2, 1] and trail.position() == "3/3"


def test_back_and_forward_move_within_the_trail_and_stop_at_its_ends() -> None:
    trail = trail_of(1, 2, 3)
    assert trail.back() == Visit(2, "Article 2")
    assert trail.back() == Visit(1, "Article 1")
    assert trail.back() is None
    assert trail.position() == "1/3" and not trail.can_back and trail.can_forward
    assert trail.forward() == Visit(2, "Article 2")
    assert trail.forward() == Visit(3, "Article 3")
    assert trail.forward() is None
    assert trail.position() == "3/3"


def test_a_new_visit_after_going_back_drops_the_forward_visits() -> None:
    trail = trail_of(1, 2, 3, 4)
    trail.back()
    trail.back()
    trail.visit(9, "Article 9")
    assert ids(trail) == [1, 2, 9]
    assert trail.position() == "3/3" and not trail.can_forward


def test_each_visit_keeps_its_own_scroll_position() -> None:
    trail = Trail()
    trail.visit(1)
    trail.remember_scroll(30.0)
    trail.visit(2)
    trail.remember_scroll(5.0)
    assert trail.back() == Visit(1, "", 30.0)
    assert trail.forward() == Visit(2, "", 5.0)
    assert trail.visit(3).scroll_y == 0.0, "a new visit starts at the top"


def test_the_trail_keeps_only_the_newest_visits_past_its_limit() -> None:
    trail = Trail(limit=3)
    for article_id in range(1, 6):
        trail.visit(article_id)
    assert ids(trail) == [3, 4, 5]
    assert trail.current == Visit(5) and trail.position() == "3/3"
    assert trail.back() == Visit(4)


def test_a_walk_keeps_the_origin_it_started_from() -> None:
    trail = trail_of(1)
    assert trail.walk is None
    assert trail.step_walk(0, "Origin") == Walk("Origin", 0)
    assert trail.step_walk(1, "First related post") == Walk("Origin", 1)
    assert trail.step_walk(4, "Second related post") == Walk("Origin", 4)
    trail.end_walk()
    assert trail.walk is None
    assert trail.step_walk(2, "New start") == Walk("New start", 2)


def test_status_text_says_where_the_user_is() -> None:
    trail = trail_of(1)
    assert trail.status() == "", "one visit is no trail yet"
    trail.visit(2, "Second")
    assert trail.status() == "2/2 ← Second"
    trail.back()
    assert trail.status() == "1/2  Article 1", "no arrow at the start of the trail"


def test_status_text_while_walking_counts_the_related_posts() -> None:
    trail = trail_of(1, 2)
    trail.step_walk(2, "The origin")
    assert trail.status(walk_length=7) == "3/7 ← The origin"
    trail.end_walk()
    assert trail.status(walk_length=7) == "2/2 ← Article 2"


def test_status_text_cuts_long_titles_by_cell_width() -> None:
    trail = Trail()
    trail.visit(1, "short")
    trail.visit(2, "東京" * 40)
    text = trail.status()
    title = text.removeprefix("2/2 ← ")
    assert cell_len(title) <= STATUS_TITLE_CELLS and title.endswith("…")
    trail.step_walk(0, "x" * 100)
    walk_title = trail.status(walk_length=3).removeprefix("1/3 ← ")
    assert cell_len(walk_title) <= STATUS_TITLE_CELLS
