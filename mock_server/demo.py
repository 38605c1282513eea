"""A first look at the lender's engines working together, in the terminal.

For a handful of seeded personas of each risk tier: the credit file, the scorecard, the
fraud screen, the credit policy's decision with the rules that fired, and the installment
offers with their schedules. No server, no database: the pure engines only.

    python -m mock_server.demo [--seed N] [--per-tier K] [--amount MINOR] [--currency USD]
"""

from __future__ import annotations

import argparse
from collections.abc import Sequence
from datetime import UTC, datetime

from mock_server.domain import DEFAULT_PLANS, Offer, format_money, make_offer
from mock_server.risk import InMemoryVelocityStore, Tier, assess_application, generate_personas
from mock_server.risk.assessment import Assessment
from mock_server.risk.personas import Persona
from mock_server.rules import Decision, Policy, load_shipped_policy

DEMO_NOW = datetime(2026, 3, 2, 15, 0, tzinfo=UTC)
DEMO_MERCHANT = {"mcc": "5732", "country": "US"}
RULE = "─" * 78


def _cart(amount: int) -> list[dict[str, object]]:
    return [{"sku": "demo-1", "name": "Demo item", "unit_amount": amount, "quantity": 1}]


def _credit_lines(assessment: Assessment, currency: str) -> list[str]:
    report = assessment.report
    summary = report.summary()
    frozen = "  FROZEN" if summary.frozen else ""
    return [
        f"  credit file   score {summary.score}{frozen}, {summary.tradeline_count} tradelines, "
        f"oldest {summary.oldest_tradeline_months} months, "
        f"utilization {summary.utilization_bps / 100:.1f}%",
        f"                {summary.hard_inquiries_6m} hard inquiries (6 months), "
        f"{summary.delinquencies_24m} delinquencies (24 months), "
        f"{summary.public_records} public records, "
        f"balances {format_money(summary.total_balance, report.currency)}",
    ]


def _decision_lines(assessment: Assessment, decision: Decision) -> list[str]:
    score = assessment.score
    reasons = ", ".join(score.reason_codes[:4]) or "none"
    fraud = assessment.fraud
    flags = ", ".join(fraud.flags) or "clear"
    lines = [
        f"  scorecard     {score.points} points, P(bad) {score.probability_bad_bps / 100:.2f}%, "
        f"reasons: {reasons}",
        f"  fraud screen  {flags} (email x{fraud.email_velocity}, phone x{fraud.phone_velocity},"
        f" device x{fraud.device_velocity}, address x{fraud.address_velocity})",
        f"  decision      {decision.outcome.upper()} by {decision.policy_id} "
        f"v{decision.policy_version}; reason codes: {', '.join(decision.reason_codes) or '-'}",
    ]
    if decision.credit_limit is not None or decision.apr_bps is not None:
        limit = "-" if decision.credit_limit is None else format_money(decision.credit_limit, "USD")
        apr = "-" if decision.apr_bps is None else f"{decision.apr_bps / 100:.2f}%"
        lines.append(f"                credit limit {limit}, APR tier {apr}")
    for fired in decision.rules_fired:
        lines.append(f"    fired  {fired.rule_id:<28} {fired.outcome:<8} {fired.reason_code}")
    return lines


def _offer_lines(offers: Sequence[Offer], show_schedule: bool) -> list[str]:
    lines = ["  offers"]
    for offer in offers:
        d = offer.disclosure
        cur = offer.currency
        charge = format_money(d.finance_charge, cur)
        lines.append(
            f"    {offer.plan.id:<16} {d.payment_count} x {format_money(d.payment_amount, cur):>10}"
            f"  APR {d.apr_bps / 100:5.2f}%  finance charge {charge:>9}"
            f"  total {format_money(d.total_of_payments, cur)}"
            f"  first due {d.first_due_date.isoformat()}"
        )
    if show_schedule and offers:
        offer = max(offers, key=lambda o: o.disclosure.payment_count)
        cur = offer.currency
        lines.append(f"  schedule of {offer.plan.id}")
        lines.append("     #  due          payment     principal    interest")
        for inst in offer.schedule:
            lines.append(
                f"    {inst.sequence:>2}  {inst.due_date.isoformat()}  "
                f"{format_money(inst.amount, cur):>10}  {format_money(inst.principal, cur):>10}"
                f"  {format_money(inst.interest, cur):>10}"
            )
    return lines


def describe(
    persona: Persona,
    policy: Policy,
    store: InMemoryVelocityStore,
    *,
    seed: int,
    amount: int,
    currency: str,
) -> list[str]:
    """The demo's text block for one persona applying for `amount`."""
    assessment = assess_application(
        seed,
        persona.identity,
        amount=amount,
        currency=currency,
        cart=_cart(amount),
        merchant=DEMO_MERCHANT,
        store=store,
        now=DEMO_NOW,
        device_id=persona.identity.device_id,
    )
    decision = policy.evaluate(assessment.facts)
    person = assessment.person
    header = (
        f"{persona.tier.value:<11} {person.name} <{person.email}> ({person.locale}), "
        f"{person.employment_status}, income "
        f"{format_money(person.income_annual, person.income_currency)}/yr"
    )
    lines = [RULE, header]
    lines += _credit_lines(assessment, currency)
    lines += _decision_lines(assessment, decision)
    if decision.outcome != "decline":
        start = DEMO_NOW.date()
        offers = [
            make_offer(plan, amount, currency, start)
            for plan in DEFAULT_PLANS
            if plan.is_eligible(amount, currency)
        ]
        lines += _offer_lines(offers, show_schedule=decision.outcome == "approve")
    return lines


def main(argv: Sequence[str] | None = None) -> int:
    """Print the engines' view of a few seeded personas per tier."""
    parser = argparse.ArgumentParser(prog="python -m mock_server.demo", description=__doc__)
    parser.add_argument("--seed", type=int, default=7, help="persona seed (default 7)")
    parser.add_argument("--per-tier", type=int, default=2, help="personas per tier (default 2)")
    parser.add_argument(
        "--amount", type=int, default=89_900, help="cart amount in minor units (default 89900)"
    )
    parser.add_argument("--currency", default="USD", help="ISO 4217 code (default USD)")
    args = parser.parse_args(argv)

    policy = load_shipped_policy("consumer_credit")
    store = InMemoryVelocityStore()
    print(
        f"Installo lending engines: policy {policy.id} v{policy.version}, seed {args.seed}, "
        f"cart {format_money(args.amount, args.currency)}"
    )
    for tier in Tier:
        personas = generate_personas(args.seed, args.per_tier, tiers=[tier])
        for persona in personas:
            block = describe(
                persona, policy, store, seed=args.seed, amount=args.amount, currency=args.currency
            )
            print("\n".join(block))
    print(RULE)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
