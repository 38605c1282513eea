"""One call from an identity and a cart to the facts a credit policy decides on."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from mock_server.domain.money import to_usd_minor
from mock_server.risk.credit import CreditReport, PullType, generate_credit_report
from mock_server.risk.facts import build_credit_facts
from mock_server.risk.fraud import (
    DEFAULT_WINDOW,
    ApplicationRecord,
    FraudSignals,
    VelocityStore,
    screen,
)
from mock_server.risk.identity import Identity
from mock_server.risk.personas import Person, person_for_identity
from mock_server.risk.scorecard import (
    Scorecard,
    ScoreResult,
    load_default_scorecard,
    scorecard_attributes,
)


@dataclass(frozen=True, slots=True)
class Assessment:
    """Everything the risk engine found about one application, and the facts built from it."""

    person: Person
    report: CreditReport
    score: ScoreResult
    fraud: FraudSignals
    facts: dict[str, Any]


def score_report(
    report: CreditReport, person: Person, scorecard: Scorecard | None = None
) -> ScoreResult:
    """Score a bureau file and the applicant's income on the (default) scorecard."""
    card = scorecard if scorecard is not None else load_default_scorecard()
    income_usd = to_usd_minor(person.income_annual, person.income_currency)
    return card.score(scorecard_attributes(report.summary(), income_annual_usd=income_usd))


def assess_application(
    seed: int,
    identity: Identity,
    *,
    amount: int,
    currency: str,
    cart: Sequence[Mapping[str, Any]],
    merchant: Mapping[str, Any],
    store: VelocityStore,
    now: datetime,
    pull_type: PullType = "hard",
    device_id: str | None = None,
    scorecard: Scorecard | None = None,
    window: timedelta = DEFAULT_WINDOW,
) -> Assessment:
    """Pull the file, score it, screen for fraud (recording the application) and build facts."""
    person = person_for_identity(seed, identity)
    report = generate_credit_report(seed, identity, as_of=now, pull_type=pull_type)
    score = score_report(report, person, scorecard)
    application = ApplicationRecord.from_identity(identity, at=now, device_id=device_id)
    fraud = screen(application, report, store, now=now, window=window)
    facts = build_credit_facts(
        amount=amount,
        currency=currency,
        person=person,
        report=report,
        score=score,
        fraud=fraud,
        cart=cart,
        merchant=merchant,
        on=now.date(),
    )
    return Assessment(person, report, score, fraud, facts)
