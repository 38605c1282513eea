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
from mock_server.risk.personas import LOCALE_CURRENCIES, Person, person_for_identity
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
    report: CreditReport,
    person: Person,
    scorecard: Scorecard | None = None,
    *,
    without_file: bool = False,
) -> ScoreResult:
    """Score a bureau file and the applicant's income on the (default) scorecard (without a
    file, the bureau score takes the scorecard's missing points)."""
    card = scorecard if scorecard is not None else load_default_scorecard()
    income_usd = to_usd_minor(person.income_annual, person.income_currency)
    attributes: dict[str, int | None] = dict(
        scorecard_attributes(report.summary(), income_annual_usd=income_usd)
    )
    if without_file:
        attributes["bureau_score"] = None
    return card.score(attributes)


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
    report: CreditReport | None = None,
    without_file: bool = False,
) -> Assessment:
    """Pull the file (unless `report` is given), score it, screen for fraud (recording the
    application) and build facts. `without_file` decides on the application alone: an empty
    file whose score is missing (null in the facts, the scorecard's missing points)."""
    person = person_for_identity(seed, identity)
    if without_file:
        report = empty_report(identity, now, pull_type)
    elif report is None:
        report = generate_credit_report(seed, identity, as_of=now, pull_type=pull_type)
    score = score_report(report, person, scorecard, without_file=without_file)
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
    if without_file:
        facts["credit"]["score"] = None
    return Assessment(person, report, score, fraud, facts)


def empty_report(identity: Identity, now: datetime, pull_type: PullType) -> CreditReport:
    """A file with nothing on it, for deciding without the bureau."""
    return CreditReport(
        bureau_score=0,
        tradelines=(),
        inquiries=(),
        public_records=0,
        frozen=False,
        pulled_at=now,
        pull_type=pull_type,
        file_name=identity.name,
        file_date_of_birth=identity.date_of_birth,
        currency=LOCALE_CURRENCIES.get(identity.locale, "USD"),
    )
