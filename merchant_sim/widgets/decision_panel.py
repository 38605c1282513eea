"""The credit decision: outcome, reason codes, score, limit and every rule that fired."""

from __future__ import annotations

from installo.types.checkout import Checkout
from rich.console import Group, RenderableType
from rich.table import Table
from rich.text import Text
from textual.widgets import Static

from merchant_sim.money import format_money

_COLOURS = {"approved": "green", "declined": "red", "in_review": "yellow"}


def decision_renderable(checkout: Checkout) -> RenderableType:
    """The decision as text and a rules table."""
    decision = checkout.decision
    if decision is None:
        return Text("Not decided yet", style="dim")
    status = str(checkout.status)
    head = Text.assemble(
        (f" {status.upper().replace('_', ' ')} ", f"bold reverse {_COLOURS.get(status, 'white')}"),
        f"  score {decision.score if decision.score is not None else '-'}",
    )
    if decision.credit_limit is not None:
        head.append(f"  limit {format_money(decision.credit_limit, 'USD')}")
    if decision.policy_id:
        head.append(f"  {decision.policy_id} v{decision.policy_version}", style="dim")
    reasons = Text("Reasons: " + (", ".join(decision.reason_codes) or "none"))
    rules = Table("rule", "outcome", "reason", box=None, padding=(0, 1), header_style="dim")
    for rule in decision.rules_fired:
        rules.add_row(rule.rule_id, str(rule.outcome), rule.reason_code or "")
    return Group(head, reasons, rules)


class DecisionPanel(Static):
    """Shows one checkout's decision."""

    def show(self, checkout: Checkout) -> None:
        """Display this checkout's decision."""
        self.update(decision_renderable(checkout))
