"""The lender's portfolio, with the sandbox clock beside it: `m` moves a month, `y` plays a year
in a minute (a month every five seconds; space pauses and resumes), and the curves move."""

from __future__ import annotations

import asyncio
from datetime import date
from typing import ClassVar

from installo._exceptions import APIError
from installo.types.portfolio import CurrencyPortfolio, Portfolio
from rich.table import Table
from textual import work
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Grid, Horizontal, Vertical
from textual.widgets import Footer, Label, Static

from merchant_sim.gateway import FeatureUnavailable
from merchant_sim.money import format_money
from merchant_sim.screens._base import SimScreen
from merchant_sim.widgets.charts import AgingChart, BookChart, VintageChart
from merchant_sim.widgets.mode_bar import ModeBar

__all__ = ["MONTH_SECONDS", "YEAR_MONTHS", "PortfolioScreen", "roll_table"]

#: A year in a minute: twelve months, five seconds each.
YEAR_MONTHS = 12
MONTH_SECONDS = 5.0
CLOCK_HELP = (
    "[b]m[/] a month on\n[b]y[/] a year in a minute\n[b]space[/] pause, resume\n[b]g[/] refresh"
)
EMPTY_MESSAGE = (
    "[b]No loans on the book yet.[/]\n\n"
    "Run a scenario ([b]r[/] on the dashboard, F4)\n"
    "or the demo tour ([b]t[/] there), then come back\n"
    "and press [b]y[/]: a year of sandbox clock in a minute."
)


_SHORT = {"paid_off": "paid", "refunded": "refund", "current": "cur"}


def roll_table(section: CurrencyPortfolio) -> Table:
    """The latest month's roll rates out of each bucket: loans and share of its principal."""
    table = Table.grid(padding=(0, 1))
    table.add_column()
    table.add_column(justify="right")
    table.add_column(justify="right")
    if not section.roll_rates:
        table.add_row("[dim]after a month-end[/]", "", "")
        return table
    last = section.roll_rates[-1].from_month
    for rate in (r for r in section.roll_rates if r.from_month == last):
        whole, frac = divmod(rate.rate_bps, 100)
        moved = f"{rate.from_bucket}→{_SHORT.get(rate.to_bucket, rate.to_bucket)}"
        table.add_row(moved, str(rate.count), f"{whole}.{frac:02d}%")
    return table


def book_numbers(section: CurrencyPortfolio) -> Table:
    """Loans, the book, losses and income in one column."""
    code = section.currency
    table = Table.grid(padding=(0, 1))
    table.add_column(style="dim")
    table.add_column(justify="right")
    losses = section.charge_offs
    for name, value in (
        ("loans", str(section.loans)),
        ("on book", format_money(section.outstanding_principal, code)),
        ("charge-off", format_money(losses.principal, code)),
        ("recovered", format_money(losses.recovered, code)),
        ("interest", format_money(section.income.interest, code)),
        ("fees", format_money(section.income.fees, code)),
        ("discount", format_money(section.discount_revenue, code)),
    ):
        table.add_row(name, value)
    return table


class PortfolioScreen(SimScreen):
    """Portfolio analytics of the whole lender (or this merchant, without the admin key)."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("m", "advance_month", "Month on"),
        Binding("y", "year", "Year in a minute"),
        Binding("space", "pause", "Pause/resume"),
        Binding("g", "reload", "Refresh"),
    ]

    def __init__(self) -> None:
        super().__init__()
        self.month_seconds = MONTH_SECONDS
        self.months_done = 0
        self.playing = asyncio.Event()
        self.playing.set()
        self.year_running = False

    def compose(self) -> ComposeResult:
        """The clock on the left, the book on the right."""
        yield ModeBar()
        with Horizontal(id="portfolio-body"):
            with Vertical(id="clock-pane", classes="pane"):
                yield Label("Sandbox clock", classes="pane-title")
                yield Static(id="clock-date")
                yield Static(CLOCK_HELP, id="clock-help")
                yield Static(id="clock-status")
                yield Static(id="book-numbers")
            yield Static(EMPTY_MESSAGE, id="portfolio-empty")
            with Grid(id="portfolio-grid"):
                yield BookChart(id="pf-book")
                yield VintageChart(id="pf-vintages")
                yield AgingChart(id="pf-aging")
                yield Static(id="pf-rolls", classes="pane")
        yield Footer(compact=True, show_command_palette=False)

    def on_mount(self) -> None:
        """Read the portfolio."""
        self.redraw()
        self.action_reload()

    def on_screen_resume(self) -> None:
        """Read it again on return."""
        self.action_reload()

    def action_reload(self) -> None:
        """Read the portfolio, then redraw."""
        self.load_portfolio()

    @work(exclusive=True, group="portfolio")
    async def load_portfolio(self) -> None:
        """Fetch the portfolio in a worker."""
        await self.fetch()

    async def fetch(self) -> None:
        """The lender's portfolio (admin key), else the merchant's own, into the session."""
        gateway = self.gateway
        if gateway is None:
            return
        try:
            self.session.lender_portfolio = await gateway.portfolio(lender=True)
        except (FeatureUnavailable, APIError):
            try:
                self.session.lender_portfolio = await gateway.portfolio()
            except (FeatureUnavailable, APIError) as exc:
                self.query_one("#clock-status", Static).update(f"[red]{exc}[/]")
        self.redraw()

    def action_advance_month(self) -> None:
        """Move the sandbox clock one month on."""
        if not self.year_running:
            self.one_month()

    @work(exclusive=True, group="clock")
    async def one_month(self) -> None:
        """One month, then the new figures."""
        await self.advance_month()

    async def advance_month(self) -> date | None:
        """Advance the merchant's clock to the same day next month; answers the new date."""
        if self.gateway is None:
            return None
        try:
            now = await self.gateway.advance_month()
        except (FeatureUnavailable, APIError) as exc:
            self.query_one("#clock-status", Static).update(f"[red]{exc}[/]")
            return None
        self.months_done += 1
        await self.fetch()
        return now

    def action_year(self) -> None:
        """A year in a minute: twelve months, one every few seconds."""
        if not self.year_running:
            self.play_year()

    def action_pause(self) -> None:
        """Pause or resume the year."""
        if self.playing.is_set():
            self.playing.clear()
        else:
            self.playing.set()
        self.show_status()

    @work(exclusive=True, group="clock")
    async def play_year(self) -> None:
        """Advance month by month, redrawing after each one."""
        self.year_running, self.months_done = True, 0
        self.show_status()
        try:
            for _ in range(YEAR_MONTHS):
                await self.playing.wait()
                if await self.advance_month() is None:
                    break
                self.show_status()
                if self.month_seconds:
                    await asyncio.sleep(self.month_seconds)
        finally:
            self.year_running = False
            self.show_status()

    def show_status(self) -> None:
        """Where the year is."""
        if self.year_running:
            state = "paused" if not self.playing.is_set() else "playing"
            text = f"Year: month {self.months_done} of {YEAR_MONTHS} ({state})"
        elif self.months_done:
            text = f"{self.months_done} month(s) moved"
        else:
            text = ""
        for status in self.query("#clock-status").results(Static):  # none once unmounted
            status.update(text)

    def _section(self) -> CurrencyPortfolio | None:
        portfolio: Portfolio | None = self.session.lender_portfolio
        if portfolio is None or not any(c.loans for c in portfolio.currencies):
            return None
        return portfolio.currency(self.session.cart.currency) or portfolio.currencies[0]

    def redraw(self) -> None:
        """The date, the charts and the numbers from the latest portfolio."""
        portfolio, section = self.session.lender_portfolio, self._section()
        as_of = portfolio.as_of.isoformat() if portfolio else "…"
        self.query_one("#clock-date", Static).update(f"[b]{as_of}[/]")
        self.query_one("#portfolio-empty").display = section is None
        self.query_one("#portfolio-grid").display = section is not None
        self.show_status()
        if section is None:
            self.query_one("#book-numbers", Static).update("")
            return
        self.query_one(BookChart).show(section.months, section.currency)
        self.query_one(VintageChart).show(section.vintages)
        self.query_one(AgingChart).show(section.aging, section.currency)
        rolls = self.query_one("#pf-rolls", Static)
        rolls.border_title = "Roll rates"
        rolls.update(roll_table(section))
        self.query_one("#book-numbers", Static).update(book_numbers(section))
