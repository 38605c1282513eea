"""`installo trigger EVENT`: drive the shortest real flow through the sandbox that emits EVENT,
and print each object it made.

Every flow goes through the public API with the merchant's key (nothing is faked): a customer
with a magic email tag forces the decision, and flows that need time to pass (missed payments,
charge-off, expiry) put their customer on a new test clock and advance only that clock, so the
merchant's own sandbox time and other loans are untouched.
"""

from __future__ import annotations

import argparse
import secrets
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, Final

from rich.console import Console

from .. import Installo
from ..types import Checkout, Customer, CustomerParam, Loan, TestClock

__all__ = ["ALIASES", "TRIGGERS", "add_parser"]

AMOUNT: Final = 60_000  # 600.00 USD
DEFAULTER_ATTEMPTS: Final = 20
# Seeded people who never pay are mostly fraud-ring members; a fresh phone and address get
# about half of them approved.
DEFAULTER_TIERS: Final = ("fraud_ring", "subprime", "thin_file")
LADDER_DAYS: Final = {  # days after the first due date until the event
    "loan.payment_failed": 1,
    "loan.late": 11,
    "loan.delinquent": 30,
    "loan.charged_off": 120,
}


@dataclass(slots=True)
class Flow:
    """A trigger run: the client and the console it reports each object on."""

    client: Installo
    console: Console

    def made(self, kind: str, object_id: str, detail: str = "") -> None:
        """Report one object the flow made or changed."""
        self.console.print(f"  {kind:<12} {object_id}  {detail}".rstrip())

    def customer(self, tag: str | None, clock: TestClock | None = None) -> Customer:
        """A new customer: a seeded prime persona under a new email carrying the magic tag."""
        persona = secrets.choice(self.client.sandbox.personas(tier="prime", limit=100).data)
        body = persona.as_customer()
        local, _, domain = body["email"].partition("@")
        body["email"] = f"{local}.{secrets.token_hex(3)}@{domain}"  # a new person
        body = _fresh_contact(body, tag)
        if clock is not None:
            body["test_clock"] = clock.id
        customer = self.client.customers.create(**body)
        self.made("customer", customer.id, customer.email)
        return customer

    def checkout(self, customer: Customer) -> Checkout:
        """An open checkout of one 600.00 USD item."""
        checkout = self.client.checkouts.create(
            items=[
                {"sku": "trigger", "name": "Trigger item", "unit_amount": AMOUNT, "quantity": 1}
            ],
            amount=AMOUNT,
            currency="USD",
            customer=customer.id,
        )
        self.made("checkout", checkout.id, checkout.status)
        return checkout

    def decided(self, tag: str | None, clock: TestClock | None = None) -> Checkout:
        """A checkout confirmed by a new customer with this tag."""
        checkout = self.checkout(self.customer(tag, clock))
        return self.confirm(checkout)

    def confirm(self, checkout: Checkout) -> Checkout:
        """Confirm the 12-month offer (or the first one)."""
        offer = next((o for o in checkout.offers if o.plan == "monthly_12"), checkout.offers[0])
        decided = self.client.checkouts.confirm(checkout.id, offer=offer.id)
        self.made("checkout", decided.id, decided.status)
        if decided.loan:
            self.made("loan", decided.loan, "authorized")
        return decided

    def loan(self, loan: Loan) -> Loan:
        """Report a loan's state."""
        self.made("loan", loan.id, loan.status)
        return loan

    def approved_loan(self, clock: TestClock | None = None) -> str:
        """The loan of an approved checkout."""
        checkout = self.decided("approve", clock)
        assert checkout.loan is not None, "an +approve customer is approved"
        return checkout.loan

    def clock(self) -> TestClock:
        """A new test clock for this flow alone."""
        clock = self.client.test_clocks.create(name="installo trigger")
        self.made("test_clock", clock.id, f"frozen at {clock.frozen_time.isoformat()}")
        return clock


def _fresh_contact(body: CustomerParam, tag: str | None) -> CustomerParam:
    """The customer with a new phone and street number, and the magic tag (or a random one,
    which changes nothing the engines read), so fraud velocity checks never link the flows."""
    local, _, domain = body["email"].partition("@")
    body["email"] = f"{local.partition('+')[0]}+{tag or secrets.token_hex(3)}@{domain}"
    body["phone"] = f"+1 415 {secrets.randbelow(900) + 100} {secrets.randbelow(10_000):04d}"
    if "address" in body:
        body["address"]["line1"] = f"{secrets.randbelow(9000) + 100} Trigger Way"
    return body


def _approved(flow: Flow) -> None:
    flow.approved_loan()


def _tagged(tag: str) -> Callable[[Flow], None]:
    def run(flow: Flow) -> None:
        flow.decided(tag)

    return run


def _canceled(flow: Flow) -> None:
    checkout = flow.checkout(flow.customer("approve"))
    flow.made("checkout", flow.client.checkouts.cancel(checkout.id).id, "canceled")


def _captured(flow: Flow, clock: TestClock | None = None) -> str:
    loan = flow.loan(flow.client.loans.capture(flow.approved_loan(clock)))
    return loan.id


def _customer(flow: Flow) -> None:
    flow.customer(None)


def _checkout(flow: Flow) -> None:
    flow.checkout(flow.customer("approve"))


def _capture(flow: Flow) -> None:
    _captured(flow)


def _refunded(flow: Flow) -> None:
    flow.loan(flow.client.loans.refund(_captured(flow), amount=AMOUNT // 4, reason="trigger"))


def _voided(flow: Flow) -> None:
    flow.loan(flow.client.loans.void(flow.approved_loan()))


def _paid(flow: Flow) -> None:
    loan = flow.client.loans.retrieve(_captured(flow))
    flow.loan(flow.client.loans.pay(loan.id, amount=loan.schedule[0].amount))


def _paid_off(flow: Flow) -> None:
    # On a frozen clock the payoff is exactly what is outstanding: no interest accrues meanwhile.
    loan = flow.client.loans.retrieve(_captured(flow, flow.clock()))
    payoff = loan.principal_balance + loan.interest_outstanding + loan.fees_outstanding
    flow.loan(flow.client.loans.pay(loan.id, amount=payoff))


def _expired(flow: Flow) -> None:
    clock = flow.clock()
    loan_id = flow.approved_loan(clock)
    flow.made("test_clock", flow.client.test_clocks.advance(clock.id, days=31).id, "+31 days")
    flow.loan(flow.client.loans.retrieve(loan_id))


def _defaulted(flow: Flow, clock: TestClock) -> Loan:
    """A captured loan of a customer who never pays, on the clock."""
    candidates = [
        persona
        for tier in DEFAULTER_TIERS
        for persona in flow.client.sandbox.personas(tier=tier, limit=100).data
        if persona.behaviour == "default"
    ]
    for persona in candidates[:DEFAULTER_ATTEMPTS]:
        body = _fresh_contact(persona.as_customer(), None)
        body["test_clock"] = clock.id
        customer = flow.client.customers.create(**body)
        flow.made("customer", customer.id, f"{persona.tier}, never pays")
        checkout = flow.confirm(flow.checkout(customer))
        if checkout.loan:
            return flow.loan(flow.client.loans.capture(checkout.loan))
    raise RuntimeError("no seeded persona who never pays was approved")


def _missed(event: str) -> Callable[[Flow], None]:
    def run(flow: Flow) -> None:
        clock = flow.clock()
        loan = _defaulted(flow, clock)
        days = (loan.schedule[0].due_date - clock.frozen_time.date()).days + LADDER_DAYS[event]
        advanced = flow.client.test_clocks.advance(clock.id, days=days)
        flow.made("test_clock", advanced.id, f"+{days} days")
        flow.loan(flow.client.loans.retrieve(loan.id))

    return run


TRIGGERS: Final[dict[str, Callable[[Flow], None]]] = {
    "customer.created": _customer,
    "checkout.created": _checkout,
    "checkout.approved": _approved,
    "loan.authorized": _approved,
    "checkout.declined": _tagged("decline"),
    "checkout.in_review": _tagged("review"),
    "checkout.canceled": _canceled,
    "loan.captured": _capture,
    "loan.voided": _voided,
    "loan.refunded": _refunded,
    "loan.payment_succeeded": _paid,
    "loan.paid_off": _paid_off,
    "loan.expired": _expired,
    **{event: _missed(event) for event in LADDER_DAYS},
}


# Names other tools use for an event the sandbox emits under another type.
ALIASES: Final = {"review.opened": "checkout.in_review"}


def add_parser(commands: Any, common: Callable[[argparse.ArgumentParser], None]) -> None:
    """Register `trigger`."""
    parser = commands.add_parser(
        "trigger",
        help="drive the shortest real flow that emits an event",
        description="Events: "
        + ", ".join(TRIGGERS)
        + "; aliases: "
        + ", ".join(f"{a} (= {e})" for a, e in ALIASES.items()),
    )
    common(parser)
    parser.add_argument(
        "event", choices=sorted([*TRIGGERS, *ALIASES]), metavar="EVENT", help="event type"
    )
    parser.set_defaults(handler=run)


def run(args: argparse.Namespace, console: Console) -> int:
    """Run the flow for the event and list what it made."""
    event = ALIASES.get(args.event, args.event)
    named = event if event == args.event else f"{args.event} (emitted as {event})"
    console.print(f"Triggering {named}:")
    with Installo(api_key=args.api_key, base_url=args.base_url) as client:
        TRIGGERS[event](Flow(client, console))
    console.print(f"[green]done:[/] {event} emitted")
    return 0
