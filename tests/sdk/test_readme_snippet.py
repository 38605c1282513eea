"""The SDK snippet in README.md runs as written against a sandbox on a loopback port."""

from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path

from installo.testing.sandbox import serve_sandbox

README = Path(__file__).resolve().parents[2] / "README.md"


def sdk_snippet() -> str:
    """The first Python block of the README's "The SDK" section."""
    section = README.read_text().split("\n## The SDK\n", 1)[1]
    match = re.search(r"```python\n(.*?)```", section, re.DOTALL)
    assert match, "README.md's SDK section has no python block"
    return match.group(1)


def test_readme_sdk_snippet_runs_and_the_untagged_shopper_is_approved() -> None:
    with serve_sandbox() as base_url:
        env = {k: v for k, v in os.environ.items() if not k.startswith("INSTALLO_")}
        env["INSTALLO_BASE_URL"] = base_url
        result = subprocess.run(
            [sys.executable, "-c", sdk_snippet()],
            capture_output=True,
            text=True,
            env=env,
            check=False,
        )
    assert result.returncode == 0, result.stderr[-3000:]
    assert re.fullmatch(r"approved: loan_\w+ captured 129900 USD\n", result.stdout), result.stdout


def fixtures_snippet() -> str:
    """The Python block of the README's "Testing your integration" section."""
    section = README.read_text().split("\n### Testing your integration\n", 1)[1]
    match = re.search(r"```python\n(.*?)```", section, re.DOTALL)
    assert match, "README.md's testing section has no python block"
    return match.group(1)


def test_readme_fixtures_snippet_passes_as_a_pytest_module(tmp_path: Path) -> None:
    module = tmp_path / "test_readme_fixtures.py"
    module.write_text(fixtures_snippet())
    env = {k: v for k, v in os.environ.items() if not k.startswith("INSTALLO_")}
    result = subprocess.run(
        [sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider", str(module)],
        capture_output=True,
        text=True,
        cwd=tmp_path,
        env=env,
        check=False,
    )
    assert result.returncode == 0, result.stdout[-3000:]
    assert "1 passed" in result.stdout
