"""One shopper's journey through the sync SDK, as a Locust user runs it (gevent makes it
cooperative): checkout, offer, confirm, then capture or void, refund and pay as the scenario says.

Each HTTP call is reported to Locust's statistics under its method and route (`POST`,
`/v1/checkouts/{id}/confirm`), so Locust's CSV and HTML reports show latency per endpoint.
"""

from __future__ import annotations

import random
import re
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

import httpx
from installo import APIError, APIStatusError, Installo
from installo.types.loan import Loan
from installo.types.sandbox import Persona

from merchant_sim.identity import Identity
from merchant_sim.runner.schema import Scenario
from merchant_sim.runner.stats import CheckoutRecord
from merchant_sim.runner.traffic import Shopper, choose_offer, draw_shopper

__all__ = ["Journey", "JourneyResult", "RequestReporter", "route_of"]

_CAPTURE, _PARTIAL, _REFUND, _FULL_REFUND, _PAY, _OFFER = range(6)
_ID = re.compile(r"/(?:chk|loan|cus|evt|whe|rev)_[A-Za-z0-9]+")

#: (request_type, name, response_time_ms, response_length, exception) -> None
RequestReporter = Callable[[str, str, float, int, BaseException | None], None]


def route_of(request: httpx.Request) -> str:
    """`/v1/checkouts/{id}/confirm`: the path with ids folded, so stats group by endpoint."""
    return _ID.sub("/{id}", request.url.path)


def instrumented_client(base_url: str, report: RequestReporter) -> httpx.Client:
    """An httpx client that reports every exchange's route, time and size (or error)."""

    def started(request: httpx.Request) -> None:
        request.extensions["installo_started"] = time.perf_counter()

    def finished(response: httpx.Response) -> None:
        request = response.request
        elapsed = (time.perf_counter() - request.extensions["installo_started"]) * 1000
        size = int(response.headers.get("content-length") or 0)
        failure = None
        if response.status_code >= 400:
            failure = RuntimeError(f"HTTP {response.status_code}")
        report(request.method, route_of(request), elapsed, size, failure)

    return httpx.Client(
        base_url=base_url,
        timeout=30.0,
        event_hooks={"request": [started], "response": [finished]},
    )


@dataclass
class JourneyResult:
    """A shopper's record plus what the run meant to capture and refund (for double charges)."""

    record: CheckoutRecord
    intended_capture: int = 0
    intended_refund: int = 0
    extra: dict[str, Any] = field(default_factory=dict)


class Journey:
    """Shoppers of one scenario against one sandbox, for one load process."""

    def __init__(
        self, scenario: Scenario, client: Installo, personas: dict[str, list[Persona]], run: str
    ) -> None:
        self.scenario = scenario
        self.client = client
        self.personas = personas
        self.run = run

    def shopper(self, key: str) -> Shopper:
        """The shopper drawn for `key` (the same key, the same shopper)."""
        return draw_shopper(self.scenario, random.Random(f"{self.run}:{key}"), 0)

    def persona_for(self, shopper: Shopper, key: str) -> Persona:
        """A persona of the shopper's tier, of its locale when the pool has one."""
        pool = self.personas[shopper.tier]
        local = [p for p in pool if p.locale == shopper.locale] or pool
        return local[random.Random(key).randrange(len(local))]

    def shop(self, key: str) -> JourneyResult:
        """One shopper's whole journey; API errors end it and are recorded, never raised."""
        shopper = self.shopper(key)
        cart = shopper.cart(self.scenario)
        result = JourneyResult(CheckoutRecord(shopper.tier, shopper.locale, "error"))
        record = result.record
        record.amount = cart.total
        persona = self.persona_for(shopper, key)
        identity = Identity.from_persona(persona)
        try:
            checkout = self.client.checkouts.create(
                items=cart.items_payload(),  # type: ignore[arg-type]
                amount=cart.total,
                currency=cart.currency,
                customer=identity.customer_body(),  # type: ignore[arg-type]
                shipping_amount=cart.shipping,
                tax_amount=cart.tax,
                merchant_reference=f"{self.run}-{key}",
            )
            record.checkout_id = checkout.id
            offer = choose_offer(
                checkout.offers, self.scenario.traffic.offer_choice, shopper.rolls[_OFFER]
            )
            if offer is None:
                record.outcome, record.at = "no_offer", time.time()
                return result
            started = time.perf_counter()
            decided = self.client.checkouts.confirm(
                checkout.id, offer=offer.id, consent=True, device_id=self._device(shopper, key)
            )
            record.decision_latency_ms = (time.perf_counter() - started) * 1000
            record.at = time.time()
            record.outcome = str(decided.status)
            if decided.decision is not None:
                record.reason_codes = list(decided.decision.reason_codes)
            if decided.loan:
                record.loan_id = decided.loan
                self._after_approval(shopper, result, decided.loan, offer.amount_financed)
        except APIError as exc:
            record.at = record.at or time.time()
            record.error = type(exc).__name__
            if record.outcome not in {"approved", "declined", "in_review"}:
                record.outcome = "error"
            result.extra["server_error"] = isinstance(exc, APIStatusError) and (
                exc.status_code >= 500
            )
        return result

    def _device(self, shopper: Shopper, key: str) -> str:
        if shopper.tier in self.scenario.traffic.shared_device_for:
            return f"dev-ring-{self.run}"
        return f"dev-{self.run}-{key}"

    def _after_approval(
        self, shopper: Shopper, result: JourneyResult, loan_id: str, authorized: int
    ) -> None:
        rules, rolls, loans = self.scenario.after_approval, shopper.rolls, self.client.loans
        if rolls[_CAPTURE] >= rules.capture_rate:
            loans.void(loan_id)
            return
        amount = authorized // 2 if rolls[_PARTIAL] < rules.partial_capture_rate else None
        loan: Loan = loans.capture(loan_id, amount=amount)
        result.intended_capture = loan.captured_amount if amount is None else amount
        if rolls[_REFUND] < rules.refund_rate:
            full = rolls[_FULL_REFUND] < rules.full_refund_share
            refund = result.intended_capture if full else result.intended_capture // 2
            if refund > 0:
                loan = loans.refund(loan_id, amount=refund)
                result.intended_refund = refund
        if rolls[_PAY] < rules.early_payment_rate and loan.principal_balance > 0:
            due = next((e for e in loan.schedule if str(e.status) != "paid"), None)
            if due is not None:
                loans.pay(loan_id, amount=min(due.amount, loan.principal_balance))
