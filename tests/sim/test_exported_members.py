"""The runner's public surface is exactly what `__all__` lists."""

from __future__ import annotations

import merchant_sim.runner as runner
from tests.public_names import public_names


def test_runner_all_matches_its_public_names() -> None:
    public = public_names(runner)
    modules = {
        "cli",
        "engine",
        "faults",
        "html_report",
        "loader",
        "report",
        "schema",
        "stats",
        "svg_chart",
        "timeseries",
        "traffic",
    }
    assert set(runner.__all__) == public - modules
    assert len(runner.__all__) == len(set(runner.__all__))
