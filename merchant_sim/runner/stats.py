"""What a run observed, and the metrics expectations are checked against."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from merchant_sim.runner.schema import Expectation

# The counts themselves live outside the runner package, so the storefront's session keeps them
# without importing the runner (its scenario loader, engine and reports) before its first frame.
from merchant_sim.tally import CheckoutRecord, RunStats, percentile

__all__ = ["CheckoutRecord", "ExpectationResult", "RunStats", "check_expectations", "percentile"]


@dataclass(frozen=True)
class ExpectationResult:
    """One expectation and whether the run met it."""

    expectation: Expectation
    value: float
    passed: bool
    currency: str | None = None

    @property
    def shown(self) -> str:
        """The value as text (money as money)."""
        return self.expectation.show(self.value, self.currency)

    @property
    def message(self) -> str:
        """``ok`` or what was expected against what was seen."""
        if self.passed:
            return "ok"
        return f"expected {self.expectation.label_in(self.currency)}, got {self.shown}"


def check_expectations(
    stats: RunStats, expectations: Sequence[Expectation]
) -> list[ExpectationResult]:
    """Evaluate every expectation against the run."""
    results = []
    for exp in expectations:
        value = stats.metric(exp.metric, exp.tier)
        results.append(ExpectationResult(exp, value, exp.holds(value), stats.currency))
    return results
