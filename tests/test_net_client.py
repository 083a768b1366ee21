"""reader.net.client.fetch against a real misbehaving server on 127.0.0.1 (no mocks)."""

from __future__ import annotations

import asyncio
import gzip
import socket
import time
from collections.abc import AsyncIterator, Iterator

import brotli
import pytest

from reader.net.client import DEFAULT_USER_AGENT, fetch, make_client, parse_retry_after
from tests.hostile_server import CONDITIONAL_DATE, CONDITIONAL_ETAG, HostileServer, response_head

HANG_S = 60.0
"""Far beyond any of these requests; only a hang reaches it."""

RSS = b'<?xml version="1.0"?><rss version="2.0"><channel><title>T</title></channel></rss>'


@pytest.fixture(scope="module")
def server() -> Iterator[HostileServer]:
    with HostileServer(drip_interval=0.2) as srv:
        yield srv


@pytest.fixture
async def client() -> AsyncIterator[object]:
    async with make_client() as c:
        yield c


async def test_plain_get_keeps_validators(server, client):
    server.route("/plain", RSS, headers={"ETag": '"x"', "Content-Type": "application/rss+xml"})
    result = await fetch(client, server.url("/plain"))
    assert result.ok and result.error is None
    assert result.body == RSS
    assert result.etag == '"x"' and result.content_type == "application/rss+xml"
    assert server.requests[-1].headers["user-agent"] == DEFAULT_USER_AGENT
    assert DEFAULT_USER_AGENT.startswith("reader/")


async def test_user_agent_is_overridable_per_request(server, client):
    server.route("/ua", RSS)
    await fetch(client, server.url("/ua"), user_agent="Custom/1.0")
    assert server.requests[-1].headers["user-agent"] == "Custom/1.0"


async def test_conditional_get_yields_304(server, client):
    first = await fetch(client, server.url("/conditional"))
    assert first.status == 200 and first.etag == CONDITIONAL_ETAG
    again = await fetch(client, server.url("/conditional"), etag=first.etag)
    assert again.not_modified and again.body == b"" and again.error is None
    by_date = await fetch(client, server.url("/conditional"), last_modified=CONDITIONAL_DATE)
    assert by_date.status == 304


@pytest.mark.parametrize("encoding", ["gzip", "br"])
async def test_compressed_bodies_are_decoded(server, client, encoding):
    packed = gzip.compress(RSS) if encoding == "gzip" else brotli.compress(RSS)
    server.route(f"/{encoding}", packed, headers={"Content-Encoding": encoding})
    result = await fetch(client, server.url(f"/{encoding}"))
    assert result.ok and result.body == RSS
    assert "br" in server.requests[-1].headers["accept-encoding"]


async def _unhung(awaitable):
    """``awaitable``'s result; a generous limit that only turns a hang into a failure.

    How fast these calls return is checked by the ``slow`` tests at the end (wall clock).
    """
    return await asyncio.wait_for(awaitable, HANG_S)


def _serve_declared_50_mb(server) -> str:
    async def big(_request, writer):
        writer.write(response_head(200, {"Content-Length": str(50 * 1024 * 1024)}))
        for _ in range(800):  # 50 MB in 64 KB writes; the client hangs up early
            writer.write(b"x" * 65536)
            await writer.drain()

    server.handle("/big50", big)
    return server.url("/big50")


async def test_declared_50_mb_body_is_refused_before_reading(server, client):
    result = await _unhung(fetch(client, _serve_declared_50_mb(server)))
    assert result.error == "response larger than 10 MB"
    assert result.body == b""


async def test_undeclared_50_mb_body_is_capped_while_streaming(server, client):
    async def big(_request, writer):
        writer.write(response_head(200, {"Connection": "close"}))
        for _ in range(800):
            writer.write(b"y" * 65536)
            await writer.drain()
        writer.close()

    server.handle("/big50-stream", big)
    result = await fetch(client, server.url("/big50-stream"), max_bytes=2 * 1024 * 1024)
    assert result.error == "response larger than 2 MB"


async def test_endless_chunked_body_stops_at_cap(server, client):
    result = await _unhung(fetch(client, server.url("/endless"), max_bytes=1024 * 1024))
    assert result.error == "response larger than 1 MB"


async def test_drip_feed_hits_total_timeout(server, client):
    result = await _unhung(fetch(client, server.url("/drip"), total_timeout=1.0))
    assert result.error == "timed out after 1 s"
    assert result.status == 200  # headers came, the body never finished


async def test_stalled_body_hits_total_timeout(server, client):
    result = await fetch(client, server.url("/stall"), total_timeout=0.5)
    assert result.error == "timed out after 500 ms"


async def test_redirect_loop_is_named(server, client):
    server.redirect("/loop/a", "/loop/b", 302)
    server.redirect("/loop/b", "/loop/a", 302)
    result = await fetch(client, server.url("/loop/a"))
    assert result.error == "redirect loop"


async def test_more_than_five_redirects_is_an_error(server, client):
    result = await fetch(client, server.url("/chain/7"))
    assert result.error == "too many redirects (more than 5)"
    ok = await fetch(client, server.url("/chain/3"))
    assert ok.ok and ok.final_url == server.url("/conditional")
    assert ok.permanent_url is None  # 302s are temporary


async def test_permanent_redirect_reports_new_url(server, client):
    server.redirect("/old", "/moved/feed.xml", 301)
    server.redirect("/moved/feed.xml", "/conditional", 308)
    result = await fetch(client, server.url("/old"))
    assert result.ok and result.permanent_url == server.url("/conditional")
    server.redirect("/mixed", "/temporary", 301)
    server.redirect("/temporary", "/conditional", 307)
    mixed = await fetch(client, server.url("/mixed"))
    assert mixed.ok and mixed.permanent_url is None


@pytest.mark.parametrize(
    ("status", "message"),
    [
        (404, "HTTP 404 not found"),
        (410, "HTTP 410 gone (the feed was removed)"),
        (500, "HTTP 500 server error"),
    ],
)
async def test_error_statuses_have_messages(server, client, status, message):
    server.route(f"/status/{status}", b"oops", status)
    result = await fetch(client, server.url(f"/status/{status}"))
    assert result.status == status and result.error == message
    assert result.gone == (status == 410)


async def test_429_and_503_parse_retry_after(server, client):
    server.route("/429", b"", 429, {"Retry-After": "120"})
    result = await fetch(client, server.url("/429"))
    assert result.retry_after == 120
    assert result.error == "HTTP 429 too many requests, retry after 120 s"
    server.route("/503", b"", 503, {"Retry-After": "Wed, 21 Oct 2037 07:28:00 GMT"})
    result = await fetch(client, server.url("/503"))
    assert result.retry_after is not None and result.retry_after > 86400


def test_parse_retry_after_forms():
    assert parse_retry_after("30") == 30
    assert parse_retry_after("Wed, 21 Oct 2015 07:28:00 GMT", now=1445412480 - 60) == 60
    assert parse_retry_after("Wed, 21 Oct 2015 07:28:00 GMT", now=2e9) == 0
    assert parse_retry_after("soon") is None and parse_retry_after(None) is None


async def test_connection_refused(client):
    sock = socket.socket()
    sock.bind(("127.0.0.1", 0))
    port = sock.getsockname()[1]
    sock.close()
    result = await fetch(client, f"http://127.0.0.1:{port}/feed")
    assert result.status is None and result.error == "connection refused"


async def test_dns_failure(client):
    result = await asyncio.wait_for(fetch(client, "http://no-such-host.invalid/feed"), 15)
    assert result.error == "DNS lookup failed for no-such-host.invalid"


async def test_tls_failure_against_plain_http_port(client):
    async def plain_http(reader, writer):  # what nginx does when TLS arrives on port 80
        await reader.read(100)
        writer.write(b"HTTP/1.1 400 Bad Request\r\nContent-Length: 0\r\n\r\n")
        await writer.drain()
        writer.close()

    plain = await asyncio.start_server(plain_http, "127.0.0.1", 0)
    port = plain.sockets[0].getsockname()[1]
    async with plain:
        result = await fetch(client, f"https://127.0.0.1:{port}/feed", total_timeout=5)
    assert result.error is not None and result.error.startswith("TLS error: "), result.error


async def test_unsupported_scheme(client):
    result = await fetch(client, "ftp://127.0.0.1/feed")
    assert result.error == "invalid URL: ftp://127.0.0.1/feed"


async def test_304s_and_redirects_keep_the_connection_alive():
    with HostileServer() as fresh:
        fresh.redirect("/hop", "/conditional", 302)
        async with make_client() as client:
            for _ in range(10):
                result = await fetch(client, fresh.url("/conditional"), etag=CONDITIONAL_ETAG)
                assert result.not_modified
                assert (await fetch(client, fresh.url("/hop"))).ok
        assert fresh.connections == 1


def test_importing_net_and_sources_does_not_load_httpx():
    import subprocess
    import sys

    code = (
        "import sys, reader.sources.discover, reader.sources.wordpress, reader.sources.opml, "
        "reader.sources.parse, reader.refresh.engine, reader.net.client; "
        "print(sorted(m for m in ('httpx', 'textual', 'feedparser') if m in sys.modules))"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "[]"


# -- speed (wall clock): `pytest -m slow` --------------------------------------------------------
# Each budget is a few times what an idle machine needs; a cap or timeout that is not enforced
# while reading (the client downloading the whole 50 MB, or waiting for the drip to end) misses it.


async def _seconds(awaitable) -> tuple[float, object]:
    started = time.monotonic()
    result = await _unhung(awaitable)
    return time.monotonic() - started, result


@pytest.mark.slow
async def test_declared_50_mb_body_is_refused_promptly(server, client):
    took, result = await _seconds(fetch(client, _serve_declared_50_mb(server)))
    assert result.error == "response larger than 10 MB"
    assert took < 10


@pytest.mark.slow
async def test_endless_chunked_body_stops_promptly(server, client):
    took, result = await _seconds(fetch(client, server.url("/endless"), max_bytes=1024 * 1024))
    assert result.error == "response larger than 1 MB"
    assert took < 10


@pytest.mark.slow
async def test_total_timeout_ends_a_drip_feed_promptly(server, client):
    took, result = await _seconds(fetch(client, server.url("/drip"), total_timeout=1.0))
    assert result.error == "timed out after 1 s"
    assert took < 6
