"""What the comment code needs from an article page: its form, its API link, its post id, its list.

``reader.extract`` owns general page extraction; this module asks it for the comment form and
comment list when it can, and otherwise reads them itself. It also reads what extraction does not
care about but sending does: the WordPress REST root (``<link rel="https://api.w.org/">`` or the
``Link`` header), the post id, and the per-post comment feed.

lxml is imported lazily so importing ``reader.comments`` stays cheap.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import parse_qs, urljoin, urlsplit

from reader.extract.model import Comment, CommentForm
from reader.sanitize import clean_text

API_REL = "https://api.w.org/"

_CAPTCHA_MARKERS = (
    ("g-recaptcha", "a reCAPTCHA"),
    ("h-captcha", "an hCaptcha"),
    ("cf-turnstile", "a Cloudflare Turnstile check"),
    ("frc-captcha", "a Friendly Captcha"),
    ("captcha", "a captcha"),
)
_LINK_HEADER_RE = re.compile(r"<([^>]*)>\s*;([^,]*(?:,(?!\s*<)[^,]*)*)")
_POSTID_CLASS_RE = re.compile(r"\bpostid-(\d+)\b")
_POSTS_ROUTE_RE = re.compile(r"/wp/v2/posts/(\d+)")


@dataclass(frozen=True)
class PageInfo:
    """The comment-related facts of one article page."""

    url: str
    form: CommentForm | None = None
    api_root: str | None = None
    post_id: int | None = None
    comment_feed: str | None = None
    comments: list[Comment] = field(default_factory=list)
    comments_open: bool = True
    login_required: bool = False


def origin(url: str) -> str:
    """``scheme://host[:port]`` in lower case: what "the same site" means for sending."""
    parts = urlsplit(url)
    return f"{parts.scheme}://{parts.netloc}".lower()


def _doc(html: str | bytes, url: str) -> Any:
    import lxml.html

    if isinstance(html, bytes):
        from reader.extract.decode import decode_html

        html = decode_html(html)
    # lxml refuses str input that carries an XML encoding declaration
    html = re.sub(r"^\s*<\?xml[^>]*>", "", html)
    doc = lxml.html.document_fromstring(html or "<html></html>")
    doc.make_links_absolute(url, resolve_base_href=True, handle_failures="discard")
    return doc


def api_root_from_link_header(value: str | None, base: str) -> str | None:
    """The REST root announced in a ``Link: <...>; rel="https://api.w.org/"`` header."""
    for match in _LINK_HEADER_RE.finditer(value or ""):
        if f'rel="{API_REL}"' in match.group(2) or f"rel={API_REL}" in match.group(2):
            return urljoin(base, match.group(1).strip())
    return None


def read_page(html: str | bytes, url: str, *, link_header: str | None = None) -> PageInfo:
    """Parse an article page for everything sending and threading need."""
    doc = _doc(html, url)
    form, comments = _from_extract(html, url)
    if form is None:
        form = _form(doc, url)
    if not comments:
        comments = _comment_list(doc)
    api_root = api_root_from_link_header(link_header, url)
    post_id: int | None = None
    comment_feed: str | None = None
    for link in doc.iter("link"):
        rel = (link.get("rel") or "").strip()
        href = link.get("href")
        if not href:
            continue
        if rel == API_REL and api_root is None:
            api_root = href
        elif rel == "alternate" and link.get("type") == "application/json":
            match = _POSTS_ROUTE_RE.search(href)
            if match and post_id is None:
                post_id = int(match.group(1))
        elif rel == "shortlink" and post_id is None:
            values = parse_qs(urlsplit(href).query).get("p")
            if values and values[0].isdigit():
                post_id = int(values[0])
        elif (
            rel == "alternate" and "rss" in (link.get("type") or "") and _same_path_feed(href, url)
        ):
            comment_feed = href
    if form is not None and form.fields.get("comment_post_ID", "").isdigit():
        post_id = int(form.fields["comment_post_ID"])
    if post_id is None:
        body = doc.find("body")
        match = _POSTID_CLASS_RE.search(body.get("class") or "") if body is not None else None
        if match:
            post_id = int(match.group(1))
    closed = form is None and bool(doc.xpath("//*[contains(@class, 'no-comments')]"))
    # "You must be logged in to post a comment": the REST API must not be used to get around it
    must_log_in = form is None and bool(doc.xpath("//*[contains(@class, 'must-log-in')]"))
    return PageInfo(
        url=url,
        form=form,
        api_root=api_root,
        post_id=post_id,
        comment_feed=comment_feed,
        comments=comments,
        comments_open=not closed,
        login_required=must_log_in,
    )


def _same_path_feed(href: str, url: str) -> bool:
    """True for the article's own comment feed (``<post link>feed/``), not the site's feeds."""
    path = urlsplit(url).path.rstrip("/")
    return bool(path) and urlsplit(href).path.rstrip("/") == f"{path}/feed"


def _from_extract(html: str | bytes, url: str) -> tuple[CommentForm | None, list[Comment]]:
    """Ask ``reader.extract`` first: one extractor for the whole app when it is available."""
    try:
        from reader.extract import extract_article  # type: ignore[attr-defined]
    except ImportError:
        return None, []
    try:
        article = extract_article(html, url)
    except Exception:  # a bug there must not block sending: we parse the page ourselves
        return None, []
    return article.comment_form, list(article.comments)


def _form(doc: Any, url: str) -> CommentForm | None:
    """The page's comment form (WordPress ``#commentform`` or any form with a comment box)."""
    forms = doc.xpath(
        "//form[@id='commentform' or contains(@action, 'wp-comments-post.php')"
        " or .//textarea[@name='comment']]"
    )
    if not forms:
        return None
    form = forms[0]
    fields: dict[str, str] = {}
    required: list[str] = []
    for element in form.xpath(".//input|.//textarea|.//select"):
        name = element.get("name")
        kind = (element.get("type") or "").lower()
        if not name or kind in ("submit", "button", "image", "reset", "file"):
            continue
        if kind in ("checkbox", "radio") and element.get("checked") is None:
            continue
        value = element.text_content() if element.tag == "textarea" else element.get("value")
        fields[name] = value or ""
        if element.get("required") is not None or element.get("aria-required") == "true":
            required.append(name)
    blocked = _blocked_reason(form, doc)
    return CommentForm(
        action=form.get("action") or url,
        method=(form.get("method") or "get").lower(),
        fields=fields,
        required=required,
        blocked_reason=blocked,
    )


def _blocked_reason(form: Any, doc: Any) -> str | None:
    """Why a program cannot fill this form in (captcha, login), or None."""
    import lxml.html

    markup = lxml.html.tostring(form, encoding="unicode").lower()
    for marker, name in _CAPTCHA_MARKERS:
        if marker in markup:
            return f"the form is protected by {name}; post it from a browser"
    if not form.xpath(".//textarea") and form.xpath(".//a[contains(@href, 'wp-login.php')]"):
        return "the site only accepts comments from logged-in users; post it from a browser"
    return None


def _comment_list(doc: Any) -> list[Comment]:
    """Comments of a WordPress ``ol.comment-list`` (parent from nesting)."""
    roots = doc.xpath("//ol[contains(concat(' ', @class, ' '), ' comment-list ')]")
    if not roots:
        return []
    comments: list[Comment] = []
    for item in roots[0].xpath(".//li[starts-with(@id, 'comment-')]"):
        comment_id = item.get("id", "").removeprefix("comment-")
        if not comment_id.isdigit():
            continue
        parent = item.getparent().getparent() if item.getparent() is not None else None
        parent_id = None
        if parent is not None and (parent.get("id") or "").startswith("comment-"):
            parent_id = parent.get("id").removeprefix("comment-")
        author = item.xpath(".//*[contains(@class, 'comment-author')]//*[@class='fn']")
        times = item.xpath(".//time/@datetime")
        content = item.xpath(".//*[contains(@class, 'comment-content')]")
        comments.append(
            Comment(
                id=comment_id,
                author=clean_text(author[0].text_content().strip()) if author else "",
                date=times[0] if times else None,
                text=html_element_text(content[0]) if content else "",
                parent=parent_id,
            )
        )
    return comments


def html_element_text(element: Any) -> str:
    """Readable text of a comment body: paragraphs apart, line breaks kept, quotes marked."""
    blocks: list[str] = []
    for child in element.iterchildren():
        if not isinstance(child.tag, str):
            continue
        text = _inline_text(child).strip()
        if not text:
            continue
        if child.tag == "blockquote":
            text = "\n".join(f"> {line}" if line else ">" for line in text.splitlines())
        blocks.append(text)
    if not blocks:
        blocks = [_inline_text(element).strip()]
    return clean_text("\n\n".join(block for block in blocks if block))


def _inline_text(element: Any) -> str:
    parts: list[str] = [element.text or ""]
    for child in element.iterchildren():
        if isinstance(child.tag, str):
            if child.tag == "br":
                parts.append("\n")
            elif child.tag in ("p", "li", "div"):
                parts.append("\n" + _inline_text(child).strip() + "\n")
            else:
                parts.append(_inline_text(child))
        parts.append(child.tail or "")
    return re.sub(r"\n{3,}", "\n\n", re.sub(r"[ \t]+", " ", "".join(parts)))


def html_fragment_text(markup: str) -> str:
    """Text of an HTML fragment such as a REST ``content.rendered``."""
    import lxml.html

    if not markup or not markup.strip():
        return ""
    wrapper = lxml.html.fragment_fromstring(markup, create_parent="div")
    return html_element_text(wrapper)
