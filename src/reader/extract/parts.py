"""The parts of a page around the article: breadcrumb, related block, comment
form and comment list. They are read from the untouched tree (before the
boilerplate is removed) and returned as data, so the UI can show them in their
own places instead of as clutter in the text.
"""

from __future__ import annotations

import re

from lxml import etree
from lxml.etree import _Element as HtmlElement

from reader.sanitize import clean_text, http_url

from .model import Comment, CommentForm, RelatedLink

MAX_RELATED = 50
MAX_RELATED_BLOCKS = 20  # bounds the work on hostile pages with thousands of such blocks
MAX_COMMENTS = 1000

# »›→ separate on their own; "/", "|", ">" only between spaces ("24/7" stays whole)
_SEPARATORS_RE = re.compile(r"\s*(?:»|›|→)\s*|\s+(?:/|\||>>?|::|·)\s+")
MAX_TRAIL_CHARS = 400
_HOME_TRAIL_RE = re.compile(r"^\s*(?:Home|Start|Startseite|Accueil|Inicio|Home page)\s*[»›>→|]")


def _text(el: HtmlElement) -> str:
    return " ".join(" ".join(el.itertext()).split())


def _attrs(el: HtmlElement) -> str:
    return ((el.get("class") or "") + " " + (el.get("id") or "")).lower()


# --- breadcrumb -----------------------------------------------------------------


def _crumbs_of(el: HtmlElement) -> list[str]:
    items = [_text(li) for li in el.iter("li")]
    crumbs = [c for c in items if c and not _SEPARATORS_RE.fullmatch(c)]
    if len(crumbs) < 2:  # links and text with separators: "Home » News » Title"
        crumbs = [c for c in _SEPARATORS_RE.split(_text(el)) if c]
    out: list[str] = []
    for c in crumbs:
        c = clean_text(c).strip(" »›>→|")
        if c and (not out or out[-1] != c):
            out.append(c)
    return out[:20]


def breadcrumb(root: HtmlElement, jsonld: list[str] | None = None) -> list[str]:
    """Breadcrumb trail: breadcrumb markup, then JSON-LD's, then a "Home » Title" line."""
    for el in root.iter():
        if not isinstance(el.tag, str):
            continue
        typ = (el.get("itemtype") or "").lower()
        if (
            "breadcrumb" in _attrs(el)
            or typ.endswith("breadcrumblist")
            or (el.get("aria-label") or "").lower() == "breadcrumb"
        ):
            if el.tag in ("body", "html") or len(_text(el)) > MAX_TRAIL_CHARS:
                continue  # a page-level class such as "has-breadcrumbs"
            crumbs = _crumbs_of(el)
            if len(crumbs) >= 2:
                return crumbs
    if jsonld:
        return jsonld
    for el in root.iter("p", "div", "nav", "span"):
        text = el.text or ""
        if len(text) < 200 and _HOME_TRAIL_RE.match(text):
            crumbs = _crumbs_of(el)
            if len(crumbs) >= 2:
                return crumbs
    return []


# --- related posts ----------------------------------------------------------------

_RELATED_CONTAINER_RE = re.compile(
    r"jp-relatedposts|yarpp-related|yarpp-thumbnails|crp_related|related-posts|relatedposts|"
    r"related_posts|wp-block-related|related-articles|post-related|rp4wp|jetpack-related",
)
_RELATED_HEADING_RE = re.compile(
    r"^\s*(?:related posts?|related articles?|related stories|related|more like this|"
    r"you may also like|you might also like|ähnliche beiträge|ähnliche artikel|"
    r"verwandte beiträge|verwandte artikel|das könnte sie auch interessieren|"
    r"articles similaires|articles connexes|à lire aussi|vous aimerez aussi|"
    r"artículos relacionados|entradas relacionadas|publicaciones relacionadas|"
    r"te puede interesar|articoli correlati|post correlati|gerelateerde berichten)\s*:?\s*$",
    re.I,
)


_HEADING_LIKE_TAGS = ("h2", "h3", "h4", "h5", "h6", "p", "strong", "span", "div", "b", "em")


def _is_related_heading(el: HtmlElement) -> bool:
    """A short label such as "Related posts:" (cheap checks first: most text is long)."""
    own = el.text or ""
    if len(own) > 60:
        return False
    text = _text(el)
    return len(text) <= 60 and _RELATED_HEADING_RE.match(text) is not None


def _links_in(el: HtmlElement, page: str | None, base: str | None) -> list[RelatedLink]:
    out: list[RelatedLink] = []
    for a in el.iter("a"):
        url = http_url(a.get("href"), base)
        if not url or url.startswith("#"):
            continue
        if page and url.split("#", 1)[0].rstrip("/") == page.split("#", 1)[0].rstrip("/"):
            continue
        title = _text(a) or (a.get("title") or "").strip()
        if not title:
            img = a.find(".//img")
            title = (img.get("alt") or "").strip() if img is not None else ""
        if title:
            out.append(RelatedLink(clean_text(title), url))
    return out


def related(root: HtmlElement, page: str | None, base: str | None) -> list[RelatedLink]:
    """Links of the page's related-posts blocks (plugins, themes, core blocks)."""
    blocks: list[HtmlElement] = []
    for el in root.iter(etree.Element):
        if len(blocks) >= MAX_RELATED_BLOCKS:
            break
        if (el.get("class") or el.get("id")) and _RELATED_CONTAINER_RE.search(_attrs(el)):
            if not any(b in el.iterancestors() for b in blocks):
                blocks.append(el)
        elif (
            el.tag in _HEADING_LIKE_TAGS
            and len(el) <= 2
            and (el.tag != "div" or not len(el))
            and _is_related_heading(el)
        ):
            # a theme block: heading then a list, or heading inside a wrapper
            nxt = el.getnext()
            target = nxt if nxt is not None and nxt.find(".//a") is not None else el.getparent()
            if target is not None and target.tag not in ("body", "html"):
                if not any(b is target or b in target.iterancestors() for b in blocks):
                    blocks.append(target)
    seen: dict[str, RelatedLink] = {}
    for block in blocks:
        for link in _links_in(block, page, base):
            if link.url not in seen:
                seen[link.url] = link
            elif len(link.title) > len(seen[link.url].title):
                seen[link.url] = link  # prefer the headline over "Read more"
            if len(seen) >= MAX_RELATED:
                break
    return list(seen.values())[:MAX_RELATED]


# --- comment form ------------------------------------------------------------------

_CAPTCHA_MARKERS = (
    ("g-recaptcha", "reCAPTCHA"),
    ("recaptcha", "reCAPTCHA"),
    ("h-captcha", "hCaptcha"),
    ("hcaptcha", "hCaptcha"),
    ("cf-turnstile", "Cloudflare Turnstile"),
    ("turnstile", "Cloudflare Turnstile"),
    ("frc-captcha", "Friendly Captcha"),
)
_LOGIN_RE = re.compile(
    r"must be (?:<[^>]*>)?\s*logged in|logged in to (?:post|comment|reply)|"
    r"log in to (?:post|leave) a comment|anmelden, um (?:einen )?kommentar|"
    r"angemeldet sein, um|connecté pour (?:publier|poster)|"
    r"iniciar sesión para (?:publicar|comentar)",
    re.I,
)


def _is_comment_form(form: HtmlElement) -> bool:
    if form.get("id") == "commentform":
        return True
    if (form.get("action") or "").split("?", 1)[0].endswith("wp-comments-post.php"):
        return True
    return any("comment" in (t.get("name") or "").lower() for t in form.iter("textarea"))


def _captcha(form: HtmlElement, root: HtmlElement) -> str | None:
    for el in form.iter():
        if not isinstance(el.tag, str):
            continue
        text = _attrs(el) + " " + (el.get("src") or "").lower()
        for marker, name in _CAPTCHA_MARKERS:
            if marker in text:
                return name
        if el.get("data-sitekey"):  # a widget of some other captcha service
            return "captcha"
    # script-only captchas (reCAPTCHA v3) load from the page, bound to the form
    for script in root.iter("script"):
        src = (script.get("src") or "").lower()
        if "recaptcha/api.js" in src or "recaptcha/enterprise.js" in src:
            return "reCAPTCHA"
        if "hcaptcha.com/1/api.js" in src:
            return "hCaptcha"
        if "challenges.cloudflare.com/turnstile" in src:
            return "Cloudflare Turnstile"
    return None


def _fields(form: HtmlElement) -> tuple[dict[str, str], list[str]]:
    fields: dict[str, str] = {}
    required: list[str] = []
    for el in form.iter("input", "textarea", "select"):
        name = clean_text(el.get("name"))
        if not name:
            continue
        kind = (el.get("type") or "text").lower()
        if kind in ("submit", "button", "image", "reset", "file"):
            continue
        if kind in ("checkbox", "radio"):
            if el.get("checked") is None:
                if el.get("required") is not None and name not in required:
                    required.append(name)
                continue
            value = el.get("value", "on")
        elif el.tag == "textarea":
            value = el.text or ""
        elif el.tag == "select":
            opts = el.findall(".//option")
            chosen = [o for o in opts if o.get("selected") is not None] or opts[:1]
            value = (chosen[0].get("value") or _text(chosen[0])) if chosen else ""
        else:
            value = el.get("value") or ""
        fields[name] = clean_text(value)
        if el.get("required") is not None or (el.get("aria-required") or "").lower() == "true":
            if name not in required:
                required.append(name)
    return fields, required


def comment_form(root: HtmlElement, base: str | None) -> CommentForm | None:
    """The page's comment form, or a blocked stand-in when login is required."""
    for form in root.iter("form"):
        if not _is_comment_form(form):
            continue
        action = http_url(form.get("action") or "", base) or (base or "")
        method = (form.get("method") or "get").lower()
        fields, required = _fields(form)
        reason = _captcha(form, root)
        return CommentForm(
            action=action,
            method=method if method in ("get", "post") else "post",
            fields=fields,
            required=required,
            blocked_reason=f"captcha: {reason}" if reason else None,
        )
    for el in root.iter("p", "div", "span"):
        cls = _attrs(el)
        marked = "must-log-in" in cls or "must-login" in cls
        # the text test is for short notices only: whole-page divs are skipped cheaply
        if not marked and (
            len(el) > 4
            or not (el.tag == "p" or "respond" in cls or "comment" in cls or "login" in cls)
        ):
            continue
        text = _text(el)
        if text and len(text) < 300 and (marked or _LOGIN_RE.search(text)):
            return CommentForm(action="", fields={}, blocked_reason=f"login required: {text}")
    return None


# --- comments -------------------------------------------------------------------

_COMMENT_ID_RE = re.compile(r"^(?:li-)?comment-(\d+)$")


def _own_elements(li: HtmlElement) -> list[HtmlElement]:
    """Elements of one comment, without its nested replies (iterative walk)."""
    out: list[HtmlElement] = []
    stack = list(reversed(li))
    while stack:
        el = stack.pop()
        if not isinstance(el.tag, str):
            continue
        cls = (el.get("class") or "").split()
        if "children" in cls or (el.tag == "li" and _COMMENT_ID_RE.match(el.get("id") or "")):
            continue
        out.append(el)
        stack.extend(reversed(el))
    return out


_META_CLASSES = frozenset(
    "comment-meta commentmetadata comment-metadata comment-author vcard reply says "
    "comment-reply-link edit-link".split()
)


def _comment_text(own: list[HtmlElement]) -> str:
    """Paragraphs of the comment's content block (or of the whole comment)."""
    content = next((el for el in own if "comment-content" in (el.get("class") or "").split()), None)
    if content is not None:
        paras = [_text(p) for p in content.iter("p")] or [_text(content)]
        return clean_text("\n\n".join(p for p in paras if p))
    skipped: set[HtmlElement] = set()
    paras = []
    for el in own:
        cls = set((el.get("class") or "").split())
        if cls & _META_CLASSES or el.getparent() in skipped:
            skipped.add(el)
            continue
        if el.tag == "p":
            t = _text(el)
            if t:
                paras.append(t)
    return clean_text("\n\n".join(paras))


def comments(root: HtmlElement) -> list[Comment]:
    """Comments of a WordPress-style list; replies name their parent."""
    lists = [
        el
        for el in root.iter("ol", "ul", "div")
        if any(c in (el.get("class") or "").split() for c in ("comment-list", "commentlist"))
    ]
    if not lists:
        return []
    out: list[Comment] = []
    top = lists[0]
    for el in top.iter("li", "article", "div"):
        m = _COMMENT_ID_RE.match(el.get("id") or "")
        if not m:
            continue
        if (
            el.tag != "li"
            and el.getparent() is not None
            and _COMMENT_ID_RE.match(el.getparent().get("id") or "")
        ):
            continue  # the <article id="div-comment-N"> inside <li id="comment-N">
        cid = m.group(1)
        parent = None
        for anc in el.iterancestors():
            if anc is top:
                break
            pm = _COMMENT_ID_RE.match(anc.get("id") or "")
            if pm and anc.tag == el.tag:
                parent = pm.group(1)
                break
        own = _own_elements(el)
        author, date = "", None
        for cand in own:
            cls = (cand.get("class") or "").split()
            if not author and ("fn" in cls or "comment-author-name" in cls):
                author = _text(cand)
            if date is None and cand.tag == "time":
                date = cand.get("datetime") or _text(cand) or None
        out.append(
            Comment(
                cid,
                clean_text(author),
                clean_text(date) if date else None,
                _comment_text(own),
                parent,
            )
        )
        if len(out) >= MAX_COMMENTS:
            break
    return out
