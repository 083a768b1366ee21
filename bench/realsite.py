"""Realistic feeds for ``bench/feedsite.py --site realistic`` (issue 14).

Each item carries its full article as HTML of 3-6 KB, the way WordPress's ``content:encoded``
and most Atom ``content`` elements do: headings, paragraphs with inline markup and links, block
quotes, figures with images and captions, lists, the odd table and code block. Feeds are in
seven languages (English, German, French, Spanish, Portuguese, Russian, Japanese), two thirds
RSS 2.0 and one third Atom 1.0 (Atom bodies both as escaped ``type="html"`` and as inline
``type="xhtml"``), with categories, authors, enclosures and per-language dates. Everything is
generated from a seed, so ETags never change between runs. The text below was written for this
benchmark.
"""

from __future__ import annotations

import email.utils
import random
from html import escape
from urllib.parse import quote

BASE_DATE = 1_700_000_000

# (code, words, sentence joiner, title prefix); words written for this module.
LANGUAGES = (
    (
        "en",
        "council budget harbour rail timetable library volunteers weather storm orchard "
        "community school teachers market farmers bridge repair museum exhibition river "
        "survey data report residents evening plan vote station engineers the of and to in "
        "is that for on with was were said after before new old city town".split(),
        " ",
    ),
    (
        "de",
        "Stadtrat Haushalt Hafen Bahn Fahrplan Bücherei Ehrenamt Wetter Sturm Obstgarten "
        "Gemeinde Schule Lehrkräfte Markt Bauern Brücke Reparatur Museum Ausstellung Fluss "
        "Umfrage Bericht Anwohner Abend Plan Abstimmung der die das und zu im ist dass für "
        "mit war wurde sagte nach vor neue alte Straße Größe".split(),
        " ",
    ),
    (
        "fr",
        "conseil budget port train horaires bibliothèque bénévoles météo tempête verger "
        "commune école enseignants marché agriculteurs pont réparation musée exposition "
        "fleuve enquête rapport habitants soirée projet vote le la les et de dans est que "
        "pour avec était été après avant nouveau ancienne ville déjà".split(),
        " ",
    ),
    (
        "es",
        "ayuntamiento presupuesto puerto tren horarios biblioteca voluntarios tiempo "
        "tormenta huerto comunidad escuela docentes mercado agricultores puente reparación "
        "museo exposición río encuesta informe vecinos tarde plan votación el la los las y "
        "de en es que para con fue según después antes nuevo años".split(),
        " ",
    ),
    (
        "pt",
        "câmara orçamento porto comboio horário biblioteca voluntários tempo tempestade "
        "pomar comunidade escola professores mercado agricultores ponte reparação museu "
        "exposição rio inquérito relatório moradores noite plano votação o a os e de em é "
        "que para com foi depois antes novo cidade não".split(),
        " ",
    ),
    (
        "ru",
        "совет бюджет порт поезд расписание библиотека волонтёры погода шторм сад община "
        "школа учителя рынок фермеры мост ремонт музей выставка река опрос отчёт жители "
        "вечер план голосование и в на что для с было после до новый город жителей".split(),
        " ",
    ),
    (
        "ja",
        "市議会 予算 港 鉄道 時刻表 図書館 ボランティア 天気 台風 果樹園 地域 学校 先生 市場 "
        "農家 橋 修理 博物館 展示 川 調査 報告 住民 夜 計画 投票 は が を に で と も".split(),
        "",
    ),
)
STOPS = {"en": ".", "de": ".", "fr": ".", "es": ".", "pt": ".", "ru": ".", "ja": "。"}


class Writer:
    """Sentences and HTML blocks in one language, from a seeded generator."""

    def __init__(self, rng: random.Random, lang: int, host: str, feed: int) -> None:
        self.rng = rng
        self.code, self.words, self.joiner = LANGUAGES[lang]
        self.host = host
        self.feed = feed

    def sentence(self, low: int = 7, high: int = 16) -> str:
        words = [self.rng.choice(self.words) for _ in range(self.rng.randint(low, high))]
        text = self.joiner.join(words)
        return text[:1].upper() + text[1:] + STOPS[self.code]

    def inline(self) -> str:
        """A sentence with some inline markup: emphasis, a link, code."""
        text = escape(self.sentence())
        pick = self.rng.random()
        if pick < 0.25:
            page = f"{self.host}/page/{self.feed}/{self.rng.randrange(30)}.html"
            word = escape(self.rng.choice(self.words))
            return f'{text} <a href="{page}" rel="noopener">{word}</a>'
        if pick < 0.4:
            return f"<strong>{text}</strong>"
        if pick < 0.5:
            return f"<em>{text}</em>"
        if pick < 0.55:
            return f"{text} <code>{self.rng.choice(self.words)}_{self.rng.randrange(99)}</code>"
        return text

    def block(self) -> str:
        pick = self.rng.random()
        if pick < 0.08:
            return f"<h2>{escape(self.sentence(3, 6))}</h2>"
        if pick < 0.16:
            cite = f"{self.host}/people/{self.rng.randrange(500)}"
            return f'<blockquote cite="{cite}"><p>{self.inline()}</p></blockquote>'
        if pick < 0.26:
            return self.figure()
        if pick < 0.34:
            tag = self.rng.choice(("ul", "ol"))
            items = "".join(f"<li>{self.inline()}</li>" for _ in range(self.rng.randint(2, 5)))
            return f"<{tag}>{items}</{tag}>"
        if pick < 0.37:
            return self.table()
        if pick < 0.39:
            return f"<pre><code>{escape(self.sentence())}\n{escape(self.sentence())}</code></pre>"
        sentences = " ".join(self.inline() for _ in range(self.rng.randint(2, 5)))
        return f"<p>{sentences}</p>"

    def figure(self) -> str:
        number = self.rng.randrange(10_000)
        width = self.rng.choice((640, 800, 1024, 1200))
        src = f"{self.host}/media/{self.feed}/{number}.jpg"
        alt = escape(self.sentence(3, 6))
        return (
            f'<figure class="wp-block-image"><img src="{src}" alt="{alt}" width="{width}" '
            f'height="{width * 2 // 3}" loading="lazy" srcset="{src}?w=320 320w, {src} '
            f'{width}w"/><figcaption>{escape(self.sentence(4, 9))}</figcaption></figure>'
        )

    def table(self) -> str:
        head = "".join(f"<th>{escape(self.rng.choice(self.words))}</th>" for _ in range(3))
        rows = "".join(
            "<tr>" + "".join(f"<td>{self.rng.randrange(1, 999)}</td>" for _ in range(3)) + "</tr>"
            for _ in range(self.rng.randint(2, 4))
        )
        return f"<table><thead><tr>{head}</tr></thead><tbody>{rows}</tbody></table>"

    def article(self) -> str:
        """A 3-6 KB article body (measured in UTF-8 bytes)."""
        target = self.rng.randint(3000, 6000)
        parts = [f"<p>{self.inline()} {self.inline()}</p>"]
        size = len(parts[0].encode())
        while size < target:
            block = self.block()
            parts.append(block)
            size += len(block.encode())
        return "\n".join(parts)


def _iso(stamp: int) -> str:
    import datetime as dt

    return dt.datetime.fromtimestamp(stamp, dt.UTC).strftime("%Y-%m-%dT%H:%M:%S+00:00")


def _rss_item(w: Writer, title: str, link: str, stamp: int, n: int) -> str:
    enclosure = ""
    if n % 7 == 0:
        media = f"{w.host}/media/{w.feed}/{n}.mp3"
        enclosure = f'<enclosure url="{media}" length="{1000 + n}" type="audio/mpeg"/>'
    cats = "".join(
        "<category><![CDATA[" + w.rng.choice(w.words) + "]]></category>"
        for _ in range(w.rng.randint(1, 4))
    )
    return (
        f"<item><title>{title}</title><link>{link}</link>"
        f'<guid isPermaLink="true">{link}</guid>'
        f"<pubDate>{email.utils.formatdate(stamp, usegmt=True)}</pubDate>"
        f"<dc:creator><![CDATA[{w.rng.choice(w.words)} {w.rng.choice(w.words)}]]></dc:creator>"
        f"{cats}<description><![CDATA[<p>{escape(w.sentence())} […]</p>]]></description>"
        f"<content:encoded><![CDATA[{w.article()}]]></content:encoded>{enclosure}"
        f"<comments>{link}#comments</comments></item>"
    )


def _atom_entry(w: Writer, title: str, link: str, stamp: int, n: int) -> str:
    iso = _iso(stamp)
    body = w.article()
    if n % 3 == 0:  # inline XHTML: the body must be well-formed XML, which ours is
        xhtml = "http://www.w3.org/1999/xhtml"
        content = f'<content type="xhtml"><div xmlns="{xhtml}">{body}</div></content>'
    else:
        content = f'<content type="html">{escape(body)}</content>'
    cats = "".join(f'<category term="{escape(w.rng.choice(w.words))}"/>' for _ in range(2))
    return (
        f'<entry><title type="html">{title}</title><link rel="alternate" type="text/html" '
        f'href="{link}"/><id>tag:{w.host[7:]},2023:{w.feed}/{n}</id><updated>{iso}</updated>'
        f"<published>{iso}</published><author><name>{escape(w.rng.choice(w.words))}</name>"
        f"</author>{cats}<summary>{escape(w.sentence())}</summary>{content}</entry>"
    )


def build_feed(feed: int, host: str, items: int = 30) -> tuple[bytes, str]:
    """Feed number ``feed`` and its content type; every third feed is Atom."""
    rng = random.Random(f"realistic-{feed}")
    lang = feed % len(LANGUAGES)
    w = Writer(rng, lang, host, feed)
    atom = feed % 3 == 1
    name = escape(w.sentence(2, 4).rstrip(".。"))
    entries = []
    for n in range(items):
        stamp = BASE_DATE - (feed * 7 + n) * 3600 - rng.randrange(3600)
        link = f"{host}/{feed}/{2023 - n // 12}/{n}/{quote(rng.choice(w.words))}-{n}/"
        title = escape(w.sentence(4, 9).rstrip(".。"))
        entries.append((_atom_entry if atom else _rss_item)(w, title, link, stamp, n))
    code = w.code
    if atom:
        doc = (
            '<?xml version="1.0" encoding="utf-8"?>\n'
            f'<feed xmlns="http://www.w3.org/2005/Atom" xml:lang="{code}">'
            f'<title>{name}</title><link rel="alternate" href="{host}/"/>'
            f'<link rel="self" href="{host}/feed/{feed}.xml"/><id>tag:{host[7:]},2023:{feed}</id>'
            f"<updated>{_iso(BASE_DATE)}</updated><generator>bench</generator>"
            f"{''.join(entries)}</feed>"
        )
        return doc.encode("utf-8"), "application/atom+xml"
    doc = (
        '<?xml version="1.0" encoding="UTF-8"?>\n<rss version="2.0" '
        'xmlns:content="http://purl.org/rss/1.0/modules/content/" '
        'xmlns:dc="http://purl.org/dc/elements/1.1/" xmlns:atom="http://www.w3.org/2005/Atom">'
        f"<channel><title>{name}</title><link>{host}/</link>"
        f'<atom:link href="{host}/feed/{feed}.xml" rel="self" type="application/rss+xml"/>'
        f"<description>{escape(w.sentence())}</description><language>{code}</language>"
        f"<generator>https://wordpress.org/?v=6.4</generator>{''.join(entries)}</channel></rss>"
    )
    return doc.encode("utf-8"), "application/rss+xml"


def page_html(feed: int, item: str, host: str) -> str:
    """The item's own web page, for page prefetch."""
    rng = random.Random(f"realistic-page-{feed}/{item}")
    w = Writer(rng, feed % len(LANGUAGES), host, feed)
    return (
        f'<!doctype html><html lang="{w.code}"><head><meta charset="utf-8">'
        f"<title>{escape(w.sentence(3, 6))}</title></head><body><header><nav>"
        + "".join(f'<a href="{host}/c/{k}">{escape(w.rng.choice(w.words))}</a>' for k in range(8))
        + f"</nav></header><main><article><h1>{escape(w.sentence(3, 6))}</h1>{w.article()}"
        f"</article></main><footer>{escape(w.sentence())}</footer></body></html>"
    )
