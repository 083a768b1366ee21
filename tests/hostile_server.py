"""A real HTTP/1.1 server on 127.0.0.1 that misbehaves on purpose, for network tests.

Why not pytest-httpserver for everything: it answers whole responses, but the hostile cases
need a server that drips one byte at a time, streams a chunked body forever, or stalls after
the headers. This one runs an asyncio loop in a daemon thread and writes raw bytes, so tests
see exactly what a broken server would send. Every behaviour is a route:

- static routes: ``server.route(path, body, status=200, headers={...})``
- ``/drip`` (one byte every ``drip_interval`` seconds), ``/endless`` (chunked, never ends),
  ``/stall`` (headers, then silence), ``/loop/a`` <-> ``/loop/b`` (redirect loop),
  ``/chain/N`` (N redirects), ``/conditional`` (ETag + Last-Modified, answers 304).
"""

from __future__ import annotations

import asyncio
import threading
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field

Handler = Callable[["Request", asyncio.StreamWriter], Awaitable[None]]

REASONS = {
    200: "OK",
    301: "Moved Permanently",
    302: "Found",
    304: "Not Modified",
    307: "Temporary Redirect",
    308: "Permanent Redirect",
    404: "Not Found",
    410: "Gone",
    429: "Too Many Requests",
    500: "Internal Server Error",
    503: "Service Unavailable",
}
CONDITIONAL_ETAG = '"v1-abc"'
CONDITIONAL_DATE = "Mon, 04 Mar 2024 10:00:00 GMT"


@dataclass
class Request:
    """What the server saw: method, path (with query) and lower-cased headers."""

    method: str
    path: str
    headers: dict[str, str] = field(default_factory=dict)


def response_head(status: int, headers: dict[str, str] | None = None) -> bytes:
    """Status line and headers, ending with the blank line."""
    lines = [f"HTTP/1.1 {status} {REASONS.get(status, 'Status')}"]
    lines += [f"{k}: {v}" for k, v in (headers or {}).items()]
    return ("\r\n".join(lines) + "\r\n\r\n").encode("latin-1")


class HostileServer:
    """Start with ``with HostileServer() as server:``; ``server.url("/path")`` addresses it."""

    def __init__(self, drip_interval: float = 1.0) -> None:
        self.drip_interval = drip_interval
        self.port = 0
        self.requests: list[Request] = []
        self.connections = 0
        self._routes: dict[str, Handler] = {}
        self._loop = asyncio.new_event_loop()
        self._thread = threading.Thread(target=self._loop.run_forever, daemon=True)
        self._server: asyncio.Server | None = None
        self.handle("/drip", self._drip)
        self.handle("/endless", self._endless)
        self.handle("/stall", self._stall)
        self.handle("/conditional", self._conditional)

    # -- lifecycle ----------------------------------------------------------------------
    def __enter__(self) -> HostileServer:
        self._thread.start()
        future = asyncio.run_coroutine_threadsafe(
            asyncio.start_server(self._serve, "127.0.0.1", 0), self._loop
        )
        self._server = future.result(5)
        self.port = self._server.sockets[0].getsockname()[1]
        return self

    def __exit__(self, *exc: object) -> None:
        async def close() -> None:
            if self._server is not None:
                self._server.close()
            for task in asyncio.all_tasks():
                if task is not asyncio.current_task():
                    task.cancel()

        asyncio.run_coroutine_threadsafe(close(), self._loop).result(5)
        self._loop.call_soon_threadsafe(self._loop.stop)
        self._thread.join(5)

    def url(self, path: str) -> str:
        """Absolute URL of ``path`` on this server."""
        return f"http://127.0.0.1:{self.port}{path}"

    # -- routes -------------------------------------------------------------------------
    def handle(self, path: str, handler: Handler) -> None:
        """Serve ``path`` (exact match, query ignored) with a custom coroutine."""
        self._routes[path] = handler

    def route(
        self,
        path: str,
        body: bytes | str = b"",
        status: int = 200,
        headers: dict[str, str] | None = None,
    ) -> None:
        """Serve a fixed response; Content-Length is added unless a header says otherwise."""
        data = body.encode() if isinstance(body, str) else body
        hdrs = {"Content-Length": str(len(data)), **(headers or {})}

        async def static(_request: Request, writer: asyncio.StreamWriter) -> None:
            writer.write(response_head(status, hdrs) + data)

        self._routes[path] = static

    def redirect(self, path: str, target: str, status: int = 301) -> None:
        """``path`` answers ``status`` with ``Location: target``."""
        self.route(path, b"", status, {"Location": target})

    # -- serving ------------------------------------------------------------------------
    async def _serve(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        self.connections += 1
        try:
            while True:
                head = await reader.readuntil(b"\r\n\r\n")
                lines = head.decode("latin-1").split("\r\n")
                method, path, _ = ([*lines[0].split(" "), "", ""])[:3]
                headers = {}
                for line in lines[1:]:
                    if ":" in line:
                        name, value = line.split(":", 1)
                        headers[name.strip().lower()] = value.strip()
                request = Request(method, path, headers)
                self.requests.append(request)
                handler = self._routes.get(path.split("?", 1)[0], self._not_found)
                await handler(request, writer)
                await writer.drain()
        except (asyncio.IncompleteReadError, ConnectionError, asyncio.CancelledError):
            pass
        finally:
            writer.close()

    async def _not_found(self, request: Request, writer: asyncio.StreamWriter) -> None:
        if request.path.startswith("/chain/"):
            left = int(request.path.rsplit("/", 1)[1] or 0)
            target = f"/chain/{left - 1}" if left > 0 else "/conditional"
            writer.write(response_head(302, {"Location": target, "Content-Length": "0"}))
            return
        writer.write(response_head(404, {"Content-Length": "9"}) + b"not found")

    async def _drip(self, _request: Request, writer: asyncio.StreamWriter) -> None:
        writer.write(
            response_head(200, {"Content-Type": "application/rss+xml", "Content-Length": "100000"})
        )
        for _ in range(100_000):
            writer.write(b"<")
            await writer.drain()
            await asyncio.sleep(self.drip_interval)

    async def _endless(self, _request: Request, writer: asyncio.StreamWriter) -> None:
        writer.write(
            response_head(
                200, {"Content-Type": "application/rss+xml", "Transfer-Encoding": "chunked"}
            )
        )
        chunk = b"<item><title>more</title></item>" * 2048
        frame = f"{len(chunk):x}\r\n".encode() + chunk + b"\r\n"
        while True:
            writer.write(frame)
            await writer.drain()

    async def _stall(self, _request: Request, writer: asyncio.StreamWriter) -> None:
        writer.write(response_head(200, {"Content-Length": "1000"}))
        await writer.drain()
        await asyncio.sleep(3600)

    async def _conditional(self, request: Request, writer: asyncio.StreamWriter) -> None:
        validators = {"ETag": CONDITIONAL_ETAG, "Last-Modified": CONDITIONAL_DATE}
        if (
            request.headers.get("if-none-match") == CONDITIONAL_ETAG
            or request.headers.get("if-modified-since") == CONDITIONAL_DATE
        ):
            writer.write(response_head(304, validators))
            return
        body = CONDITIONAL_BODY
        writer.write(
            response_head(
                200,
                {
                    **validators,
                    "Content-Type": "application/rss+xml",
                    "Content-Length": str(len(body)),
                },
            )
            + body
        )


CONDITIONAL_BODY = (
    b'<?xml version="1.0"?><rss version="2.0"><channel><title>Conditional</title>'
    b"<item><title>One</title><guid>c-1</guid><link>/one</link></item></channel></rss>"
)
