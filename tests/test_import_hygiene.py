"""Core modules never import textual or UI code; the CLI imports nothing heavy until it needs it.

Which modules are checked: every module of the installed ``reader`` package, found by walking its
directory, so a new module is covered without editing this file. The UI is ``UI_MODULES`` (the
app, its screens and widgets, the ``reader`` command's TUI launcher, and the themes, which are
Textual ``Theme`` objects); everything else is core.

How (decided: the import graph from the source, plus one fresh interpreter as a cross-check):

- Each module's imports are read from its AST, including imports inside functions and methods:
  a lazy import runs as soon as that function is called, so ``def f(): import textual`` in a core
  module is as much a dependency as a top-level one. Imports under ``if TYPE_CHECKING:`` never
  run and are skipped. ``import a.b.c`` also runs ``a`` and ``a.b``; ``from a import b`` runs
  ``a``, and ``a.b`` when that is a module; a string literal naming a module of the package
  (``importlib.import_module("reader.x")``, the CLI's ``COMMAND_MODULES``) counts as an import.
- From every core module the graph is followed through core modules; reaching ``textual`` or a UI
  module fails the test, with the chain of imports that leads there.
- One edge into the UI is allowed: the ``reader`` command (``reader.cli``) starts the TUI with a
  function-level import of ``reader.cli.tui``; the test checks that it stays function-level.
- The AST cannot see computed import names or third-party packages that load textual, so one fresh
  interpreter also imports every core module and checks that textual and the UI stay unloaded.

The CLI checks run ``reader`` in fresh interpreters too (this process has textual loaded
already). How fast ``reader --version`` / ``--help`` are is a ``slow`` test (wall clock).
"""

from __future__ import annotations

import ast
import json
import subprocess
import sys
import time
from collections import deque
from functools import cache
from pathlib import Path

import pytest

import reader

ROOT = Path(__file__).resolve().parent.parent
READER = ROOT / ".venv" / "bin" / "reader"
PACKAGE_DIR = Path(reader.__file__).resolve().parent

UI_MODULES = ("reader.app", "reader.screens", "reader.widgets", "reader.cli.tui", "reader.themes")
"""The UI: these modules and everything under them (DESIGN.md: core "never imports textual")."""

FORBIDDEN_EXTERNAL = ("textual",)
"""Third-party packages core code must not import (directly or through other core code)."""

ALLOWED_UI_EDGES = {("reader.cli", "reader.cli.tui")}
"""Core -> UI imports that are allowed, and only inside a function: the TUI launch."""

CLI_FORBIDDEN = ("textual", "httpx", "markdownify")
CLI_BUDGET_S = 1.0
"""``reader --version`` / ``--help`` on an idle machine (the ``slow`` test allows 3x)."""


def is_ui(module: str) -> bool:
    """Whether ``module`` is one of ``UI_MODULES`` or inside one."""
    return any(module == ui or module.startswith(ui + ".") for ui in UI_MODULES)


@cache
def package_modules() -> dict[str, Path]:
    """Every module of the package: dotted name -> source file."""
    found: dict[str, Path] = {}
    for path in sorted(PACKAGE_DIR.rglob("*.py")):
        parts = path.relative_to(PACKAGE_DIR.parent).with_suffix("").parts
        if "__pycache__" in parts or not all(part.isidentifier() for part in parts):
            continue
        if parts[-1] == "__init__":
            parts = parts[:-1]
        found[".".join(parts)] = path
    return found


def core_modules() -> list[str]:
    """The package's modules that are not UI."""
    return [name for name in package_modules() if not is_ui(name)]


def _is_type_checking(test: ast.expr) -> bool:
    return (isinstance(test, ast.Name) and test.id == "TYPE_CHECKING") or (
        isinstance(test, ast.Attribute) and test.attr == "TYPE_CHECKING"
    )


class _Imports(ast.NodeVisitor):
    """What one module imports: target -> (line, whether only inside functions)."""

    def __init__(self, module: str, is_package: bool, known: dict[str, Path]) -> None:
        self.package = module if is_package else module.rpartition(".")[0]
        self.known = known
        self.found: dict[str, tuple[int, bool]] = {}
        self.depth = 0

    def _add(self, target: str, line: int) -> None:
        parts = target.split(".")
        if parts[0] != "reader":  # a third-party or stdlib import: its top-level name
            targets = [parts[0]]
        else:  # the package, its parents (their __init__ runs first), when they are modules
            targets = [n for n in (".".join(parts[:i]) for i in range(1, len(parts) + 1))]
            targets = [n for n in targets if n in self.known]
        for name in targets:
            lazy = self.depth > 0
            if name not in self.found or (self.found[name][1] and not lazy):
                self.found[name] = (line, lazy)

    def _resolve(self, level: int, module: str | None) -> str:
        if not level:
            return module or ""
        base = self.package.split(".")
        base = base[: len(base) - (level - 1)]
        return ".".join([*base, module] if module else base)

    def visit_If(self, node: ast.If) -> None:
        if _is_type_checking(node.test):
            for child in node.orelse:
                self.visit(child)
            return
        self.generic_visit(node)

    def _visit_function(self, node: ast.AST) -> None:
        self.depth += 1
        self.generic_visit(node)
        self.depth -= 1

    visit_FunctionDef = _visit_function
    visit_AsyncFunctionDef = _visit_function
    visit_Lambda = _visit_function

    def visit_Import(self, node: ast.Import) -> None:
        for alias in node.names:
            self._add(alias.name, node.lineno)

    def visit_ImportFrom(self, node: ast.ImportFrom) -> None:
        base = self._resolve(node.level, node.module)
        self._add(base, node.lineno)
        for alias in node.names:
            if f"{base}.{alias.name}" in self.known:
                self._add(f"{base}.{alias.name}", node.lineno)

    def visit_Expr(self, node: ast.Expr) -> None:
        if isinstance(node.value, ast.Constant):  # a docstring names modules, imports none
            return
        self.generic_visit(node)

    def visit_Constant(self, node: ast.Constant) -> None:
        if isinstance(node.value, str) and node.value in self.known:
            self._add(node.value, node.lineno)


@cache
def import_graph() -> dict[str, dict[str, tuple[int, bool]]]:
    """module -> {imported module or third-party top-level name: (line, lazy)}."""
    known = package_modules()
    graph = {}
    for name, path in known.items():
        visitor = _Imports(name, path.name == "__init__.py", known)
        visitor.visit(ast.parse(path.read_text(encoding="utf-8"), str(path)))
        visitor.found.pop(name, None)
        graph[name] = visitor.found
    return graph


def forbidden_chain(start: str) -> list[str] | None:
    """The shortest import chain from core module ``start`` to textual or a UI module."""
    graph = import_graph()
    came_from: dict[str, str | None] = {start: None}
    queue = deque([start])
    while queue:
        module = queue.popleft()
        for target, (line, lazy) in sorted(graph.get(module, {}).items()):
            if ((module, target) in ALLOWED_UI_EDGES and lazy) or target in came_from:
                continue
            came_from[target] = f"{module}:{line}{' (in a function)' if lazy else ''}"
            if is_ui(target) or target in FORBIDDEN_EXTERNAL:
                chain = [target]
                step = came_from[target]
                while step is not None:
                    chain.append(step)
                    step = came_from[step.partition(":")[0]]
                return chain[::-1]
            if target in graph and not is_ui(target):
                queue.append(target)
    return None


def test_the_walk_finds_the_package() -> None:
    """The walk sees core and UI modules, and every UI entry still names a real module."""
    modules = package_modules()
    for name in ("reader.store", "reader.extract", "reader.net.client", "reader.cli"):
        assert name in modules and not is_ui(name), name
    for ui in UI_MODULES:
        assert ui in modules, f"UI_MODULES names {ui}, which does not exist any more"
    assert len(core_modules()) > 30


def test_core_modules_never_reach_textual_or_the_ui() -> None:
    """No core module imports textual or UI code, directly, lazily or through other modules."""
    chains = {module: forbidden_chain(module) for module in core_modules()}
    # Shortest chains first: the module that does the import leads the list.
    broken = {
        module: " -> ".join(chain)
        for module, chain in sorted(chains.items(), key=lambda item: len(item[1] or ()))
        if chain
    }
    assert not broken, (
        "core modules that import textual or UI code (module:line imports the next):\n"
        + "\n".join(f"  {module}: {chain}" for module, chain in broken.items())
    )


def test_the_tui_launch_stays_inside_a_function() -> None:
    """``reader.cli`` may reach the UI only lazily, when the TUI is started."""
    graph = import_graph()
    for module, target in ALLOWED_UI_EDGES:
        assert target in graph[module], f"{module} no longer imports {target}: drop the exception"
        line, lazy = graph[module][target]
        assert lazy, f"{module}:{line} imports {target} at module level"


_PROBE = """
import importlib, json, sys
ui, watched = sys.argv[1].split(","), sys.argv[2].split(",")
def loaded():
    return sorted({m.split(".")[0] for m in sys.modules if m.split(".")[0] in watched}
                  | {m for m in sys.modules if any(m == u or m.startswith(u + ".") for u in ui)})
blamed = {}
for name in sys.argv[3:]:
    before = set(loaded())
    importlib.import_module(name)
    new = [m for m in loaded() if m not in before]
    if new:
        blamed[name] = new
print(json.dumps(blamed))
"""


def test_importing_every_core_module_loads_no_textual() -> None:
    """Cross-check in a fresh interpreter: catches what the AST cannot see."""
    result = subprocess.run(
        [
            sys.executable,
            "-c",
            _PROBE,
            ",".join(UI_MODULES),
            ",".join(FORBIDDEN_EXTERNAL),
            *core_modules(),
        ],
        capture_output=True,
        text=True,
        timeout=120,
        cwd=ROOT,
    )
    assert result.returncode == 0, f"importing the core modules failed:\n{result.stderr}"
    blamed = json.loads(result.stdout.strip().splitlines()[-1])
    assert blamed == {}, f"importing these core modules loaded textual or UI code: {blamed}"


def _imports(module: str, watched: tuple[str, ...]) -> list[str]:
    """Which of ``watched`` are in ``sys.modules`` after importing ``module`` in a new process."""
    code = (
        f"import importlib, json, sys; importlib.import_module({module!r}); "
        f"print(json.dumps([m for m in {list(watched)!r} if m in sys.modules]))"
    )
    result = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, timeout=60, cwd=ROOT
    )
    assert result.returncode == 0, f"import {module} failed:\n{result.stderr}"
    return json.loads(result.stdout.strip().splitlines()[-1])


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


def _run_reader(flag: str) -> float:
    """Run ``reader FLAG``; check it exits 0 and prints something; return the seconds it took."""
    if not READER.exists():
        pytest.skip(f"{READER} is not installed (pip install -e .)")
    started = time.perf_counter()
    result = subprocess.run(
        [str(READER), flag], capture_output=True, text=True, timeout=60, cwd=ROOT
    )
    elapsed = time.perf_counter() - started
    assert result.returncode == 0, f"reader {flag} exited {result.returncode}: {result.stderr}"
    assert result.stdout.strip(), f"reader {flag} printed nothing"
    return elapsed


@pytest.mark.parametrize("flag", ["--version", "--help"])
def test_cli_flag_works(flag: str) -> None:
    """``reader --version`` / ``--help`` exit 0 and print (how fast: the slow test below)."""
    _run_reader(flag)


@pytest.mark.slow
@pytest.mark.parametrize("flag", ["--version", "--help"])
def test_cli_flag_is_fast(flag: str) -> None:
    """Wall clock (``pytest -m slow``): best of 3 within 3x the idle budget of a second."""
    best = min(_run_reader(flag) for _ in range(3))
    assert best < 3 * CLI_BUDGET_S, f"reader {flag} took {best:.2f} s (budget {CLI_BUDGET_S} s)"
