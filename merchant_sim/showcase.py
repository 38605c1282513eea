"""The showcase scenario: a small, mixed crowd of shoppers run through the sandbox from the TUI,
so the dashboard and the portfolio have something to show (the tour's act, or `r`)."""

from __future__ import annotations

from typing import Final

from installo._exceptions import APIError

from merchant_sim.gateway import Gateway
from merchant_sim.runner.engine import ScenarioRun
from merchant_sim.runner.loader import parse_scenario
from merchant_sim.runner.schema import Scenario
from merchant_sim.session import Session

__all__ = ["SHOWCASE", "SHOWCASE_YAML", "run_showcase"]

SHOWCASE_YAML: Final = """\
name: showcase
description: Forty shoppers of every tier, most approvals captured, a few refunds
seed: 16
customers: 40
concurrency: 2
store:
  currency: USD
  shipping_amount: 999
  tax_bps: 825
  catalog:
    - {sku: LAP-14, name: 14-inch laptop, price: 129900}
    - {sku: PHN-X, name: Phone X, price: 89900}
    - {sku: BIK-E, name: City e-bike, price: 189000}
    - {sku: HDP-1, name: Headphones, price: 24900}
traffic:
  tiers: {prime: 3, near_prime: 4, subprime: 2, thin_file: 1}
  locales: {en_US: 3, zh_CN: 1}
  cart_size: {1: 3, 2: 1}
  offer_choice: random
after_approval:
  capture_rate: 0.9
  refund_rate: 0.1
"""
SHOWCASE: Final[Scenario] = parse_scenario(SHOWCASE_YAML, "showcase.yaml")


async def run_showcase(
    gateway: Gateway, session: Session, *, seed: int | None = None, concurrency: int | None = None
) -> int:
    """Run the showcase against the sandbox, then the lender approves the review queue and the
    merchant captures those loans too (so riskier payers join the book); the checkouts join
    the session's statistics. Answers how many checkouts it made."""
    run = ScenarioRun(SHOWCASE, gateway, seed=seed, concurrency=concurrency)
    stats = await run.run()
    approved = await approve_reviews(gateway)
    for record in stats.records:
        if record.checkout_id in approved:
            record.outcome, record.loan_id = "approved", approved[record.checkout_id]
    session.stats.records.extend(stats.records)
    session.portfolio = await gateway.portfolio()
    return len(stats.records)


async def approve_reviews(gateway: Gateway) -> dict[str, str]:
    """Approve every pending review and capture its loan; answers checkout id -> loan id."""
    approved: dict[str, str] = {}
    for review in await gateway.reviews():
        if review.checkout is None:
            continue
        try:
            await gateway.settle_review(review.id, True)
            checkout = await gateway.checkout(review.checkout)
            if checkout.loan is not None:
                await gateway.capture(checkout.loan)
                approved[checkout.id] = checkout.loan
        except APIError:
            continue  # another merchant's application, or settled meanwhile: not ours to show
    return approved
