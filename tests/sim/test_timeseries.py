"""The run's time series: per interval checkouts a second, outcomes and decision latency."""

from __future__ import annotations

import csv
from pathlib import Path

import pytest

from merchant_sim.runner.stats import CheckoutRecord
from merchant_sim.runner.timeseries import (
    SERIES_COLUMNS,
    auto_interval,
    time_series,
    write_series_csv,
)


def _record(at: float, outcome: str = "approved", latency: float | None = 10.0) -> CheckoutRecord:
    return CheckoutRecord("prime", "en_US", outcome, decision_latency_ms=latency, at=at)


def test_each_checkout_counts_in_the_interval_it_ended_in() -> None:
    records = [_record(100.0), _record(100.4, "declined"), _record(101.2), _record(103.9, "error")]
    series = time_series(records, interval_s=1.0)
    assert [row["checkouts"] for row in series] == [2, 1, 0, 1]
    assert series[0]["approved"] == 1 and series[0]["declined"] == 1
    assert series[3]["error"] == 1
    assert [row["start_s"] for row in series] == [0, 1, 2, 3]


def test_an_empty_interval_shows_as_zero_with_no_latency() -> None:
    series = time_series([_record(0.0), _record(2.5)], interval_s=1.0)
    assert series[1]["checkouts"] == 0
    assert series[1]["checkouts_per_s"] == 0
    assert series[1]["decision_latency_p50_ms"] is None


def test_rate_is_checkouts_over_the_interval_length() -> None:
    series = time_series([_record(0.0 + n * 0.5) for n in range(10)], interval_s=2.0)
    assert [row["checkouts_per_s"] for row in series] == [2.0, 2.0, 1.0]


def test_latency_percentiles_per_interval() -> None:
    records = [_record(0.0, latency=float(ms)) for ms in range(1, 101)]
    row = time_series(records, interval_s=1.0)[0]
    assert row["decision_latency_p50_ms"] == pytest.approx(50.5)
    assert row["decision_latency_p95_ms"] == pytest.approx(95.05)


def test_no_timed_records_no_series() -> None:
    assert time_series([CheckoutRecord("prime", "en_US", "approved")]) == []


def test_the_interval_keeps_a_long_run_to_at_most_120_rows() -> None:
    assert auto_interval([_record(0.0), _record(30.0)]) == 1
    assert auto_interval([_record(0.0), _record(600.0)]) == 10
    hour = [_record(0.0), _record(3600.0)]
    assert len(time_series(hour, auto_interval(hour))) <= 121


def test_csv_has_one_row_per_interval_and_blank_missing_latency(tmp_path: Path) -> None:
    path = tmp_path / "series.csv"
    write_series_csv(path, time_series([_record(0.0), _record(2.0)], interval_s=1.0))
    with path.open() as handle:
        rows = list(csv.DictReader(handle))
    assert list(rows[0]) == list(SERIES_COLUMNS)
    assert [r["checkouts"] for r in rows] == ["1", "0", "1"]
    assert rows[1]["decision_latency_p95_ms"] == ""
