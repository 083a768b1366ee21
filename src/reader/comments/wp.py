"""WordPress REST helpers shared by sending, the duplicate check and thread reading.

Kept apart so ``send`` stays about one POST and ``thread`` about building a tree: both need to
turn a REST root (pretty ``/wp-json/`` or plain ``?rest_route=/``) into a route URL and to page
through ``/wp/v2/comments``.
"""

from __future__ import annotations

import json
import string
import unicodedata
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any
from urllib.parse import urlencode, urlsplit, urlunsplit

from reader.comments.page_parts import PageInfo, html_fragment_text, read_page
from reader.sanitize import clean_text, safe_url
from reader.store.timeutil import normalize_iso

if TYPE_CHECKING:
    import httpx

MAX_PAGES = 50
"""Stop paging after this many pages of 100 (5000 comments): a thread is not worth more."""


class Offline(Exception):
    """The server could not be reached (nothing was sent or read)."""


def rest_url(api_root: str, route: str, params: dict[str, Any] | None = None) -> str:
    """``api_root`` + ``route`` (+ query), for both ``/wp-json/`` and ``?rest_route=/`` roots."""
    route = route.strip("/")
    parts = urlsplit(api_root)
    query = parts.query
    if "rest_route=" in query:
        # plain permalinks: the route lives inside the query string
        pairs = [p for p in query.split("&") if not p.startswith("rest_route=")]
        base_route = next(p for p in query.split("&") if p.startswith("rest_route="))
        prefix = base_route.split("=", 1)[1].rstrip("/")
        pairs.insert(0, f"rest_route={prefix}/{route}")
        query = "&".join(pairs)
        path = parts.path
    else:
        path = parts.path.rstrip("/") + "/" + route
    if params:
        query = (query + "&" if query else "") + urlencode(params)
    return urlunsplit((parts.scheme, parts.netloc, path, query, ""))


@dataclass(frozen=True)
class RestComment:
    """One comment as the REST API describes it, already cleaned for the terminal."""

    id: str
    parent: str | None
    author: str
    author_url: str | None
    date: str | None
    text: str
    link: str | None
    status: str


def rest_comment(item: dict[str, Any]) -> RestComment:
    """Turn one ``/wp/v2/comments`` item into a ``RestComment``."""
    content = item.get("content") or {}
    rendered = content.get("rendered", "") if isinstance(content, dict) else ""
    parent = item.get("parent")
    date = item.get("date_gmt")
    return RestComment(
        id=str(item.get("id")),
        parent=str(parent) if parent else None,
        author=clean_text(str(item.get("author_name") or "")).strip(),
        author_url=safe_url(item.get("author_url") or None),
        date=normalize_iso(date + "+00:00" if date and "+" not in date else date),
        text=html_fragment_text(str(rendered)),
        link=safe_url(item.get("link") or None),
        status=str(item.get("status") or ""),
    )


async def rest_comments(
    client: httpx.AsyncClient, api_root: str, post_id: int, *, search: str | None = None
) -> list[RestComment]:
    """Every public comment of a post (all pages), oldest first; raises Offline or ValueError."""
    import httpx

    found: list[RestComment] = []
    page = 1
    while page <= MAX_PAGES:
        params: dict[str, Any] = {"post": post_id, "per_page": 100, "page": page}
        if search:
            params["search"] = search
        url = rest_url(api_root, "wp/v2/comments", params)
        try:
            response = await client.get(
                url, headers={"Accept": "application/json"}, follow_redirects=True
            )
        except httpx.HTTPError as exc:
            raise Offline(_reason(exc, url)) from exc
        if response.status_code != 200:
            raise ValueError(f"{url}: HTTP {response.status_code}")
        try:
            items = response.json()
        except (ValueError, json.JSONDecodeError) as exc:
            raise ValueError(f"{url}: not JSON") from exc
        if not isinstance(items, list):
            raise ValueError(f"{url}: unexpected answer")
        found.extend(rest_comment(item) for item in items if isinstance(item, dict))
        pages = response.headers.get("x-wp-totalpages", "1")
        if not pages.isdigit() or page >= int(pages) or not items:
            break
        page += 1
    found.sort(key=lambda c: (c.date or "", int(c.id) if c.id.isdigit() else 0))
    return found


def _reason(exc: BaseException, url: str) -> str:
    from reader.net.client import describe_error

    return describe_error(exc, url)


async def fetch_page(client: httpx.AsyncClient, url: str) -> tuple[PageInfo, bytes]:
    """GET the article page and read it; raises Offline, or ValueError for an HTTP error."""
    from reader.net.client import fetch

    result = await fetch(client, url, accept="text/html,application/xhtml+xml,*/*;q=0.5")
    if result.status is None:
        raise Offline(result.error or "no answer")
    if not result.ok:
        raise ValueError(f"{url}: {result.error or f'HTTP {result.status}'}")
    info = read_page(result.body, result.final_url or url, link_header=result.headers.get("link"))
    return info, result.body


def fingerprint(text: str) -> str:
    """Letters and digits only, lower case: survives wptexturize, wpautop and entity escaping."""
    text = unicodedata.normalize("NFKC", text).casefold()
    return "".join(ch for ch in text if ch.isalnum())


def search_snippet(body: str, limit: int = 60) -> str:
    """A run of plain words from the draft that WordPress's LIKE search will find verbatim."""
    best = ""
    for line in body.splitlines():
        run: list[str] = []
        for word in line.split():
            core = word.strip(string.punctuation + "«»“”„‘’…")
            if not core.isalnum():
                run = []
                continue
            if not word.startswith(core):
                run = []  # punctuation before the word: a run cannot span it
            run.append(core)
            candidate = " ".join(run)
            if len(candidate) > len(best):
                best = candidate
            if not word.endswith(core):
                run = []
    return best[:limit].rsplit(" ", 1)[0] if len(best) > limit else best


def same_comment(author: str, text: str, name: str, body: str) -> bool:
    """True when a comment on the server is the draft (same author, same text)."""
    if fingerprint(author) != fingerprint(name):
        return False
    theirs, ours = fingerprint(text), fingerprint(body)
    if not ours:
        return False
    return theirs == ours or (len(ours) >= 20 and (ours in theirs or theirs in ours))
