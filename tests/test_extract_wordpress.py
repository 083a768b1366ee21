"""extract_article on real WordPress pages (../shared/wordpress, Twenty Twenty-One theme).

The manifest says what each post page holds: title, author, date, comment
status, approved comments with their parents and the related posts block.
Other test modules may add comments meanwhile, so comments are checked as a
superset of the manifest's.
"""

from __future__ import annotations

from typing import Any

import httpx
import pytest

from reader.extract import Article, extract_article, extract_text

pytest_plugins = ("tests.wordpress",)
pytestmark = pytest.mark.wordpress


@pytest.fixture(scope="module")
def pages(wordpress: Any) -> dict[int, tuple[dict[str, Any], Article, str]]:
    out = {}
    with httpx.Client(timeout=30) as client:
        for post in wordpress["manifest"]["posts"]:
            html = client.get(post["link"]).content
            out[post["id"]] = (post, extract_article(html, post["link"]), extract_text(html))
    return out


def _plain_quotes(s: str) -> str:
    return s.replace("“", '"').replace("”", '"').replace("’", "'")


def test_metadata(wordpress: Any, pages: dict) -> None:
    users = {u["id"]: u["name"] for u in wordpress["manifest"]["users"]}
    for post, article, _text in pages.values():
        assert article.ok, post["id"]
        assert _plain_quotes(article.title or "") == _plain_quotes(post["title"])
        assert article.author == users[post["author"]]
        assert (article.published or "").startswith(post["date"].replace(" ", "T"))
        assert article.site_name
        assert article.language == "en-US"


def test_comment_forms(pages: dict) -> None:
    for post, article, _text in pages.values():
        form = article.comment_form
        if post["comment_status"] != "open":
            assert form is None, post["id"]
            continue
        assert form is not None, post["id"]
        assert form.action.endswith("/wp-comments-post.php")
        assert form.method == "post"
        assert form.fields["comment_post_ID"] == str(post["id"])
        assert form.fields["comment_parent"] == "0"
        assert set(form.required) == {"comment", "author", "email"}
        assert form.blocked_reason is None


def test_threaded_comments(wordpress: Any, pages: dict) -> None:
    for post, article, _text in pages.values():
        expected = [
            (str(c["id"]), str(c["parent"]) if c["parent"] else None, c["author"])
            for c in wordpress["manifest"]["comments"]
            if c["post"] == post["id"] and c["approved"]
        ]
        got = [(c.id, c.parent, c.author) for c in article.comments]
        assert [g for g in got if g in expected] == expected, post["id"]
        assert all(c.text for c in article.comments)


def test_related_block(pages: dict) -> None:
    links = {post["id"]: post["link"] for post, _a, _t in pages.values()}
    for post, article, _text in pages.values():
        assert [r.url for r in article.related] == [links[i] for i in post["related_posts"]]


def test_body_is_the_post_only(pages: dict) -> None:
    for post, article, text in pages.values():
        for junk in (
            "Related posts",
            "Leave a Reply",
            "Leave a comment",
            "Categorized as",
            "View all of",
            "Skip to content",
            "Proudly powered",
        ):
            assert junk not in article.markdown, (post["id"], junk)
            assert junk not in text, (post["id"], junk)
        assert len(text.split()) > 80, post["id"]
