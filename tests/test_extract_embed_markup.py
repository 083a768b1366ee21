"""Embed markup as the platforms ship it today: text in <div>s, localized bylines."""

from __future__ import annotations

from reader.extract import extract_article

PAGE = """<html><head><title>Embeds</title></head><body><article><h1>Embeds</h1>
<div class="entry-content">
<p>The river cleanup drew more volunteers than ever before, organisers said on Sunday.</p>
<blockquote class="mastodon-embed" data-embed-url="https://social.example/@crew/1234567/embed">
<a href="https://social.example/@crew/1234567"><div>Bags full by noon. Thank you all!</div>
<div>Post by @crew@social.example</div><div>View on Mastodon</div></a></blockquote>
<p>Another paragraph about the cleanup, with enough words to count as article prose.</p>
<blockquote class="instagram-media" data-instgrm-permalink="https://www.instagram.com/p/XyZ/">
<div><a href="https://www.instagram.com/p/XyZ/">Voir cette publication sur Instagram</a>
<p>Miel de printemps sur le toit.</p>
<p><a href="https://www.instagram.com/p/XyZ/">
Une publication partagée par Les Toits (@les.toits)</a></p>
</div></blockquote>
<p>A closing paragraph so the body has a clear end and enough words in it.</p>
</div></article></body></html>"""


def test_mastodon_text_in_divs_and_localized_instagram_byline() -> None:
    article = extract_article(PAGE, "https://news.example/cleanup/")
    kinds = {embed.kind: embed for embed in article.embeds}
    assert kinds["mastodon"].text == "Bags full by noon. Thank you all!"
    assert kinds["mastodon"].author == "@crew@social.example"
    assert kinds["instagram"].text == "Miel de printemps sur le toit."
    assert kinds["instagram"].author == "Les Toits (@les.toits)"
    assert "> Bags full by noon. Thank you all!" in article.markdown
    assert (
        "> — Les Toits (@les.toits), [Instagram](https://www.instagram.com/p/XyZ/)"
        in article.markdown
    )
    assert "View on Mastodon" not in article.markdown
