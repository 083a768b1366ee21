"""Issue 15: the Markdown carries the article's figures, and no caption furniture beside them.

The plain text drops figures and captions; the Markdown keeps each article image with its
caption folded into the image's title (``![alt](src "caption")``), so its paragraphs are
the plain text's paragraphs plus images. Pages written for this test.
"""

from __future__ import annotations

from reader.extract import extract_article, extract_text
from reader.render.document import parse_document

PROSE = (
    "<p>The ferry crossed the bay at dawn, and the crew counted forty passengers on board, "
    "more than on any winter morning since the service began eleven years ago.</p>"
    "<p>Harbour staff said the new timetable would stay until the end of March, when the "
    "summer boats come back and the crossings double to eight a day.</p>"
)
PAGE = (
    "<html><body><article><h1>Ferry</h1>"
    + PROSE
    + '<figure><img src="/img/ferry.jpg" alt="The ferry">'
    "<figcaption>The ferry leaving the quay. Photo: Ana Ruiz</figcaption></figure>"
    '<div class="photo-credit">Image copyright Harbour Trust</div>'
    '<div class="media-caption">Media caption The captain on the bridge</div>'
    '<div class="gallery-item"><img src="/img/quay.jpg" alt="">'
    '<div class="caption">1 of 2 The quay at night.</div></div>'
    "<p>The operator will publish the figures for February next week, a spokesman said, "
    "adding that ticket sales online had doubled since the autumn.</p>"
    "</article></body></html>"
)
URL = "https://bay.example/news/ferry"


def _paragraphs(markdown: str) -> list[str]:
    return [p for p in markdown.split("\n\n") if p and not p.startswith("![")]


def test_captions_become_image_titles_and_loose_ones_go() -> None:
    md = extract_article(PAGE, URL).markdown
    assert (
        '![The ferry](https://bay.example/img/ferry.jpg "The ferry leaving the quay. '
        'Photo: Ana Ruiz")'
    ) in md
    assert '![](https://bay.example/img/quay.jpg "1 of 2 The quay at night.")' in md
    assert "Image copyright" not in md and "Media caption" not in md


def test_markdown_paragraphs_are_the_plain_text_paragraphs() -> None:
    md = extract_article(PAGE, URL).markdown
    text = extract_text(PAGE, URL)
    assert _paragraphs(md) == [p for p in text.split("\n\n") if p]


def test_a_paragraph_with_an_inline_picture_stays_prose() -> None:
    page = PAGE.replace(
        "<p>The operator", '<p><img src="/img/logo.png" alt="logo" width="200"> The operator'
    )
    md = extract_article(page, URL).markdown
    assert "The operator will publish the figures for February" in md


def test_the_pane_shows_the_caption_under_its_image() -> None:
    md = extract_article(PAGE, URL).markdown
    blocks = parse_document(md)
    figure = next(b for b in blocks if "The ferry leaving the quay" in b.text)
    assert figure.text == "[image: The ferry][1]\nThe ferry leaving the quay. Photo: Ana Ruiz"
    captions = [figure.text[s:e] for s, e, name in figure.spans if name == "caption"]
    assert captions == ["The ferry leaving the quay. Photo: Ana Ruiz"]


def test_a_caption_with_quotes_stays_one_title() -> None:
    page = PAGE.replace("The ferry leaving the quay.", 'The "Bay Star" leaving the quay.')
    md = extract_article(page, URL).markdown
    assert '"The “Bay Star” leaving the quay. Photo: Ana Ruiz")' in md
