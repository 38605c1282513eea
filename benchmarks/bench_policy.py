"""Policy evaluation speed: our compiled closures against zen-engine on the same decision table.

    .venv/bin/python -m benchmarks.bench_policy [--count 10000] [--policy consumer_credit]

Generates applications, evaluates the shipped policy with our engine and with zen-engine (the
policy exported as a GoRules JDM "collect" decision table), checks both give the same decision on
every input, warms both up, then prints evaluations per second for each and their ratio. zen is
measured on its fastest documented Python path: a `ZenEngine` with a loader and
`engine.evaluate(key, context)`; both loader forms are timed and the faster one is the peer.
"""

from __future__ import annotations

import argparse
import json
import random
import sys
import time
from collections.abc import Callable, Sequence
from typing import Any

import zen

from mock_server.rules import Policy, build_onboarding_facts, load_shipped_policy
from mock_server.rules.jdm import decision_from_rows, policy_to_jdm

Facts = dict[str, Any]


def credit_inputs(count: int, seed: int) -> list[Facts]:
    """Credit application facts in the shape of docs/internals.md."""
    return [synthetic_credit_facts(random.Random(f"{seed}:{i}")) for i in range(count)]


def synthetic_credit_facts(rng: random.Random) -> Facts:
    """One credit application's facts drawn at random over the documented fields."""
    tradelines = rng.randint(0, 25)
    score = rng.randint(300, 850)
    delinquencies = rng.choice([0, 0, 0, 1, 2, 4])
    amount = rng.randint(2_000, 800_000)
    return {
        "amount": amount,
        "currency": "USD",
        "amount_usd": amount,
        "applicant": {
            "age": rng.randint(18, 85),
            "income_annual_usd": rng.randint(0, 25_000_000),
            "employment_status": rng.choice(
                ["employed", "employed", "self_employed", "student", "retired", "unemployed"]
            ),
            "months_at_address": rng.randint(0, 240),
            "locale": rng.choice(["en_US", "zh_CN"]),
            "email_tag": rng.choice([None] * 20 + ["approve", "decline", "review", "fraud"]),
        },
        "credit": {
            "score": score,
            "frozen": rng.random() < 0.03,
            "thin_file": tradelines < 3,
            "tradeline_count": tradelines,
            "oldest_tradeline_months": rng.randint(0, 400),
            "utilization_bps": rng.randint(0, 10_000),
            "hard_inquiries_6m": rng.randint(0, 8),
            "delinquencies_24m": delinquencies,
            "months_since_delinquency": rng.randint(0, 24) if delinquencies else None,
            "public_records": rng.choice([0, 0, 0, 0, 1]),
            "total_balance_usd": rng.randint(0, 10_000_000),
        },
        "score": {"points": rng.randint(300, 900), "reason_codes": ["HIGH_UTILIZATION"]},
        "fraud": {
            "email_velocity": rng.randint(1, 6),
            "phone_velocity": rng.randint(1, 6),
            "device_velocity": rng.randint(1, 6),
            "address_velocity": rng.randint(1, 6),
            "identity_mismatch": rng.random() < 0.05,
            "flags": rng.sample(["EMAIL_VELOCITY", "SHARED_DEVICE", "IDENTITY_MISMATCH"], 1)
            if rng.random() < 0.1
            else [],
        },
        "cart": {"item_count": rng.randint(1, 6), "max_unit_amount_usd": amount},
        "merchant": {"mcc": rng.choice(["5411", "5732", "5941"]), "country": "US"},
    }


def onboarding_inputs(count: int, seed: int) -> list[Facts]:
    """Merchant applications run through the KYB facts builder."""
    rng = random.Random(seed)
    return [
        build_onboarding_facts(
            {
                "legal_name": f"Merchant {i}",
                "mcc": rng.choice(["5411", "5732", "5941", "7995", "6051", "5993", "5999"]),
                "country": rng.choice(["US", "US", "GB", "DE", "JP", "BR"]),
                "currency": rng.choice(["USD", "USD", "EUR", "GBP", "JPY", "BRL"]),
                "website": rng.choice([None, "https://shop.example.com", "example.org"]),
                "years_in_business": rng.randint(0, 20),
                "expected_monthly_volume": rng.randint(10_000, 700_000_000),
                "contact_email": rng.choice(["ops@example.com", "founder@gmail.com"]),
            }
        )
        for i in range(count)
    ]


def make_inputs(policy: Policy, count: int, seed: int) -> list[Facts]:
    """Inputs suited to the policy's kind."""
    if policy.kind == "onboarding":
        return onboarding_inputs(count, seed)
    return credit_inputs(count, seed)


def zen_engines(policy: Policy) -> dict[str, Any]:
    """zen engines over the exported table, one per documented loader form."""
    graph = policy_to_jdm(policy)
    content = json.dumps(graph)
    return {
        "zen (loader callback)": zen.ZenEngine({"loader": lambda key: content}),
        "zen (static loader)": zen.ZenEngine(
            {"loader": {"type": "static", "content": {policy.id: graph}}}
        ),
    }


def check_agreement(policy: Policy, engine: Any, inputs: Sequence[Facts]) -> None:
    """Exit with the first input on which zen and our engine decide differently."""
    for index, facts in enumerate(inputs):
        ours = policy.evaluate(facts)
        theirs = decision_from_rows(policy, engine.evaluate(policy.id, facts)["result"])
        if theirs != ours:
            sys.exit(f"disagreement on input {index}:\n ours {ours}\n zen  {theirs}\n {facts}")


def best_rate(run: Callable[[], None], count: int, rounds: int) -> float:
    """The best evaluations per second over `rounds` timed passes of `run`."""
    best = float("inf")
    for _ in range(rounds):
        started = time.perf_counter()
        run()
        best = min(best, time.perf_counter() - started)
    return count / best


def main(argv: Sequence[str] | None = None) -> int:
    """Run the benchmark and print the rates and the ratio."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--count", type=int, default=10_000, help="applications (default 10000)")
    parser.add_argument("--policy", default="consumer_credit", help="a shipped policy name")
    parser.add_argument("--rounds", type=int, default=3, help="timed passes; the best counts")
    parser.add_argument("--seed", type=int, default=1)
    args = parser.parse_args(argv)

    policy = load_shipped_policy(args.policy)
    inputs = make_inputs(policy, args.count, args.seed)
    engines = zen_engines(policy)
    for engine in engines.values():
        check_agreement(policy, engine, inputs)  # also warms each engine up
    evaluate, key = policy.evaluate, policy.id

    def ours() -> None:
        for facts in inputs:
            evaluate(facts)

    ours()  # warm-up
    rates = {"installo": best_rate(ours, len(inputs), args.rounds)}
    for name, engine in engines.items():
        zen_evaluate = engine.evaluate

        def theirs(zen_evaluate: Callable[[str, Facts], Any] = zen_evaluate) -> None:
            for facts in inputs:
                zen_evaluate(key, facts)

        rates[name] = best_rate(theirs, len(inputs), args.rounds)

    outcomes: dict[str, int] = {}
    for facts in inputs:
        outcome = policy.evaluate(facts).outcome
        outcomes[outcome] = outcomes.get(outcome, 0) + 1
    peer = max((name for name in rates if name.startswith("zen")), key=rates.__getitem__)
    print(f"policy {policy.id} v{policy.version}: {len(policy.rules)} rules, {len(inputs)} inputs")
    print(f"outcomes: {outcomes}; zen agrees on all {len(inputs)}")
    for name, rate in rates.items():
        print(f"  {name:<24} {rate:>12,.0f} evaluations/s")
    print(f"ratio installo / {peer}: {rates['installo'] / rates[peer]:.2f}x")
    return 0


if __name__ == "__main__":
    sys.exit(main())
