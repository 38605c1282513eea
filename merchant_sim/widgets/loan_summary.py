"""A loan's state and balances."""

from __future__ import annotations

from installo.types.loan import Loan
from textual.widgets import Static

from merchant_sim.money import format_bps, format_money


class LoanSummary(Static):
    """Status, amounts and APR of one loan."""

    def show(self, loan: Loan | None) -> None:
        """Display ``loan`` (or a hint when there is none)."""
        if loan is None:
            self.update("[dim]No loan yet: an approved checkout authorizes one.[/]")
            return
        cur = loan.currency
        self.update(
            f"[b]{loan.id}[/b]  [reverse] {str(loan.status).upper()} [/]  APR "
            f"{format_bps(loan.apr_bps)}\n"
            f"Authorized {format_money(loan.authorized_amount, cur)}  ·  "
            f"Captured {format_money(loan.captured_amount, cur)}  ·  "
            f"Refunded {format_money(loan.refunded_amount, cur)}  ·  "
            f"Balance {format_money(loan.principal_balance, cur)}"
        )
