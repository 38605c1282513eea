"""Testing your integration without a server: `installo.testing.mock_api` (needs respx).

Your shop's code is `place_order` below; the checks at the bottom are what your unit tests would
assert. In a pytest suite, the `installo_mock` fixture gives you the same mock.
"""

from __future__ import annotations

from typing import Literal

from installo import Installo, InternalServerError, UnprocessableEntityError
from installo.checkout_flow import Approved, Cart, CheckoutFlow, Declined, PendingReview
from installo.testing import mock_api
from installo.types import CustomerParam

BASE_URL = "http://installo.mock"
# The shopper as the shop collected them: the mock refuses what the sandbox refuses, so a
# customer missing a field the sandbox requires fails here too, not only in staging.
SHOPPER: CustomerParam = {
    "email": "ada@example.com",
    "name": "Ada Lovelace",
    "phone": "+15555550100",
    "date_of_birth": "1990-12-10",
    "national_id_last4": "1234",
    "address": {
        "line1": "1 Main St",
        "city": "Springfield",
        "region": "IL",
        "postal_code": "62701",
        "country": "US",
    },
}


def place_order(client: Installo, sku: str, price: int) -> str:
    """The merchant's own code: finance an order and answer what the shop should show."""
    flow = CheckoutFlow(client)
    session = flow.start(Cart("USD").add(sku=sku, name=sku, unit_amount=price), customer=SHOPPER)
    outcome = flow.confirm(session.checkout.id, session.offers[0].offer.id, wait=False)
    match outcome:
        case Approved(loan_id=loan_id):
            return f"ordered; loan {loan_id}"
        case Declined():
            return "please choose another way to pay"
        case PendingReview():
            return "we will email you shortly"
        case _:
            return "checkout closed"


def main() -> None:
    """Run the merchant's code against each canned outcome and a flaky API."""
    client = Installo(api_key="sk_test_unit", base_url=BASE_URL, max_retries=2)
    client._sleep = lambda seconds: None  # retries without real waiting, for a fast test
    with client:
        cases: list[tuple[Literal["approve", "decline", "review"], str]] = [
            ("approve", "ordered; loan loan_"),
            ("decline", "please choose another way to pay"),
            ("review", "we will email you shortly"),
        ]
        for outcome, expected in cases:
            with mock_api(base_url=BASE_URL, outcome=outcome):
                answer = place_order(client, "LAMP-1", 4999)
            assert answer.startswith(expected), answer
            print(f"{outcome:>8}: {answer}")

        with mock_api(base_url=BASE_URL) as api:
            api.fail("POST", "/v1/checkouts", 503, times=2)
            answer = place_order(client, "LAMP-1", 4999)
            keys = {
                r.headers["Idempotency-Key"] for r in api.calls if r.url.path == "/v1/checkouts"
            }
            assert len(api.checkouts) == 1 and len(keys) == 1
            print(f"   flaky: {answer} (3 attempts, one idempotency key, one checkout)")

        with mock_api(base_url=BASE_URL) as api:
            api.fail("POST", "/v1/checkouts", 500, times=3)
            try:
                place_order(client, "LAMP-1", 4999)
            except InternalServerError as err:
                print(f"    down: {type(err).__name__} after {len(api.calls)} attempts")
            else:
                raise AssertionError("expected the outage to surface")

        with mock_api(base_url=BASE_URL):
            try:
                no_phone: CustomerParam = {**SHOPPER, "phone": ""}
                client.customers.create(**no_phone)
            except UnprocessableEntityError as err:
                print(f" refused: {err.code} {err.param} (as the sandbox would)")
            else:
                raise AssertionError("expected a customer without a phone to be refused")


if __name__ == "__main__":
    main()
