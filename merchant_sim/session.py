"""What the storefront session holds: the cart, the shopper, the latest checkout and loan."""

from __future__ import annotations

from dataclasses import dataclass, field

from merchant_sim.cart import DEMO_CATALOG, Cart, Product
from merchant_sim.identity import Identity
from merchant_sim.runner.stats import CheckoutRecord, RunStats
from sdk.types.checkout import Checkout
from sdk.types.loan import Loan
from sdk.types.merchant import Merchant
from sdk.types.sandbox import Persona

__all__ = ["Session"]


@dataclass
class Session:
    """The TUI's state; screens read it and the app updates it from messages."""

    catalog: tuple[Product, ...] = DEMO_CATALOG
    cart: Cart = field(default_factory=lambda: Cart("USD", shipping_amount=999, tax_bps=825))
    identity: Identity | None = None
    personas: list[Persona] = field(default_factory=list)
    checkout: Checkout | None = None
    loan: Loan | None = None
    loans: dict[str, Loan] = field(default_factory=dict)
    stats: RunStats = field(default_factory=RunStats)
    merchants: dict[str, Merchant] = field(default_factory=dict)

    def record_decision(
        self, checkout: Checkout, latency_ms: float, tier: str, locale: str
    ) -> None:
        """Count a decision for the dashboard; a settled review (no tier) updates its record."""
        decision = checkout.decision
        earlier = next((r for r in self.stats.records if r.checkout_id == checkout.id), None)
        if earlier is not None and not tier:
            tier, locale = earlier.tier, earlier.locale
            latency_ms = earlier.decision_latency_ms or latency_ms
        record = CheckoutRecord(
            tier=tier,
            locale=locale,
            outcome=str(checkout.status),
            amount=checkout.amount,
            reason_codes=list(decision.reason_codes) if decision else [],
            rules_fired=[r.rule_id for r in decision.rules_fired] if decision else [],
            decision_latency_ms=latency_ms,
            loan_id=checkout.loan,
            checkout_id=checkout.id,
        )
        self.stats.records = [r for r in self.stats.records if r.checkout_id != checkout.id]
        self.stats.records.append(record)

    def record_loan(self, loan: Loan) -> None:
        """Track a loan's latest state for the dashboard."""
        self.loans[loan.id] = loan
        if self.loan is None or self.loan.id == loan.id:
            self.loan = loan
        self.stats.loan_states.clear()
        self.stats.loan_states.update(str(x.status) for x in self.loans.values())
