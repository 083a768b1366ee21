"""Issue 15: the seed's malformed quotations are highlighted in the reading pane.

A page built like the seed (a German WordPress post): breadcrumb, byline, two embedded X
posts carrying the two quotations exactly as the issue quotes them, a related block and a
comment form. All other text was written for this test.
"""

from __future__ import annotations

from dataclasses import fields

from reader.extract import Article, extract_article
from reader.paths import Paths
from reader.reading import Readable
from reader.store import Store
from tests.ui.helpers import main_screen, make_app, settle

THANKS = "“ Vielen Dank für Ihre anhaltende Geduld. „"
LOVE = (
    "„Ich liebe OpenAI, und alles, was wir in den letzten Jahren gemeinsam aufgebaut haben, "
    "möchte ich erhalten. „"
)
URL = "https://techblog.example/2026/03/partnerschaft-geht-weiter/"
PAGE = f"""<!doctype html><html lang="de"><head><meta charset="utf-8">
<title>Die Partnerschaft geht weiter – Techblog</title>
<meta property="og:site_name" content="Techblog"></head>
<body class="post-template-default single single-post">
<nav class="breadcrumb"><a href="/">Startseite</a> » <a href="/ki/">KI</a> » Partnerschaft</nav>
<article class="post type-post"><header><h1 class="entry-title">Die Partnerschaft geht weiter</h1>
<div class="entry-meta">Von <span class="author vcard"><a href="/author/jana/">Jana Roth</a></span>
· <time datetime="2026-03-12T09:00:00+01:00">12. März 2026</time></div></header>
<div class="entry-content">
<p>Die beiden Unternehmen wollen ihre „Zusammenarbeit“ fortsetzen, heißt es in einer Mitteilung
vom Donnerstag. Beide Seiten sprechen von einer „starken Partnerschaft“, die in den kommenden
Jahren weiter wachsen soll, auch wenn die Bedingungen neu verhandelt werden.</p>
<p>Am Abend meldete sich das Unternehmen selbst auf X zu Wort, nachdem viele Nutzer seit dem
Morgen auf eine Antwort gewartet hatten und die Dienste zeitweise nicht erreichbar waren.</p>
<blockquote class="twitter-tweet"><p lang="de" dir="ltr">{THANKS}</p>&mdash; OpenAI (@OpenAI)
<a href="https://twitter.com/OpenAI/status/1900000000000000001">12. März 2026</a></blockquote>
<p>Wenig später folgte ein zweiter Beitrag, diesmal vom Chef des Unternehmens, der sich
ausdrücklich bei den Mitarbeitenden und den Partnern bedankte und die Pläne bestätigte.</p>
<blockquote class="twitter-tweet"><p lang="de" dir="ltr">{LOVE}</p>&mdash; Sam (@sam)
<a href="https://twitter.com/sam/status/1900000000000000002">12. März 2026</a></blockquote>
<p>Was die neuen Bedingungen für Kundinnen und Kunden bedeuten, ist noch offen; eine
ausführliche Erklärung soll in den nächsten Wochen folgen, hieß es aus dem Umfeld.</p>
</div></article>
<div id="jp-relatedposts" class="jp-relatedposts"><h3 class="jp-relatedposts-headline">Ähnliche
Beiträge</h3><div class="jp-relatedposts-items"><p class="jp-relatedposts-post"><a
href="/2026/02/neue-modelle/">Neue Modelle im Test</a></p><p class="jp-relatedposts-post"><a
href="/2026/01/rechenzentren/">Rechenzentren im Norden</a></p></div></div>
<div id="respond" class="comment-respond"><h3 id="reply-title">Schreibe einen Kommentar</h3>
<form action="https://techblog.example/wp-comments-post.php" method="post" id="commentform">
<textarea id="comment" name="comment"></textarea><input id="author" name="author">
<input id="email" name="email"><input type="hidden" name="comment_post_ID" value="4711">
<input type="submit" value="Kommentar abschicken"></form></div>
</body></html>"""


def _readable(article: Article) -> Readable:
    values = {f.name: getattr(article, f.name) for f in fields(Article)}
    return Readable(**values | {"title": article.title or "?"}, article_id=1, url=URL)


def _words(text: str) -> str:
    return " ".join(text.split())


async def test_the_seed_quotes_are_highlighted_in_the_pane(demo_store: Store, paths: Paths) -> None:
    article = extract_article(PAGE, URL)
    assert article.ok and article.comment_form is not None and article.related
    assert [e.kind for e in article.embeds] == ["twitter", "twitter"]
    app = make_app(demo_store, paths)
    async with app.run_test(size=(140, 80)) as pilot:
        await settle(pilot, app)
        pane = main_screen(app).pane
        pane.show(_readable(article))  # as the screen shows an opened article
        await pilot.pause()
        quote = pane.get_component_rich_style("reading-pane--quote")
        painted: list[str] = []  # each painted run of quote style, joined across lines
        for y in range(pane.line_count):
            run = ""
            for segment in pane.render_line(y):
                style = segment.style
                if style and style.bgcolor == quote.bgcolor and style.color == quote.color:
                    run += segment.text
                elif run:
                    painted.append(run)
                    run = ""
            if run:
                painted.append(run)
        shown = _words(" ".join(painted))
    for expected in ("„Zusammenarbeit“", "„starken Partnerschaft“", THANKS, LOVE):
        assert _words(expected) in shown, (expected, shown)
    # the quotation stops at its closing mark: the author line of the card is not painted
    assert "OpenAI (@OpenAI)" not in shown
