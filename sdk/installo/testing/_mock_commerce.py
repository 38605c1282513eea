"""The respx mock's stateful core: customers, checkouts, loans and their events.

Loans are the sandbox's own domain `Loan` (from the `mock_server.domain` package, pure Python),
so capture, void, refund and payments follow the sandbox's rules and refuse with its codes.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime
from typing import TYPE_CHECKING, Any, Final

import httpx

from ._objects import checkout_object, customer_object, decision_object, event_object, list_object
from ._rules import _import

if TYPE_CHECKING:
    from ._mock import Answers

__all__ = ["Commerce"]

Json = dict[str, Any]
_STATUS_OF: Final = {"approve": "approved", "decline": "declined", "review": "in_review"}
_CONFIRMED: Final = frozenset({"approved", "declined", "in_review"})
_LOAN_EVENTS: Final = {
    "capture": "loan.captured",
    "void": "loan.voided",
    "refunds": "loan.refunded",
    "payments": "loan.payment_succeeded",
}


def _domain() -> Any:
    return _import("mock_server.domain")


def _today() -> Any:
    return datetime.now(UTC).date()


def _state_conflict(checkout: Json, action: str) -> tuple[str, str]:
    """The sandbox's 409 code and message for acting on a checkout that is not open."""
    status = checkout["status"]
    if status in _CONFIRMED:
        message = f"cannot {action}: checkout {checkout['id']} is already confirmed ({status})"
        return "checkout_already_confirmed", message
    return f"checkout_{status}", f"cannot {action}: checkout {checkout['id']} is {status}"


class Commerce:
    """Customers, checkouts, loans and events, kept in memory."""

    def __init__(self, answers: Answers, outcome: Callable[[], str]) -> None:
        self.answers = answers
        self.outcome = outcome
        self.customers: dict[str, Json] = {}
        self.checkouts: dict[str, Json] = {}
        self.loans: dict[str, Json] = {}
        self.events: list[Json] = []
        self._loans: dict[str, Any] = {}  # id -> the domain Loan behind `loans`

    def routes(self) -> list[tuple[str, str, Callable[..., httpx.Response]]]:
        """(method, path regex, handler) for what this part answers."""
        a = self.answers
        return [
            ("POST", r"/v1/customers", self.create_customer),
            ("GET", r"/v1/customers", lambda r, b: a.page(r, self.customers)),
            ("GET", r"/v1/customers/([^/]+)", lambda r, b, i: a.found(self.customers, i)),
            ("GET", r"/v1/customers/([^/]+)/credit_report", self.credit_report),
            ("POST", r"/v1/checkouts", self.create_checkout),
            ("GET", r"/v1/checkouts", lambda r, b: a.page(r, self.checkouts)),
            ("GET", r"/v1/checkouts/([^/]+)", self.get_checkout),
            ("POST", r"/v1/checkouts/([^/]+)/confirm", self.confirm),
            ("POST", r"/v1/checkouts/([^/]+)/cancel", self.cancel),
            ("GET", r"/v1/loans", lambda r, b: a.page(r, self.loans)),
            ("GET", r"/v1/loans/([^/]+)", lambda r, b, i: a.found(self.loans, i)),
            ("POST", r"/v1/loans/([^/]+)/(capture|void|refunds|payments)", self.loan_action),
            ("GET", r"/v1/events", lambda r, b: a.ok(list_object(self.events[::-1]))),
            ("GET", r"/v1/events/stream", lambda r, b: a.stream()),
            ("GET", r"/v1/events/([^/]+)", self.get_event),
        ]

    def record(self, event_type: str, obj: Json) -> None:
        """Append an event wrapping a copy of `obj`."""
        self.events.append(event_object(event_type, dict(obj)))

    # -- customers and checkouts ----------------------------------------------------------------

    def create_customer(self, request: httpx.Request, body: Json) -> httpx.Response:
        customer = customer_object(**{k: v for k, v in body.items() if k != "test_clock"})
        self.customers[customer["id"]] = customer
        self.record("customer.created", customer)
        return self.answers.created(customer)

    def credit_report(self, request: httpx.Request, body: Json, customer_id: str) -> httpx.Response:
        if customer_id not in self.customers:
            return self.answers.missing("customer", customer_id, "id")
        report = {
            "id": f"cr_{customer_id}", "object": "credit_report", "customer": customer_id,
            "bureau_score": 742, "pull_type": "hard", "frozen": False,
            "tradelines": [], "inquiries": [], "public_records": 0,
        }  # fmt: skip
        return self.answers.ok(report)

    def create_checkout(self, request: httpx.Request, body: Json) -> httpx.Response:
        items = body["items"]
        items_total = sum(int(i["unit_amount"]) * int(i["quantity"]) for i in items)
        shipping, tax = int(body.get("shipping_amount", 0)), int(body.get("tax_amount", 0))
        if int(body["amount"]) != items_total + shipping + tax:
            message = (
                f"amount {body['amount']} does not equal the items' total {items_total} plus "
                f"shipping {shipping} and tax {tax} ({items_total + shipping + tax})"
            )
            return self.answers.error(400, "amount_mismatch", message, "amount")
        customer = body["customer"]
        if isinstance(customer, str) and customer not in self.customers:
            return self.answers.missing("customer", customer, "customer")
        if isinstance(customer, dict):
            created = customer_object(**{k: v for k, v in customer.items() if k != "test_clock"})
            self.customers[created["id"]] = created
            customer = created["id"]
        checkout = checkout_object(
            body["amount"], body["currency"], items=items, customer=customer,
            shipping_amount=shipping, tax_amount=tax,
            merchant_reference=body.get("merchant_reference"), metadata=body.get("metadata"),
        )  # fmt: skip
        self.checkouts[checkout["id"]] = checkout
        self.record("checkout.created", checkout)
        return self.answers.created(checkout)

    def get_checkout(self, request: httpx.Request, body: Json, checkout_id: str) -> httpx.Response:
        return self.answers.found(self.checkouts, checkout_id)

    def confirm(self, request: httpx.Request, body: Json, checkout_id: str) -> httpx.Response:
        a = self.answers
        if body["consent"] is not True:
            message = "the customer must consent to the loan agreement (consent: true)"
            return a.error(400, "consent_required", message, "consent")
        checkout = self.checkouts.get(checkout_id)
        if checkout is None:
            return a.missing("checkout", checkout_id, "id")
        if checkout["status"] != "open":
            return a.error(409, *_state_conflict(checkout, "confirm"), None)
        offer = next((o for o in checkout["offers"] if o["id"] == body["offer"]), None)
        if offer is None:
            message = f"offer {body['offer']!r} is not one of checkout {checkout_id}'s offers"
            return a.error(400, "offer_invalid", message, "offer")
        checkout["selected_offer"] = offer["id"]
        self.decide(checkout, self.outcome())
        return a.ok(checkout)

    def decide(self, checkout: Json, outcome: str) -> None:
        """Record `outcome` on the checkout; an approval authorizes a loan on its offer."""
        checkout["status"] = _STATUS_OF[outcome]
        checkout["decision"] = decision_object(outcome)
        loan = None
        if outcome == "approve":
            offer = next(o for o in checkout["offers"] if o["id"] == checkout["selected_offer"])
            loan = self._authorize(checkout, offer)
            checkout["loan"] = loan["id"]
        self.record(f"checkout.{checkout['status']}", checkout)
        if loan is not None:
            self.record("loan.authorized", loan)

    def _authorize(self, checkout: Json, offer: Json) -> Json:
        domain = _domain()
        if offer["interval"] == "two_weeks":
            plan = domain.Plan.pay_in_4(offer["plan"])
        else:
            plan = domain.Plan.monthly(offer["plan"], offer["term_count"], offer["apr_bps"])
        loan_id = f"loan_{checkout['id'].removeprefix('chk_')}"
        loan = domain.Loan.authorize(
            plan, checkout["amount"], checkout["currency"], _today(), id=loan_id
        )
        self._loans[loan_id] = loan
        self.loans[loan_id] = self._wire(loan, checkout)
        return self.loans[loan_id]

    @staticmethod
    def _wire(loan: Any, checkout: Json) -> Json:
        """The loan as the API shows it (the sandbox's loan object)."""
        data = loan.to_dict()
        expires = datetime.combine(loan.authorization_expires_at, datetime.min.time(), UTC)
        hidden = {"authorized_on", "authorization_days", "captured_on", "as_of", "late_fee_policy"}
        shown = {k: v for k, v in data.items() if k not in hidden}
        return {
            **shown, "created": checkout["created"], "livemode": False,
            "checkout": checkout["id"], "customer": checkout["customer"],
            "authorization_expires_at": expires.isoformat().replace("+00:00", "Z"),
        }  # fmt: skip

    def cancel(self, request: httpx.Request, body: Json, checkout_id: str) -> httpx.Response:
        checkout = self.checkouts.get(checkout_id)
        if checkout is None:
            return self.answers.missing("checkout", checkout_id, "id")
        if checkout["status"] != "open":
            return self.answers.error(409, *_state_conflict(checkout, "cancel"), None)
        checkout["status"] = "canceled"
        self.record("checkout.canceled", checkout)
        return self.answers.ok(checkout)

    # -- loans and events -----------------------------------------------------------------------

    def loan_action(
        self, request: httpx.Request, body: Json | None, loan_id: str, action: str
    ) -> httpx.Response:
        loan = self._loans.get(loan_id)
        if loan is None:
            return self.answers.missing("loan", loan_id, "id")
        amount = (body or {}).get("amount")
        today = max(_today(), loan.today)
        act = {
            "capture": lambda: loan.capture(amount, today),
            "void": lambda: loan.void(today),
            "refunds": lambda: loan.refund(amount, today),
            "payments": lambda: loan.apply_payment(amount, today),
        }[action]
        try:
            act()  # type: ignore[no-untyped-call]
        except _domain().InvalidTransition as exc:
            return self.answers.error(409, exc.code, exc.message, None)
        checkout = self.checkouts[self.loans[loan_id]["checkout"]]
        self.loans[loan_id] = self._wire(loan, checkout)
        self.record(_LOAN_EVENTS[action], self.loans[loan_id])
        return self.answers.ok(self.loans[loan_id])

    def get_event(self, request: httpx.Request, body: Json, event_id: str) -> httpx.Response:
        found = {event["id"]: event for event in self.events}
        return self.answers.found(found, event_id)
