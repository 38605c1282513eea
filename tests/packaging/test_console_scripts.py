"""On the base install the console scripts print how to install their extra."""

from __future__ import annotations

import subprocess
import sys
import textwrap
import tomllib
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]


def _run_with_blocked(modules: list[str], entry: str) -> subprocess.CompletedProcess[str]:
    module, func = entry.split(":")
    script = textwrap.dedent(
        f"""
        import sys
        for name in {modules!r}:
            sys.modules[name] = None  # as if the extra were not installed
        import importlib.util
        real_find_spec = importlib.util.find_spec
        def find_spec(name, package=None):
            return None if name in {modules!r} else real_find_spec(name, package)
        importlib.util.find_spec = find_spec
        from {module} import {func}
        sys.exit({func}())
        """
    )
    return subprocess.run(
        [sys.executable, "-c", script], capture_output=True, text=True, check=False, cwd=ROOT
    )


def _scripts() -> dict[str, str]:
    project = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]
    scripts: dict[str, str] = project["scripts"]
    return scripts


@pytest.mark.parametrize(
    ("command", "extra", "blocked"),
    [
        ("mock-server", "server", ["uvicorn", "fastapi"]),
        ("merchant-sim", "sim", ["textual"]),
    ],
)
def test_script_without_its_extra_prints_the_pip_command(
    command: str, extra: str, blocked: list[str]
) -> None:
    result = _run_with_blocked(blocked, _scripts()[command])
    assert result.returncode == 1
    assert "Traceback" not in result.stderr
    assert "ModuleNotFoundError" not in result.stderr
    assert f"pip install 'installo[{extra}]'" in result.stderr
    assert blocked[0] in result.stderr


def test_script_with_its_extra_runs_the_command() -> None:
    result = subprocess.run(
        [str(Path(sys.executable).with_name("mock-server")), "--help"],
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    assert "--seed" in result.stdout


def test_no_top_level_sdk_package_is_shipped() -> None:
    find = tomllib.loads((ROOT / "pyproject.toml").read_text())["tool"]["setuptools"]
    include = find["packages"]["find"]["include"]
    assert "installo*" in include
    assert not any(pattern.startswith("sdk") for pattern in include)
    assert (ROOT / "sdk" / "installo" / "__init__.py").exists()
    assert not (ROOT / "sdk" / "__init__.py").exists()
