"""Policy dry runs: a proposed policy (or the live one) over a batch of applications, compared
with the live policy: outcome mix, approval rate, each rule's hits, and the decisions that change.

The batch is the applications given inline, the most recent stored applications (the facts each
credit decision saw; merchant applications for an onboarding policy), or a generated batch of
seeded personas across every risk tier buying carts of several sizes.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import timedelta
from typing import TYPE_CHECKING, Any, Final, Literal

from sqlalchemy import select

from mock_server.ids import new_id
from mock_server.risk.assessment import assess_application
from mock_server.risk.fraud import InMemoryVelocityStore
from mock_server.risk.personas import generate_personas
from mock_server.services.clock import utc_now
from mock_server.services.context import Sandbox
from mock_server.services.errors import InvalidRequest, NotFound
from mock_server.storage.models import ApplicationFactsRow, MerchantRow

if TYPE_CHECKING:
    # The rule engine (mock_server.rules) loads at the first decision, not at start.
    from mock_server.rules import Policy

__all__ = ["GENERATED_AMOUNTS_USD", "BatchSource", "dry_run_policy", "generated_credit_batch"]

BatchSource = Literal["inline", "stored", "generated"]
GENERATED_AMOUNTS_USD: Final = (15_000, 60_000, 180_000, 450_000)
_MCCS: Final = ("5732", "5941", "5712", "7995", "5999", "5047")


def generated_credit_batch(seed: int, count: int) -> list[dict[str, Any]]:
    """Credit facts for `count` seeded personas (every tier, en_US and zh_CN) and cart sizes."""
    now = utc_now()
    store = InMemoryVelocityStore()
    batch: list[dict[str, Any]] = []
    for index, persona in enumerate(generate_personas(seed, count)):
        amount = GENERATED_AMOUNTS_USD[index % len(GENERATED_AMOUNTS_USD)]
        cart = [{"sku": f"gen-{index}", "name": "Item", "unit_amount": amount, "quantity": 1}]
        assessment = assess_application(
            seed,
            persona.identity,
            amount=amount,
            currency="USD",
            cart=cart,
            merchant={"mcc": "5732", "country": "US"},
            store=store,
            now=now + timedelta(seconds=index),
        )
        batch.append(assessment.facts)
    return batch


def _generated_onboarding_batch(count: int) -> list[dict[str, Any]]:
    from mock_server.rules import build_onboarding_facts

    batch: list[dict[str, Any]] = []
    for index in range(count):
        site = f"shop-{index}.example.com"
        batch.append(
            build_onboarding_facts(
                {
                    "legal_name": f"Generated Shop {index}",
                    "mcc": _MCCS[index % len(_MCCS)],
                    "country": ("US", "GB", "DE", "CN", "JP")[index % 5],
                    "currency": ("USD", "GBP", "EUR", "CNY", "JPY")[index % 5],
                    "website": f"https://{site}" if index % 7 else None,
                    "years_in_business": index % 9,
                    "expected_monthly_volume": (index % 11 + 1) * 1_500_000,
                    "contact_email": f"owner@{site}" if index % 3 else f"owner{index}@mail.test",
                }
            )
        )
    return batch


def _stored_batch(sandbox: Sandbox, kind: str, count: int) -> list[dict[str, Any]]:
    from mock_server.rules import build_onboarding_facts

    with sandbox.db.reader() as session:
        if kind == "onboarding":
            merchants = session.scalars(
                select(MerchantRow).order_by(MerchantRow.seq.desc()).limit(count)
            )
            return [build_onboarding_facts(m.application) for m in reversed(list(merchants))]
        rows = session.scalars(
            select(ApplicationFactsRow).order_by(ApplicationFactsRow.seq.desc()).limit(count)
        )
        return [dict(r.facts) for r in reversed(list(rows))]


def _batch(
    sandbox: Sandbox,
    kind: str,
    source: BatchSource,
    applications: Sequence[Mapping[str, Any]] | None,
    count: int,
) -> list[dict[str, Any]]:
    if source == "inline":
        if not applications:
            raise InvalidRequest(
                "give applications, or source stored or generated", param="applications"
            )
        return [dict(a) for a in applications]
    if applications:
        raise InvalidRequest(f"applications are only read with source inline, not {source}",
                             param="applications")  # fmt: skip
    if source == "stored":
        return _stored_batch(sandbox, kind, count)
    if kind == "onboarding":
        return _generated_onboarding_batch(count)
    return generated_credit_batch(sandbox.settings.seed, count)


def _candidate(live: Policy, proposed: Mapping[str, Any] | None) -> Policy:
    from mock_server.rules import PolicyError, fields_for_kind, load_policy

    if proposed is None:
        return live
    data = {"id": live.id, "kind": live.kind, "version": live.version + 1, **proposed}
    if data["id"] != live.id:
        raise InvalidRequest(f"the proposed policy's id must be {live.id!r}", param="policy.id")
    kind = data.get("kind")
    try:
        return load_policy(data, fields=fields_for_kind(kind) if isinstance(kind, str) else None)
    except PolicyError as exc:
        first = exc.problems[0].location if exc.problems else "rules"
        raise InvalidRequest(str(exc), code="policy_invalid", param=f"policy.{first}") from exc


def dry_run_policy(
    sandbox: Sandbox,
    public_id: str,
    *,
    proposed: Mapping[str, Any] | None = None,
    applications: Sequence[Mapping[str, Any]] | None = None,
    source: BatchSource | None = None,
    count: int = 200,
) -> dict[str, Any]:
    """Evaluate the proposed policy (the live one when none is given) over a batch and compare
    it with the live policy; nothing goes live."""
    name = public_id.removeprefix("pol_")
    try:
        live = sandbox.policy(name)
    except (FileNotFoundError, ValueError):
        raise NotFound("policy", public_id, param="id") from None
    candidate = _candidate(live, proposed)
    chosen: BatchSource = source or ("inline" if applications else "stored")
    batch = _batch(sandbox, live.kind, chosen, applications, count)
    from mock_server.rules import dry_run

    report = dry_run(candidate, batch, baseline=live).to_dict()
    results: list[dict[str, Any]] = []
    for facts in batch:
        try:
            results.append(candidate.evaluate(facts).to_dict())
        except Exception as exc:  # an application the policy cannot evaluate is reported
            results.append({"error": str(exc)})
    return {
        "id": new_id("pol"),
        "object": "policy_dry_run",
        "source": chosen,
        "proposed": proposed is not None,
        **report,
        "results": results,
    }
