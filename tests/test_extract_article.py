"""extract_article on fixture pages written for the project (tests/fixtures/extract)."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from reader.extract import Article, Comment, extract_article, extract_text
from reader.render.document import parse_numbered

FIXTURES = Path(__file__).parent / "fixtures" / "extract"
WP_URL = "https://gazette.example/2025/03/harbour-ferry-returns/"
NEWS_URL = "https://ledger.example/travel/night-trains-comeback?utm=1"


@pytest.fixture(scope="module")
def wp() -> Article:
    return extract_article((FIXTURES / "wp_post.html").read_bytes(), WP_URL)


@pytest.fixture(scope="module")
def news() -> Article:
    return extract_article((FIXTURES / "news_jsonld.html").read_text("utf-8"), NEWS_URL)


def test_wp_metadata(wp: Article) -> None:
    assert wp.ok and wp.error is None
    assert wp.title == "Harbour ferry returns after winter repairs"
    assert wp.author == "Mira Castell"
    assert wp.published == "2025-03-14T08:30:00+00:00"
    assert wp.updated == "2025-03-15T12:05:00+00:00"
    assert wp.site_name == "Millbrook Gazette"
    assert wp.language == "en-GB"
    assert wp.canonical_url == WP_URL


def test_wp_breadcrumb_from_home_trail(wp: Article) -> None:
    assert wp.breadcrumb == ["Home", "Harbour ferry returns after winter repairs"]


def test_wp_body_keeps_content(wp: Article) -> None:
    md = wp.markdown
    assert md.startswith("The little blue ferry")
    assert "## What changed on board" in md
    assert "“People were clapping on the pier" in md
    assert "“a small miracle with a large invoice”" in md  # <q> -> typographic quotes
    assert "> We will not go back to one crossing a day." in md
    # nested list survives, indented under its parent item
    assert "- A ramp at the stern door" in md
    assert "  * usable at every tide" in md
    assert md.rstrip().endswith("seven every morning.")


def test_wp_body_drops_furniture(wp: Article) -> None:
    md = wp.markdown
    for junk in (
        "Skip to content",
        "cookies",
        "Share on",
        "Advertisement",
        "Recent Posts",
        "Related",
        "Ähnliche",
        "Leave a Reply",
        "Great news",
        "Proudly powered",
        "Harbour ferry returns after winter repairs",
        "Mira Castell",
        "Tagged",
    ):
        assert junk not in md, junk


def test_wp_embeds_are_quote_cards(wp: Article) -> None:
    kinds = [(e.kind, e.author) for e in wp.embeds]
    assert kinds == [
        ("twitter", "Skerra Primary (@SkerraSchool)"),
        ("mastodon", "@quaymaster@harbour.social"),
        ("mastodon", "@sailclub@harbour.social"),
    ]
    tweet = wp.embeds[0]
    assert tweet.url == "https://twitter.com/SkerraSchool/status/1890001112223334445"
    assert tweet.text.startswith("Day 97 without the ferry.")
    assert wp.embeds[1].text == "Ferry alongside at 07:42. Welcome home, Skerra Lass."
    md = wp.markdown
    assert "> Day 97 without the ferry." in md
    assert f"> — Skerra Primary (@SkerraSchool), [X]({tweet.url})" in md
    assert "> — @quaymaster@harbour.social, [Mastodon](https://" in md


def test_wp_related_blocks(wp: Article) -> None:
    urls = [r.url for r in wp.related]
    assert urls == [
        "https://gazette.example/2024/11/storm-damages-ferry/",  # Jetpack (and YARPP: deduped)
        "https://gazette.example/2025/01/fishing-boat-fills-in/",
        "https://gazette.example/2025/02/pellow-yard-hiring/",  # YARPP
        "https://gazette.example/2025/01/island-school-cardboard-boat/",  # CRP
        "https://gazette.example/de/2025/03/faehre-zurueck/",  # "Ähnliche Beiträge"
        "https://gazette.example/de/2025/01/fischerboot/",
    ]
    titles = {r.url: r.title for r in wp.related}
    assert titles["https://gazette.example/2025/01/island-school-cardboard-boat/"] == (
        "Island pupils build a cardboard boat"
    )
    # the page itself, javascript: and data: links never appear
    assert not any(u.startswith(("javascript:", "data:")) or u.startswith(WP_URL) for u in urls)


def test_wp_comment_form(wp: Article) -> None:
    form = wp.comment_form
    assert form is not None
    assert form.action == "https://gazette.example/wp-comments-post.php"
    assert form.method == "post"
    assert form.fields["comment_post_ID"] == "4211"
    assert form.fields["comment_parent"] == "0"
    assert form.fields["akismet_comment_nonce"] == "5f2e9a0c1b"
    assert form.fields["ak_js"] == "117"
    assert "submit" not in form.fields
    assert "wp-comment-cookies-consent" not in form.fields  # unchecked box is not sent
    assert form.required == ["comment", "author", "email"]
    assert form.blocked_reason is None


def test_wp_threaded_comments(wp: Article) -> None:
    assert wp.comments == [
        Comment(
            "101",
            "Jonas Pell",
            "2025-03-14T09:12:00+00:00",
            "Great news. My daughter can get to school on time again.",
            None,
        ),
        Comment(
            "102",
            "Anton Reyes",
            "2025-03-14T10:40:00+00:00",
            "Glad to have her back on board, Jonas.\n\nTell her the heating works now.",
            "101",
        ),
        Comment(
            "103",
            "Ruth Alder",
            "2025-03-15T18:02:00+00:00",
            "Will the Sunday timetable change as well?",
            None,
        ),
    ]


def test_links_are_standard_markdown_numbered_by_the_renderer(wp: Article) -> None:
    """One model, two views: the Markdown has no numbers; the pane's renderer adds them."""
    assert not re.search(r"[^\]\s]\[\d+\]", wp.markdown), "a link number baked in the text"
    blocks, targets = parse_numbered(wp.markdown)
    assert targets == wp.links
    shown = "\n".join(b.text for b in blocks)
    for i, url in enumerate(wp.links, 1):
        assert f"]({url})" in wp.markdown
        assert f"[{i}]" in shown
        assert url.startswith("https://")


def test_news_jsonld_metadata_wins(news: Article) -> None:
    assert news.ok
    assert news.title == "Night trains: the comeback in numbers"  # JSON-LD over og:title
    assert news.author == "Lotte Brenner, Sam Okafor"  # JSON-LD over <meta name=author>
    assert news.published == "2025-02-03T06:00:00+01:00"
    assert news.updated == "2025-02-04T09:30:00+01:00"
    assert news.site_name == "The Northern Ledger"
    assert news.language == "en"
    assert news.canonical_url == "https://ledger.example/travel/night-trains-comeback"
    assert news.breadcrumb == ["Home", "Travel", "Night trains: the comeback in numbers"]
    assert news.comment_form is None and news.comments == []


def test_news_body_structure(news: Article) -> None:
    md = news.markdown
    assert md.startswith("Europe's sleeper trains carried more passengers")
    assert "| Nordlys Rail | 410,000 | 520,000 |" in md  # table
    assert "```\ncurl -s https://data.example/night-trains/2024.csv | head -n 3\n```" in md
    # the figure's caption is the image's title: standard Markdown, no extra paragraph
    assert (
        "![A sleeper carriage at dawn](https://ledger.example/img/sleeper.jpg "
        '"A sleeper carriage waits at the platform before dawn.")'
    ) in md
    assert "passengers[^1]" in md and "Operators report carriages in service" in md  # footnote
    assert "> — Night Rider (@nightrider.eu), [Instagram](https://" in md
    for junk in (
        "newsletter",
        "Sign up",
        "small files on your device",
        "Most read",
        "independent newspaper",
        "Ferries are back too",
        "Print",
    ):
        assert junk not in md, junk


def test_news_unsafe_link_not_followable(news: Article) -> None:
    assert "this one is never followed" in news.markdown
    assert not any(u.startswith("javascript:") for u in news.links)
    assert "[the new rail pass](https://ledger.example/travel/rail-pass)" in news.markdown


def test_news_embed_and_related(news: Article) -> None:
    assert [(e.kind, e.url) for e in news.embeds] == [
        ("instagram", "https://www.instagram.com/p/Cxyz123AbC/")
    ]
    assert [r.title for r in news.related] == ["Ferries are back too", "Long-distance buses"]


def test_captcha_form_is_blocked() -> None:
    a = extract_article((FIXTURES / "wp_captcha.html").read_bytes(), "https://village.example/f/")
    assert a.comment_form is not None
    assert a.comment_form.blocked_reason == "captcha: reCAPTCHA"
    assert a.comment_form.fields["comment_post_ID"] == "77"
    assert a.comment_form.required == ["comment", "author", "email"]


def test_login_only_is_blocked() -> None:
    a = extract_article(
        (FIXTURES / "wp_login_only.html").read_bytes(), "https://village.example/w/"
    )
    assert a.ok
    assert a.comment_form is not None
    assert a.comment_form.blocked_reason is not None
    assert a.comment_form.blocked_reason.startswith("login required")


def test_extract_text_is_plain_prose() -> None:
    text = extract_text((FIXTURES / "news_jsonld.html").read_text("utf-8"))
    assert text.startswith("Europe's sleeper trains")
    assert "[" not in text.split("\n")[0]
    assert "waits at the platform" not in text  # captions are not running prose
    assert "Nordlys Rail" in text


def test_article_is_frozen(wp: Article) -> None:
    with pytest.raises(AttributeError):
        wp.title = "x"  # type: ignore[misc]


def test_teasers_datelines_captions_and_paywall() -> None:
    """A page without semantic class names: the finder relies on text alone."""
    html = (FIXTURES / "news_teasers.html").read_text("utf-8")
    text = extract_text(html)
    assert text.startswith("The tidal turbines anchored in the Sound")
    assert "The trial has cost 14 million pounds" in text  # class="paywall" is still text
    assert text.rstrip().endswith("keeps boats out of a good stretch of water.")
    assert "Both turbines turning on the spring tide" in text  # embed in a "social" box
    for junk in (
        "Published June 2",
        "Text size",
        "Divers check",
        "Photo: Dana",
        "More from Energy",
        "Offshore wind farm",
        "planning inspector",
        "Heat pump",
    ):
        assert junk not in text, junk
    article = extract_article(html, "https://coast.example/energy/tidal")
    md = article.markdown
    # caption and credit kept as the image's title, not as a paragraph of their own
    assert '![Turbine](https://coast.example/img/turbine.jpg "Divers check the second' in md
    assert "\nDivers check" not in md and "\n*Divers" not in md
    assert "> Both turbines turning on the spring tide" in md
    assert "planning inspector" not in md and "Published June 2" not in md
    assert article.published == "2025-06-02T07:00:00+00:00"


def test_quote_spans_point_into_markdown(wp: Article) -> None:
    """Spans come from reader.render.quotes; they must index this Markdown."""
    assert wp.quotes, "the post has quotations"
    start = wp.markdown.index("“People were clapping")
    assert any(s <= start < e for s, e in wp.quotes)
    for s, e in wp.quotes:
        assert 0 <= s < e <= len(wp.markdown)


@pytest.mark.parametrize("tag", ["section", "aside", "ul", "nav", "div"])
def test_related_container_of_any_tag(tag: str) -> None:
    inner = '<li><a href="/a">First story</a></li><li><a href="/b">Second story</a></li>'
    if tag != "ul":
        inner = f"<ul>{inner}</ul>"
    html = (
        f"<html><body><article><p>{'A sentence of the story, long enough. ' * 5}</p>"
        f"</article><{tag} class='related-posts'>{inner}</{tag}></body></html>"
    )
    a = extract_article(html, "https://s.example/story/")
    assert [r.url for r in a.related] == ["https://s.example/a", "https://s.example/b"]


def test_short_first_and_last_paragraphs_stay() -> None:
    body = " ".join(["The council met for four hours and agreed on a budget, at last."] * 4)
    html = (
        f"<html><body><div class='story'><p>It was quiet.</p><p>{body}</p><p>{body}</p>"
        "<p>Nobody left early.</p></div><div class='x'><a href='/a'>Home</a> "
        "<a href='/b'>About</a></div></body></html>"
    )
    text = extract_text(html)
    assert text.startswith("It was quiet.")
    assert text.endswith("Nobody left early.")


def test_title_loses_site_suffix() -> None:
    html = (
        "<html><head><title>Big story &#8211; The Site</title>"
        "<meta property='og:site_name' content='The Site'></head><body><p>x</p></body></html>"
    )
    assert extract_article(html).title == "Big story"


@pytest.mark.parametrize(
    ("marker", "name"),
    [
        ('<div class="h-captcha" data-sitekey="k"></div>', "hCaptcha"),
        ('<div class="cf-turnstile" data-sitekey="k"></div>', "Cloudflare Turnstile"),
        ('<div data-sitekey="k" class="g-recaptcha"></div>', "reCAPTCHA"),
        ('<script src="https://js.hcaptcha.com/1/api.js"></script>', "hCaptcha"),
        (
            '<script src="https://challenges.cloudflare.com/turnstile/v0/api.js"></script>',
            "Cloudflare Turnstile",
        ),
    ],
)
def test_captcha_kinds(marker: str, name: str) -> None:
    html = (
        "<html><body><article><p>Text of the post, long enough to be prose here.</p>"
        f"</article><form action='/c' method='post'><textarea name='comment'></textarea>"
        f"{marker}</form></body></html>"
    )
    a = extract_article(html, "https://s.example/p/")
    assert a.comment_form is not None
    assert a.comment_form.action == "https://s.example/c"
    assert a.comment_form.blocked_reason == f"captcha: {name}"


def test_breadcrumb_markup_forms() -> None:
    page = "<html><body class='has-breadcrumbs'>{}<article><p>{}</p></article></body></html>"
    prose = "A sentence of the story, long enough to count. " * 4
    cases = {
        "<ol class='breadcrumbs'><li><a href='/'>Home</a></li><li><a href='/n'>News</a></li>"
        "<li>24/7 coverage</li></ol>": ["Home", "News", "24/7 coverage"],
        "<div itemscope itemtype='https://schema.org/BreadcrumbList'><a href='/'>Start</a> › "
        "<a href='/w'>Welt</a> › Artikel</div>": ["Start", "Welt", "Artikel"],
        "<nav aria-label='Breadcrumb'><a href='/'>Accueil</a> / <a href='/m'>Monde</a></nav>": [
            "Accueil",
            "Monde",
        ],
    }
    for markup, expected in cases.items():
        assert extract_article(page.format(markup, prose)).breadcrumb == expected, markup


def test_login_notice_without_class() -> None:
    html = (
        "<html><body><article><p>Text of the post, long enough to be prose here.</p>"
        "</article><div id='respond'><p>Sie müssen angemeldet sein, um einen Kommentar "
        "abzugeben.</p></div></body></html>"
    )
    form = extract_article(html).comment_form
    assert form is not None and form.blocked_reason is not None
    assert form.blocked_reason.startswith("login required: Sie müssen angemeldet sein")


def test_datelines_without_time_elements_are_dropped() -> None:
    prose = "<p>" + "The harbour reopened after a long winter of repairs, officials said. " * 4
    html = (
        "<html><body><div class='story'><div class='by'>By Jo Marsh - Nov 19, 2019, "
        f"10:31 pm</div>{prose}</p>{prose}</p><div>Updated: 20.11.2019 08:05</div>"
        "</div></body></html>"
    )
    text = extract_text(html)
    assert text.startswith("The harbour reopened")
    assert "Jo Marsh" not in text and "Updated" not in text


def test_short_post_with_table_of_contents_links() -> None:
    """In-page anchors are not links away: a short post with a linked contents list stays."""
    html = (
        "<html><body><div class='post'><h2><a href='#one'>Part one</a></h2>"
        "<p id='one'>The first part explains why the bridge closed, and for how long.</p>"
        "<h2><a href='#two'>Part two</a></h2>"
        "<p id='two'>The second part lists the detours, one for each side of the river.</p>"
        "</div><ul class='x'><li><a href='/a'>Home</a></li><li><a href='/b'>News</a></li></ul>"
        "</body></html>"
    )
    text = extract_text(html)
    assert "The first part explains" in text and "The second part lists" in text


def test_threads_give_the_same_result() -> None:
    """UI workers may run extraction in threads: nothing may be shared between calls."""
    from concurrent.futures import ThreadPoolExecutor

    pages = [
        (FIXTURES / name).read_bytes()
        for name in ("wp_post.html", "news_jsonld.html", "news_teasers.html", "wp_captcha.html")
    ] * 6
    expected = [extract_article(p, WP_URL) for p in pages]
    with ThreadPoolExecutor(max_workers=4) as pool:
        got = list(pool.map(lambda p: extract_article(p, WP_URL), pages))
    assert got == expected
