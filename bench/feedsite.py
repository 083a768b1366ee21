"""A local feed site for refresh benchmarks: N feeds x 30 items, on 127.0.0.1 only.

Why its own tiny asyncio HTTP/1.1 server instead of http.server: at 1000 feeds and 100 ms of
added latency the server must answer hundreds of requests at once without a thread each, and
must cost little CPU so the benchmark measures the client, not the server.

``--hosts N`` spreads the feeds over the loopback addresses 127.0.0.1 ... 127.0.0.N (still
loopback only), because a real subscription list spans many hosts and clients cap connections
per host. Feeds are deterministic (seeded), half RSS 2.0 and half Atom 1.0, each item with a
3-6 KB HTML body. Every feed has a strong ETag and a Last-Modified date; conditional
requests get 304.
Bodies are gzip-compressed when the client accepts it, as real servers do. Item pages
(``/page/<feed>/<item>.html``) exist too, so full-page prefetch can be measured.

``--site realistic`` serves the feeds of ``bench/realsite.py`` instead (issue 14): seven
languages, RSS 2.0 and Atom mixed, varied full-content HTML with images, quotes, lists and
tables; every other path on a realistic site answers with the item's web page.

    python bench/feedsite.py --feeds 1000 --port 8800 --latency-ms 100
    # prints "READY http://127.0.0.1:8800" once every feed is built; /feeds.txt lists the URLs
"""

from __future__ import annotations

import argparse
import asyncio
import email.utils
import gzip
import hashlib
import random
from html import escape

WORDS = (
    "river light paper garden window morning letter silver station market quiet harbour "
    "engine winter bridge forest question answer history reading kitchen mountain village "
    "thread signal copper lantern orchard meadow archive journal season weather machine ladder "
    "the a of and to in is that it was for on with as his they at be this from have or by"
).split()
BASE_DATE = 1_700_000_000  # fixed, so ETags and Last-Modified never change between runs


def _sentence(rng: random.Random) -> str:
    words = [rng.choice(WORDS) for _ in range(rng.randint(8, 18))]
    return " ".join(words).capitalize() + "."


def item_html(rng: random.Random, host: str, feed: int, item: int) -> str:
    """A realistic 3-6 KB article body: paragraphs, a link, a quote, a list."""
    target = rng.randint(3000, 6000)
    parts: list[str] = []
    size = 0
    while size < target:
        kind = rng.random()
        if kind < 0.1:
            block = f"<blockquote><p>“{_sentence(rng)}”</p></blockquote>"
        elif kind < 0.2:
            block = "<ul>" + "".join(f"<li>{_sentence(rng)}</li>" for _ in range(3)) + "</ul>"
        else:
            link = f'<a href="{host}/page/{feed}/{rng.randrange(30)}.html">{rng.choice(WORDS)}</a>'
            block = "<p>" + " ".join(_sentence(rng) for _ in range(3)) + f" See {link}.</p>"
        parts.append(block)
        size += len(block)
    return "".join(parts)


def build_feed(feed: int, host: str, items: int = 30) -> bytes:
    """Feed number ``feed`` as bytes: even numbers RSS 2.0, odd numbers Atom 1.0."""
    rng = random.Random(feed)
    title = f"Feed {feed}: {rng.choice(WORDS)} {rng.choice(WORDS)}"
    entries = []
    for n in range(items):
        stamp = BASE_DATE - (feed * 7 + n) * 3600
        link = f"{host}/page/{feed}/{n}.html"
        body = item_html(rng, host, feed, n)
        heading = escape(_sentence(rng)[:70])
        if feed % 2 == 0:
            entries.append(
                f"<item><title>{heading}</title><link>{link}</link>"
                f'<guid isPermaLink="false">feed{feed}-item{n}</guid>'
                f"<pubDate>{email.utils.formatdate(stamp, usegmt=True)}</pubDate>"
                f"<dc:creator>Author {n % 5}</dc:creator><category>cat{n % 4}</category>"
                f"<description>{escape(_sentence(rng))}</description>"
                f"<content:encoded><![CDATA[{body}]]></content:encoded></item>"
            )
        else:
            iso = _iso(stamp)
            entries.append(
                f'<entry><title>{heading}</title><link rel="alternate" href="{link}"/>'
                f"<id>urn:feed{feed}:item{n}</id><updated>{iso}</updated>"
                f"<published>{iso}</published><author><name>Author {n % 5}</name></author>"
                f'<category term="cat{n % 4}"/><summary>{escape(_sentence(rng))}</summary>'
                f'<content type="html">{escape(body)}</content></entry>'
            )
    if feed % 2 == 0:
        doc = (
            '<?xml version="1.0" encoding="UTF-8"?>\n<rss version="2.0" '
            'xmlns:content="http://purl.org/rss/1.0/modules/content/" '
            'xmlns:dc="http://purl.org/dc/elements/1.1/"><channel>'
            f"<title>{escape(title)}</title><link>{host}/</link>"
            f"<description>Benchmark feed {feed}</description>{''.join(entries)}</channel></rss>"
        )
    else:
        doc = (
            '<?xml version="1.0" encoding="utf-8"?>\n<feed xmlns="http://www.w3.org/2005/Atom">'
            f'<title>{escape(title)}</title><link href="{host}/"/><id>urn:feed{feed}</id>'
            f"<updated>{_iso(BASE_DATE)}</updated>{''.join(entries)}</feed>"
        )
    return doc.encode("utf-8")


def _iso(stamp: int) -> str:
    import datetime as dt

    return dt.datetime.fromtimestamp(stamp, dt.UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


class FeedSite:
    """Pre-built feeds and an asyncio server that serves them with optional latency."""

    def __init__(
        self,
        feeds: int,
        port: int,
        latency_ms: float = 0.0,
        items: int = 30,
        hosts: int = 1,
        site: str = "light",
    ) -> None:
        self.port = port
        self.realistic = site == "realistic"
        self.addresses = [f"127.0.0.{n}" for n in range(1, hosts + 1)]
        self.host = f"http://127.0.0.1:{port}"
        self.latency = latency_ms / 1000.0
        self.last_modified = email.utils.formatdate(BASE_DATE, usegmt=True)
        self.bodies: dict[str, tuple[bytes, bytes, str, str]] = {}
        self.requests = 0
        self.not_modified = 0
        self.feed_urls: list[str] = []
        for n in range(feeds):
            host = f"http://{self.addresses[n % hosts]}:{port}"
            self.feed_urls.append(f"{host}/feed/{n}.xml")
            if self.realistic:
                import realsite

                raw, kind = realsite.build_feed(n, host, items)
            else:
                raw = build_feed(n, host, items)
                kind = "application/rss+xml" if n % 2 == 0 else "application/atom+xml"
            etag = '"' + hashlib.sha1(raw).hexdigest()[:16] + '"'
            self.bodies[f"/feed/{n}.xml"] = (raw, gzip.compress(raw, 5, mtime=0), etag, kind)

    def urls(self) -> list[str]:
        """Every feed URL, in order."""
        return list(self.feed_urls)

    async def handle(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        """Serve keep-alive HTTP/1.1 GETs until the client closes."""
        try:
            while True:
                head = await reader.readuntil(b"\r\n\r\n")
                lines = head.decode("latin-1").split("\r\n")
                path = lines[0].split(" ")[1]
                hdrs = {}
                for line in lines[1:]:
                    if ":" in line:
                        k, v = line.split(":", 1)
                        hdrs[k.strip().lower()] = v.strip()
                if self.latency:
                    await asyncio.sleep(self.latency)
                writer.write(self.respond(path, hdrs))
                await writer.drain()
                self.requests += 1
        except (asyncio.IncompleteReadError, ConnectionError, asyncio.LimitOverrunError):
            pass
        finally:
            writer.close()

    def respond(self, path: str, hdrs: dict[str, str]) -> bytes:
        """Build the full response bytes for one request."""
        path = path.split("?", 1)[0]
        if path == "/stats":  # lets the benchmark check that a client really got 304s
            stats = f"requests={self.requests} not_modified={self.not_modified}"
            return _response(200, "text/plain", stats.encode())
        if path == "/feeds.txt":
            return _response(200, "text/plain", "\n".join(self.urls()).encode())
        if path.startswith("/page/"):
            feed, _, item = path[6:].partition("/")
            rng = random.Random(f"{feed}/{item}")
            body = item_html(rng, self.host, int(feed or 0), 0)
            html = (
                f"<!doctype html><html><head><title>Item {escape(item)}</title></head>"
                f"<body><article><h1>Item</h1>{body}</article></body></html>"
            )
            return _response(200, "text/html; charset=utf-8", html.encode())
        entry = self.bodies.get(path)
        if entry is None and self.realistic and path.count("/") >= 3:
            import realsite

            feed = path.split("/")[1]
            html = realsite.page_html(int(feed) if feed.isdigit() else 0, path, self.host)
            return _response(200, "text/html; charset=utf-8", html.encode())
        if entry is None:
            return _response(404, "text/plain", b"not found")
        raw, packed, etag, kind = entry
        extra = f"ETag: {etag}\r\nLast-Modified: {self.last_modified}\r\n"
        if hdrs.get("if-none-match") == etag or hdrs.get("if-modified-since") == self.last_modified:
            self.not_modified += 1
            return _response(304, None, b"", extra)
        if "gzip" in hdrs.get("accept-encoding", ""):
            return _response(200, kind, packed, extra + "Content-Encoding: gzip\r\n")
        return _response(200, kind, raw, extra)

    async def serve(self) -> asyncio.Server:
        """Start listening on the loopback addresses (127.0.0.1 ... 127.0.0.<hosts>)."""
        return await asyncio.start_server(self.handle, self.addresses, self.port, backlog=4096)


def _response(status: int, kind: str | None, body: bytes, extra: str = "") -> bytes:
    reason = {200: "OK", 304: "Not Modified", 404: "Not Found"}[status]
    head = f"HTTP/1.1 {status} {reason}\r\nContent-Length: {len(body)}\r\n{extra}"
    if kind:
        head += f"Content-Type: {kind}\r\n"
    return (head + "\r\n").encode("latin-1") + body


async def _main(args: argparse.Namespace) -> None:
    site = FeedSite(args.feeds, args.port, args.latency_ms, args.items, args.hosts, args.site)
    server = await site.serve()
    size = sum(len(raw) for raw, *_ in site.bodies.values())
    print(f"READY {site.host} {size / 1e6:.1f} MB of XML", flush=True)
    async with server:
        await server.serve_forever()


def main() -> None:
    """Command-line entry point."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--feeds", type=int, default=1000)
    parser.add_argument("--items", type=int, default=30)
    parser.add_argument("--port", type=int, default=8800)
    parser.add_argument("--latency-ms", type=float, default=0.0)
    parser.add_argument(
        "--hosts",
        type=int,
        default=1,
        help="spread feeds over loopback hosts 127.0.0.1..127.0.0.N (default 1)",
    )
    parser.add_argument("--site", default="light", choices=["light", "realistic"])
    args = parser.parse_args()
    try:
        asyncio.run(_main(args))
    except KeyboardInterrupt:
        pass


if __name__ == "__main__":
    main()
