"""The dashboard: this session's decisions and the merchant's portfolio, in terminal plots.

Plots: approvals and declines by checkout, the decision latency histogram, the tier mix, the
book (outstanding and 30+ days past due) by sandbox month and vintage curves; beside them the
funnel and the money. With nothing to show it says how to get something to show.
"""

from __future__ import annotations

from typing import ClassVar

from installo._exceptions import APIError
from installo.types.portfolio import CurrencyPortfolio
from rich.table import Table
from textual import work
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Grid, Vertical
from textual.widgets import Footer, Static

from merchant_sim.gateway import FeatureUnavailable
from merchant_sim.money import format_money
from merchant_sim.runner.stats import RunStats, percentile
from merchant_sim.screens._base import SimScreen
from merchant_sim.widgets.charts import (
    BookChart,
    DecisionsChart,
    LatencyChart,
    TierMixChart,
    VintageChart,
)
from merchant_sim.widgets.mode_bar import ModeBar

__all__ = ["EMPTY_MESSAGE", "DashboardScreen", "headline", "money_table"]

REFRESH_SECONDS = 2.0
EMPTY_MESSAGE = (
    "[b]Nothing to show yet.[/]\n\n"
    "Press [b]r[/] to run a small scenario (40 shoppers),\n"
    "[b]t[/] to play the demo tour, or check out in the store (F1).\n"
    "Then F5 shows the lender's portfolio and a year of clock."
)


def headline(stats: RunStats) -> str:
    """Checkouts, approval rate and latency percentiles in one line."""
    lat = stats.latencies()
    return (
        f"[b]{len(stats.records)}[/] checkouts   approval "
        f"[b]{stats.rate('approved'):.0%}[/]   p50 [b]{percentile(lat, 50):.0f} ms[/]"
        f"   p95 [b]{percentile(lat, 95):.0f} ms[/]"
    )


def money_table(section: CurrencyPortfolio | None, stats: RunStats) -> Table:
    """The funnel, the book and the income, as a two-column table."""
    table = Table.grid(padding=(0, 1))
    table.add_column(style="dim")
    table.add_column(justify="right")
    if section is None:
        reasons = stats.decline_reasons().most_common(3)
        for code, count in reasons or [("declines", 0)]:
            table.add_row(code, str(count))
        return table
    funnel, code = section.funnel, section.currency
    aging = {b.bucket: b.principal for b in section.aging}
    rows = (
        ("applied", str(funnel.applications)),
        ("approved", str(funnel.approved)),
        ("declined", str(funnel.declined)),
        ("captured", str(funnel.captured)),
        ("paid off", str(funnel.paid_off)),
        ("outstanding", format_money(section.outstanding_principal, code)),
        ("30+ dpd", format_money(sum(aging[b] for b in ("30-59", "60-89", "90-119")), code)),
        ("charged off", format_money(section.charge_offs.principal, code)),
        ("interest", format_money(section.income.interest, code)),
        ("fees", format_money(section.income.fees, code)),
        ("discount", format_money(section.discount_revenue, code)),
    )
    for name, value in rows:
        table.add_row(name, value)
    return table


class DashboardScreen(SimScreen):
    """Live plots of everything this session and this merchant's sandbox have done."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("r", "run_scenario", "Run a scenario"),
        Binding("t", "tour", "Demo tour"),
        Binding("g", "reload", "Refresh"),
    ]

    def __init__(self) -> None:
        super().__init__()
        self.seen_records = 0

    def compose(self) -> ComposeResult:
        """Headline, the empty state, and six panes of plots and numbers."""
        yield ModeBar()
        with Vertical(id="dashboard"):
            yield Static(id="headline")
            yield Static(EMPTY_MESSAGE, id="dash-empty")
            with Grid(id="dash-grid"):
                yield DecisionsChart(id="chart-decisions")
                yield LatencyChart(id="chart-latency")
                yield TierMixChart(id="chart-tiers")
                yield BookChart(id="chart-book")
                yield VintageChart(id="chart-vintages")
                yield Static(id="dash-money", classes="pane")
        yield Footer(compact=True, show_command_palette=False)

    def on_mount(self) -> None:
        """Draw now, read the portfolio, and keep both fresh."""
        self.redraw()
        self.action_reload()
        self.set_interval(REFRESH_SECONDS, self.refresh_if_changed)

    def refresh_if_changed(self) -> None:
        """Redraw; read the portfolio again only when there were new checkouts since."""
        if len(self.session.stats.records) != self.seen_records:
            self.action_reload()
        else:
            self.redraw()

    def on_screen_resume(self) -> None:
        """Read again on return."""
        self.action_reload()

    def action_reload(self) -> None:
        """Read the merchant's portfolio, then redraw."""
        self.seen_records = len(self.session.stats.records)
        self.load_portfolio()

    def action_run_scenario(self) -> None:
        """Run the small showcase scenario against this sandbox."""
        self.sim.run_showcase()

    def action_tour(self) -> None:
        """Play the demo tour."""
        self.sim.action_demo()

    @work(exclusive=True, group="portfolio")
    async def load_portfolio(self) -> None:
        """Fetch the portfolio (the merchant's own loans) and keep its section for the cart's
        currency (or the first one)."""
        if self.gateway is not None:
            try:
                portfolio = await self.gateway.portfolio()
            except (FeatureUnavailable, APIError):
                portfolio = None
            if portfolio is not None:
                self.session.portfolio = portfolio
        self.redraw()

    def _section(self) -> CurrencyPortfolio | None:
        portfolio = self.session.portfolio
        if portfolio is None or not portfolio.currencies:
            return None
        return portfolio.currency(self.session.cart.currency) or portfolio.currencies[0]

    def redraw(self) -> None:
        """Read the session's numbers and the portfolio into the widgets."""
        stats, section = self.session.stats, self._section()
        empty = not stats.records and section is None
        self.query_one("#dash-empty").display = empty
        self.query_one("#dash-grid").display = not empty
        self.query_one("#headline", Static).update(headline(stats))
        if empty:
            return
        self.query_one(DecisionsChart).show(stats.records)
        self.query_one(LatencyChart).show(stats.latencies())
        self.query_one(TierMixChart).show(stats.records)
        self.query_one(BookChart).show(section.months if section else [], self._currency(section))
        self.query_one(VintageChart).show(section.vintages if section else [])
        money = self.query_one("#dash-money", Static)
        money.border_title = f"Portfolio ({section.currency})" if section else "Decline reasons"
        money.update(money_table(section, stats))

    def _currency(self, section: CurrencyPortfolio | None) -> str:
        return section.currency if section else self.session.cart.currency
