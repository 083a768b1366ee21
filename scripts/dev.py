#!/usr/bin/env python3
"""Bootstrap for a fresh machine: make .venv, install reader into it, then run it or its tests.

Works where the system Python refuses global installs (PEP 668). Uses the standard routes only,
so the user's pip configuration (mirrors, proxies, certificates) applies: ``uv`` when it is on
PATH (``uv venv`` + ``uv pip``), else ``venv`` with pip. Where neither works (a Debian Python
without ``ensurepip``, say) it prints the one command that fixes it and exits 1.
Uses only the standard library.

    python3 scripts/dev.py run [reader args...]   # install and launch the app
    python3 scripts/dev.py test [pytest args...]  # install with test extras and run every test
    python3 scripts/dev.py lint                   # the house style: ruff format --check, ruff check
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
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


def fix_command() -> str:
    """The one command that gives this platform a Python that can make a venv with pip."""
    version = f"{sys.version_info.major}.{sys.version_info.minor}"
    if Path("/etc/debian_version").exists():
        return (
            f"sudo apt install python{version}-venv   (or: install uv, https://docs.astral.sh/uv/)"
        )
    if Path("/etc/fedora-release").exists() or Path("/etc/redhat-release").exists():
        return "sudo dnf install python3-pip   (or: install uv, https://docs.astral.sh/uv/)"
    if Path("/etc/alpine-release").exists():
        return "sudo apk add py3-pip   (or: install uv, https://docs.astral.sh/uv/)"
    if sys.platform == "darwin":
        return "brew install uv"
    return "install uv (https://docs.astral.sh/uv/) or a Python that has ensurepip"


def _cannot(what: str) -> None:
    print(f"dev.py: {what}. To fix it, run:\n    {fix_command()}", file=sys.stderr)
    raise SystemExit(1)


def _create() -> None:
    """Make the venv: with uv when it is on PATH, else with venv and its pip."""
    print(f"dev.py: creating {VENV}", file=sys.stderr)
    uv = shutil.which("uv")
    if uv:
        subprocess.run([uv, "venv", "-q", "--python", sys.executable, str(VENV)], check=True)
        return
    try:
        venv.EnvBuilder(with_pip=True).create(VENV)
    except (subprocess.CalledProcessError, OSError) as error:
        shutil.rmtree(VENV, ignore_errors=True)  # no half-made venv for the next run to trust
        _cannot(f"this Python cannot make a virtual environment with pip ({error})")


def _installer() -> list[str]:
    """How to install into the venv: its own pip, else uv's."""
    if _has_pip():
        return [str(PY), "-m", "pip", "install", "-q", "--disable-pip-version-check"]
    uv = shutil.which("uv")
    if uv:
        return [uv, "pip", "install", "-q", "--python", str(PY)]
    _cannot(f"{VENV} has no pip and uv is not installed")
    raise AssertionError("unreachable")


def ensure_venv(extras: str) -> None:
    """Create .venv if needed and install the project (editable) with ``extras``."""
    if not PY.exists():
        _create()
    stamp = VENV / f".installed{extras or '-base'}"
    newest = max(p.stat().st_mtime for p in [ROOT / "pyproject.toml"])
    if stamp.exists() and stamp.stat().st_mtime >= newest:
        return
    print("dev.py: installing reader and its dependencies…", file=sys.stderr)
    target = f"{ROOT}[{extras}]" if extras else str(ROOT)
    subprocess.run([*_installer(), "-e", target], check=True)
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
