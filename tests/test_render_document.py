"""Markdown → styled blocks for the reading pane: structure, spans, quotes, hostile text."""

from __future__ import annotations

from reader.render.document import parse_document


def spans_of(block, name: str) -> list[str]:  # type: ignore[no-untyped-def]
    return [block.text[s:e] for s, e, n in block.spans if n == name]


def test_blocks_lists_quotes_and_tables() -> None:
    blocks = parse_document(
        "# Title\n\nShe said „das ist *sehr* wichtig“ and left[1].\n\n"
        "> A quoted card\n\n- one\n- two\n  1. inner\n\n"
        "| a | b |\n|---|---|\n| 1 | 2 |\n\n```\ncode\there\n```\n"
    )
    kinds = [b.kind for b in blocks]
    assert kinds == [
        "heading",
        "paragraph",
        "paragraph",
        "paragraph",
        "paragraph",
        "paragraph",
        "table",
        "code",
    ]
    paragraph = blocks[1]
    assert spans_of(paragraph, "quote") == ["„das ist sehr wichtig“"]
    assert spans_of(paragraph, "em") == ["sehr"]
    assert blocks[2].quote_depth == 1
    assert [b.bullet for b in blocks[3:6]] == ["• ", "• ", "1. "]
    assert blocks[5].indent == 2
    assert blocks[6].text.splitlines()[0].startswith("a │ b")
    assert blocks[7].text == "code    here"


def test_escape_sequences_are_removed_before_spans_are_measured() -> None:
    evil = "\x1b]52;c;ZXZpbA==\x07"
    blocks = parse_document(
        f"Before {evil}“quoted\x1b[2J text” after `co\x1b[31mde` ![al\x9bt](x.png)\n\n"
        f"```\nrm -rf /\x1b[1A\n```\n"
    )
    for block in blocks:
        assert "\x1b" not in block.text and "\x07" not in block.text and "\x9b" not in block.text
        for start, end, _name in block.spans:
            assert 0 <= start < end <= len(block.text)
    assert spans_of(blocks[0], "quote") == ["“quoted text”"]
    assert spans_of(blocks[0], "code") == ["code"]


def test_links_keep_their_target_and_range() -> None:
    (block,) = parse_document("Read [the report](https://example.test/r) today.")
    ((start, end, href),) = block.links
    assert block.text[start:end] == "the report" and href == "https://example.test/r"


def test_the_renderer_numbers_links_and_images() -> None:
    """One model, two views: standard Markdown in, numbers for the 1-9 keys out."""
    from reader.render.document import parse_numbered

    md = (
        "See [the map](https://a.example/map) and [the *guide*](https://a.example/g).\n\n"
        "![A pier](https://a.example/pier.jpg)\n\n"
        "[![Logo](https://a.example/logo.png)](https://a.example/)"
        " and [the map again](https://a.example/map), [bad](javascript:x), [in page](#top)."
    )
    blocks, targets = parse_numbered(md)
    assert [b.text for b in blocks] == [
        "See the map[1] and the guide[2].",
        "[image: A pier][3]",
        "[image: Logo][4] and the map again[1], [bad](javascript:x), in page.",
    ]
    assert targets == [
        "https://a.example/map",
        "https://a.example/g",
        "https://a.example/pier.jpg",
        "https://a.example/",
    ]
    first = blocks[0]
    assert [first.text[s:e] for s, e, _ in first.links] == ["the map", "the guide"]
    assert spans_of(first, "link") == ["the map", "the guide"]


def test_reader_show_prints_reference_links_numbered_as_in_the_pane() -> None:
    from reader.render.document import with_reference_links

    md = "See [the map](https://a.example/map), ![A pier](https://a.example/p.jpg).\n\nAgain [map](https://a.example/map)."
    assert with_reference_links(md) == (
        "See [the map][1], ![A pier][2].\n\nAgain [map][1].\n\n"
        "[1]: https://a.example/map\n[2]: https://a.example/p.jpg"
    )
    assert with_reference_links("No links here.") == "No links here."
