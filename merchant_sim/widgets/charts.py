"""Terminal plots (textual-plotext over plotext) for the dashboard and the portfolio screen.

Each chart is a widget the screen hands data to (``show(...)``); it clears and redraws itself.
Money is plotted in whole major units (integer division at display); shares in percent.
"""

from __future__ import annotations

import math
from collections import Counter
from collections.abc import Sequence
from typing import Any

from installo.types.portfolio import BucketTally, MonthFigures, Vintage
from textual.app import RenderResult
from textual_plotext import PlotextPlot

from merchant_sim.money import minor_per_major
from merchant_sim.runner.stats import CheckoutRecord

__all__ = [
    "AgingChart",
    "BookChart",
    "DecisionsChart",
    "LatencyChart",
    "TierMixChart",
    "VintageChart",
]

#: Columns taken by the y labels and axes, when working out how many x labels fit.
_AXIS_WIDTH = 12
_TIERS = ("prime", "near_prime", "subprime", "thin_file", "frozen_file", "fraud_ring")
_SHORT = {"near_prime": "near", "thin_file": "thin", "frozen_file": "frozen", "fraud_ring": "fraud"}


class _Chart(PlotextPlot):
    """A plot with a title that says when there is nothing to draw yet.

    Category labels (tiers, buckets, months) go at x = 1, 2, ... and only as many are shown as
    fit the width without touching: plotext would drop overlapping labels in an order that
    depends on Python's string hashing, so the same data could draw differently run to run.
    """

    def __init__(self, title: str, *, id: str | None = None) -> None:
        super().__init__(id=id, classes="chart")
        self.title = title
        self.categories: list[str] = []

    def _start(self, empty: bool) -> None:
        plt = self.plt
        plt.clear_figure()
        plt.title(f"{self.title}: no data yet" if empty else self.title)
        self.categories = []

    def _finish(self) -> None:
        self.refresh()

    def render(self) -> RenderResult:
        """Place the category labels that fit this width, then draw."""
        if self.categories:
            widest = max(len(label) for label in self.categories) + 2
            room = max(self.size.width - _AXIS_WIDTH, widest)
            step = max(1, math.ceil(len(self.categories) * widest / room))
            shown: list[float] = list(range(1, len(self.categories) + 1, step))
            self.plt.xticks(shown, [self.categories[int(x) - 1] for x in shown])
        return super().render()


class DecisionsChart(_Chart):
    """Approvals and declines so far, cumulative, by checkout."""

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__("Approvals / declines", id=id)

    def show(self, records: Sequence[CheckoutRecord]) -> None:
        """Draw the running totals of approvals and declines."""
        self._start(not records)
        if records:
            self.plt.xlabel("checkouts")
            approved, declined, xs = [], [], []
            yes = no = 0
            for n, record in enumerate(records, start=1):
                yes += record.outcome == "approved"
                no += record.outcome == "declined"
                xs.append(n)
                approved.append(yes)
                declined.append(no)
            self.plt.plot(xs, approved, label="approved", color="green", marker="braille")
            self.plt.plot(xs, declined, label="declined", color="red", marker="braille")
        self._finish()


class LatencyChart(_Chart):
    """A histogram of decision latencies."""

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__("Decision latency (ms)", id=id)

    def show(self, latencies_ms: Sequence[float]) -> None:
        """Draw the latency histogram."""
        self._start(not latencies_ms)
        if latencies_ms:
            self.plt.hist(list(latencies_ms), bins=12, color="cyan")
        self._finish()


class TierMixChart(_Chart):
    """Checkouts by risk tier: approved beside the rest."""

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__("Tier mix", id=id)

    def show(self, records: Sequence[CheckoutRecord]) -> None:
        """Draw a pair of bars per tier seen."""
        self._start(not records)
        if records:
            tiers = [t for t in _TIERS if any(r.tier == t for r in records)]
            tiers += sorted({r.tier for r in records if r.tier and r.tier not in _TIERS})
            approved = Counter(r.tier for r in records if r.outcome == "approved")
            total = Counter(r.tier for r in records)
            labels = [_SHORT.get(t, t) for t in tiers]
            # textual-plotext's stub lags plotext 5: labels= and a colour per series are real.
            plt: Any = self.plt
            self.categories = labels
            plt.multiple_bar(
                list(range(1, len(labels) + 1)),
                [[approved[t] for t in tiers], [total[t] - approved[t] for t in tiers]],
                labels=["approved", "other"],
                color=["green", "red"],
            )
        self._finish()


class BookChart(_Chart):
    """Outstanding and 30+ delinquent principal at each sandbox month-end."""

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__("Book: outstanding, 30+", id=id)

    def show(self, months: Sequence[MonthFigures], currency: str) -> None:
        """Draw the book by month, in whole units of ``currency``."""
        self._start(not months)
        if months:
            unit = minor_per_major(currency)
            xs: list[float] = list(range(1, len(months) + 1))
            self.plt.plot(xs, [m.outstanding // unit for m in months], label="outstanding")
            self.plt.plot(xs, [m.delinquent // unit for m in months], label="30+ dpd", color="red")
            self.categories = [m.month[2:] for m in months]
            self.plt.ylabel(currency)
        self._finish()


class VintageChart(_Chart):
    """Cumulative 30+ delinquency by months on book, one line per vintage."""

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__("Vintages: ever 30+ %", id=id)

    def show(self, vintages: Sequence[Vintage]) -> None:
        """Draw the latest six vintages' curves."""
        self._start(not vintages)
        for vintage in list(vintages)[-6:]:
            xs = [p.months_on_book for p in vintage.curve]
            ys = [p.delinquent_bps / 100 for p in vintage.curve]
            self.plt.plot(xs, ys, label=vintage.vintage[2:], marker="braille")
        if vintages:
            top = max(p.delinquent_bps for v in vintages for p in v.curve)
            self.plt.ylim(0, max(top / 100, 1))
            self.plt.xlabel("months on book")
        self._finish()


class AgingChart(_Chart):
    """Principal by delinquency aging bucket today."""

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__("Aging (days past due)", id=id)

    def show(self, aging: Sequence[BucketTally], currency: str) -> None:
        """Draw one bar per bucket, in whole units of ``currency``."""
        empty = not any(b.count for b in aging)
        self._start(empty)
        if not empty:
            unit = minor_per_major(currency)
            self.categories = [b.bucket for b in aging]
            self.plt.bar(list(range(1, len(aging) + 1)), [b.principal // unit for b in aging])
        self._finish()
