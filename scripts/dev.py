#!/usr/bin/env python3
"""Bootstrap for a fresh machine: make .venv, install reader into it, then run it or its tests.

Works where the system Python refuses global installs (PEP 668) and where Debian ships Python
without ``ensurepip``: the venv is then created without pip and pip is fetched from PyPI.
Uses only the standard library.

    python3 scripts/dev.py run [reader args...]   # install and launch the app
    python3 scripts/dev.py test [pytest args...]  # install with test extras and run every test
    python3 scripts/dev.py lint                   # the house style: ruff format --check, ruff check
"""

from __future__ import annotations

import hashlib
import json
import os
import subprocess
import sys
import urllib.parse
import urllib.request
import venv
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
VENV = Path(os.environ.get("READER_VENV", ROOT / ".venv"))
BIN = VENV / ("Scripts" if os.name == "nt" else "bin")
PY = BIN / "python"


def _has_pip() -> bool:
    return (
        PY.exists()
        and subprocess.run([str(PY), "-m", "pip", "--version"], capture_output=True).returncode == 0
    )


def _bootstrap_pip() -> None:
    """Install pip into a venv made without it, from the newest wheel on PyPI."""
    index = "https://pypi.org/pypi/pip/json"
    with urllib.request.urlopen(index, timeout=60) as answer:
        release = json.load(answer)
    wheel = next(u for u in release["urls"] if u["filename"].endswith(".whl"))
    target = VENV / wheel["filename"]
    # Mirrors answer with relative links; resolve them against the index address.
    with urllib.request.urlopen(urllib.parse.urljoin(index, wheel["url"]), timeout=120) as answer:
        data = answer.read()
    if hashlib.sha256(data).hexdigest() != wheel["digests"]["sha256"]:
        sys.exit("dev.py: the pip wheel from PyPI failed its checksum")
    target.write_bytes(data)
    subprocess.run([str(PY), f"{target}/pip", "install", "-q", str(target)], check=True)
    target.unlink()


def ensure_venv(extras: str) -> None:
    """Create .venv if needed and install the project (editable) with ``extras``."""
    if not PY.exists():
        print(f"dev.py: creating {VENV}", file=sys.stderr)
        try:
            venv.EnvBuilder(with_pip=True).create(VENV)
        except (subprocess.CalledProcessError, OSError):
            venv.EnvBuilder(with_pip=False, clear=True).create(VENV)
    if not _has_pip():
        print("dev.py: this Python has no ensurepip; fetching pip from PyPI", file=sys.stderr)
        _bootstrap_pip()
    stamp = VENV / f".installed{extras or '-base'}"
    newest = max(p.stat().st_mtime for p in [ROOT / "pyproject.toml"])
    if stamp.exists() and stamp.stat().st_mtime >= newest:
        return
    print("dev.py: installing reader and its dependencies…", file=sys.stderr)
    target = f"{ROOT}[{extras}]" if extras else str(ROOT)
    subprocess.run(
        [str(PY), "-m", "pip", "install", "-q", "--disable-pip-version-check", "-e", target],
        check=True,
    )
    stamp.touch()


def main(argv: list[str]) -> int:
    """Dispatch ``run`` or ``test``."""
    if not argv or argv[0] not in ("run", "test", "lint"):
        print(__doc__)
        return 2
    command, rest = argv[0], argv[1:]
    if command == "run":
        ensure_venv("")
        os.execv(str(BIN / "reader"), [str(BIN / "reader"), *rest])
    ensure_venv("test")
    os.chdir(ROOT)
    if command == "lint":
        paths = ["src", "tests", "bench", "scripts"]
        ruff = [str(PY), "-m", "ruff"]
        formatted = subprocess.run([*ruff, "format", "--check", *paths]).returncode
        return formatted or subprocess.run([*ruff, "check", *paths]).returncode
    return subprocess.run([str(PY), "-m", "pytest", *rest]).returncode


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
