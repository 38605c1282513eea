"""What the storefront session holds: the cart, the shopper, the latest checkout and loan."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from merchant_sim.cart import DEMO_CATALOG, Cart, Product
from merchant_sim.identity import Identity
from merchant_sim.tally import CheckoutRecord, RunStats

if TYPE_CHECKING:  # the SDK's models load with the sandbox, after the storefront's first frame
    from installo.types.checkout import Checkout
    from installo.types.loan import Loan
    from installo.types.merchant import Merchant
    from installo.types.portfolio import Portfolio
    from installo.types.sandbox import Persona

__all__ = ["Session"]


@dataclass
class Session:
    """The TUI's state; screens read it and the app updates it from messages."""

    catalog: tuple[Product, ...] = DEMO_CATALOG
    cart: Cart = field(default_factory=lambda: Cart("USD", shipping_amount=999, tax_bps=825))
    identity: Identity | None = None
    personas: list[Persona] = field(default_factory=list)
    checkout: Checkout | None = None
    current_loan_id: str | None = None
    loans: dict[str, Loan] = field(default_factory=dict)
    loan_writes: dict[str, int] = field(default_factory=dict)
    loan_epochs: dict[str, int] = field(default_factory=dict)
    stats: RunStats = field(default_factory=RunStats)
    merchants: dict[str, Merchant] = field(default_factory=dict)
    portfolio: Portfolio | None = None
    lender_portfolio: Portfolio | None = None

    @property
    def loan(self) -> Loan | None:
        """The loan the loan screen shows, once it has been read."""
        return self.loans.get(self.current_loan_id) if self.current_loan_id else None

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

    def read_token(self, loan_id: str) -> int | None:
        """Take before reading a loan; None while a change to it is in flight."""
        if self.loan_writes.get(loan_id, 0):
            return None
        return self.loan_epochs.get(loan_id, 0)

    def start_write(self, loan_id: str) -> None:
        """A change to the loan is being sent: reads that overlap it are stale."""
        self.loan_writes[loan_id] = self.loan_writes.get(loan_id, 0) + 1
        self.loan_epochs[loan_id] = self.loan_epochs.get(loan_id, 0) + 1

    def finish_write(self, loan_id: str, loan: Loan | None) -> None:
        """The change answered (``loan``) or failed (None)."""
        self.loan_writes[loan_id] = max(0, self.loan_writes.get(loan_id, 0) - 1)
        self.loan_epochs[loan_id] = self.loan_epochs.get(loan_id, 0) + 1
        if loan is not None:
            self.record_loan(loan)

    def finish_read(self, loan: Loan, token: int | None) -> bool:
        """Keep a read unless a change to the loan overlapped it; says if it was kept."""
        if token is None or token != self.read_token(loan.id):
            return False
        self.record_loan(loan)
        return True

    def record_loan(self, loan: Loan) -> None:
        """Store a loan's latest state (for the loan screen and the dashboard)."""
        self.loans[loan.id] = loan
        self.stats.loan_states.clear()
        self.stats.loan_states.update(str(x.status) for x in self.loans.values())
