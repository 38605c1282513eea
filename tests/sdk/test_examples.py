"""Every script in examples/ runs as written (each starts its own sandbox when it needs one)."""

from __future__ import annotations

import importlib
import os
import subprocess
import sys
from pathlib import Path

import pytest

EXAMPLES = Path(__file__).resolve().parents[2] / "examples"
NEEDS_SERVER = {"quickstart.py", "async_checkout.py", "webhook_receiver.py"}
EXPECTED_OUTPUT = {
    "quickstart.py": ["Checkout chk_", "Annual percentage rate (APR)", "Approved: loan loan_",
                      "Captured $1,417.92", "Refunded $100.00"],
    "async_checkout.py": [" approve: approved, captured $849.00", " decline: declined (",
                          "  review: in review ("],
    "webhook_receiver.py": ["Subscribed whe_", "verified checkout.approved",
                            "hand-signed delivery: HTTP 200", "tampered delivery: HTTP 400"],
    "testing_your_integration.py": [" approve: ordered; loan loan_", "   flaky: ordered;",
                                    "    down: InternalServerError after 3 attempts"],
}  # fmt: skip


def sandbox_available() -> bool:
    """Whether the server (the `[server]` extra and mock_server.app) can be imported."""
    try:
        importlib.import_module("mock_server.app")
    except ImportError:
        return False
    return True


def test_every_example_is_listed() -> None:
    assert {path.name for path in EXAMPLES.glob("*.py")} == set(EXPECTED_OUTPUT)


@pytest.mark.parametrize("name", sorted(EXPECTED_OUTPUT))
def test_example_runs_as_written(name: str) -> None:
    if name in NEEDS_SERVER and not sandbox_available():
        pytest.skip("the sandbox (mock_server.app) is not importable")
    env = {k: v for k, v in os.environ.items() if not k.startswith("INSTALLO_")}
    result = subprocess.run(
        [sys.executable, str(EXAMPLES / name)],
        capture_output=True,
        text=True,
        env=env,
        cwd=EXAMPLES.parent,
        check=False,
    )
    assert result.returncode == 0, result.stderr[-3000:]
    for line in EXPECTED_OUTPUT[name]:
        assert line in result.stdout, f"{line!r} not in:\n{result.stdout}"
