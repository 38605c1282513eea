"""`merchant-sim run --series-csv --html`: the time series and the HTML report of a real run."""

from __future__ import annotations

import csv
import json
from pathlib import Path

from merchant_sim.__main__ import main
from merchant_sim.runner.cli import EXIT_OK

SMALL = """\
name: small
seed: 5
customers: 12
concurrency: 3
store:
  currency: USD
  catalog: [{sku: A, name: Anvil, price: 25000}]
traffic:
  tiers: {prime: 1}
expect:
  - {metric: checkouts, equals: 12}
"""


def test_a_run_writes_its_series_as_json_csv_and_charts(tmp_path: Path) -> None:
    scenario = tmp_path / "small.yaml"
    scenario.write_text(SMALL)
    report, series, page = tmp_path / "r.json", tmp_path / "s.csv", tmp_path / "r.html"
    code = main(["run", str(scenario), "--no-progress", "--report", str(report),
                 "--series-csv", str(series), "--html", str(page)])  # fmt: skip
    assert code == EXIT_OK
    data = json.loads(report.read_text())
    rows = data["time_series"]
    assert sum(row["checkouts"] for row in rows) == 12
    assert all(row["decision_latency_p95_ms"] is not None for row in rows if row["checkouts"])
    with series.open() as handle:
        assert sum(int(r["checkouts"]) for r in csv.DictReader(handle)) == 12
    assert page.read_text().count("<svg") == 3
