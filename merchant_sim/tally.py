"""What a run of shoppers observed: one record per checkout, and the run's counts and totals.

The scenario runner, the load runner and the storefront's session all keep these; they live
outside `merchant_sim.runner` (which re-exports them from `merchant_sim.runner.stats`) so the
storefront can hold them without importing the runner before its first frame.
"""

from __future__ import annotations

import math
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass, field

__all__ = ["LOAN_STATES", "MONEY_KEYS", "CheckoutRecord", "RunStats", "percentile"]

LOAN_STATES: tuple[str, ...] = (
    "authorized",
    "active",
    "paid_off",
    "voided",
    "late",
    "delinquent",
    "charged_off",
)
MONEY_KEYS: tuple[str, ...] = (
    "financed",
    "captured",
    "refunded",
    "repaid",
    "charged_off",
    "fees",
    "net_settled",
)


def percentile(values: Sequence[float], pct: float) -> float:
    """Nearest-rank percentile (``pct`` in 0-100); 0.0 for no values."""
    if not values:
        return 0.0
    ordered = sorted(values)
    rank = max(1, math.ceil(pct / 100 * len(ordered)))
    return ordered[rank - 1]


@dataclass
class CheckoutRecord:
    """One simulated shopper's checkout and what became of it."""

    tier: str
    locale: str
    outcome: str
    amount: int = 0
    reason_codes: list[str] = field(default_factory=list)
    rules_fired: list[str] = field(default_factory=list)
    decision_latency_ms: float | None = None
    loan_id: str | None = None
    error: str | None = None
    checkout_id: str | None = None
    at: float | None = None  # when the journey's decision came back (seconds since the epoch)
    score: int | None = None  # the bureau score the decision saw


@dataclass
class RunStats:
    """Everything a run saw: checkouts, errors, loans' final states and money totals."""

    currency: str = "USD"
    records: list[CheckoutRecord] = field(default_factory=list)
    errors: Counter[str] = field(default_factory=Counter)
    server_errors: int = 0
    loan_states: Counter[str] = field(default_factory=Counter)
    money: dict[str, int] = field(default_factory=lambda: dict.fromkeys(MONEY_KEYS, 0))
    double_charges: int = 0
    elapsed_s: float = 0.0
    settlement: dict[str, int] = field(default_factory=dict)  # from the balance transactions
    furnished: Counter[str] = field(default_factory=Counter)  # last Metro 2 status -> loans
    score_changes: list[int] = field(default_factory=list)  # last reported minus applied-with

    def score_change_mean(self) -> float:
        """The mean move of furnished customers' scores since their application (0 for none)."""
        return sum(self.score_changes) / len(self.score_changes) if self.score_changes else 0.0

    def of_tier(self, tier: str | None) -> list[CheckoutRecord]:
        """Records of one tier, or all of them."""
        return [r for r in self.records if tier is None or r.tier == tier]

    def outcome_counts(self, tier: str | None = None) -> Counter[str]:
        """How many checkouts ended in each outcome."""
        return Counter(r.outcome for r in self.of_tier(tier))

    def rate(self, outcome: str, tier: str | None = None) -> float:
        """Share of decided checkouts (errors excluded) with ``outcome``."""
        decided = [r for r in self.of_tier(tier) if r.outcome != "error"]
        if not decided:
            return 0.0
        return sum(1 for r in decided if r.outcome == outcome) / len(decided)

    def latencies(self) -> list[float]:
        """Decision latencies in milliseconds."""
        return [r.decision_latency_ms for r in self.records if r.decision_latency_ms is not None]

    def decline_reasons(self) -> Counter[str]:
        """Reason codes across declines, most common first."""
        counts: Counter[str] = Counter()
        for record in self.records:
            if record.outcome == "declined":
                counts.update(record.reason_codes)
        return counts

    @property
    def checkouts_per_second(self) -> float:
        """Throughput of the traffic phase."""
        return len(self.records) / self.elapsed_s if self.elapsed_s > 0 else 0.0

    def metric(self, name: str, tier: str | None = None) -> float:
        """The value of one expectation metric."""
        outcomes = self.outcome_counts()
        direct: dict[str, float] = {
            "checkouts": len(self.records),
            "approved": outcomes["approved"],
            "declined": outcomes["declined"],
            "in_review": outcomes["in_review"],
            "errors": sum(self.errors.values()),
            "server_errors": self.server_errors,
            "double_charges": self.double_charges,
            "declines_without_reason": sum(
                1 for r in self.records if r.outcome == "declined" and not r.reason_codes
            ),
            "furnished_accounts": sum(self.furnished.values()),
            "scores_up": sum(1 for change in self.score_changes if change > 0),
            "scores_down": sum(1 for change in self.score_changes if change < 0),
            "score_change_mean": self.score_change_mean(),
            "fraud_declines": sum(
                1
                for r in self.records
                if r.outcome == "declined"
                and any("FRAUD" in c or "VELOCITY" in c for c in r.reason_codes)
            ),
        }
        if name in direct:
            return direct[name]
        if name.endswith("_rate"):
            outcome = {"approval": "approved", "decline": "declined", "review": "in_review"}
            return self.rate(outcome[name.removesuffix("_rate")], tier)
        if name.startswith("loans_"):
            return self.loan_states[name.removeprefix("loans_")]
        if name.startswith("amount_"):
            return self.money[name.removeprefix("amount_")]
        if name.startswith("decision_latency_p"):
            pct = float(name.removeprefix("decision_latency_p").removesuffix("_ms"))
            return percentile(self.latencies(), pct)
        raise KeyError(name)
