"""`merchant-sim run` without a sandbox: bad files name their lines; scenarios ship."""

from __future__ import annotations

from pathlib import Path

import pytest

from merchant_sim.__main__ import main
from merchant_sim.runner.cli import EXIT_INVALID

SCENARIOS = sorted((Path(__file__).parents[2] / "merchant_sim" / "scenarios").glob("*.yaml"))

BAD = """\
name: small
seed: 5
customers: 12
concurrency: 3
store:
  currency: USD
  catalog: [{sku: A, name: Anvil, price: lots}]
"""


def test_malformed_scenario_exits_invalid_naming_the_line(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = tmp_path / "bad.yaml"
    path.write_text(BAD)
    assert main(["run", str(path), "--no-progress"]) == EXIT_INVALID
    out = capsys.readouterr().out
    # One line per problem, however long the path: CI logs are read and grepped line by line.
    assert f"error {path}:7: store.catalog[0].price" in out.splitlines()[0]


def test_at_least_four_scenarios_ship() -> None:
    names = {p.stem for p in SCENARIOS}
    assert {"holiday_rush", "subprime_store", "fraud_ring", "flaky_network"} <= names
