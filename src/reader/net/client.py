"""The one HTTP client reader uses, and a ``fetch`` that never raises for network trouble.

Why this module exists instead of calling httpx directly everywhere: feeds come from thousands of
servers of varying quality, and one bad server must cost one per-feed error line, never a hang,
an exception in the refresh loop or a memory blow-up. So ``fetch``:

- enforces a *total* deadline with ``asyncio.timeout`` (httpx's read timeout restarts with every
  byte, so a server dripping one byte a second would otherwise never time out);
- caps the *decoded* body size while streaming (an endless chunked body or a gzip bomb stops at
  ``max_bytes`` instead of filling memory);
- follows at most ``max_redirects`` redirects itself, so it can tell a permanent move (every hop
  301/308: the stored URL should change) from a temporary one, and name redirect loops;
- turns every failure into a short human message in ``FetchResult.error``.

httpx is imported lazily: the TUI's first frame must not wait for it.
"""

from __future__ import annotations

import asyncio
import email.utils
import errno
import socket
import ssl
import time
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any
from urllib.parse import urljoin, urlsplit

from reader import __version__

if TYPE_CHECKING:
    import httpx

PROJECT_URL = "https://github.com/reader-tui/reader"
DEFAULT_USER_AGENT = f"reader/{__version__} (+{PROJECT_URL})"
DEFAULT_MAX_BYTES = 10 * 1024 * 1024
DEFAULT_TOTAL_TIMEOUT = 20.0
DEFAULT_CONNECT_TIMEOUT = 10.0
DEFAULT_READ_TIMEOUT = 15.0
MAX_REDIRECTS = 5
POOL_SIZE = 8
FEED_ACCEPT = (
    "application/rss+xml, application/atom+xml, application/feed+json, application/json;q=0.9, "
    "application/xml;q=0.9, text/xml;q=0.9, */*;q=0.5"
)
_PERMANENT = frozenset({301, 308})
_REDIRECTS = frozenset({301, 302, 303, 307, 308})
# Only these response headers matter downstream; keeping a small dict keeps results cheap.
_KEPT_HEADERS = (
    "etag",
    "last-modified",
    "content-type",
    "link",
    "retry-after",
    "x-wp-total",
    "x-wp-totalpages",
    "content-encoding",
    "location",
)


PAGE_ACCEPT = "text/html,application/xhtml+xml;q=0.9,*/*;q=0.5"
"""``Accept`` for article pages (a refresh's prefetch, related posts fetched for later)."""
PAGE_MAX_BYTES = 5 * 1024 * 1024
"""Largest article page kept; bigger ones are cut (extraction caps its input anyway)."""


@dataclass(slots=True)
class FetchResult:
    """What one GET produced: a response (any status) or an ``error`` message, never both missing.

    ``status`` is None when no HTTP response arrived at all (DNS, refused, TLS, timeout).
    ``permanent_url`` is set only when every redirect hop was permanent, i.e. when a subscriber
    should update the stored URL.
    """

    url: str
    status: int | None = None
    final_url: str = ""
    permanent_url: str | None = None
    headers: dict[str, str] = field(default_factory=dict)
    body: bytes = b""
    error: str | None = None
    retry_after: float | None = None
    elapsed: float = 0.0

    @property
    def ok(self) -> bool:
        """A 2xx response with no error: the body is worth parsing."""
        return self.error is None and self.status is not None and 200 <= self.status < 300

    @property
    def not_modified(self) -> bool:
        """The conditional GET matched: keep what is stored."""
        return self.status == 304

    @property
    def gone(self) -> bool:
        """410: the publisher says the feed will never come back."""
        return self.status == 410

    @property
    def etag(self) -> str | None:
        """Validator to send as ``If-None-Match`` next time."""
        return self.headers.get("etag")

    @property
    def last_modified(self) -> str | None:
        """Validator to send as ``If-Modified-Since`` next time."""
        return self.headers.get("last-modified")

    @property
    def content_type(self) -> str | None:
        """The ``Content-Type`` header, used as a parsing hint only."""
        return self.headers.get("content-type")


def make_client(
    *,
    user_agent: str = DEFAULT_USER_AGENT,
    connect_timeout: float = DEFAULT_CONNECT_TIMEOUT,
    read_timeout: float = DEFAULT_READ_TIMEOUT,
    max_connections: int = 64,
    verify: bool | ssl.SSLContext = True,
) -> httpx.AsyncClient:
    """Build the shared AsyncClient: keep-alive pools, per-phase timeouts, no auto-redirects.

    Redirects are off because ``fetch`` follows them itself (see the module docstring). The pool
    timeout is generous because callers bound concurrency with their own semaphores, and the total
    deadline in ``fetch`` covers waiting for a pooled connection anyway. Connections are spread
    over pools of at most ``POOL_SIZE`` (see ``reader.net.transport`` for the measurement).
    """
    import httpx

    from reader.net.transport import ShardedTransport

    shards = max(1, -(-max_connections // POOL_SIZE))
    return httpx.AsyncClient(
        follow_redirects=False,
        timeout=httpx.Timeout(
            connect=connect_timeout, read=read_timeout, write=read_timeout, pool=60.0
        ),
        transport=ShardedTransport(
            shards=shards, per_shard=min(POOL_SIZE, max_connections), verify=verify
        ),
        headers={"User-Agent": user_agent, "Accept": FEED_ACCEPT},
        trust_env=False,
    )


def parse_retry_after(value: str | None, *, now: float | None = None) -> float | None:
    """Seconds to wait from a ``Retry-After`` header: delta-seconds or an HTTP date; None if bad."""
    if not value:
        return None
    value = value.strip()
    if value.isdigit():
        return float(int(value))
    try:
        when = email.utils.parsedate_to_datetime(value)
    except (TypeError, ValueError, IndexError):
        return None
    if when is None:
        return None
    now = time.time() if now is None else now
    return max(0.0, when.timestamp() - now)


def _format_seconds(seconds: float) -> str:
    return f"{seconds:g} s" if seconds >= 1 or seconds == 0 else f"{seconds * 1000:g} ms"


def _format_size(size: int) -> str:
    if size >= 1024 * 1024:
        return f"{size / (1024 * 1024):g} MB"
    return f"{size / 1024:g} KB" if size >= 1024 else f"{size} bytes"


def describe_error(exc: BaseException, url: str) -> str:
    """Turn an httpx/OS exception into a short message a user can act on."""
    import httpx

    host = urlsplit(url).hostname or url
    chain: list[BaseException] = []
    cur: BaseException | None = exc
    while cur is not None and len(chain) < 8:
        chain.append(cur)
        cur = cur.__cause__ or cur.__context__
    for err in chain:
        if isinstance(err, ssl.SSLCertVerificationError):
            return f"TLS error: certificate not trusted ({err.verify_message})"
        if isinstance(err, ssl.SSLError):
            reason = err.reason or str(err)
            return f"TLS error: {str(reason).lower().replace('_', ' ')}"
        if isinstance(err, socket.gaierror):
            return f"DNS lookup failed for {host}"
        if isinstance(err, ConnectionRefusedError):
            return "connection refused"
        if isinstance(err, ConnectionResetError):
            return "connection reset by server"
    text = str(exc)
    low = text.lower()
    if isinstance(exc, httpx.ConnectTimeout):
        return "connect timed out"
    if isinstance(exc, httpx.TimeoutException):
        return "read timed out"
    if isinstance(exc, httpx.ConnectError):
        if (
            "name or service" in low
            or "nodename" in low
            or "name resolution" in low
            or "no address" in low
        ):
            return f"DNS lookup failed for {host}"
        if "refused" in low or f"errno {errno.ECONNREFUSED}" in low:
            return "connection refused"
        if "ssl" in low or "tls" in low or "certificate" in low:
            return f"TLS error: {text}"
        return f"connection failed: {text or type(exc).__name__}"
    if isinstance(exc, httpx.UnsupportedProtocol | httpx.InvalidURL):
        return f"invalid URL: {url}"
    if isinstance(exc, httpx.DecodingError):
        return "could not decompress the response"
    if isinstance(exc, httpx.RemoteProtocolError):
        return f"server broke the protocol: {text or 'connection closed early'}"
    if isinstance(exc, httpx.TransportError):
        return f"network error: {text or type(exc).__name__}"
    return f"{type(exc).__name__}: {text}" if text else type(exc).__name__


async def fetch(
    client: httpx.AsyncClient,
    url: str,
    *,
    etag: str | None = None,
    last_modified: str | None = None,
    max_bytes: int = DEFAULT_MAX_BYTES,
    user_agent: str | None = None,
    total_timeout: float = DEFAULT_TOTAL_TIMEOUT,
    max_redirects: int = MAX_REDIRECTS,
    accept: str | None = None,
) -> FetchResult:
    """GET ``url`` with conditional headers, caps and manual redirects; never raises for I/O.

    Cancellation (``asyncio.CancelledError``) still propagates: callers must be able to stop a
    refresh.
    """
    result = FetchResult(url=url, final_url=url)
    started = time.monotonic()
    headers: dict[str, str] = {}
    if etag:
        headers["If-None-Match"] = etag
    if last_modified:
        headers["If-Modified-Since"] = last_modified
    if user_agent:
        headers["User-Agent"] = user_agent
    if accept:
        headers["Accept"] = accept
    try:
        async with asyncio.timeout(total_timeout):
            await _follow(client, result, headers, max_bytes, max_redirects)
    except TimeoutError:
        result.error = f"timed out after {_format_seconds(total_timeout)}"
        result.body = b""
    except Exception as exc:
        result.error = describe_error(exc, result.final_url)
        result.body = b""
    result.elapsed = time.monotonic() - started
    return result


async def _follow(
    client: httpx.AsyncClient,
    result: FetchResult,
    headers: dict[str, str],
    max_bytes: int,
    max_redirects: int,
) -> None:
    """Request, following redirects by hand; fills ``result`` in place."""
    seen = {result.url}
    all_permanent = True
    current = result.url
    for _hop in range(max_redirects + 1):
        location = await _one_request(client, current, headers, max_bytes, result)
        if location is None:
            if current != result.url and all_permanent:
                result.permanent_url = current
            return
        all_permanent = all_permanent and result.status in _PERMANENT
        current = urljoin(current, location)
        result.final_url = current
        if current in seen:
            result.error = "redirect loop"
            return
        seen.add(current)
    result.error = f"too many redirects (more than {max_redirects})"


async def _one_request(
    client: httpx.AsyncClient,
    url: str,
    headers: dict[str, str],
    max_bytes: int,
    result: FetchResult,
) -> str | None:
    """Do one GET; return the redirect target, or None when ``result`` holds the final answer."""
    async with client.stream("GET", url, headers=headers) as response:
        result.status = response.status_code
        result.headers = _keep_headers(response.headers)
        location = response.headers.get("location")
        if response.status_code in _REDIRECTS and location:
            await _drain(response)
            return location
        if response.status_code in (429, 503):
            result.retry_after = parse_retry_after(response.headers.get("retry-after"))
        if response.status_code == 304:
            await _drain(response)
            return None
        declared = response.headers.get("content-length", "")
        if declared.isdigit() and int(declared) > max_bytes:
            result.error = f"response larger than {_format_size(max_bytes)}"
            return None
        chunks: list[bytes] = []
        size = 0
        async for chunk in response.aiter_bytes():
            size += len(chunk)
            if size > max_bytes:
                result.error = f"response larger than {_format_size(max_bytes)}"
                return None
            chunks.append(chunk)
        result.body = b"".join(chunks)
    if result.status is not None and result.status >= 400:
        result.error = _status_message(result.status, result.retry_after)
    return None


async def _drain(response: httpx.Response, limit: int = 64 * 1024) -> None:
    """Read a body we do not need, so the connection returns to the keep-alive pool.

    Measured: without this every 304 closed its connection and the next request paid a new
    TCP connect (1000 warm feeds: 1000 connects). Hostile large bodies stop at ``limit``
    (the connection is then dropped, which is fine).
    """
    size = 0
    async for chunk in response.aiter_raw():
        size += len(chunk)
        if size > limit:
            return


def _keep_headers(headers: Any) -> dict[str, str]:
    return {name: headers[name] for name in _KEPT_HEADERS if name in headers}


_STATUS_TEXT = {
    400: "bad request",
    401: "login required",
    403: "forbidden",
    404: "not found",
    410: "gone (the feed was removed)",
    429: "too many requests",
    500: "server error",
    502: "bad gateway",
    503: "service unavailable",
    504: "gateway timeout",
}


def _status_message(status: int, retry_after: float | None) -> str:
    text = f"HTTP {status} {_STATUS_TEXT.get(status, 'error')}"
    if retry_after is not None:
        text += f", retry after {_format_seconds(round(retry_after))}"
    return text
