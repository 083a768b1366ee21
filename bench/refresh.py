"""Refresh benchmark: reader's engine (and ``reader refresh`` if present) vs ``newsboat -x reload``.

Both clients fetch the same feeds from ``bench/feedsite.py`` in the same run: cold (empty
cache) and warm (every feed answers 304). Each measured run is its own process, timed with
wall-clock; its peak RSS is summed over the process and its children (reader's parser and
store processes) at one instant, sampled every 100 ms. ``--repeat N`` runs reader's rows N
times with a fresh store each and shows the median (and the range): on a shared 2-core VM one
run can differ from the next by 10-15 %. Prints a table and the ratio to newsboat
(``reader refresh`` against the faster newsboat setting).

    python bench/refresh.py --feeds 1000 --latency-ms 0 --latency-ms 100 --repeat 5
    python bench/refresh.py --feeds 200 --no-newsboat        # quick check of our engine only
    python bench/refresh.py --site realistic --feeds 200 --hosts 20 --latency-ms 100 --no-engine

``--site realistic`` serves ``bench/realsite.py``'s feeds (issue 14: varied full-content HTML,
seven languages, RSS and Atom mixed). Notes carry per-process CPU: main, parser, store.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
PYTHON = sys.executable


def tree_rss_mb(root: int) -> float:
    """RSS summed over ``root`` and its descendants right now (MB)."""
    parents: dict[int, int] = {}
    rss: dict[int, float] = {}
    for status in Path("/proc").glob("[0-9]*/status"):
        try:
            fields = dict(
                line.split(":", 1)
                for line in status.read_text().splitlines()
                if line.startswith(("PPid:", "VmRSS:"))
            )
            pid = int(status.parent.name)
            parents[pid] = int(fields["PPid"])
            rss[pid] = int(fields.get("VmRSS", "0 kB").split()[0]) / 1024
        except (OSError, KeyError, ValueError):
            continue
    tree, grew = {root}, True
    while grew:
        grew = False
        for pid, parent in parents.items():
            if parent in tree and pid not in tree:
                tree.add(pid)
                grew = True
    return sum(rss.get(pid, 0.0) for pid in tree)


TICK = os.sysconf("SC_CLK_TCK")


def _role(pid: int, root: int) -> str:
    """main (the command itself), store (has the SQLite file open), tracker, or parser."""
    if pid == root:
        return "main"
    try:
        if "resource_tracker" in Path(f"/proc/{pid}/cmdline").read_text():
            return "tracker"
        for fd in Path(f"/proc/{pid}/fd").iterdir():
            if os.readlink(fd).endswith((".db", ".sqlite", ".db-wal")):
                return "store"
    except OSError:
        pass
    return "parser"


def tree_cpu(root: int, seen: dict[int, tuple[str, float]]) -> None:
    """Record CPU seconds (user + system) of ``root``'s descendants into ``seen`` by pid.

    Sampled, so a child's last <100 ms before it exits are missed; the root's own total comes
    from wait4 at the end.
    """
    children = [root]
    for pid in children:
        try:
            kids = Path(f"/proc/{pid}/task/{pid}/children").read_text().split()
        except OSError:
            continue
        children.extend(int(k) for k in kids)
    for pid in children[1:]:
        try:
            fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        cpu = (int(fields[11]) + int(fields[12])) / TICK
        role = seen[pid][0] if pid in seen and seen[pid][0] != "parser" else _role(pid, root)
        seen[pid] = (role, cpu)


def cpu_split(seen: dict[int, tuple[str, float]]) -> str:
    """``store 3.1 s, parser 2.0 s`` from a ``tree_cpu`` record."""
    total: dict[str, float] = {}
    for role, cpu in seen.values():
        total[role] = total.get(role, 0.0) + cpu
    return ", ".join(f"{role} {cpu:.2f}s" for role, cpu in sorted(total.items()))


LAST_CPU: dict[str, str] = {}


def run_measured(cmd: list[str], env: dict[str, str] | None = None) -> tuple[float, float, str]:
    """Run ``cmd``; return (seconds, peak RSS in MB, stdout).

    The peak is the largest RSS summed over the process and its children (parser and store
    processes) at one instant, sampled every 100 ms, or the process's own peak if larger.
    """
    with tempfile.TemporaryFile() as err:
        started = time.perf_counter()
        proc = subprocess.Popen(
            cmd, stdout=subprocess.PIPE, stderr=err, env=env, stdin=subprocess.DEVNULL
        )
        peak = [0.0]
        done = threading.Event()

        seen: dict[int, tuple[str, float]] = {}

        def sample() -> None:
            while not done.wait(0.1):
                peak[0] = max(peak[0], tree_rss_mb(proc.pid))
                tree_cpu(proc.pid, seen)

        sampler = threading.Thread(target=sample, daemon=True)
        sampler.start()
        out = proc.stdout.read() if proc.stdout else b""
        _pid, status, usage = os.wait4(proc.pid, 0)
        elapsed = time.perf_counter() - started
        done.set()
        sampler.join()
        proc.returncode = os.waitstatus_to_exitcode(status)
        main_cpu = usage.ru_utime + usage.ru_stime - sum(c for _r, c in seen.values())
        seen[proc.pid] = ("main", max(main_cpu, 0.0))
        LAST_CPU["split"] = cpu_split(seen)
        if proc.returncode != 0:
            err.seek(0)
            sys.stderr.write(f"{cmd[0]} exited {proc.returncode}: {err.read().decode()[-800:]}\n")
    return elapsed, max(peak[0], usage.ru_maxrss / 1024), out.decode()


class Site:
    """The feed server as a subprocess."""

    def __init__(
        self, feeds: int, latency_ms: float, hosts: int, port: int, site: str = "light"
    ) -> None:
        self.port = port
        self.proc = subprocess.Popen(
            [
                PYTHON,
                str(HERE / "feedsite.py"),
                "--feeds",
                str(feeds),
                "--port",
                str(port),
                "--latency-ms",
                str(latency_ms),
                "--hosts",
                str(hosts),
                "--site",
                site,
            ],
            stdout=subprocess.PIPE,
            text=True,
        )
        line = self.proc.stdout.readline() if self.proc.stdout else ""
        if not line.startswith("READY"):
            raise RuntimeError(f"feedsite did not start: {line!r}")
        import urllib.request

        with urllib.request.urlopen(f"http://127.0.0.1:{port}/feeds.txt") as answer:
            self.urls = answer.read().decode().split()

    def not_modified(self) -> int:
        """304s the site has served so far (to check that a client really sent validators)."""
        import urllib.request

        with urllib.request.urlopen(f"http://127.0.0.1:{self.port}/stats") as answer:
            fields = dict(kv.split("=") for kv in answer.read().decode().split())
        return int(fields["not_modified"])

    def stop(self) -> None:
        self.proc.terminate()
        self.proc.wait(10)


# -- our engine, in a child process ------------------------------------------------------------
def engine_main(args: argparse.Namespace) -> None:
    """Child process: subscribe the URLs in a store (if new) and run one refresh."""
    from reader.refresh.engine import refresh
    from reader.store import Store

    store = Store.open(args.db)
    urls = Path(args.urls).read_text().split()
    if store.feeds.count() == 0:
        with store.db.transaction() as conn:
            conn.executemany(
                "INSERT INTO feeds (url, kind, tags, added_at) VALUES (?, 'feed', '[]', ?)",
                [(u, "2024-01-01T00:00:00+00:00") for u in urls],
            )
    lags: list[float] = []

    async def ticker() -> None:
        # memory is sampled from outside (run_measured), so this process only measures lag
        while True:
            before = time.perf_counter()
            await asyncio.sleep(0.01)
            lags.append(time.perf_counter() - before - 0.01)

    async def main() -> dict:
        tick = asyncio.create_task(ticker())
        started = time.perf_counter()
        summary = await refresh(
            store,
            concurrency=args.concurrency,
            per_host=args.per_host,
            prefetch_pages=args.prefetch,
            parse_in=args.parse_in,
            workers=args.workers,
        )
        elapsed = time.perf_counter() - started
        tick.cancel()
        ordered = sorted(lags) or [0.0]
        return {
            **summary.as_dict(),
            "elapsed": elapsed,
            "max_loop_lag_ms": ordered[-1] * 1000,
            "p99_loop_lag_ms": ordered[int(len(ordered) * 0.99)] * 1000,
        }

    result = asyncio.run(main())
    result.pop("failures", None)
    import resource

    me = resource.getrusage(resource.RUSAGE_SELF)
    result["rss_mb"] = me.ru_maxrss / 1024
    result["cpu_main_s"] = round(me.ru_utime + me.ru_stime, 2)
    store.close()
    print(json.dumps(result))


def run_engine(urls_file: Path, db: Path, args: argparse.Namespace) -> dict:
    cmd = [
        PYTHON,
        str(Path(__file__).resolve()),
        "_engine",
        "--db",
        str(db),
        "--urls",
        str(urls_file),
        "--concurrency",
        str(args.concurrency),
        "--per-host",
        str(args.per_host),
        "--prefetch",
        str(args.prefetch),
        "--parse-in",
        args.parse_in,
        "--workers",
        str(args.workers),
    ]
    elapsed, rss, out = run_measured(cmd)
    data = json.loads(out.strip().splitlines()[-1])
    data["wall"] = elapsed
    data["peak_rss_mb"] = max(rss, data.get("rss_mb", 0))
    return data


# -- the installed CLI ----------------------------------------------------------------------
def reader_command() -> list[str] | None:
    """``reader`` from the venv this script runs in (or PATH), if installed."""
    local = Path(PYTHON).with_name("reader")
    if local.exists():
        return [str(local)]
    found = shutil.which("reader")
    return [found] if found else None


def seed_store(db: Path, urls: list[str]) -> None:
    """Subscribe ``urls`` in a fresh store (bulk insert: subscribing is not what we measure)."""
    from reader.store import Store

    store = Store.open(db)
    with store.db.transaction() as conn:
        conn.executemany(
            "INSERT INTO feeds (url, kind, tags, added_at) VALUES (?, 'feed', '[]', ?)",
            [(u, "2024-01-01T00:00:00+00:00") for u in urls],
        )
    store.close()


def run_cli(urls: list[str], home: Path, args: argparse.Namespace) -> dict | None:
    """``reader --home HOME refresh --json`` with the benchmark's concurrency in config.toml."""
    command = reader_command()
    if command is None:
        return None
    from reader.paths import resolve_paths

    paths = resolve_paths(home).ensure()
    if not paths.db_file.exists():
        seed_store(paths.db_file, urls)
        paths.config_file.write_text(
            f"[refresh]\nconcurrency = {args.concurrency}\nper_host = {args.per_host}\n"
            f"prefetch_pages = {args.prefetch}\n"
        )
    flags = ["--no-pages"] if not args.prefetch else []
    elapsed, rss, out = run_measured([*command, "--home", str(home), "refresh", "--json", *flags])
    try:
        data = json.loads(out)
    except ValueError:
        return {"wall": elapsed, "peak_rss_mb": rss, "note": f"unreadable output: {out[:80]!r}"}
    return {**data, "wall": elapsed, "peak_rss_mb": rss}


# -- newsboat ----------------------------------------------------------------------------------
def run_newsboat(urls: list[str], workdir: Path, threads: int | None) -> tuple[float, float]:
    workdir.mkdir(parents=True, exist_ok=True)
    (workdir / "urls").write_text("\n".join(urls) + "\n")
    config = ["download-timeout 30", "download-retries 1"]
    if threads:
        config.append(f"reload-threads {threads}")
    (workdir / "config").write_text("\n".join(config) + "\n")
    env = {
        **os.environ,
        "HOME": str(workdir),
        "XDG_CONFIG_HOME": str(workdir / "cfg"),
        "XDG_DATA_HOME": str(workdir / "data"),
    }
    cmd = [
        "newsboat",
        "-x",
        "reload",
        "-u",
        str(workdir / "urls"),
        "-c",
        str(workdir / "cache.db"),
        "-C",
        str(workdir / "config"),
    ]
    elapsed, rss, _ = run_measured(cmd, env=env)
    return elapsed, rss


def bench(args: argparse.Namespace, latency: float) -> list[tuple[str, str, float, float, str]]:
    rows: list[tuple[str, str, float, float, str]] = []
    site = Site(args.feeds, latency, args.hosts, args.port, args.site)
    tmp = Path(tempfile.mkdtemp(prefix="reader-bench-"))
    try:
        urls_file = tmp / "urls.txt"
        urls_file.write_text("\n".join(site.urls))
        runs: dict[tuple[str, str], list[tuple[float, float, str]]] = {}
        for rep in range(args.repeat):
            for phase in ("cold", "warm") if not args.no_engine else ():
                data = run_engine(urls_file, tmp / f"reader{rep}.db", args)
                note = (
                    f"new={data['new_items']} 304={data['not_modified']} "
                    f"err={data['errors']} lag p99={data['p99_loop_lag_ms']:.0f}ms "
                    f"max={data['max_loop_lag_ms']:.0f}ms cpu: {LAST_CPU.get('split')}"
                )
                label = f"reader engine (c={args.concurrency}, host={args.per_host})"
                runs.setdefault((label, phase), []).append(
                    (data["elapsed"], data["peak_rss_mb"], note)
                )
                print(label, phase, runs[(label, phase)][-1], flush=True)
            for phase in ("cold", "warm") if not args.no_cli else ():
                cli = run_cli(site.urls, tmp / f"cli-home{rep}", args)
                if cli is None:
                    break
                note = (
                    f"new={cli.get('new_items')} 304={cli.get('not_modified')} "
                    f"err={cli.get('errors')} pages={cli.get('pages', '-')} "
                    f"cpu: {LAST_CPU.get('split')} {cli.get('note', '')}"
                )
                runs.setdefault(("reader refresh (CLI)", phase), []).append(
                    (cli["wall"], cli["peak_rss_mb"], note)
                )
                print(
                    "reader refresh (CLI)",
                    phase,
                    runs[("reader refresh (CLI)", phase)][-1],
                    flush=True,
                )
        for (label, phase), got in runs.items():
            seconds = sorted(g[0] for g in got)
            spread = (
                f"; {len(got)} runs {seconds[0]:.2f}-{seconds[-1]:.2f} s" if len(got) > 1 else ""
            )
            rows.append(
                (
                    label,
                    phase,
                    statistics.median(seconds),
                    max(g[1] for g in got),
                    got[-1][2] + spread,
                )
            )
        if not args.no_newsboat and shutil.which("newsboat"):
            for threads in args.newsboat_threads:
                label = f"newsboat reload-threads={threads or 'default(1)'}"
                for phase in ("cold", "warm"):
                    before = site.not_modified()
                    elapsed, rss = run_newsboat(site.urls, tmp / f"nb{threads}", threads)
                    served = site.not_modified() - before
                    note = f"304s served={served} cpu: {LAST_CPU.get('split')}"
                    rows.append((label, phase, elapsed, rss, note))
                    print(rows[-1], flush=True)
    finally:
        site.stop()
        shutil.rmtree(tmp, ignore_errors=True)
    return rows


def main() -> None:
    if len(sys.argv) > 1 and sys.argv[1] == "_engine":
        parser = argparse.ArgumentParser()
        parser.add_argument("_engine")
        parser.add_argument("--db")
        parser.add_argument("--urls")
        parser.add_argument("--concurrency", type=int)
        parser.add_argument("--per-host", type=int)
        parser.add_argument("--prefetch", type=int)
        parser.add_argument("--parse-in")
        parser.add_argument("--workers", type=int)
        engine_main(parser.parse_args())
        return
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--feeds", type=int, default=1000)
    parser.add_argument("--latency-ms", type=float, action="append")
    parser.add_argument("--hosts", type=int, default=1)
    parser.add_argument("--site", default="light", choices=["light", "realistic"])
    parser.add_argument("--no-engine", action="store_true", help="skip the engine-only rows")
    parser.add_argument("--port", type=int, default=8811)
    parser.add_argument("--concurrency", type=int, default=128)
    parser.add_argument("--per-host", type=int, default=8)
    parser.add_argument("--prefetch", type=int, default=0)
    parser.add_argument("--parse-in", default="process", choices=["thread", "process", "inline"])
    parser.add_argument("--workers", type=int, default=1, help="parser processes")
    parser.add_argument("--newsboat-threads", type=int, nargs="*", default=[0, 16])
    parser.add_argument("--no-newsboat", action="store_true")
    parser.add_argument("--no-cli", action="store_true", help="skip `reader refresh`")
    parser.add_argument(
        "--repeat",
        type=int,
        default=1,
        help="runs of each reader row (fresh store each); the median is shown",
    )
    args = parser.parse_args()
    table = []
    for latency in args.latency_ms or [0.0]:
        for row in bench(args, latency):
            table.append((latency, *row))
    print(f"\n{args.feeds} feeds, {args.hosts} host(s), site={args.site}, prefetch={args.prefetch}")
    print(f"{'latency':>8} {'client':48} {'phase':5} {'seconds':>8} {'RSS MB':>7}  notes")
    for latency, client, phase, secs, rss, note in table:
        print(f"{latency:>6.0f}ms {client:48} {phase:5} {secs:8.2f} {rss:7.0f}  {note}")
    for latency in args.latency_ms or [0.0]:
        for phase in ("cold", "warm"):
            ours = [r for r in table if r[0] == latency and r[2] == phase and "CLI" in r[1]] or [
                r for r in table if r[0] == latency and r[2] == phase and "reader" in r[1]
            ]
            theirs = [r for r in table if r[0] == latency and r[2] == phase and "newsboat" in r[1]]
            if ours and theirs:
                best = min(theirs, key=lambda r: r[3])
                print(
                    f"ratio at {latency:.0f} ms {phase}: newsboat ({best[1]}) / reader = "
                    f"{best[3] / ours[0][3]:.1f}x"
                )


if __name__ == "__main__":
    main()
