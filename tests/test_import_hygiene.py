"""Core modules never import textual, and the CLI imports nothing heavy until it needs it.

Each import runs in a fresh interpreter (this test process has textual loaded already), and the
``reader`` command itself is timed for ``--version`` and ``--help``: lazy imports are what keep
them fast.
"""

from __future__ import annotations

import json
import subprocess
import sys
import time
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
READER = ROOT / ".venv" / "bin" / "reader"

CORE_MODULES = (
    "reader.store",
    "reader.extract",
    "reader.render",
    "reader.render.quotes",
    "reader.render.document",
    "reader.net",
    "reader.sources",
    "reader.sources.feeds",
    "reader.comments",
    "reader.reading",
    "reader.related",
    "reader.history",
    "reader.config",
    "reader.paths",
    "reader.seed",
)
"""Plain-Python modules (DESIGN.md: "never imports textual")."""

CLI_FORBIDDEN = ("textual", "httpx", "markdownify")
CLI_BUDGET_S = 1.0

_PROBE = """
import importlib, json, sys
name, watched = sys.argv[1], sys.argv[2].split(",")
try:
    importlib.import_module(name)
except ModuleNotFoundError as error:
    if error.name and (name == error.name or name.startswith(error.name + ".")):
        print(json.dumps({"missing": error.name}))
        raise SystemExit(0)
    raise
print(json.dumps({"loaded": [m for m in watched if m in sys.modules]}))
"""


def _imports(module: str, watched: tuple[str, ...]) -> list[str]:
    """Which of ``watched`` are in ``sys.modules`` after importing ``module`` in a new process.

    Skips the test when ``module`` does not exist (yet).
    """
    result = subprocess.run(
        [sys.executable, "-c", _PROBE, module, ",".join(watched)],
        capture_output=True,
        text=True,
        timeout=60,
        cwd=ROOT,
    )
    assert result.returncode == 0, f"import {module} failed:\n{result.stderr}"
    answer = json.loads(result.stdout.strip().splitlines()[-1])
    if "missing" in answer:
        pytest.skip(f"{module} does not exist yet (no module named {answer['missing']!r})")
    return answer["loaded"]


@pytest.mark.parametrize("module", CORE_MODULES)
def test_core_module_does_not_import_textual(module: str) -> None:
    """Core code stays usable (and fast) without the UI toolkit."""
    assert _imports(module, ("textual",)) == [], f"{module} pulls in textual"


def test_cli_import_is_light() -> None:
    """``import reader.cli`` leaves textual, httpx and markdownify to the commands."""
    loaded = _imports("reader.cli", CLI_FORBIDDEN)
    assert loaded == [], f"import reader.cli loads {loaded}; import them inside the commands"


def test_cli_parser_is_light() -> None:
    """Building the whole parser (what ``reader --help`` does) imports nothing heavy either."""
    code = (
        "import sys, json; from reader.cli import build_parser; build_parser(); "
        f"print(json.dumps([m for m in {list(CLI_FORBIDDEN)!r} if m in sys.modules]))"
    )
    result = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, timeout=60, cwd=ROOT
    )
    assert result.returncode == 0, result.stderr
    loaded = json.loads(result.stdout.strip().splitlines()[-1])
    assert loaded == [], f"building the parser loads {loaded}"


@pytest.mark.parametrize("flag", ["--version", "--help"])
def test_cli_flag_is_fast(flag: str) -> None:
    """``reader --version`` / ``--help`` exit 0 in under a second (best of 3: shared machines)."""
    if not READER.exists():
        pytest.skip(f"{READER} is not installed (pip install -e .)")
    best = float("inf")
    for _ in range(3):
        started = time.perf_counter()
        result = subprocess.run(
            [str(READER), flag], capture_output=True, text=True, timeout=30, cwd=ROOT
        )
        elapsed = time.perf_counter() - started
        assert result.returncode == 0, f"reader {flag} exited {result.returncode}: {result.stderr}"
        assert result.stdout.strip(), f"reader {flag} printed nothing"
        best = min(best, elapsed)
        if best < CLI_BUDGET_S:
            break
    assert best < CLI_BUDGET_S, f"reader {flag} took {best:.2f} s (budget {CLI_BUDGET_S} s)"
