"""Async checkouts: three customers at once, approved, declined and sent to review.

With no INSTALLO_BASE_URL set, the sandbox runs in this process through `httpx.ASGITransport`.
"""

from __future__ import annotations

import asyncio
import os

from installo import AsyncInstallo, format_money
from installo.checkout_flow import (
    Approved,
    AsyncCheckoutFlow,
    Cart,
    CheckoutOutcome,
    Declined,
    PendingReview,
    PollPolicy,
)
from installo.types import CustomerParam


def customer(tag: str) -> CustomerParam:
    """A customer whose email tag forces one path through the real engines."""
    return {
        "email": f"grace+{tag}@example.com",
        "name": "Grace Hopper",
        "phone": "+15555550123",
        "date_of_birth": "1980-12-09",
        "national_id_last4": "1906",
        "address": {"line1": "1 Harbor Rd", "city": "Arlington", "region": "VA",
                    "postal_code": "22201", "country": "US"},
    }  # fmt: skip


async def buy(flow: AsyncCheckoutFlow, tag: str) -> tuple[str, CheckoutOutcome]:
    """One customer's checkout, from cart to outcome."""
    cart = Cart("USD").add(sku="BIKE-7", name="Commuter bike", unit_amount=84900)
    session = await flow.start(cart, customer=customer(tag))
    return tag, await flow.confirm(session.checkout.id, session.offers[-1].offer.id)


async def main(client: AsyncInstallo) -> None:
    """Run three checkouts concurrently and report each outcome."""
    async with client:
        flow = AsyncCheckoutFlow(client, poll=PollPolicy(initial_delay=0.2, timeout=2.0))
        results = await asyncio.gather(
            *(buy(flow, tag) for tag in ("approve", "decline", "review"))
        )
        for tag, outcome in results:
            match outcome:
                case Approved(loan_id=loan_id):
                    loan = await flow.capture_on_shipment(loan_id)
                    amount = format_money(loan.captured_amount, loan.currency)
                    print(f"{tag:>8}: approved, captured {amount} on {loan.id}")
                case Declined(reason_codes=codes):
                    print(f"{tag:>8}: declined ({', '.join(codes)})")
                case PendingReview(checkout=checkout):
                    print(f"{tag:>8}: in review ({checkout.id}); a webhook will tell the end")
                case _:
                    print(f"{tag:>8}: {outcome.checkout.status}")
        async for loan in client.loans.list(limit=100):
            amount = format_money(loan.authorized_amount, loan.currency)
            print(f"loan {loan.id}: {loan.status}, {amount}")


if __name__ == "__main__":
    url = os.environ.get("INSTALLO_BASE_URL")
    if url:
        key = os.environ.get("INSTALLO_API_KEY", "sk_test_demo")
        asyncio.run(main(AsyncInstallo(api_key=key, base_url=url)))
    else:
        from installo.testing.sandbox import async_in_process_client

        asyncio.run(main(async_in_process_client()))
