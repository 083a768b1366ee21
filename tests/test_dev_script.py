"""scripts/dev.py, the bootstrap behind the README's two commands: standard routes only, and
one clear command when this Python cannot make a venv with pip."""

from __future__ import annotations

import importlib.util
import subprocess
import sys
import venv
from pathlib import Path
from types import ModuleType

import pytest

SCRIPT = Path(__file__).resolve().parent.parent / "scripts" / "dev.py"


def load(venv_dir: Path, monkeypatch: pytest.MonkeyPatch) -> ModuleType:
    monkeypatch.setenv("READER_VENV", str(venv_dir))
    spec = importlib.util.spec_from_file_location("dev_script", SCRIPT)
    assert spec and spec.loader
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_without_uv_or_ensurepip_it_prints_the_fix_and_exits_1(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    """A Python without ensurepip cannot run here: its venv creation failing is simulated."""
    dev = load(tmp_path / "venv", monkeypatch)

    def no_ensurepip(self: venv.EnvBuilder, env_dir: str) -> None:
        Path(env_dir).mkdir(parents=True)
        raise subprocess.CalledProcessError(1, ["python", "-m", "ensurepip"])

    monkeypatch.setattr(dev.shutil, "which", lambda name: None)
    monkeypatch.setattr(venv.EnvBuilder, "create", no_ensurepip)
    with pytest.raises(SystemExit) as stop:
        dev.ensure_venv("")
    assert stop.value.code == 1
    err = capsys.readouterr().err
    assert "cannot make a virtual environment with pip" in err
    assert "To fix it, run:\n    " in err and dev.fix_command() in err
    assert not (tmp_path / "venv").exists(), "no half-made venv is left to trust"


def test_the_fix_names_this_platform() -> None:
    spec = importlib.util.spec_from_file_location("dev_script_fix", SCRIPT)
    assert spec and spec.loader
    dev = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(dev)
    fix = dev.fix_command()
    if Path("/etc/debian_version").exists():
        version = f"{sys.version_info.major}.{sys.version_info.minor}"
        assert fix.startswith(f"sudo apt install python{version}-venv")
    assert "uv" in fix


def test_no_package_index_address_is_hard_coded() -> None:
    text = SCRIPT.read_text(encoding="utf-8")
    assert "pypi.org" not in text and "urllib" not in text
