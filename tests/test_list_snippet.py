"""The snippet lines under a search result in the article list: wrapping, marks, safety."""

from __future__ import annotations

from rich.style import Style

from reader.widgets.list_snippet import INDENT, LINES, SnippetLines, lead_in, wrap

MATCH = Style(underline=True)


def style(name: str) -> Style:
    return {"article-list--match": MATCH, "article-list--cursor": Style(bgcolor="blue")}.get(
        name, Style()
    )


def texts(strip) -> str:  # type: ignore[no-untyped-def]
    return "".join(segment.text for segment in strip)


def test_wrap_breaks_between_words_and_cuts_words_wider_than_a_line() -> None:
    text = "the quick brown fox jumps"
    assert [text[s:e] for s, e in wrap(text, 10)] == ["the quick", "brown fox"]
    assert [text[s:e] for s, e in wrap(text, 10, lines=3)] == ["the quick", "brown fox", "jumps"]
    assert wrap("abcdefghijklmno", 5) == [(0, 5), (5, 10)]
    assert wrap("東京の図書館", 5) == [(0, 2), (2, 4)]  # two cells each
    assert wrap("", 10) == [] and wrap("word", 0) == []


def test_lines_only_for_a_known_non_empty_snippet() -> None:
    lines = SnippetLines()
    assert lines.lines(None) == 0 and lines.lines(7) == 0
    lines.put(7, "the harbour wall", [(4, 11)])
    lines.put(8, "", [])
    assert lines.lines(7) == LINES and lines.lines(8) == 0
    lines.clear()
    assert lines.lines(7) == 0


def test_paint_marks_the_words_fits_the_width_and_ends_with_an_ellipsis() -> None:
    lines = SnippetLines()
    text = "the harbour wall was mended and the harbour master spoke at length today"
    lines.put(1, text, [(4, 11), (36, 43)])
    width = 30
    first, second = (lines.paint(1, part, width, style) for part in range(LINES))
    assert first.cell_length == second.cell_length == width
    assert texts(first).startswith(" " * INDENT + "the harbour wall")
    assert [s.text for s in first if s.style and s.style.underline] == ["harbour"]
    assert [s.text for s in second if s.style and s.style.underline] == ["harbour"]
    assert texts(second).rstrip().endswith("…")  # more text than two lines hold
    assert all(s.style and s.style.bgcolor for s in first)  # the cursor row's background


def test_control_sequences_never_reach_the_terminal() -> None:
    lines = SnippetLines()
    lines.put(1, "red \x1b[31malert\x07 here", [(0, 3)])
    painted = texts(lines.paint(1, 0, 40, style)) + texts(lines.paint(1, 1, 40, style))
    assert "\x1b" not in painted and "\x07" not in painted
    assert "alert" in painted


def test_a_first_match_far_in_starts_the_text_near_it() -> None:
    text = "nothing to see here. nothing to see here. Paragraph 5: the harbour wall"
    start = text.index("harbour")
    cut, marks = lead_in(text, [(start, start + 7)], 28)
    assert cut.startswith("…") and cut.endswith("the harbour wall")
    assert cut[marks[0][0] : marks[0][1]] == "harbour"
    assert marks[0][0] <= 28 // 3 + 1  # on the first line, a short lead before it
    assert cut[1] != " " and text[text.index(cut[1:]) - 1] == " "  # from a word's start
    assert lead_in("the harbour wall", [(4, 11)], 28) == ("the harbour wall", ((4, 11),))
    assert lead_in(text, [], 28) == (text, ())
