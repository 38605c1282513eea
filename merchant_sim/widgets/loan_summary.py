"""A loan's state and balances."""

from __future__ import annotations

from installo.types.loan import LastFurnished, Loan
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
            + (f"\n{furnished_line(loan.last_furnished)}" if loan.last_furnished else "")
        )


def furnished_line(reported: LastFurnished) -> str:
    """How the loan was last reported to the bureau and the score change it caused."""
    change = reported.score_after - reported.score_before
    dispute = (
        f" ({reported.compliance_condition_code})" if reported.compliance_condition_code else ""
    )
    return (
        f"Reported {reported.period}: status {reported.account_status}{dispute}  ·  "
        f"score {reported.score_before} → {reported.score_after} ({change:+d})"
    )
