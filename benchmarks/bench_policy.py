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
from datetime import UTC, datetime, timedelta
from typing import Any

import zen

from mock_server.risk.assessment import assess_application
from mock_server.risk.fraud import InMemoryVelocityStore
from mock_server.risk.personas import generate_personas, usd_to_minor
from mock_server.rules import Policy, build_onboarding_facts, load_shipped_policy
from mock_server.rules.jdm import decision_from_rows, policy_to_jdm

Facts = dict[str, Any]
APPLICATIONS_START = datetime(2026, 11, 2, 9, 0, tzinfo=UTC)


def credit_inputs(count: int, seed: int) -> list[Facts]:
    """Credit facts built by the risk engine for seeded personas applying a minute apart.

    Every tier is represented (fraud rings included, so velocity rules fire); each persona pays in
    its own locale's currency, so the USD conversion is exercised too.
    """
    personas = generate_personas(seed, count)
    store = InMemoryVelocityStore()
    rng = random.Random(seed)
    facts: list[Facts] = []
    for index, persona in enumerate(personas):
        currency = persona.income_currency
        amount = usd_to_minor(rng.randint(2_000, 800_000), currency)
        assessment = assess_application(
            seed,
            persona.identity,
            amount=amount,
            currency=currency,
            cart=[{"unit_amount": amount, "quantity": 1}],
            merchant={"mcc": "5732", "country": "US"},
            store=store,
            now=APPLICATIONS_START + timedelta(minutes=index),
        )
        facts.append(assessment.facts)
    return facts


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
