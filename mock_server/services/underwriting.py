"""The loan process for one application: workflow step handlers wired to risk and rules.

The workflow engine knows nothing of credit; this module gives it one handler per step type.
The credit step runs the risk assessment once (hard pull, scorecard, fraud screen, facts) and
stores the report on the customer; later steps read that assessment. All of it happens inside
the caller's transaction, so a failed decision leaves nothing behind.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field, replace
from datetime import datetime, timedelta
from typing import TYPE_CHECKING, Any, Final

from sqlalchemy import bindparam, func, insert, select
from sqlalchemy.orm import Session

from mock_server.domain.loan import AUTHORIZATION_DAYS
from mock_server.ids import new_id
from mock_server.risk.assessment import Assessment, assess_application
from mock_server.risk.credit import CreditReport, PullType
from mock_server.risk.fraud import (
    DEFAULT_WINDOW,
    VELOCITY_ATTRIBUTES,
    ApplicationRecord,
    VelocityAttribute,
)
from mock_server.risk.identity import Identity, age_on
from mock_server.risk.personas import usd_to_minor
from mock_server.risk.tags import tag_trace
from mock_server.services import bureau
from mock_server.services.pricing import OfferPrice, WorseTierAction, hold_disclosed_price
from mock_server.storage.bulk import execute_many
from mock_server.storage.driver import fetch_one
from mock_server.storage.models import ApplicationFactsRow, CreditReportRow, VelocityRow
from mock_server.workflow import (
    JSON,
    StepContext,
    StepHandler,
    StepResult,
    WorkflowDefinition,
)

if TYPE_CHECKING:
    # The rule engine (mock_server.rules) loads at the first decision, not at start.
    from mock_server.rules import Decision, Outcome, Policy

__all__ = [
    "ADULT_AGE",
    "DEFAULT_CREDIT_POLICY",
    "DEFAULT_REUSE_DAYS",
    "Application",
    "ProcessSettings",
    "SqlVelocityStore",
    "Underwriter",
    "decision_object",
    "policy_public_id",
]

ADULT_AGE: Final = 18
DEFAULT_CREDIT_POLICY: Final = "consumer_credit"
# A hard pull of the same customer this recent is reused instead of pulled again (days).
DEFAULT_REUSE_DAYS: Final = 30
BUREAU_UNAVAILABLE: Final = "BUREAU_UNAVAILABLE"
# Fraud flags that end an application at the fraud screen rather than at the policy.
FRAUD_FLAGS: Final = frozenset({"IDENTITY_MISMATCH"})
DEVICE_RING_SIZE: Final = 3
DEFAULT_REASONS: Final[dict[str, str]] = {
    "approve": "APPROVED",
    "review": "MANUAL_REVIEW",
    "decline": "APPLICATION_DECLINED",
}


def policy_public_id(policy_id: str) -> str:
    """The id the API shows for a policy (`pol_consumer_credit`)."""
    return policy_id if policy_id.startswith("pol_") else f"pol_{policy_id}"


def decision_object(decision: Decision, score: int | None, currency: str) -> dict[str, Any]:
    """The checkout's `decision`: outcome, reasons, score, limit (in the cart's currency)."""
    limit = None if decision.credit_limit is None else usd_to_minor(decision.credit_limit, currency)
    return {
        "outcome": decision.outcome,
        "reason_codes": list(decision.reason_codes),
        "score": score,
        "credit_limit": limit,
        "apr_bps": decision.apr_bps,
        "policy_id": policy_public_id(decision.policy_id),
        "policy_version": decision.policy_version,
        "rules_fired": [rule.to_dict() for rule in decision.rules_fired],
    }


class SqlVelocityStore:
    """The risk engine's VelocityStore over the `velocity_signals` table (lender-wide)."""

    def __init__(self, session: Session, application_id: str) -> None:
        self.session = session
        self.application_id = application_id

    def record(self, application: ApplicationRecord) -> None:
        """Remember each of the application's signals."""
        rows = [
            {
                "kind": kind,
                "value": value,
                "email": application.email,
                "application_id": self.application_id,
                "at": application.at,
            }
            for kind in VELOCITY_ATTRIBUTES
            if (value := application.value(kind)) is not None
        ]
        if rows:  # one batched statement for all the signals, compiled once
            execute_many(self.session, _VELOCITY_INSERT, rows, flush=False)

    def count(
        self,
        attribute: VelocityAttribute,
        value: str,
        *,
        since: datetime,
        until: datetime,
        distinct_emails: bool = False,
    ) -> int:
        """Applications (or distinct emails) with this signal in `(since, until]`."""
        query = _EMAILS_WITH_SIGNAL if distinct_emails else _APPLICATIONS_WITH_SIGNAL
        params = {"kind": attribute, "value": value, "since": since, "until": until}
        found = fetch_one(self.session.connection(), query, params)
        return int(found[0] or 0) if found is not None else 0


# Built once (a statement built per count cost as much as running it): the signals are only
# ever inserted by `record`, after the counts, so the counts need no flush of the session.
_VELOCITY: Final = VelocityRow.metadata.tables[VelocityRow.__tablename__]
_VELOCITY_INSERT: Final = insert(_VELOCITY)
_SIGNAL_WINDOW: Final = (
    _VELOCITY.c.kind == bindparam("kind"),
    _VELOCITY.c.value == bindparam("value"),
    _VELOCITY.c.at > bindparam("since"),
    _VELOCITY.c.at <= bindparam("until"),
)
_APPLICATIONS_WITH_SIGNAL: Final = (
    select(func.count()).select_from(_VELOCITY).where(*_SIGNAL_WINDOW)
)
_EMAILS_WITH_SIGNAL: Final = select(func.count(func.distinct(_VELOCITY.c.email))).where(
    *_SIGNAL_WINDOW
)


def timed(handler: StepHandler) -> StepHandler:
    """The handler, recording the real time its work took as `elapsed_us` in the step's summary.

    Sandbox time stands still within one request, so the history's timestamps cannot show it.
    """

    def run(context: StepContext) -> StepResult:
        started = time.perf_counter_ns()
        result = handler(context)
        elapsed_us = (time.perf_counter_ns() - started) // 1000
        return replace(result, summary={**result.summary, "elapsed_us": elapsed_us})

    return run


@dataclass(frozen=True, slots=True)
class ProcessSettings:
    """The step settings of a loan process that the underwriter honours (defaults when unset)."""

    policy: str = DEFAULT_CREDIT_POLICY  # decision.policy
    pull_type: PullType = "hard"  # credit_report.pull_type
    fraud_window: timedelta = DEFAULT_WINDOW  # fraud_screen.window_hours
    authorization_days: int = AUTHORIZATION_DAYS  # authorization.expires_days
    review_queue: str = "default"  # manual_review.queue
    reuse_days: int = DEFAULT_REUSE_DAYS  # credit_report.reuse_days
    on_bureau_down: str = "decline"  # credit_report.on_bureau_down
    on_worse_tier: WorseTierAction = "decline"  # decision.on_worse_tier

    @classmethod
    def of(cls, definition: WorkflowDefinition) -> ProcessSettings:
        """The settings a definition's steps give (the first step of each type decides); read
        once per loaded definition (every confirm asks)."""
        known = _SETTINGS_OF.get(id(definition))
        if known is not None and known[0] is definition:
            return known[1]
        settings = cls._read(definition)
        if len(_SETTINGS_OF) >= 256:  # definitions reloaded many times: start again
            _SETTINGS_OF.clear()
        _SETTINGS_OF[id(definition)] = (definition, settings)
        return settings

    @classmethod
    def _read(cls, definition: WorkflowDefinition) -> ProcessSettings:
        found: dict[str, Any] = {}
        readers: dict[tuple[str, str], tuple[str, Callable[[Any], Any]]] = {
            ("decision", "policy"): ("policy", lambda name: str(name).removeprefix("pol_")),
            ("credit_report", "pull_type"): ("pull_type", str),
            ("credit_report", "reuse_days"): ("reuse_days", int),
            ("credit_report", "on_bureau_down"): ("on_bureau_down", str),
            ("fraud_screen", "window_hours"): ("fraud_window", lambda h: timedelta(hours=h)),
            ("authorization", "expires_days"): ("authorization_days", int),
            ("manual_review", "queue"): ("review_queue", str),
            ("decision", "on_worse_tier"): ("on_worse_tier", str),
        }
        for step in definition.steps:
            for (step_type, param), (name, convert) in readers.items():
                if step.type == step_type and param in step.params and name not in found:
                    found[name] = convert(step.params[param])
        return cls(**found)


# Each loaded definition (kept alive here, so its id is not reused) and the settings it gives.
_SETTINGS_OF: dict[int, tuple[WorkflowDefinition, ProcessSettings]] = {}


@dataclass(slots=True)
class Application:
    """One credit application: who, for what, where."""

    id: str
    merchant_id: str
    customer_id: str
    identity: Identity
    amount: int
    currency: str
    cart: Sequence[Mapping[str, Any]]
    merchant: Mapping[str, Any]
    device_id: str | None = None
    bureau_down: bool = False  # the sandbox fault bureau=down
    offer: OfferPrice | None = None  # what the chosen offer disclosed


@dataclass(slots=True)
class Underwriter:
    """Step handlers for one application; the assessment is made once and kept here."""

    session: Session
    application: Application
    policy: Policy
    seed: int
    authorize: Callable[[datetime, int], str]
    settings: ProcessSettings = field(default_factory=ProcessSettings)
    assessment: Assessment | None = None
    decision: Decision | None = None
    reports: list[str] = field(default_factory=list)
    reused_report: str | None = None
    bureau_down_action: str | None = None  # what the credit step did about a bureau outage

    def handlers(self) -> dict[str, StepHandler]:
        """One handler per step type the shipped loan processes use."""
        handlers: dict[str, StepHandler] = {
            "identity_check": self.identity_check,
            "credit_report": self.credit_report,
            "fraud_screen": self.fraud_screen,
            "decision": self.decide,
            "agreement": self.agreement,
            "authorization": self.authorization,
        }
        return {step_type: timed(handler) for step_type, handler in handlers.items()}

    def assess(self, now: datetime, *, without_file: bool = False) -> Assessment:
        """Pull (or reuse a recent pull), score, screen and build facts (once per application).

        BureauUnavailable when the bureau is down and no recent pull can be reused; a step other
        than the credit step then decides without a file."""
        if self.assessment is None:
            app = self.application
            report = None
            if not without_file:
                report = self._pull(now)
            self.assessment = assess_application(
                self.seed,
                app.identity,
                amount=app.amount,
                currency=app.currency,
                cart=app.cart,
                merchant=app.merchant,
                store=SqlVelocityStore(self.session, app.id),
                now=now,
                device_id=app.device_id,
                pull_type=self.settings.pull_type,
                window=self.settings.fraud_window,
                report=report,
                without_file=without_file,
            )
            self.session.add(
                ApplicationFactsRow.new(
                    application_id=app.id,
                    merchant_id=app.merchant_id,
                    created=now,
                    facts=self.assessment.facts,
                )
            )
        return self.assessment

    def _pull(self, now: datetime) -> CreditReport:
        """The merchant's hard pull of this customer within the reuse window, else a new pull
        (BureauUnavailable when the bureau is down)."""
        app = self.application
        pull_type = self.settings.pull_type
        if pull_type == "hard":
            recent = bureau.reusable_report(
                self.session, app.merchant_id, app.customer_id, now, self.settings.reuse_days
            )
            if recent is not None:
                self.reused_report = recent.id
                return CreditReport.from_dict(recent.data)
        report = bureau.pull_report(
            self.session, self.seed, app.identity, as_of=now, pull_type=pull_type,
            down=app.bureau_down,
        )  # fmt: skip
        self._store_report(report, now)
        return report

    def _store_report(self, report: CreditReport, now: datetime) -> None:
        app = self.application
        row = CreditReportRow.new(
            id=new_id("cr"),
            merchant_id=app.merchant_id,
            customer_id=app.customer_id,
            created=now,
            pull_type=report.pull_type,
            data=report.to_dict(customer=app.customer_id),
        )
        self.session.add(row)
        self.reports.append(row.id)

    def identity_check(self, context: StepContext) -> StepResult:
        """Pass an adult applicant whose identity is complete."""
        identity = self.application.identity
        age = age_on(identity.date_of_birth, context.now.date())
        if age < ADULT_AGE:
            return StepResult("fail", {"reason_code": "APPLICANT_UNDERAGE", "age": age})
        return StepResult("pass", {"age": age})

    def credit_report(self, context: StepContext) -> StepResult:
        """Pull the bureau file (stored on the customer), hard unless the step says
        `pull_type: soft`, or reuse the merchant's hard pull of the same customer within
        `reuse_days`; when the bureau is down, do what `on_bureau_down` says: decline
        (`no_file`), send the decision to review, or decide without a file."""
        try:
            assessment = self.assess(context.now)
        except bureau.BureauUnavailable:
            return self._bureau_down(context.now, self.settings.on_bureau_down)
        report = assessment.report
        summary: dict[str, JSON] = {"bureau_score": report.bureau_score, "frozen": report.frozen}
        if self.reused_report is not None:
            summary["reused_report"] = self.reused_report
        if report.frozen:
            return StepResult("frozen", {**summary, "reason_code": "FILE_FROZEN"})
        if not report.tradelines and report.bureau_score <= 0:
            return StepResult("no_file", {**summary, "reason_code": "NO_CREDIT_FILE"})
        return StepResult("pulled", summary)

    def _bureau_down(self, now: datetime, on_down: str) -> StepResult:
        summary: dict[str, JSON] = {"bureau": "down", "on_bureau_down": on_down}
        if on_down == "decline":
            return StepResult("no_file", {**summary, "reason_code": BUREAU_UNAVAILABLE})
        self.bureau_down_action = on_down
        self.assess(now, without_file=True)
        if on_down == "review":
            summary["reason_code"] = BUREAU_UNAVAILABLE
        return StepResult("pulled", summary)

    def _assessed(self, now: datetime) -> Assessment:
        """The assessment, deciding without a file if the bureau is down (a process that has
        no credit step has no setting for it)."""
        try:
            return self.assess(now)
        except bureau.BureauUnavailable:
            self.bureau_down_action = "decide_without_file"
            return self.assess(now, without_file=True)

    def fraud_screen(self, context: StepContext) -> StepResult:
        """Velocity and identity signals: fraud, suspect or clear."""
        fraud = self._assessed(context.now).fraud
        summary: dict[str, JSON] = {"flags": list(fraud.flags)}
        if fraud.flags:
            summary["reason_code"] = fraud.flags[0]
        if FRAUD_FLAGS & set(fraud.flags) or fraud.device_velocity >= DEVICE_RING_SIZE:
            return StepResult("fraud", summary)
        return StepResult("suspect" if fraud.flags else "clear", summary)

    def decide(self, context: StepContext) -> StepResult:
        """Evaluate the credit policy on the application's facts (or refer it to a person when
        the bureau was down and the credit step says `review`); an approval whose tier now prices
        above the disclosed APR becomes `on_worse_tier` (RISK_TIER_WORSENED)."""
        from mock_server.rules import Decision

        if self.bureau_down_action == "review":
            self.decision = Decision(
                outcome="review",
                reason_codes=(BUREAU_UNAVAILABLE,),
                rules_fired=(),
                policy_id=self.policy.id,
                policy_version=self.policy.version,
            )
        else:
            evaluated = self.policy.evaluate(self._assessed(context.now).facts)
            offer, action = self.application.offer, self.settings.on_worse_tier
            self.decision = hold_disclosed_price(evaluated, offer, action)
        summary: dict[str, JSON] = {
            "policy_id": self.decision.policy_id,
            "policy_version": self.decision.policy_version,
            "reason_codes": list(self.decision.reason_codes),
        }
        return StepResult(self.decision.outcome, summary)

    def agreement(self, context: StepContext) -> StepResult:
        """The customer consented when confirming; the agreement is accepted."""
        return StepResult("accepted", {"consent": True})

    def authorization(self, context: StepContext) -> StepResult:
        """Authorize the loan for the merchant to capture."""
        loan_id = self.authorize(context.now, self.settings.authorization_days)
        return StepResult("authorized", {"loan": loan_id}, updates={"loan": loan_id})

    def final_decision(self, outcome: Outcome, step_reason: str | None) -> Decision:
        """The decision behind the process's `outcome`: the policy's when it agrees; else the
        policy's view of the same facts when that agrees; else `outcome` for the step's reason
        (e.g. a fraud screen or an amount gate that sent an approval to review)."""
        from mock_server.rules import Decision

        if self.decision is not None and self.decision.outcome == outcome:
            return self.decision
        policy = self.policy
        evaluated = self.decision
        if evaluated is None and self.assessment is not None:
            evaluated = policy.evaluate(self.assessment.facts)
        if evaluated is not None and evaluated.outcome == outcome:
            return evaluated
        return Decision(
            outcome=outcome,
            reason_codes=(step_reason or DEFAULT_REASONS[outcome],),
            rules_fired=evaluated.rules_fired if evaluated else (),
            policy_id=policy.id,
            policy_version=policy.version,
            credit_limit=evaluated.credit_limit if evaluated else None,
            apr_bps=evaluated.apr_bps if evaluated else None,
        )

    def decision_object(
        self, outcome: Outcome, step_reason: str | None, currency: str
    ) -> dict[str, Any]:
        """The checkout's `decision` for this application."""
        score = self.assessment.report.bureau_score if self.assessment else None
        if self.bureau_down_action is not None:
            score = None  # decided without a file
        decided = decision_object(self.final_decision(outcome, step_reason), score, currency)
        return {**decided, "sandbox_tag": tag_trace(self.application.identity.email)}
