"""Quickstart: a checkout financed in installments, from cart to capture and a partial refund.

Run it as is: with no INSTALLO_BASE_URL set it starts the sandbox on a loopback port itself.
Against a running sandbox: `INSTALLO_BASE_URL=http://127.0.0.1:8787 python examples/quickstart.py`.
"""

from __future__ import annotations

import os

from installo import Installo, format_money
from installo.checkout_flow import Approved, Cart, CheckoutFlow, Declined, PendingReview
from installo.types import CustomerParam

CUSTOMER: CustomerParam = {
    "email": "ada+approve@example.com",
    "name": "Ada Lovelace",
    "phone": "+15555550100",
    "date_of_birth": "1985-12-10",
    "national_id_last4": "1815",
    "locale": "en_US",
    "address": {
        "line1": "12 Analytical Way",
        "city": "Springfield",
        "region": "IL",
        "postal_code": "62701",
        "country": "US",
    },
}


def main(base_url: str) -> None:
    """Walk one checkout through the common path."""
    with Installo(
        api_key=os.environ.get("INSTALLO_API_KEY", "sk_test_demo"), base_url=base_url
    ) as client:
        merchant = client.merchants.me()
        print(f"Merchant {merchant.legal_name} ({merchant.id}), plans: {', '.join(merchant.plans)}")

        cart = Cart("USD", shipping_amount=1500, tax_amount=10392)
        cart.add(sku="ESP-1", name="Espresso machine", unit_amount=129900)
        flow = CheckoutFlow(client)
        session = flow.start(cart, customer=CUSTOMER, merchant_reference="order-1001")
        print(f"Checkout {session.checkout.id} for {format_money(cart.total, cart.currency)}")
        for presented in session.offers:
            print(f"\n  {presented.headline}\n")
            print("    " + presented.disclosure_text().replace("\n", "\n    "))

        choice = session.offers[0].offer
        outcome = flow.confirm(session.checkout.id, choice.id)
        match outcome:
            case Approved(loan_id=loan_id):
                print(f"\nApproved: loan {loan_id}")
                loan = flow.capture_on_shipment(loan_id, shipment_id="shp_1001")
                print(
                    f"Captured {format_money(loan.captured_amount, loan.currency)} ({loan.status})"
                )
                loan = client.loans.refund(loan_id, amount=10000, reason="returned one accessory")
                print(
                    f"Refunded {format_money(loan.refunded_amount, loan.currency)}; balance now "
                    f"{format_money(loan.principal_balance, loan.currency)}"
                )
            case Declined(reason_codes=codes):
                print(f"\nDeclined: {', '.join(codes)}")
            case PendingReview():
                print("\nIn review: a checkout.approved or checkout.declined webhook will follow")
            case _:
                print(f"\nEnded: {outcome.checkout.status}")


if __name__ == "__main__":
    url = os.environ.get("INSTALLO_BASE_URL")
    if url:
        main(url)
    else:
        from installo.testing.sandbox import serve_sandbox

        with serve_sandbox() as local_url:
            main(local_url)
