"""The book month by month: each loan observed at every month-end, then roll rates, vintage
curves and monthly balances from those observations.

A month's observation date is its last day, or the loan's as-of date in the month that is still
running, so the current month shows the book as it stands today. A vintage is the month a loan was
captured; its curve counts, at each month on book, the principal of loans that were 30 or more
days past due at some month-end so far ("ever 30+") and the principal charged off so far.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date
from itertools import pairwise

from mock_server.analytics.figures import (
    BookedLoan,
    RollRate,
    Vintage,
    VintagePoint,
    share_bps,
)
from mock_server.analytics.timeline import (
    BUCKETS,
    LoanState,
    LoanTimeline,
    month_end,
    month_key,
    months_between,
)
from mock_server.domain.states import LoanStatus

__all__ = ["DELINQUENT_DPD", "Observed", "observe", "roll_rates", "vintages"]

#: Days past due from which a loan counts as delinquent in vintage curves and monthly figures.
DELINQUENT_DPD = 30
_SERVICED = frozenset({LoanStatus.ACTIVE, LoanStatus.LATE, LoanStatus.DELINQUENT})


@dataclass(slots=True)
class Observed:
    """One captured loan, its month-end states, and its charge-off and recoveries."""

    booked: BookedLoan
    timeline: LoanTimeline
    states: dict[str, LoanState] = field(default_factory=dict)

    @property
    def vintage(self) -> str:
        """The month it was captured."""
        captured = self.booked.loan.captured_on
        assert captured is not None
        return month_key(captured)


def observe(booked: BookedLoan) -> Observed | None:
    """Replay a loan to each month-end from its capture to its as-of date (None if never
    captured or captured after its as-of date)."""
    captured = booked.loan.captured_on
    if captured is None or captured > booked.as_of:
        return None
    timeline = LoanTimeline(booked.loan)
    observed = Observed(booked, timeline)
    for key in months_between(captured, booked.as_of):
        state = timeline.at(min(month_end(key), booked.as_of))
        assert state is not None  # captured on or before this day
        observed.states[key] = state
    timeline.at(booked.as_of)  # charge-off and recoveries up to the as-of date
    return observed


def _destination(state: LoanState) -> str:
    if state.status in _SERVICED or state.status is LoanStatus.CHARGED_OFF:
        return state.bucket
    return state.status.value


def roll_rates(loans: Sequence[Observed]) -> list[RollRate]:
    """For each pair of consecutive month-ends, loans serviced at the first by bucket, and where
    they stood at the second; ``rate_bps`` is the share of the from-bucket's principal."""
    moves: dict[tuple[str, str, str, str], list[int]] = defaultdict(lambda: [0, 0])
    totals: dict[tuple[str, str, str], int] = defaultdict(int)
    for loan in loans:
        keys = list(loan.states)
        for first, second in pairwise(keys):
            before, after = loan.states[first], loan.states[second]
            if before.status not in _SERVICED:
                continue
            move = moves[(first, second, before.bucket, _destination(after))]
            move[0] += 1
            move[1] += before.principal
            totals[(first, second, before.bucket)] += before.principal
    order = {name: n for n, name in enumerate(BUCKETS)}
    rates = [
        RollRate(a, b, src, dst, count, principal, share_bps(principal, totals[(a, b, src)]))
        for (a, b, src, dst), (count, principal) in moves.items()
    ]
    return sorted(
        rates, key=lambda r: (r.from_month, order[r.from_bucket], order.get(r.to_bucket, 99))
    )


def vintages(loans: Sequence[Observed]) -> list[Vintage]:
    """Vintage curves by capture month: cumulative 30+ delinquency and charge-off by months on
    book, as principal and as a share of the principal originated."""
    groups: dict[str, list[Observed]] = defaultdict(list)
    for loan in loans:
        groups[loan.vintage].append(loan)
    return [_vintage(key, groups[key]) for key in sorted(groups)]


def _vintage(key: str, loans: list[Observed]) -> Vintage:
    originated = sum(o.booked.loan.captured_amount for o in loans)
    horizon = max(max(o.states) for o in loans)
    months = months_between(month_end(key), month_end(horizon))
    last_day = max(o.booked.as_of for o in loans)
    curve: list[VintagePoint] = []
    for mob, month in enumerate(months):
        delinquent = charged = 0
        for loan in loans:
            seen = [s for m, s in loan.states.items() if m <= month]
            if any(s.dpd >= DELINQUENT_DPD for s in seen):
                delinquent += loan.booked.loan.captured_amount
            if seen and seen[-1].status is LoanStatus.CHARGED_OFF:
                charged += loan.timeline.charged_off_principal
        on = min(month_end(month), last_day)
        curve.append(
            VintagePoint(
                mob,
                on,
                delinquent,
                share_bps(delinquent, originated),
                charged,
                share_bps(charged, originated),
            )
        )
    return Vintage(key, len(loans), originated, curve)


def month_on(key: str, as_of: date) -> date:
    """The observation date of month ``key`` for a book as of ``as_of``."""
    return min(month_end(key), as_of)
