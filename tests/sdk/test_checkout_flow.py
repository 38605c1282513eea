"""The high-level checkout path against the mock API: every outcome a typed result."""

from __future__ import annotations

import pytest
from installo import AsyncInstallo, Installo
from installo.checkout_flow import (
    Approved,
    AsyncCheckoutFlow,
    Cart,
    CheckoutFlow,
    Closed,
    Declined,
    PendingReview,
    PollPolicy,
    outcome_from_event,
    outcome_of,
    present_offer,
)
from installo.testing import checkout_object, event_object, loan_object, mock_api
from installo.types import Checkout, Event, Offer

from .conftest import API_KEY, BASE_URL, SleepRecorder

# A new customer with everything the sandbox requires (the mock checks the same rules).
SHOPPER: dict[str, object] = {
    "email": "ada@example.com", "name": "Ada Lovelace", "phone": "+15555550100",
    "date_of_birth": "1990-12-10", "national_id_last4": "1234",
    "address": {"line1": "1 Main St", "city": "Springfield", "region": "IL",
                "postal_code": "62701", "country": "US"},
}  # fmt: skip


def _cart() -> Cart:
    cart = Cart("USD", shipping_amount=999, tax_amount=1001)
    return cart.add(sku="ESP-1", name="Espresso machine", unit_amount=129900).add(
        sku="CUP-2", name="Cup", unit_amount=1250, quantity=2
    )


def test_cart_totals_items_shipping_and_tax() -> None:
    cart = _cart()
    assert cart.subtotal == 132400
    assert cart.total == 134400


def test_cart_rejects_a_zero_quantity() -> None:
    with pytest.raises(ValueError, match="quantity"):
        Cart("USD").add(sku="x", name="x", unit_amount=1, quantity=0)


def test_offer_disclosure_formats_every_tila_field() -> None:
    offer = Offer.model_validate(
        checkout_object(amount=129900)["offers"][1]
        | {"apr_bps": 1999, "finance_charge": 13512, "total_of_payments": 143412,
           "installment_amount": 11951}
    )  # fmt: skip
    presented = present_offer(offer, "USD")
    assert presented.headline == "12 19.99% APR payments of $119.51 monthly"
    assert dict(presented.disclosure) == {
        "Annual percentage rate (APR)": "19.99%",
        "Finance charge": "$135.12",
        "Amount financed": "$1,299.00",
        "Total of payments": "$1,434.12",
        "Number of payments": "12",
        "Amount of each payment": "$119.51",
        "First payment due": "2026-01-15",
    }
    assert presented.disclosure_text().splitlines()[0] == "Annual percentage rate (APR)  19.99%"


def test_a_differing_final_payment_is_disclosed() -> None:
    offer = Offer.model_validate(
        checkout_object(amount=1001)["offers"][0] | {"installment_amount": 250,
                                                     "final_installment_amount": 251}
    )  # fmt: skip
    labels = [label for label, _ in present_offer(offer, "USD").disclosure]
    assert labels[5:8] == ["Amount of each payment", "Final payment", "First payment due"]
    assert dict(present_offer(offer, "USD").disclosure)["Final payment"] == "$2.51"


def test_pay_in_4_headline_says_interest_free_every_two_weeks() -> None:
    offer = Offer.model_validate(checkout_object(amount=1000)["offers"][0])
    assert present_offer(offer, "USD").headline == (
        "4 interest-free payments of $2.50 every two weeks"
    )


def test_yen_is_formatted_without_decimals() -> None:
    offer = Offer.model_validate(checkout_object(amount=40000, currency="JPY")["offers"][0])
    assert (
        present_offer(offer, "JPY").headline
        == "4 interest-free payments of ¥10,000 every two weeks"
    )


def test_approved_flow_creates_confirms_and_captures_on_shipment() -> None:
    with (
        mock_api(base_url=BASE_URL, outcome="approve") as api,
        Installo(api_key=API_KEY, base_url=BASE_URL) as client,
    ):
        flow = CheckoutFlow(client)
        session = flow.start(_cart(), customer=SHOPPER, merchant_reference="order-7")
        assert session.checkout.amount == 134400
        assert [p.offer.plan for p in session.offers] == ["pay_in_4", "monthly_12"]
        outcome = flow.confirm(session.checkout.id, session.offers[0].offer.id)
        assert isinstance(outcome, Approved)
        loan = flow.capture_on_shipment(outcome.loan_id, shipment_id="shp_1")
        assert (loan.status, loan.captured_amount) == ("active", 134400)
        again = flow.capture_on_shipment(outcome.loan_id, shipment_id="shp_1")
        assert again.captured_amount == 134400
        assert api.calls[-1].headers["Idempotency-Key"] == f"capture-{outcome.loan_id}-shp_1"


def test_declined_flow_answers_reason_codes_not_an_exception() -> None:
    with (
        mock_api(base_url=BASE_URL, outcome="decline"),
        Installo(api_key=API_KEY, base_url=BASE_URL) as client,
    ):
        flow = CheckoutFlow(client)
        session = flow.start(_cart(), customer=SHOPPER)
        outcome = flow.confirm(session.checkout.id, session.offers[1].offer.id)
        assert isinstance(outcome, Declined)
        assert outcome.reason_codes == ("SANDBOX_DECLINE",)


def test_review_is_polled_with_backoff_until_decided(sleeps: SleepRecorder) -> None:
    with (
        mock_api(base_url=BASE_URL, outcome="review", review_polls=3),
        Installo(api_key=API_KEY, base_url=BASE_URL) as client,
    ):
        flow = CheckoutFlow(client, poll=PollPolicy(initial_delay=1, max_delay=3), sleep=sleeps)
        session = flow.start(_cart(), customer=SHOPPER)
        outcome = flow.confirm(session.checkout.id, session.offers[0].offer.id)
        assert isinstance(outcome, Approved)
        assert sleeps.delays == [1, 2]


def test_review_still_pending_after_the_poll_budget(sleeps: SleepRecorder) -> None:
    with (
        mock_api(base_url=BASE_URL, outcome="review", review_polls=100),
        Installo(api_key=API_KEY, base_url=BASE_URL) as client,
    ):
        flow = CheckoutFlow(client, poll=PollPolicy(initial_delay=1, timeout=7), sleep=sleeps)
        session = flow.start(_cart(), customer=SHOPPER)
        outcome = flow.confirm(session.checkout.id, session.offers[0].offer.id)
        assert isinstance(outcome, PendingReview)
        assert sleeps.delays == [1, 2, 4]


def test_confirm_without_waiting_answers_pending_review() -> None:
    with (
        mock_api(base_url=BASE_URL, outcome="review"),
        Installo(api_key=API_KEY, base_url=BASE_URL) as client,
    ):
        flow = CheckoutFlow(client)
        session = flow.start(_cart(), customer=SHOPPER)
        outcome = flow.confirm(session.checkout.id, session.offers[0].offer.id, wait=False)
        assert isinstance(outcome, PendingReview)


def test_review_decided_by_webhook_event() -> None:
    approved = checkout_object(status="approved", loan="loan_9")
    outcome = outcome_from_event(Event.model_validate(event_object("checkout.approved", approved)))
    assert isinstance(outcome, Approved) and outcome.loan_id == "loan_9"
    other = Event.model_validate(event_object("loan.captured", loan_object()))
    assert outcome_from_event(other) is None


def test_expired_and_canceled_checkouts_are_closed() -> None:
    for status in ("expired", "canceled"):
        outcome = outcome_of(Checkout.model_validate(checkout_object(status=status)))
        assert isinstance(outcome, Closed) and outcome.status == status


def test_empty_cart_is_refused_before_any_request() -> None:
    with Installo(api_key=API_KEY, base_url=BASE_URL) as client, pytest.raises(ValueError):
        CheckoutFlow(client).start(Cart("USD"), customer=SHOPPER)


async def test_async_flow_walks_review_to_decline(sleeps: SleepRecorder) -> None:
    with mock_api(base_url=BASE_URL, outcome="review", review_resolves_to="decline"):
        async with AsyncInstallo(api_key=API_KEY, base_url=BASE_URL) as client:
            flow = AsyncCheckoutFlow(client, sleep=sleeps.asleep)
            session = await flow.start(
                _cart(), customer={**SHOPPER, "email": "a+review@example.com"}
            )
            outcome = await flow.confirm(session.checkout.id, session.offers[0].offer.id)
            assert isinstance(outcome, Declined)
            assert sleeps.delays == []
