"""Content checks for the bundled offline demo site (src/reader/demo/site)."""

from __future__ import annotations

import itertools
import json
import re
import xml.etree.ElementTree as ET
from collections import deque
from email.utils import parsedate_to_datetime
from html.parser import HTMLParser

import feedparser
import pytest
from bs4 import BeautifulSoup

from reader.demo import (
    DEMO_FEED_URL,
    DEMO_SITE_URL,
    demo_feed_xml,
    demo_page,
    demo_pages,
)

PAGES = demo_pages()
URLS = sorted(PAGES)
SOUPS = {url: BeautifulSoup(raw.decode("utf-8"), "html.parser") for url, raw in PAGES.items()}
POST_URL = re.compile(r"^https://demo\.reader\.invalid/2026/(0[1-9]|1[01])/[a-z0-9-]+/$")

NS = {
    "content": "http://purl.org/rss/1.0/modules/content/",
    "dc": "http://purl.org/dc/elements/1.1/",
    "wfw": "http://wellformedweb.org/CommentAPI/",
    "slash": "http://purl.org/rss/1.0/modules/slash/",
    "atom": "http://www.w3.org/2005/Atom",
}

RELATED_SELECTORS = {
    "jetpack": "div#jp-relatedposts.jp-relatedposts",
    "section": "section.related-posts",
    "yarpp": "div.yarpp.yarpp-related",
    "german": "div.aehnliche-beitraege",
    "french": "aside.articles-similaires",
}
RELATED_HEADINGS = ("Related", "Related Posts", "Ähnliche Beiträge", "Articles similaires")


def _norm(url: str) -> str:
    url = url.split("#", 1)[0]
    return url if url.endswith("/") else url + "/"


def related_block(soup: BeautifulSoup):
    for selector in RELATED_SELECTORS.values():
        block = soup.select_one(selector)
        if block is not None:
            return block
    return None


def related_links(url: str) -> list[str]:
    block = related_block(SOUPS[url])
    assert block is not None, f"{url}: no related-posts block"
    links: list[str] = []
    for a in block.select("a[href]"):
        href = _norm(a["href"])
        if href not in links:
            links.append(href)
    return links


def body(url: str):
    content = SOUPS[url].select_one("article.post div.entry-content")
    assert content is not None, f"{url}: no div.entry-content"
    return content


def body_text(url: str) -> str:
    content = body(url)
    clone = BeautifulSoup(str(content), "html.parser")
    for script in clone.find_all("script"):
        script.decompose()
    return clone.get_text(" ")


ALL_TEXT = "\n".join(body_text(u) for u in URLS)
ALL_RAW_FILES = "\n".join(raw.decode("utf-8") for raw in PAGES.values())


# --------------------------------------------------------------------------- loader


def test_constants_and_loader():
    assert DEMO_SITE_URL == "https://demo.reader.invalid/"
    assert DEMO_FEED_URL == "https://demo.reader.invalid/feed/"
    assert len(PAGES) >= 12
    for url, raw in PAGES.items():
        assert POST_URL.match(url), url
        assert isinstance(raw, bytes)
        assert demo_page(url) == raw
        assert demo_page(url.rstrip("/")) == raw
        assert demo_page(url + "#comments") == raw
    assert demo_page("https://demo.reader.invalid/2026/01/no-such-post/") is None
    assert demo_page("https://example.com/2026/01/no-such-post/") is None
    demo_pages().clear()  # callers get a copy
    assert len(demo_pages()) == len(PAGES)


def test_dates_spread_over_2026():
    months = set()
    for url, soup in SOUPS.items():
        stamp = soup.select_one("time.entry-date.published")["datetime"]
        assert stamp.startswith("2026-"), stamp
        month = stamp[5:7]
        assert f"/2026/{month}/" in url, (url, stamp)
        months.add(month)
    assert len(months) >= 8
    assert min(months) == "01" and max(months) == "11"


def test_authors_are_varied():
    authors = {
        s.select_one("span.byline .author.vcard a.url.fn.n").get_text() for s in SOUPS.values()
    }
    assert len(authors) >= 4


# --------------------------------------------------------------------------- per page


class _BalanceChecker(HTMLParser):
    VOID = frozenset("area base br col embed hr img input link meta source track wbr".split())

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.stack: list[tuple[str, tuple[int, int]]] = []
        self.errors: list[str] = []

    def handle_starttag(self, tag, attrs):
        if tag not in self.VOID:
            self.stack.append((tag, self.getpos()))

    def handle_startendtag(self, tag, attrs):
        if tag not in self.VOID:
            self.errors.append(f"self-closing non-void <{tag}/> at {self.getpos()}")

    def handle_endtag(self, tag):
        if tag in self.VOID:
            self.errors.append(f"end tag for void </{tag}> at {self.getpos()}")
            return
        if not self.stack or self.stack[-1][0] != tag:
            top = self.stack[-1] if self.stack else None
            self.errors.append(f"</{tag}> at {self.getpos()} but open is {top}")
            return
        self.stack.pop()


@pytest.mark.parametrize("url", URLS)
def test_page_is_well_formed_html5(url):
    text = PAGES[url].decode("utf-8")
    assert text.startswith("<!doctype html>")
    checker = _BalanceChecker()
    checker.feed(text)
    checker.close()
    assert not checker.errors, checker.errors[:5]
    assert not checker.stack, checker.stack
    soup = SOUPS[url]
    assert soup.find("meta", charset="utf-8") is not None
    ids = [el["id"] for el in soup.find_all(id=True)]
    assert len(ids) == len(set(ids)), "duplicate ids"


@pytest.mark.parametrize("url", URLS)
def test_page_head(url):
    soup = SOUPS[url]
    assert soup.html["lang"][:2] in {"en", "de", "fr"}
    title = soup.title.get_text()
    assert title.endswith("– Reader Demo")
    assert soup.find("link", rel="canonical")["href"] == url

    def meta(prop: str) -> str:
        tag = soup.find("meta", property=prop)
        assert tag is not None, prop
        return tag["content"]

    assert meta("og:type") == "article"
    assert meta("og:site_name") == "Reader Demo"
    assert meta("og:url") == url
    h1 = soup.select_one("article.post h1.entry-title").get_text()
    assert meta("og:title") == h1
    published = meta("article:published_time")
    assert soup.select_one("time.entry-date.published")["datetime"] == published

    feeds = soup.find_all("link", rel="alternate", type="application/rss+xml")
    assert DEMO_FEED_URL in [f["href"] for f in feeds]
    assert soup.find("link", rel="https://api.w.org/")["href"] == DEMO_SITE_URL + "wp-json/"

    ld = json.loads(soup.find("script", type="application/ld+json").string)
    nodes = ld.get("@graph", [ld])
    articles = [n for n in nodes if n.get("@type") in {"NewsArticle", "BlogPosting"}]
    assert len(articles) == 1
    art = articles[0]
    assert art["headline"] == h1
    assert art["author"]["name"] == soup.select_one("span.byline a.url.fn.n").get_text()
    assert art["datePublished"] == published
    assert art["dateModified"] >= published


@pytest.mark.parametrize("url", URLS)
def test_page_article_parts(url):
    soup = SOUPS[url]
    h1 = soup.select_one("article.post h1.entry-title").get_text()

    crumbs = soup.select_one("nav.breadcrumbs")
    assert crumbs is not None
    crumb_text = crumbs.get_text()
    assert "»" in crumb_text
    assert crumb_text.split("»")[0].strip() == "Home"
    assert crumb_text.split("»")[-1].strip() == h1
    assert crumbs.find("a")["href"] == DEMO_SITE_URL

    byline = soup.select_one("article.post span.byline span.author.vcard a.url.fn.n")
    assert byline is not None and byline.get_text().strip()
    stamp = soup.select_one("article.post time.entry-date.published[datetime]")
    assert stamp is not None and stamp.get_text().strip()

    words = len(body_text(url).split())
    assert 350 <= words <= 900, words
    assert len(body(url).find_all("p")) >= 6


@pytest.mark.parametrize("url", URLS)
def test_page_related_block(url):
    links = related_links(url)
    assert 3 <= len(links) <= 5, links
    for link in links:
        assert link in PAGES, f"{url}: related link {link} is not a demo post"
        assert link != url
    # the block sits after the content, outside it
    soup = SOUPS[url]
    block = related_block(soup)
    assert block.find_parent("div", class_="entry-content") is None
    heading = block.find(["h2", "h3"])
    assert any(h in heading.get_text() for h in RELATED_HEADINGS), heading


@pytest.mark.parametrize("url", URLS)
def test_page_comment_form(url):
    soup = SOUPS[url]
    respond = soup.select_one("div#respond")
    assert respond is not None
    assert respond.select_one("h3#reply-title").get_text().startswith("Leave a Comment")
    form = respond.select_one("form#commentform")
    assert form["action"] == "https://demo.reader.invalid/wp-comments-post.php"
    assert form["method"] == "post"
    textarea = form.select_one("textarea[name=comment]")
    assert textarea is not None and textarea.has_attr("required")
    assert form.select_one("input[name=author]") is not None
    email = form.select_one("input[name=email]")
    assert email is not None and email.has_attr("required")
    assert form.select_one("input[name=url]") is not None
    post_id = form.select_one("input[type=hidden][name=comment_post_ID]")
    assert post_id is not None
    assert f"postid-{post_id['value']}" in soup.body["class"]
    assert soup.select_one(f"article#post-{post_id['value']}") is not None
    parent = form.select_one("input[type=hidden][name=comment_parent]")
    assert parent is not None and parent["value"] == "0"


@pytest.mark.parametrize("url", URLS)
def test_page_has_noise_to_drop(url):
    soup = SOUPS[url]
    assert soup.select_one("header#masthead .site-title a") is not None
    assert soup.select("nav#site-navigation li.menu-item a")
    assert soup.select_one("aside.widget-area .widget_recent_entries") is not None
    assert soup.select_one("aside.widget-area .widget_categories") is not None
    assert soup.select_one("aside.widget-area .widget_archive") is not None
    assert soup.select_one(".sharedaddy .sd-social") is not None
    assert soup.select_one("#cookie-notice") is not None
    assert soup.select_one("footer#colophon") is not None


def test_comment_threads():
    with_comments = 0
    nested = 0
    for soup in SOUPS.values():
        clist = soup.select_one("#comments ol.comment-list")
        if clist is None:
            continue
        with_comments += 1
        items = clist.select("li.comment")
        assert items
        for li in items:
            assert re.fullmatch(r"comment-\d+", li["id"])
            assert li.select_one(".comment-author .fn").get_text().strip()
            assert li.select_one("time[datetime]")["datetime"].startswith("2026-")
            assert li.select_one(".comment-content").get_text().strip()
        if clist.select("ol.children li.comment"):
            nested += 1
    assert with_comments >= 5
    assert nested >= 4
    assert with_comments < len(SOUPS), "some posts should have no comments"


# --------------------------------------------------------------------------- feed


def test_feed_is_wordpress_rss():
    raw = demo_feed_xml()
    root = ET.fromstring(raw)
    assert root.tag == "rss" and root.get("version") == "2.0"
    channel = root.find("channel")
    assert channel.findtext("title").startswith("Reader Demo — ")
    assert channel.findtext("link") == DEMO_SITE_URL
    assert channel.findtext("description")
    assert channel.findtext("language")
    assert channel.find("atom:link", NS).get("href") == DEMO_FEED_URL

    items = channel.findall("item")
    links = [item.findtext("link") for item in items]
    assert sorted(links) == URLS, "feed must list every demo page exactly once"
    dates = [parsedate_to_datetime(item.findtext("pubDate")) for item in items]
    assert dates == sorted(dates, reverse=True), "newest first"

    for item, date in zip(items, dates, strict=True):
        url = item.findtext("link")
        soup = SOUPS[url]
        assert item.findtext("title") == soup.select_one("h1.entry-title").get_text()
        guid = item.find("guid")
        assert guid.get("isPermaLink") == "false" and guid.text.startswith(DEMO_SITE_URL + "?p=")
        assert (
            item.findtext("dc:creator", namespaces=NS)
            == soup.select_one("span.byline a.url.fn.n").get_text()
        )
        assert item.findall("category")
        assert item.findtext("description").strip().endswith("[&#8230;]")
        published = soup.select_one("time.entry-date.published")["datetime"]
        assert date.isoformat() == published
        encoded = item.findtext("content:encoded", namespaces=NS)
        assert (
            BeautifulSoup(encoded, "html.parser").get_text(" ").split()
            == BeautifulSoup(str(body(url)), "html.parser").select_one("div").get_text(" ").split()
        )
        assert item.findtext("wfw:commentRss", namespaces=NS) == url + "feed/"
        assert int(item.findtext("slash:comments", namespaces=NS)) == len(
            soup.select("ol.comment-list li.comment")
        )


def test_feed_parses_with_feedparser():
    parsed = feedparser.parse(demo_feed_xml())
    assert not parsed.bozo, parsed.get("bozo_exception")
    assert parsed.feed.title.startswith("Reader Demo")
    assert len(parsed.entries) == len(PAGES)
    for entry in parsed.entries:
        assert entry.link in PAGES
        assert entry.author
        assert entry.published_parsed.tm_year == 2026
        assert entry.content[0].value


# --------------------------------------------------------------------------- set-wide


def test_three_languages():
    langs: dict[str, int] = {}
    for soup in SOUPS.values():
        lang = soup.html["lang"][:2]
        langs[lang] = langs.get(lang, 0) + 1
    assert set(langs) == {"en", "de", "fr"}
    assert langs["en"] >= 5 and langs["de"] >= 3 and langs["fr"] >= 3


QUOTE_PATTERNS = {
    "english double “…”": r"“[^“”„]{2,300}”",
    "english single ‘…’": r"‘[^‘’]{2,200}’",
    "german „…“": r"„[^„“”]{2,300}“",
    "german single ‚…‘": r"‚[^‚‘]{2,200}‘",
    "french «\u00a0…\u00a0»": r"«\u00a0[^«»]{2,300}\u00a0»",
    "french «\u202f…\u202f»": r"«\u202f[^«»]{2,300}\u202f»",
    "german guillemets »…«": r"»[^«»]{2,300}«",
    'straight "…"': r'"[^"\n]{2,200}"',
    "nested ‘…’ in “…”": r"“[^”]*‘[^’]+’[^”]*”",
    "nested ‚…‘ in „…“": r"„[^“]*‚[^‘]+‘[^“]*“",
    "nested “…” in «…»": r"«[^»]*“[^”]+”[^»]*»",
    "apostrophe": r"[A-Za-zÀ-ÿ]’[A-Za-zÀ-ÿ]",
    "malformed “…„": r"“[^“”„]{2,300}„",
}


@pytest.mark.parametrize("name", sorted(QUOTE_PATTERNS))
def test_quote_style_present(name):
    assert re.search(QUOTE_PATTERNS[name], ALL_TEXT), name


def test_unclosed_quote_at_paragraph_end():
    unclosed = []
    for url in URLS:
        for p in body(url).find_all("p", recursive=False):
            text = p.get_text()
            for open_, close in (("“", "”"), ("«", "»"), ("„", "“")):
                last_open = text.rfind(open_)
                if last_open != -1 and close not in text[last_open + 1 :]:
                    unclosed.append((url, text[:40]))
    assert unclosed


def test_typographic_entities_are_used_too():
    for entity in ("&#8220;", "&#8221;", "&#8222;", "&#171;", "&#187;"):
        assert entity in ALL_RAW_FILES, entity
    # ...but mostly the real characters
    for char in "“”‘’„‚«»":
        assert ALL_RAW_FILES.count(char) > ALL_RAW_FILES.count(f"&#{ord(char)};"), char


def test_block_quotes_and_pullquotes():
    quotes = [u for u in URLS if body(u).select("blockquote.wp-block-quote cite")]
    assert len(quotes) >= len(URLS) - 2
    pull = [u for u in URLS if body(u).select("figure.wp-block-pullquote blockquote")]
    assert len(pull) >= 3


def test_embeds():
    kinds = {
        "twitter": "blockquote.twitter-tweet a[href*='/status/']",
        "mastodon": "blockquote.mastodon-embed",
        "instagram": "blockquote.instagram-media",
    }
    found = {k: [u for u in URLS if body(u).select(sel)] for k, sel in kinds.items()}
    assert all(found.values()), found
    assert sum(len(v) for v in found.values()) >= 6


def test_structure_variety():
    assert sum(bool(body(u).select("h2")) for u in URLS) >= 10
    assert sum(bool(body(u).select("ul, ol")) for u in URLS) >= 3
    assert sum(bool(body(u).select("figure table")) for u in URLS) >= 2
    assert sum(bool(body(u).select("figure figcaption")) for u in URLS) >= 4


def test_body_links_to_other_demo_posts():
    linking = 0
    for url in URLS:
        hrefs = {_norm(a["href"]) for a in body(url).select("a[href^='https://demo.reader']")}
        for href in hrefs:
            assert href in PAGES and href != url, href
        linking += bool(hrefs)
    assert linking >= 10


def test_related_markup_variety():
    kinds = {
        kind
        for kind, selector in RELATED_SELECTORS.items()
        for s in SOUPS.values()
        if s.select_one(selector)
    }
    assert kinds == set(RELATED_SELECTORS)
    assert any(s.select(".jp-relatedposts-post") for s in SOUPS.values())
    headings = " ".join(related_block(s).get_text(" ") for s in SOUPS.values())
    for heading in ("Related Posts", "Ähnliche Beiträge", "Articles similaires"):
        assert heading in headings


def _graph() -> dict[str, list[str]]:
    return {url: related_links(url) for url in URLS}


def test_related_graph_is_connected():
    graph = _graph()
    for start in URLS:
        seen = {start}
        queue = deque([start])
        while queue:
            for nxt in graph[queue.popleft()]:
                if nxt not in seen:
                    seen.add(nxt)
                    queue.append(nxt)
        assert seen == set(URLS), f"not everything reachable from {start}"


def test_trail_of_ten_distinct_posts():
    graph = _graph()

    def longest_from(path: list[str], target: int) -> list[str]:
        if len(path) >= target:
            return path
        best = path
        for nxt in graph[path[-1]]:
            if nxt not in path:
                found = longest_from([*path, nxt], target)
                if len(found) >= target:
                    return found
                best = max(best, found, key=len)
        return best

    trail = longest_from([URLS[0]], 11)
    assert len(trail) >= 11, trail  # 11 distinct posts = 10 steps
    assert len(set(trail)) == len(trail)
    # the trail really is walkable link by link
    for a, b in itertools.pairwise(trail):
        assert b in graph[a]
