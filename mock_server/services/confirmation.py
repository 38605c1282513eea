"""Confirming a checkout: run the merchant's loan process and record its decision.

Approve -> a loan `authorized`, checkout `approved`; decline -> reason codes, `declined`;
review -> `in_review` with the workflow instance waiting. One transaction for all of it.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from typing import TYPE_CHECKING

from sqlalchemy import select
from sqlalchemy.orm import Session

from mock_server.contract.requests import ConfirmRequest
from mock_server.domain import DEFAULT_PLANS, InvalidTransition, Loan, Plan, to_usd_minor
from mock_server.domain.checkout import CheckoutStatus
from mock_server.ids import new_id
from mock_server.risk.identity import Identity
from mock_server.services.checkouts import expire_checkout_if_due
from mock_server.services.context import Caller, Sandbox
from mock_server.services.errors import Conflict, InvalidRequest
from mock_server.services.events import record_event
from mock_server.services.objects import CheckoutAnswer, OfferObject
from mock_server.services.presenters import checkout_object, loan_object, workflow_object
from mock_server.services.pricing import OfferPrice, priced_plan
from mock_server.services.unit_of_work import StoredCheckout, UnitOfWork
from mock_server.services.virtual_cards import issue_virtual_card, virtual_card_object
from mock_server.storage.models import (
    CheckoutRow,
    CustomerRow,
    LoanRow,
    ReviewRow,
    WorkflowInstanceRow,
)
from mock_server.workflow import WorkflowDefinition, WorkflowInstance, start

if TYPE_CHECKING:
    # The rule engine and the underwriting process load at the first decision, not at start.
    from mock_server.rules import Outcome
    from mock_server.services.underwriting import Application, Underwriter

__all__ = [
    "Authorizer",
    "checkout_status",
    "confirm_checkout",
    "open_review",
    "selected_plan",
    "underwriter_for",
]

_STATUS_BY_OUTCOME = {
    "approved": CheckoutStatus.APPROVED,
    "declined": CheckoutStatus.DECLINED,
    "canceled": CheckoutStatus.CANCELED,
}
_OUTCOME_BY_STATUS: dict[str, Outcome] = {
    "approved": "approve",
    "in_review": "review",
    "declined": "decline",
    "canceled": "decline",
}


def _plan_for(caller: Caller, plan_id: str) -> Plan:
    for plan in (*caller.merchant.plans, *DEFAULT_PLANS):
        if plan.id == plan_id:
            return plan
    raise Conflict(f"plan {plan_id} is no longer offered", code="offer_unavailable")


def _application(
    row: CheckoutRow,
    customer: CustomerRow,
    caller: Caller,
    device_id: str | None,
    offer: OfferPrice | None = None,
) -> Application:
    from mock_server.services.underwriting import Application

    return Application(
        id=row.id,
        merchant_id=caller.merchant.id,
        customer_id=customer.id,
        identity=Identity.from_dict(customer.data),
        amount=row.amount,
        currency=row.currency,
        cart=row.data["items"],
        merchant={"mcc": caller.merchant.mcc, "country": caller.merchant.country},
        device_id=device_id,
        bureau_down=caller.bureau_down,
        offer=offer,
    )


def confirm_checkout(
    sandbox: Sandbox, caller: Caller, checkout_id: str, body: ConfirmRequest
) -> CheckoutAnswer:
    """Record the customer's choice and consent, run the loan process, answer the checkout."""
    if body.consent is not True:
        raise InvalidRequest(
            "the customer must consent to the loan agreement (consent: true)",
            code="consent_required",
            param="consent",
        )
    refused: InvalidTransition | None = None
    with UnitOfWork(sandbox, caller) as uow:
        checkout, customer = uow.checkouts.get_with_customer(checkout_id, for_update=True)
        expire_checkout_if_due(uow, checkout)  # kept even when the confirm is refused
        try:
            checkout.require_open("confirm")
        except InvalidTransition as exc:
            refused = exc
        else:
            return _run(uow, checkout, customer, body.offer, body.device_id)
    raise refused


def selected_offer(row: CheckoutRow, offer_id: str) -> OfferObject:
    """One of the checkout's offers (400 naming `offer` if it is not one)."""
    offer = next((o for o in row.data["offers"] if o["id"] == offer_id), None)
    if offer is None:
        raise InvalidRequest(
            f"offer {offer_id!r} is not one of checkout {row.id}'s offers",
            code="offer_invalid",
            param="offer",
        )
    found: OfferObject = offer
    return found


def selected_plan(caller: Caller, row: CheckoutRow, offer_id: str) -> Plan:
    """The plan behind one of the checkout's offers, at exactly the APR the offer disclosed."""
    offer = selected_offer(row, offer_id)
    return priced_plan(_plan_for(caller, str(offer["plan"])), OfferPrice.of(offer).apr_bps)


@dataclass(slots=True)
class Authorizer:
    """The authorization step's effect: an `authorized` loan for the checkout (and, in store,
    the single-use virtual card the terminal charges, derived with `card_key`)."""

    session: Session
    caller: Caller
    checkout: CheckoutRow
    plan: Plan
    card_key: str = ""
    loans: list[LoanRow] = field(default_factory=list)

    def __call__(self, at: datetime, authorization_days: int) -> str:
        row = self.checkout
        loan = Loan.authorize(
            self.plan,
            row.amount,
            row.currency,
            at.date(),
            id=new_id("loan"),
            authorization_days=authorization_days,
        )
        loan_row = LoanRow.new(
            id=loan.id,
            merchant_id=self.caller.merchant.id,
            checkout_id=row.id,
            customer_id=row.customer_id,
            created=at,
            status=loan.status.value,
            data=loan.to_dict(),
            test_clock_id=row.test_clock_id,
        )
        self.session.add(loan_row)
        self.loans.append(loan_row)
        row.loan_id = loan.id
        if row.data.get("channel") == "in_store":
            card = issue_virtual_card(self.session, self.card_key, row, loan_row, at)
            record_event(
                self.session, self.caller, "virtual_card.issued", virtual_card_object(card), at
            )
        return loan.id


def underwriter_for(
    session: Session,
    sandbox: Sandbox,
    caller: Caller,
    row: CheckoutRow,
    authorizer: Authorizer,
    definition: WorkflowDefinition,
    device_id: str | None = None,
    offer: OfferPrice | None = None,
    customer: CustomerRow | None = None,
) -> Underwriter:
    """The step handlers for this checkout's application, with the settings of the loan
    process it runs (`definition`): its decision step's policy, pull type, fraud window, ...
    (`customer` when the caller already read the checkout's customer)."""
    if customer is None:
        query = select(CustomerRow).where(CustomerRow.id == row.customer_id)
        customer = session.scalars(query).one()
    # The underwriting process (its step handlers) loads at the first confirm, not at start.
    from mock_server.services.underwriting import ProcessSettings, Underwriter

    settings = ProcessSettings.of(definition)
    return Underwriter(
        session,
        _application(row, customer, caller, device_id, offer),
        sandbox.policy(settings.policy),
        sandbox.settings.seed,
        authorizer,
        settings,
    )


def open_review(
    session: Session,
    caller: Caller,
    row: CheckoutRow,
    instance: WorkflowInstance,
    now: datetime,
    queue: str = "default",
) -> ReviewRow:
    """Queue the waiting application for an underwriter in the named review queue."""
    decision = row.data.get("decision") or {}
    review = ReviewRow.new(
        id=new_id("rev"),
        merchant_id=caller.merchant.id,
        checkout_id=row.id,
        workflow_instance_id=instance.id,
        created=now,
        status="pending",
        queue=queue,
        reason_codes=list(decision.get("reason_codes", [])),
        deadline=instance.deadline,
        decided_at=None,
    )
    session.add(review)
    return review


def _run(
    uow: UnitOfWork,
    checkout: StoredCheckout,
    customer: CustomerRow,
    offer_id: str,
    device_id: str | None,
) -> CheckoutAnswer:
    sandbox, caller, session, now, row = uow.sandbox, uow.caller, uow.session, uow.now, checkout.row
    authorizer = Authorizer(
        session, caller, row, selected_plan(caller, row, offer_id), sandbox.settings.card_key
    )
    definition = sandbox.workflow(caller.merchant.workflow)
    offer = OfferPrice.of(selected_offer(row, offer_id))
    underwriter = underwriter_for(
        session, sandbox, caller, row, authorizer, definition, device_id, offer, customer
    )
    instance = start(
        definition,
        row.id,
        underwriter.handlers(),
        now,
        context={"amount_usd": to_usd_minor(row.amount, row.currency)},
        instance_id=new_id("wf"),
    )
    session.add(
        WorkflowInstanceRow.new(
            id=instance.id,
            merchant_id=caller.merchant.id,
            checkout_id=row.id,
            status=instance.status,
            deadline=instance.deadline,
            data=instance.to_dict(),
        )
    )
    row.workflow_instance_id = instance.id
    checkout.confirm(checkout_status(instance))
    row.data = {
        **row.data,
        "selected_offer": offer_id,
        "decision": underwriter.decision_object(
            _OUTCOME_BY_STATUS[checkout.status], _step_reason(instance), row.currency
        ),
        "workflow": workflow_object(instance),
    }
    if instance.status == "waiting":
        open_review(session, caller, row, instance, now, underwriter.settings.review_queue)
    answer = uow.record_checkout(f"checkout.{checkout.status}", checkout_object(row))
    for loan_row in authorizer.loans:
        uow.record("loan.authorized", loan_object(loan_row))
    return answer


def checkout_status(instance: WorkflowInstance) -> CheckoutStatus:
    """The checkout status a workflow instance's state means."""
    if instance.status == "waiting":
        return CheckoutStatus.IN_REVIEW
    return _STATUS_BY_OUTCOME.get(instance.outcome or "", CheckoutStatus.DECLINED)


def _step_reason(instance: WorkflowInstance) -> str | None:
    """The reason the last deciding step gave (an amount gate's "above" names the threshold)."""
    for record in reversed(instance.history):
        if record.type == "amount_gate" and record.outcome == "above":
            return "AMOUNT_OVER_REVIEW_THRESHOLD"
        reason = record.summary.get("reason_code")
        if isinstance(reason, str):
            return reason
    return None
