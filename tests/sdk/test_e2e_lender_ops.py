"""End to end through the SDK against the in-process sandbox: the lender's side of issue 5.

An underwriter approves a review with a lower credit limit; the merchant reads the signed webhook
delivery that approval caused (received by a real loopback endpoint and verified with
`installo.webhooks`); a policy is dry-run, live and proposed, without going live. The sandbox runs
without its background webhook worker, so the test delivers what is due itself, synchronously.
"""

from __future__ import annotations

import threading
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

import pytest
from installo import BadRequestError, Installo, webhooks
from installo.types import CartItemParam, Checkout, CustomerParam, PlanParam, Review

ITEMS: list[CartItemParam] = [
    {"sku": "BIKE-1", "name": "Cargo bike", "unit_amount": 249900, "quantity": 1},
]
AMOUNT = 249900


class Receiver(BaseHTTPRequestHandler):
    """A merchant's webhook endpoint: keeps each body and signature, answers 200."""

    received: list[tuple[bytes, str | None]]

    def do_POST(self) -> None:
        body = self.rfile.read(int(self.headers.get("Content-Length", "0")))
        self.received.append((body, self.headers.get("Installo-Signature")))
        self.send_response(200)
        self.end_headers()

    def log_message(self, format: str, *args: Any) -> None:
        """Quiet: the test reads what was received instead."""


@pytest.fixture
def receiver() -> Iterator[tuple[str, list[tuple[bytes, str | None]]]]:
    received: list[tuple[bytes, str | None]] = []
    handler = type("BoundReceiver", (Receiver,), {"received": received})
    server = ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}/hooks", received
    finally:
        server.shutdown()
        server.server_close()
        thread.join()


@pytest.fixture
def sandbox() -> Iterator[Any]:
    from installo.testing.sandbox import sandbox_app

    try:
        app = sandbox_app(webhook_worker=False)
    except ImportError as exc:
        pytest.skip(str(exc))
    yield app
    app.state.sandbox.close()


@pytest.fixture
def client(sandbox: Any) -> Iterator[Installo]:
    from installo.testing.sandbox import in_process_client

    with in_process_client(sandbox) as sync_client:
        yield sync_client


def shopper(tag: str) -> CustomerParam:
    """An identity whose email tag forces the application's path."""
    return {
        "email": f"grace+{tag}@example.com", "name": "Grace Hopper", "phone": "+15555550199",
        "date_of_birth": "1986-12-09", "national_id_last4": "1906", "locale": "en_US",
        "address": {"line1": "1 Compiler Ct", "city": "Arlington", "region": "VA",
                    "postal_code": "22201", "country": "US"},
    }  # fmt: skip


def pending_review(client: Installo) -> Review:
    checkout = client.checkouts.create(
        items=ITEMS, amount=AMOUNT, currency="USD", customer=shopper("review")
    )
    decided = client.checkouts.confirm(checkout.id, offer=checkout.offers[0].id)
    assert decided.status == "in_review"
    [review] = [
        r for r in client.admin.reviews.list(status="pending").data if r.checkout == checkout.id
    ]
    return review


def approve_with_a_lower_limit(client: Installo) -> Checkout:
    """The underwriter sees the application and the credit file, then approves a lower limit."""
    review = pending_review(client)
    assert review.application is not None and review.application.amount == AMOUNT
    assert review.credit_summary is not None and review.credit_summary.bureau_score is not None
    assert review.policy_id and review.rules_fired
    with pytest.raises(BadRequestError) as below_cart:
        client.admin.reviews.approve(review.id, credit_limit=AMOUNT - 1)
    assert below_cart.value.param == "credit_limit"
    approved = client.admin.reviews.approve(review.id, note="verified income", credit_limit=AMOUNT)
    assert (approved.status, approved.credit_limit) == ("approved", AMOUNT)
    assert approved.decided_at is not None
    checkout = client.checkouts.retrieve(approved.checkout or "")
    assert checkout.status == "approved" and checkout.loan is not None
    assert checkout.decision is not None and checkout.decision.credit_limit == AMOUNT
    return checkout


def dry_run_without_going_live(client: Installo) -> None:
    """The live policy against itself changes nothing; a proposal that declines everything turns
    every other outcome into a decline; neither goes live."""
    live = client.admin.policies.retrieve("pol_consumer_credit")
    versions = [p.version for p in client.admin.policies.versions(live.id).data]
    same = client.admin.policies.dry_run(live.id, source="generated", count=24)
    assert (same.count, same.proposed, same.changed_count, len(same.results)) == (24, False, 0, 24)
    assert same.policy_version == live.version and same.approval_rate_bps is not None
    decline_all = {"id": "decline_all", "when": "amount > 0", "outcome": "decline",
                   "reason_code": "DRY_RUN_DECLINE"}  # fmt: skip
    proposal = {"default_outcome": live.default_outcome, "rules": [*live.rules, decline_all]}
    stricter = client.admin.policies.dry_run(live.id, policy=proposal, source="generated", count=24)
    assert stricter.proposed and stricter.approval_rate_bps == 0
    assert stricter.rule_hits["decline_all"] == 24
    assert stricter.policy_version == live.version + 1
    live_outcomes = [result.get("outcome") for result in same.results]
    assert "approve" in live_outcomes
    assert stricter.changed_count == sum(1 for o in live_outcomes if o != "decline")
    assert all(change.to_outcome == "decline" for change in stricter.changes)
    assert client.admin.policies.retrieve(live.id).version == live.version
    assert [p.version for p in client.admin.policies.versions(live.id).data] == versions


def test_review_approved_with_a_lower_limit_is_delivered_signed_and_dry_runs_change_nothing(
    client: Installo, sandbox: Any, receiver: tuple[str, list[tuple[bytes, str | None]]]
) -> None:
    url, received = receiver
    endpoint = client.webhook_endpoints.create(url=url, enabled_events=["checkout.approved"])
    assert endpoint.secret is not None
    checkout = approve_with_a_lower_limit(client)

    # The approval's event reaches the endpoint signed; the merchant reads the attempt back.
    assert sandbox.state.sandbox.dispatcher.deliver_due() == 1
    [(body, signature)] = received
    event = webhooks.construct_event(body, signature, endpoint.secret)
    assert event.type == "checkout.approved"
    assert event.data.object["id"] == checkout.id
    [delivery] = client.webhook_endpoints.deliveries(endpoint.id).data
    assert (delivery.event, delivery.status, delivery.attempt_count) == (event.id, "succeeded", 1)
    [attempt] = delivery.attempts
    assert attempt.status_code == 200 and attempt.error is None
    assert attempt.latency_ms is not None and attempt.latency_ms >= 0
    assert client.webhook_endpoints.retrieve(endpoint.id).status == "enabled"

    dry_run_without_going_live(client)


def test_merchant_offers_a_custom_zero_apr_plan_priced_into_its_discount_rate(
    client: Installo,
) -> None:
    plan: PlanParam = {"id": "monthly_18_zero", "term_count": 18, "apr_bps": 0}
    with pytest.raises(BadRequestError) as too_cheap:
        client.merchants.update(plans=["pay_in_4", plan], mdr_bps=399)
    assert too_cheap.value.param == "mdr_bps"
    merchant = client.merchants.update(
        plans=["pay_in_4", plan], display_name="Grace's Bikes", mdr_bps=900
    )
    assert merchant.plans == ["pay_in_4", "monthly_18_zero"]
    assert (merchant.display_name, merchant.mdr_bps) == ("Grace's Bikes", 900)
    checkout = client.checkouts.create(
        items=ITEMS, amount=AMOUNT, currency="USD", customer=shopper("approve")
    )
    [custom] = [offer for offer in checkout.offers if offer.plan == "monthly_18_zero"]
    assert (custom.term_count, custom.apr_bps, custom.finance_charge) == (18, 0, 0)
    assert sum(entry.principal for entry in custom.schedule) == AMOUNT
