"""Sync speed against the real FreshRSS 1.24.3 (``../shared/sync``): first sync of N generated
items over M feeds, then an incremental sync with nothing new.

    .venv/bin/python bench/sync.py --items 20000 --feeds 200

It starts its own FreshRSS instance (``SYNC_PORT`` 8786 and feed port 8787 unless set, its own
state dir, reseeded), writes M RSS files of N/M items under its feed dir, subscribes to them
through the API (``quickadd`` fetches each at once), then times ``reader sync`` in a child
process each time (wall time, items/s, the child's peak RSS), and the same reading list read
by a bare HTTP client (the server's share of the time). It stops the instance it started.
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import httpx

SHARED = Path(__file__).resolve().parents[2] / "shared" / "sync"
if not SHARED.is_dir():
    SHARED = Path("/work/shared/sync")


def start(env: dict[str, str]) -> dict[str, str]:
    done = subprocess.run(
        ["bash", str(SHARED / "start.sh")],
        env={**env, "SYNC_FRESH": "1", "SYNC_SELFTEST": "0"},
        capture_output=True,
        text=True,
        stdin=subprocess.DEVNULL,
        check=True,
    )
    return dict(line.split("=", 1) for line in done.stdout.splitlines() if "=" in line)


def write_feeds(sync: dict[str, str], items: int, feeds: int) -> list[str]:
    folder = Path(sync["SYNC_FEEDS_DIR"]) / "bench"
    folder.mkdir(exist_ok=True)
    per_feed = max(1, items // feeds)
    urls = []
    base = sync["SYNC_FEEDS_URL"]
    for f in range(feeds):
        entries = "".join(
            f"<item><title>Bench feed {f} item {i}: a headline of usual length</title>"
            f"<link>{base}/bench/{f}/{i}.html</link><guid>bench-{f}-{i}</guid>"
            f"<pubDate>Mon, 02 Sep 2024 {i % 24:02d}:{i % 60:02d}:00 GMT</pubDate>"
            f"<description>&lt;p&gt;{'Body text of a usual feed item. ' * 20}&lt;/p&gt;"
            "</description></item>"
            for i in range(per_feed)
        )
        (folder / f"feed-{f}.xml").write_text(
            f'<?xml version="1.0"?><rss version="2.0"><channel><title>Bench {f}</title>'
            f"<link>{base}/bench/</link>{entries}</channel></rss>",
            encoding="utf-8",
        )
        urls.append(f"{base}/bench/feed-{f}.xml")
    return urls


def subscribe(sync: dict[str, str], urls: list[str]) -> httpx.Client:
    base = sync["SYNC_GREADER_URL"]
    login = httpx.post(
        f"{base}/accounts/ClientLogin",
        data={"Email": sync["SYNC_USER"], "Passwd": sync["SYNC_PASSWORD"]},
    )
    auth = next(x[5:] for x in login.text.splitlines() if x.startswith("Auth="))
    api = httpx.Client(
        base_url=f"{base}/reader/api/0/",
        headers={"Authorization": f"GoogleLogin auth={auth}"},
        timeout=600,
    )
    token = api.get("token").text.strip()
    for url in urls:
        api.post("subscription/quickadd", data={"quickadd": url, "T": token}).raise_for_status()
    return api


def bare_read(api: httpx.Client) -> tuple[int, float]:
    """The whole reading list through a bare client: (items, seconds)."""
    started, count, continuation = time.perf_counter(), 0, None
    while True:
        params = {"n": 1000, **({"c": continuation} if continuation else {})}
        page = api.get("stream/contents/user/-/state/com.google/reading-list", params=params)
        data = page.json()
        count += len(data.get("items", []))
        continuation = data.get("continuation")
        if not data.get("items") or not continuation:
            return count, time.perf_counter() - started


def reader(home: str, *args: str, stdin: str = "") -> tuple[float, str]:
    started = time.perf_counter()
    done = subprocess.run(
        [sys.executable, "-m", "reader", *args],
        env={**os.environ, "READER_HOME": home},
        input=stdin,
        capture_output=True,
        text=True,
        check=True,
    )
    return time.perf_counter() - started, done.stdout


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--items", type=int, default=2000)
    parser.add_argument("--feeds", type=int, default=20)
    args = parser.parse_args()
    port = os.environ.get("SYNC_PORT", "8786")
    env = {
        **os.environ,
        "SYNC_PORT": port,
        "SYNC_FEED_PORT": os.environ.get("SYNC_FEED_PORT", str(int(port) + 1)),
        "SYNC_STATE_DIR": os.environ.get("SYNC_STATE_DIR", f"/tmp/newsreader-sync-bench-{port}"),
    }
    sync = start(env)
    try:
        urls = write_feeds(sync, args.items, args.feeds)
        started = time.perf_counter()
        api = subscribe(sync, urls)
        setup = time.perf_counter() - started
        on_server, server_s = bare_read(api)
        with tempfile.TemporaryDirectory() as home:
            reader(
                home,
                *("account", "add", "--url", sync["SYNC_GREADER_URL"], "--user", sync["SYNC_USER"]),
                *("--name", "bench", "--password-stdin"),
                stdin=sync["SYNC_PASSWORD"] + "\n",
            )
            first_s, out = reader(home, "sync", "--json")
            first = json.loads(out)[0]
            again_s, out = reader(home, "sync", "--json")
            again = json.loads(out)[0]
        peak_mb = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024
        print(
            json.dumps(
                {
                    "items_on_server": on_server,
                    "feeds": first["feeds"],
                    "subscribe_and_server_fetch_s": round(setup, 1),
                    "bare_reading_list_s": round(server_s, 2),
                    "first_sync_s": round(first_s, 2),
                    "first_sync_new_items": first["new_items"],
                    "items_per_s": round(first["new_items"] / first_s),
                    "incremental_sync_s": round(again_s, 2),
                    "incremental_new_items": again["new_items"],
                    "peak_rss_mb_of_a_child": round(peak_mb),
                },
                indent=1,
            )
        )
    finally:
        subprocess.run(["bash", str(SHARED / "stop.sh")], env=env, check=False)


if __name__ == "__main__":
    main()
