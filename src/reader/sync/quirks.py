"""Every server dialect detail of the Google Reader API that the client copes with, in one place.

The client (``greader.py``) speaks the API as Google Reader defined it; what servers do
differently is handled here, each rule with the server it comes from. Measured against FreshRSS
1.24.3 (``../shared/sync/README.md`` cites its source for each); Miniflux, Inoreader, The Old
Reader and BazQux answer the same shapes, so none of these rules is keyed on a server's name.

- Item ids come in three forms: ``tag:google.com,2005:reader/item/<16 hex>`` (stream contents),
  decimal (``stream/items/ids``) and short hex. We store the decimal form (``decimal_id``) and
  send the long form (``long_id``), the one Google defined and every server reads; a short
  hex id is never sent, because FreshRSS reads an all-digit id not starting with 0 as decimal.
- ``output=json`` is required on list calls (FreshRSS answers 501 without it); ``stream/*``
  ignore it. Some answers carry JSON as ``text/html`` (FreshRSS ``user-info``, ``quickadd``):
  the body decides, not the content type (``looks_like_html``).
- Writes must be POST with a form body (a GET ``edit-tag`` answers 200 and changes nothing);
  repeated keys are sent as ``i=1&i=2``, never ``i[]=``.
- Only one ``a`` and one ``r`` per ``edit-tag`` (FreshRSS applies only the last ``a``): the
  client sends one state change per request, with many ids (``EDIT_TAG_BATCH``).
- A page of exactly ``n`` items carries a continuation even when nothing follows: stop on a
  missing continuation *or* an empty page (``next_page``).
- ``ot`` compares with the time the server fetched an item (its id, in µs on FreshRSS), not
  the publication date: the incremental bound is the newest ``crawlTimeMsec``/``timestampUsec``
  seen (``crawl_seconds``), less ``OT_OVERLAP``.
- The body is in ``summary.content`` (FreshRSS "compat" mode) or ``content.content`` (Google,
  Inoreader, Miniflux): whichever is there (``item_html``).
- ``categories`` mixes ``user/…/state/com.google/…`` states (the ``user/-`` may also be
  ``user/<number>``), ``user/…/label/<name>`` folders and labels, and the feed's own category
  words verbatim: states by suffix (``has_state``), words that do not start with ``user/`` are
  the item's own categories.
- Titles: FreshRSS replaces ``& < >`` in item titles, and also ``? \\ / , ;`` in feed titles,
  with full-width look-alikes (``escapeToUnicodeAlternative``); ``restore_title`` maps them
  back. A title that really contained a full-width ``，`` loses it: rare, and better than every
  ampersand showing as ＆.
- A 401 carries ``Google-Bad-Token: true`` when the T token (not the login) went stale; then
  the client fetches a new T token once and retries.
- ``subscription/quickadd`` reports failure with HTTP 200 and ``numResults: 0`` plus ``error``.
- ``mark-all-as-read`` takes ``ts`` in microseconds (a ``ts`` in seconds marks nothing).
"""

from __future__ import annotations

import re

READ = "user/-/state/com.google/read"
STARRED = "user/-/state/com.google/starred"
READING_LIST = "user/-/state/com.google/reading-list"
LABEL_PREFIX = "user/-/label/"
EDIT_TAG_BATCH = 250
"""Ids per ``edit-tag`` request (all servers tested take hundreds; the body stays ~10 KB)."""
OT_OVERLAP = 1
"""Seconds refetched before the newest item seen, so items fetched in that second are not
missed (they are stored once: upserts match on the item id)."""

_LONG = re.compile(r"^tag:google\.com,2005:reader/item/([0-9a-fA-F]{1,16})$")
_HEX = re.compile(r"^[0-9a-fA-F]{1,16}$")
_STATE = re.compile(r"^user/[^/]*/state/com\.google/([a-z-]+)$")
_LABEL = re.compile(r"^user/[^/]*/label/(.+)$")
_FULL_WIDTH = str.maketrans(
    {"＆": "&", "＜": "<", "＞": ">", "？": "?", "＼": "\\", "／": "/", "，": ",", "；": ";"}
)


def decimal_id(raw: object) -> str | None:
    """Any of the three item id forms as a decimal string, or None if it is none of them."""
    if isinstance(raw, int) and raw >= 0:
        return str(raw)
    if not isinstance(raw, str) or len(raw) > 80:
        return None
    if raw.isascii() and raw.isdigit() and not raw.startswith("0") and len(raw) <= 20:
        return raw  # decimal, as stream/items/ids sends (first: the common case, 20k a sync)
    match = _LONG.match(raw)
    if match:
        return str(int(match.group(1), 16))
    if _HEX.match(raw):
        return str(int(raw, 16))
    return None


def long_id(decimal: str) -> str:
    """The long form of a decimal id (what ``edit-tag`` is sent: every server reads it)."""
    return f"tag:google.com,2005:reader/item/{int(decimal):016x}"


def has_state(categories: object, state: str) -> bool:
    """Whether an item's categories include ``…/state/com.google/<state>``."""
    if not isinstance(categories, list):
        return False
    for category in categories:
        match = _STATE.match(category) if isinstance(category, str) else None
        if match and match.group(1) == state:
            return True
    return False


def label_name(stream_id: object) -> str | None:
    """``Tech`` for ``user/-/label/Tech`` (any user number), else None."""
    match = _LABEL.match(stream_id) if isinstance(stream_id, str) else None
    return match.group(1) if match else None


def plain_categories(categories: object) -> list[str]:
    """The feed's own category words among an item's categories (not ``user/…``)."""
    if not isinstance(categories, list):
        return []
    return [c for c in categories if isinstance(c, str) and not c.startswith("user/")]


def restore_title(title: str) -> str:
    """Undo FreshRSS's full-width replacements of ``& < > ? \\ / , ;``."""
    return title.translate(_FULL_WIDTH)


def item_html(item: dict) -> str | None:
    """The item's HTML body, wherever this server put it."""
    for key in ("content", "summary"):
        part = item.get(key)
        if isinstance(part, dict) and isinstance(part.get("content"), str):
            return part["content"]
    return None


def crawl_seconds(item: dict) -> int | None:
    """When the server fetched the item, in Unix seconds (what ``ot`` compares with)."""
    for key, scale in (("timestampUsec", 1_000_000), ("crawlTimeMsec", 1000)):
        value = item.get(key)
        if isinstance(value, (str, int)) and str(value).isdigit() and len(str(value)) <= 20:
            return int(value) // scale
    return None


def next_page(answer: dict, returned: int) -> str | None:
    """The continuation to ask for next, or None when the stream is done."""
    continuation = answer.get("continuation")
    if not returned or not isinstance(continuation, str) or not continuation:
        return None
    return continuation if len(continuation) <= 200 else None


def looks_like_html(body: bytes) -> bool:
    """A web page where the API should have answered (wrong URL, a login wall, a proxy)."""
    head = body[:512].lstrip().lower()
    return head.startswith((b"<!doctype html", b"<html", b"<head", b"<body", b"<?xml"))
