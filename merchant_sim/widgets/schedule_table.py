"""A loan's installment schedule."""

from __future__ import annotations

from installo.types.loan import Loan
from textual.widgets import DataTable

from merchant_sim.money import format_money

_STATUS_STYLE = {"paid": "green", "late": "red", "due": "yellow"}


class ScheduleTable(DataTable[str]):
    """One row per installment: due date, amount, principal, interest, fees, status."""

    def on_mount(self) -> None:
        """Set up columns."""
        self.cursor_type = "row"
        self.add_columns("#", "Due", "Amount", "Principal", "Interest", "Fees", "Paid", "Status")

    def show_loan(self, loan: Loan) -> None:
        """Replace the rows with ``loan``'s schedule."""
        self.clear()
        cur = loan.currency
        for entry in loan.schedule:
            status = str(entry.status)
            style = _STATUS_STYLE.get(status)
            self.add_row(
                str(entry.sequence),
                entry.due_date.isoformat(),
                format_money(entry.amount, cur),
                format_money(entry.principal, cur),
                format_money(entry.interest, cur),
                format_money(entry.fees, cur),
                format_money(entry.paid_amount, cur),
                f"[{style}]{status}[/]" if style else status,
            )
