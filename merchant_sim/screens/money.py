"""The merchant's money (F6): the balance the sandbox owes (available and pending), its payouts to
the bank account and the balance transactions behind them; `n` moves the sandbox clock a day on
(payouts run daily on it)."""

from __future__ import annotations

from typing import ClassVar

from installo._exceptions import APIError
from installo.types.balance import Balance, BalanceTransaction, Payout
from rich.console import Group, RenderableType
from rich.table import Table
from rich.text import Text
from textual import work
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, Vertical
from textual.widgets import DataTable, Footer, Label, Static

from merchant_sim.gateway import FeatureUnavailable
from merchant_sim.money import format_money
from merchant_sim.problems import describe
from merchant_sim.screens._base import SimScreen
from merchant_sim.widgets.mode_bar import ModeBar

__all__ = ["EMPTY_BALANCE", "MoneyScreen", "balance_table"]

EMPTY_BALANCE = "Nothing captured yet: capture a loan (F2, p), then move the clock a day (n)."


def balance_table(balance: Balance, *, moved: bool) -> RenderableType:
    """Available and pending per currency, and when pending money becomes available; with
    nothing ``moved`` yet (no balance transaction), how to get some."""
    currencies = sorted({a.currency for a in [*balance.available, *balance.pending]})
    if not currencies or not moved:
        return f"[dim]{EMPTY_BALANCE}[/]"
    table = Table.grid(padding=(0, 2))
    table.add_column()
    table.add_column(justify="right")
    table.add_column(justify="right")
    table.add_row("", "[b]available[/]", "[b]pending[/]")
    for currency in currencies:
        available = sum(a.amount for a in balance.available if a.currency == currency)
        pending = sum(a.amount for a in balance.pending if a.currency == currency)
        table.add_row(
            currency.upper(), format_money(available, currency), format_money(pending, currency)
        )
    if balance.settlement_delay_days is None:
        return table
    days = balance.settlement_delay_days
    return Group(table, Text(f"pending settles in {days} day(s)", style="dim"))


def _payout_row(payout: Payout) -> tuple[str, ...]:
    status = str(payout.status)
    shown = f"[red]{status}[/]" if status == "failed" else status
    account = f"••{payout.bank_account_last4}" if payout.bank_account_last4 else ""
    return (
        payout.arrival_date,
        format_money(payout.amount, payout.currency),
        shown,
        account,
        payout.failure_code or "",
    )


def _transaction_row(txn: BalanceTransaction) -> tuple[str, ...]:
    return (
        str(txn.type),
        format_money(txn.amount, txn.currency),
        format_money(txn.fee, txn.currency),
        format_money(txn.net, txn.currency),
        txn.status,
        txn.available_on,
        txn.loan or txn.payout or "",
    )


class MoneyScreen(SimScreen):
    """Balance beside the payouts; the balance transactions below."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("n", "next_day", "Day on"),
        Binding("g", "reload", "Refresh"),
    ]

    def compose(self) -> ComposeResult:
        """Balance and payouts on top, transactions below."""
        yield ModeBar()
        with Vertical(id="money-body"):
            with Horizontal(id="money-top"):
                with Vertical(id="balance-pane", classes="pane"):
                    yield Label("Balance", classes="pane-title")
                    yield Static(f"[dim]{EMPTY_BALANCE}[/]", id="balance")
                    yield Static("", id="money-status", classes="notice")
                with Vertical(id="payouts-pane", classes="pane"):
                    yield Label("Payouts", classes="pane-title")
                    yield DataTable[str](id="payouts", cursor_type="row")
            yield Label("Balance transactions", classes="pane-title")
            yield DataTable[str](id="transactions", cursor_type="row")
        yield Footer(compact=True, show_command_palette=False)

    def on_mount(self) -> None:
        """Columns, then load."""
        self.query_one("#payouts", DataTable).add_columns(
            "Arrives", "Amount", "Status", "Account", "Failure"
        )
        self.query_one("#transactions", DataTable).add_columns(
            "Type", "Amount", "Fee", "Net", "Status", "Available", "Source"
        )
        self.load()

    def on_screen_resume(self) -> None:
        """Reload whenever the screen is opened."""
        self.load()

    def action_reload(self) -> None:
        """Read the balance, payouts and transactions again."""
        self.load()

    @work(exclusive=True, group="money")
    async def load(self) -> None:
        """Balance, payouts and transactions from the sandbox."""
        await self._load()

    async def _load(self) -> None:
        gateway = self.gateway
        if gateway is None:
            return
        status = self.query_one("#money-status", Static)
        try:
            balance = await gateway.balance()
            payouts = await gateway.payouts()
            transactions = await gateway.balance_transactions(limit=20)
        except FeatureUnavailable as exc:
            status.update(f"⚠ {exc}")
            return
        except APIError as exc:
            status.update(f"[red]{describe(exc)}[/]")
            return
        status.update("")
        self.query_one("#balance", Static).update(balance_table(balance, moved=bool(transactions)))
        self._fill("#payouts", [_payout_row(p) for p in payouts])
        self._fill("#transactions", [_transaction_row(t) for t in transactions])

    def _fill(self, selector: str, rows: list[tuple[str, ...]]) -> None:
        table = self.query_one(selector, DataTable)
        table.clear()
        for row in rows:
            table.add_row(*row)

    @work(exclusive=True, group="money")
    async def action_next_day(self) -> None:
        """Move the sandbox clock one day on (the daily payout runs), then reload."""
        gateway = self.gateway
        if gateway is None:
            return
        status = self.query_one("#money-status", Static)
        try:
            now = await gateway.advance_clock(1)
        except FeatureUnavailable as exc:
            status.update(f"⚠ {exc}")
            return
        except APIError as exc:
            status.update(f"[red]{describe(exc)}[/]")
            return
        await self._load()
        status.update(f"[dim]sandbox time {now.replace('T', ' ')[:16]}[/]")
