"""The run as a time series: per interval, checkouts a second, outcomes and decision latency.

Each checkout counts in the interval its journey ended in (`CheckoutRecord.at`, seconds since the
epoch); intervals start at the first checkout and run to the last, empty ones included, so a
stall shows as a dip rather than disappearing. Latency percentiles use `statistics.quantiles`
(inclusive method), empty when an interval decided nothing.
"""

from __future__ import annotations

import csv
import math
import statistics
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from merchant_sim.runner.stats import CheckoutRecord

__all__ = ["OUTCOMES", "SERIES_COLUMNS", "auto_interval", "time_series", "write_series_csv"]

_NICE_INTERVALS: tuple[float, ...] = (1, 2, 5, 10, 15, 30, 60, 120, 300, 600, 1800, 3600)
MAX_POINTS = 120

OUTCOMES: tuple[str, ...] = ("approved", "declined", "in_review", "no_offer", "error")
SERIES_COLUMNS: tuple[str, ...] = (
    "start_s", "end_s", "checkouts", "checkouts_per_s", *OUTCOMES,
    "decision_latency_p50_ms", "decision_latency_p95_ms",
)  # fmt: skip


def _percentiles(latencies: Sequence[float]) -> tuple[float | None, float | None]:
    if not latencies:
        return None, None
    if len(latencies) == 1:
        return latencies[0], latencies[0]
    cuts = statistics.quantiles(latencies, n=100, method="inclusive")
    return round(cuts[49], 2), round(cuts[94], 2)


def time_series(records: Sequence[CheckoutRecord], interval_s: float = 1.0) -> list[dict[str, Any]]:
    """One row per interval from the first checkout to the last."""
    if interval_s <= 0:
        raise ValueError("interval_s must be positive")
    timed = [r for r in records if r.at is not None]
    if not timed:
        return []
    origin = min(r.at for r in timed if r.at is not None)
    last = max(r.at for r in timed if r.at is not None)
    buckets: list[list[CheckoutRecord]] = [
        [] for _ in range(int((last - origin) // interval_s) + 1)
    ]
    for record in timed:
        assert record.at is not None
        buckets[min(len(buckets) - 1, math.floor((record.at - origin) / interval_s))].append(record)
    rows = []
    for index, bucket in enumerate(buckets):
        latencies = [r.decision_latency_ms for r in bucket if r.decision_latency_ms is not None]
        p50, p95 = _percentiles(latencies)
        row: dict[str, Any] = {
            "start_s": round(index * interval_s, 3),
            "end_s": round((index + 1) * interval_s, 3),
            "checkouts": len(bucket),
            "checkouts_per_s": round(len(bucket) / interval_s, 3),
        }
        row.update({o: sum(1 for r in bucket if r.outcome == o) for o in OUTCOMES})
        row["decision_latency_p50_ms"], row["decision_latency_p95_ms"] = p50, p95
        rows.append(row)
    return rows


def auto_interval(records: Sequence[CheckoutRecord]) -> float:
    """The shortest of 1, 2, 5, 10, 15, 30 s, 1, 2, 5, 10, 30 min, 1 h giving at most 120 rows."""
    times = [r.at for r in records if r.at is not None]
    span = max(times) - min(times) if times else 0.0
    return next((i for i in _NICE_INTERVALS if span / i < MAX_POINTS), _NICE_INTERVALS[-1])


def write_series_csv(path: str | Path, series: Sequence[dict[str, Any]]) -> None:
    """The series as CSV, one interval a row; an empty percentile is an empty cell."""
    with Path(path).open("w", newline="", encoding="utf-8") as handle:
        writer = csv.DictWriter(handle, fieldnames=list(SERIES_COLUMNS))
        writer.writeheader()
        for row in series:
            writer.writerow({k: "" if row[k] is None else row[k] for k in SERIES_COLUMNS})
