"""The credit report summary: score, utilization, tradelines, inquiries, delinquencies."""

from __future__ import annotations

from typing import Any

from installo.types.credit_report import CreditReport
from rich.table import Table
from textual.widgets import Static

from merchant_sim.money import format_bps


def _count(value: Any) -> str:
    """Reports carry counts or lists (of inquiries, ...); show how many either way."""
    if value is None:
        return "-"
    if isinstance(value, list | tuple):
        return str(len(value))
    if isinstance(value, dict):
        parts = [f"{k} {_count(v)}" for k, v in value.items()]
        return ", ".join(parts)
    return str(value)


class CreditPanel(Static):
    """A bureau report in a few lines."""

    def show(self, report: CreditReport | None, notice: str = "") -> None:
        """Display ``report``, or ``notice`` when there is none."""
        if report is None:
            self.update(f"[dim]{notice or 'No credit report yet'}[/]")
            return
        table = Table.grid(padding=(0, 2))
        table.add_column(style="dim")
        table.add_column()
        table.add_column(style="dim")
        table.add_column()
        util = format_bps(report.utilization_bps) if report.utilization_bps is not None else "-"
        frozen = "  [red]FROZEN[/]" if report.frozen else ""
        table.add_row("Score", f"[b]{report.bureau_score or '-'}[/]{frozen}", "Utilization", util)
        table.add_row(
            "Tradelines", str(len(report.tradelines)), "Inquiries", _count(report.inquiries)
        )
        table.add_row(
            "Delinquencies",
            _count(report.delinquencies),
            "Public records",
            _count(report.public_records),
        )
        table.add_row("Pull", str(report.pull_type or "-"), "", "")
        self.update(table)
