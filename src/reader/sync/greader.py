"""A Google Reader API client: login, lists, streams, and state changes. Not server-specific.

Synchronous (httpx.Client): the CLI calls it directly and the TUI from a worker thread. Every
answer is hostile: sizes are capped while streaming, JSON shapes are checked, and every failure
becomes a ``SyncError`` with one line for people (``AuthError`` for a refused login). What
differs between servers is in ``quirks.py``.
"""

from __future__ import annotations

import json
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any
from urllib.parse import quote, urlencode, urlsplit

from reader.net.client import DEFAULT_USER_AGENT
from reader.sanitize import clean_line, http_url
from reader.sync import quirks

if TYPE_CHECKING:
    import httpx

MAX_ANSWER = 64 * 1024 * 1024
"""Bytes one answer may have (a page of 1,000 items with bodies is ~5 MB)."""
CONTENTS_PAGE = 500
IDS_PAGE = 10_000
TIMEOUT = 60.0


class SyncError(Exception):
    """The server could not be used; the message is one line for people."""


class AuthError(SyncError):
    """The server refused the login (wrong user or password, or a revoked token)."""


class Refused(SyncError):
    """The server answered but will not do it (a feed it cannot subscribe to): asking again
    changes nothing, so a queued operation that gets this is dropped."""


@dataclass(frozen=True)
class Subscription:
    """One feed of the account."""

    stream_id: str
    url: str
    title: str
    site_url: str | None
    labels: tuple[str, ...] = ()


@dataclass
class Page:
    """One page of a stream: its items (raw dicts, checked by the caller) and what follows."""

    items: list[dict[str, Any]] = field(default_factory=list)
    continuation: str | None = None


def _http() -> httpx.Client:
    import httpx

    return httpx.Client(
        timeout=httpx.Timeout(TIMEOUT, connect=10.0),
        headers={"User-Agent": DEFAULT_USER_AGENT},
        follow_redirects=False,
    )


def api_base(url: str) -> str:
    """The API root as given (``…/api/greader.php`` for FreshRSS, ``…`` for Miniflux)."""
    checked = http_url(url.strip())
    if checked is None:
        raise SyncError(f"not an http(s) address: {clean_line(url)[:200]!r}")
    return checked.rstrip("/")


class GReader:
    """One account's connection. ``auth`` is the ClientLogin token (``login`` gets one)."""

    def __init__(self, base_url: str, auth: str | None = None) -> None:
        self.base = api_base(base_url)
        self.auth = auth
        self._token: str | None = None
        self._client = _http()

    def close(self) -> None:
        """Close the connections."""
        self._client.close()

    def __enter__(self) -> GReader:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    # -- transport -----------------------------------------------------------------------
    def _request(self, method: str, path: str, **kwargs: Any) -> tuple[int, bytes, Any]:
        import httpx

        url = f"{self.base}/{path}"
        headers = {"Authorization": f"GoogleLogin auth={self.auth}"} if self.auth else {}
        form = kwargs.pop("data", None)
        if form is not None:  # repeated keys as i=1&i=2 (quirks: never i[]=)
            items = form.items() if isinstance(form, dict) else form
            kwargs["content"] = urlencode(list(items)).encode("ascii")
            headers["Content-Type"] = "application/x-www-form-urlencoded"
        host = urlsplit(self.base).netloc
        try:
            with self._client.stream(method, url, headers=headers, **kwargs) as answer:
                body = bytearray()
                for chunk in answer.iter_bytes():
                    body += chunk
                    if len(body) > MAX_ANSWER:
                        raise SyncError(f"{host} sent more than {MAX_ANSWER >> 20} MB at once")
                return answer.status_code, bytes(body), answer.headers
        except httpx.TimeoutException as error:
            raise SyncError(f"{host} did not answer in time") from error
        except httpx.ConnectError as error:
            text = str(error)
            if "CERTIFICATE" in text.upper() or "SSL" in text.upper():
                raise SyncError(f"{host}: TLS error ({clean_line(text)[:120]})") from error
            raise SyncError(f"cannot reach {host} ({clean_line(text)[:120]})") from error
        except httpx.HTTPError as error:
            raise SyncError(f"{host}: {clean_line(str(error))[:160] or 'network error'}") from error

    def _call(self, method: str, path: str, *, retry_token: bool = True, **kwargs: Any) -> bytes:
        status, body, headers = self._request(method, path, **kwargs)
        if status == 401 and retry_token and headers.get("google-bad-token") and self._token:
            self._token = None  # a stale T token: fetch a new one once
            if "data" in kwargs:
                form = [(k, v) for k, v in kwargs["data"] if k != "T"]
                kwargs["data"] = [*form, ("T", self.token())]
            return self._call(method, path, retry_token=False, **kwargs)
        host = urlsplit(self.base).netloc
        if status in (401, 403):
            raise AuthError(
                f"{host} refused the login (HTTP {status}); check the user and password"
            )
        if quirks.looks_like_html(body):
            raise SyncError(
                f"{host} answered with a web page, not the Google Reader API: is {self.base}"
                " the API address (FreshRSS: …/api/greader.php)?"
            )
        if 300 <= status < 400:
            where = clean_line(str(headers.get("location") or ""))[:120]
            raise SyncError(
                f"{host} redirects {path.split('?')[0]} to {where or 'elsewhere'}: is {self.base}"
                " the API address (FreshRSS: …/api/greader.php)?"
            )
        if status != 200:
            snippet = clean_line(body[:120].decode("utf-8", "replace"))
            raise SyncError(f"{host}: HTTP {status} for {path.split('?')[0]} {snippet!r}")
        return body

    def _json(self, method: str, path: str, **kwargs: Any) -> dict[str, Any]:
        body = self._call(method, path, **kwargs)
        try:
            data = json.loads(body)
        except ValueError as error:
            raise SyncError(f"{urlsplit(self.base).netloc}: not JSON from {path}") from error
        if not isinstance(data, dict):
            raise SyncError(f"{urlsplit(self.base).netloc}: unexpected answer from {path}")
        return data

    # -- login ---------------------------------------------------------------------------
    def login(self, user: str, password: str) -> str:
        """ClientLogin: the Auth token (kept on this client too)."""
        self.auth = None
        form = {"Email": user, "Passwd": password}
        body = self._call("POST", "accounts/ClientLogin", data=form)
        for line in body.decode("utf-8", "replace").splitlines():
            key, _, value = line.partition("=")
            if key.strip() == "Auth" and value.strip() and len(value) < 1000:
                self.auth = clean_line(value.strip())
                return self.auth
        raise SyncError(f"{urlsplit(self.base).netloc}: the login answer has no Auth token")

    def token(self) -> str:
        """The T token that writes carry (fetched once per client)."""
        if self._token is None:
            text = self._call("GET", "reader/api/0/token").decode("utf-8", "replace").strip()
            self._token = clean_line(text)[:200]
        return self._token

    def user_info(self) -> dict[str, Any]:
        """``user-info`` (checks that the token works)."""
        return self._json("GET", "reader/api/0/user-info?output=json")

    # -- reading -------------------------------------------------------------------------
    def subscriptions(self) -> list[Subscription]:
        """The account's feeds, cleaned; entries without a usable URL are left out."""
        data = self._json("GET", "reader/api/0/subscription/list?output=json")
        found = []
        for entry in data.get("subscriptions") or []:
            if not isinstance(entry, dict) or not isinstance(entry.get("id"), str):
                continue
            url = http_url(str(entry.get("url") or ""))
            if url is None:
                continue
            labels = [
                clean_line(quirks.label_name(c.get("id")) or "")
                for c in entry.get("categories") or []
                if isinstance(c, dict)
            ]
            title = quirks.restore_title(clean_line(str(entry.get("title") or "")))
            found.append(
                Subscription(
                    stream_id=clean_line(entry["id"])[:1000],
                    url=url,
                    title=title or url,
                    site_url=http_url(str(entry.get("htmlUrl") or "")),
                    labels=tuple(label for label in labels if label),
                )
            )
        return found

    def contents(self, stream: str, *, since: int | None = None) -> Iterator[Page]:
        """A stream's items, page after page (``since``: only items fetched from then on)."""
        continuation: str | None = None
        while True:
            params: dict[str, str | int] = {"n": CONTENTS_PAGE, "output": "json"}
            if since is not None:
                params["ot"] = since
            if continuation:
                params["c"] = continuation
            data = self._json(
                "GET", f"reader/api/0/stream/contents/{stream_path(stream)}", params=params
            )
            items = [i for i in data.get("items") or [] if isinstance(i, dict)]
            continuation = quirks.next_page(data, len(items))
            yield Page(items, continuation)
            if continuation is None:
                return

    def item_ids(self, stream: str, *, exclude: str | None = None) -> set[str]:
        """Every item id (decimal) of a stream (``exclude``: minus those with that state)."""
        ids: set[str] = set()
        continuation: str | None = None
        while True:
            params: list[tuple[str, str | int]] = [("s", stream), ("n", IDS_PAGE)]
            if exclude:
                params.append(("xt", exclude))
            if continuation:
                params.append(("c", continuation))
            data = self._json("GET", "reader/api/0/stream/items/ids", params=params)
            refs = [r for r in data.get("itemRefs") or [] if isinstance(r, dict)]
            ids.update(i for i in (quirks.decimal_id(r.get("id")) for r in refs) if i)
            continuation = quirks.next_page(data, len(refs))
            if continuation is None:
                return ids

    # -- writing -------------------------------------------------------------------------
    def edit_tag(self, ids: Sequence[str], *, add: str | None = None, remove: str | None = None):
        """Add or remove one tag (a state or a label) on items given by decimal id."""
        for start in range(0, len(ids), quirks.EDIT_TAG_BATCH):
            form: list[tuple[str, str]] = [
                ("i", quirks.long_id(i)) for i in ids[start : start + quirks.EDIT_TAG_BATCH]
            ]
            if add:
                form.append(("a", add))
            if remove:
                form.append(("r", remove))
            form.append(("T", self.token()))
            self._call("POST", "reader/api/0/edit-tag", data=form)

    def mark_all_as_read(self, stream: str, before_usec: int) -> None:
        """Mark a stream read up to ``before_usec`` (µs: servers compare it with item ids)."""
        form = [("s", stream), ("ts", str(before_usec)), ("T", self.token())]
        self._call("POST", "reader/api/0/mark-all-as-read", data=form)

    def quickadd(self, url: str) -> str:
        """Subscribe to a feed URL; its stream id."""
        form = [("quickadd", url), ("T", self.token())]
        data = self._json("POST", "reader/api/0/subscription/quickadd", data=form)
        stream = data.get("streamId")
        if not data.get("numResults") or not isinstance(stream, str):
            reason = clean_line(str(data.get("error") or "refused"))[:160]
            raise Refused(f"the server did not subscribe to {url}: {reason}")
        return clean_line(stream)

    def edit_subscription(
        self,
        stream: str,
        action: str,
        *,
        title: str | None = None,
        add_label: str | None = None,
        remove_label: str | None = None,
    ) -> None:
        """``subscription/edit``: ``action`` is ``subscribe``, ``unsubscribe`` or ``edit``."""
        form: list[tuple[str, str]] = [("ac", action), ("s", stream)]
        if title is not None:
            form.append(("t", title))
        if add_label:
            form.append(("a", quirks.LABEL_PREFIX + add_label))
        if remove_label:
            form.append(("r", quirks.LABEL_PREFIX + remove_label))
        form.append(("T", self.token()))
        self._call("POST", "reader/api/0/subscription/edit", data=form)


def stream_path(stream: str) -> str:
    """A stream id as a path: a ``feed/<URL>`` is percent-encoded as a whole (FreshRSS)."""
    if stream.startswith("feed/") and not stream[5:].isdigit():
        return "feed/" + quote(stream[5:], safe="")
    return quote(stream, safe="/-")
