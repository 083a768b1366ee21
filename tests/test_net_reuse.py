"""Connection reuse across many feeds: the refresh order and the pool routing.

A real keep-alive server on 127.0.0.1 counts the TCP connections it accepts; several "hosts"
are loopback addresses (127.0.0.1, 127.0.0.2, ...), as in bench/feedsite.py.
"""

from __future__ import annotations

import asyncio
import random
import socket
from types import SimpleNamespace

from reader.net.client import fetch, make_client
from reader.refresh.hosts import spread_hosts

BODY = b"<rss version='2.0'><channel><title>t</title></channel></rss>"


class CountingServer:
    """Keep-alive HTTP/1.1 on several loopback addresses; counts accepted connections."""

    def __init__(self, hosts: int) -> None:
        self.addresses = [f"127.0.0.{n}" for n in range(1, hosts + 1)]
        self.connections = 0
        self.rng = random.Random(7)
        self.server: asyncio.Server | None = None
        self.port = 0

    async def handle(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        self.connections += 1
        try:
            while True:
                await reader.readuntil(b"\r\n\r\n")
                await asyncio.sleep(self.rng.uniform(0.005, 0.02))  # uneven latency
                writer.write(b"HTTP/1.1 200 OK\r\nContent-Length: %d\r\n\r\n" % len(BODY) + BODY)
                await writer.drain()
        except (asyncio.IncompleteReadError, ConnectionError):
            pass
        finally:
            writer.close()

    async def __aenter__(self) -> CountingServer:
        for _attempt in range(20):  # one port on every address: find one free on all of them
            probe = socket.socket()
            probe.bind(("127.0.0.1", 0))
            self.port = probe.getsockname()[1]
            probe.close()
            try:
                self.server = await asyncio.start_server(self.handle, self.addresses, self.port)
            except OSError:
                continue
            return self
        raise RuntimeError("no free port on every loopback address")

    async def __aexit__(self, *exc: object) -> None:
        assert self.server is not None
        self.server.close()
        await self.server.wait_closed()


def test_spread_hosts_interleaves_and_keeps_each_hosts_order() -> None:
    feeds = [
        SimpleNamespace(url=f"https://{host}/{n}")
        for host, n in [
            ("a.test", 1),
            ("a.test", 2),
            ("a.test", 3),
            ("b.test", 1),
            ("b.test", 2),
            ("c.test", 1),
            ("A.test", 4),
        ]
    ]
    spread = spread_hosts(feeds)  # type: ignore[arg-type]
    assert [f.url for f in spread] == [
        "https://a.test/1",
        "https://b.test/1",
        "https://c.test/1",
        "https://a.test/2",
        "https://b.test/2",
        "https://a.test/3",
        "https://A.test/4",
    ]
    assert spread_hosts([]) == []


async def test_each_host_keeps_reusing_its_connections() -> None:
    # 23 hosts, more than one pool holds: a pool that takes any host keeps evicting
    async with CountingServer(hosts=23) as server:
        client = make_client(max_connections=32)  # 4 pools of 8
        urls = [f"http://127.0.0.{n % 23 + 1}:{server.port}/feed/{n}" for n in range(230)]
        slots = asyncio.Semaphore(12)  # fewer in flight than the pools hold, as in a refresh

        async def one(url: str) -> bool:
            async with slots:
                result = await fetch(client, url)
            return result.ok

        try:
            assert all(await asyncio.gather(*(one(u) for u in urls)))
        finally:
            await client.aclose()
    # one or two connections a host; routed by load alone, 188 of the 230 requests opened a
    # new connection (measured)
    assert server.connections <= 2 * 23, server.connections


async def test_one_busy_host_is_spread_over_pools() -> None:
    import httpx

    from reader.net.transport import AT_HOME, ShardedTransport

    async with CountingServer(hosts=1) as server:
        transport = ShardedTransport(shards=4, per_shard=8)
        client = httpx.AsyncClient(transport=transport)
        url = f"http://127.0.0.1:{server.port}/feed"
        try:
            tasks = [asyncio.create_task(fetch(client, url)) for _ in range(8)]
            for _ in range(1000):  # until all eight are routed (before any response is back)
                await asyncio.sleep(0)
                if sum(transport._busy) == 8:
                    break
            in_flight = list(transport._busy)
            assert all(r.ok for r in await asyncio.gather(*tasks))
        finally:
            await client.aclose()
    # one pool holding all 8 rescanned its connections for every request (slower than the
    # reuse saved); at most AT_HOME share the host's pool, the rest spread out
    assert sum(in_flight) == 8 and max(in_flight) <= max(AT_HOME, 8 // 4 + 1), in_flight
