"""The repository is self-contained: nothing points at a design file outside it."""

from __future__ import annotations

import subprocess
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
OUTSIDE = ("DESIGN" + ".md", "../" + "shared")  # split so this file does not match itself


def test_no_file_in_the_repository_points_outside_it() -> None:
    tracked = subprocess.run(
        ["git", "ls-files"], cwd=ROOT, capture_output=True, text=True, check=True
    ).stdout.split()
    hits = [
        f"{name}: {needle}"
        for name in tracked
        if (ROOT / name).is_file()
        for needle in OUTSIDE
        if needle in (ROOT / name).read_text(errors="ignore")
    ]
    assert hits == []


def test_the_docs_the_repository_points_at_exist() -> None:
    for name in ("api.md", "sandbox.md", "internals.md"):
        assert (ROOT / "docs" / name).is_file()


@pytest.mark.parametrize("needle", OUTSIDE)
def test_mock_server_help_and_openapi_describe_themselves(needle: str) -> None:
    from mock_server.__main__ import build_parser
    from mock_server.app import create_app
    from mock_server.settings import Settings

    assert needle not in build_parser().format_help()
    app = create_app(Settings(db="sqlite://", webhook_worker=False))
    try:
        assert needle not in str(app.openapi())
    finally:
        app.state.sandbox.close()
