"""The manual review queue: underwriters approve or decline waiting applications (admin key).

Working a review resumes the checkout's persisted workflow instance with the reviewer's outcome;
an approval runs on through agreement and authorization, so the loan is authorized exactly as at
confirm. A review past its SLA is declined by the instance's timer, as the definition says.
"""

from __future__ import annotations

from typing import cast

from sqlalchemy.orm import Session

from mock_server.contract.requests import ReviewApproval, ReviewDecision
from mock_server.domain import InvalidTransition
from mock_server.domain.checkout import CheckoutStatus
from mock_server.domain.review import Review, ReviewStatus, ReviewVerdict
from mock_server.services.confirmation import (
    Authorizer,
    checkout_status,
    selected_plan,
    underwriter_for,
)
from mock_server.services.context import Caller, MerchantAccount, Sandbox
from mock_server.services.errors import InvalidRequest, NotFound
from mock_server.services.objects import CreditSummary, Listing, ReviewObject
from mock_server.services.presenters import checkout_object, iso, loan_object, workflow_object
from mock_server.services.unit_of_work import StoredCheckout, UnitOfWork
from mock_server.storage.models import (
    CheckoutRow,
    ReviewRow,
)
from mock_server.storage.repositories import (
    CheckoutRepository,
    CreditReportRepository,
    ReviewRepository,
    WorkflowInstanceRepository,
)
from mock_server.workflow import WorkflowInstance, fire_timers, resume

__all__ = ["ReviewOutcome", "list_reviews", "review_object", "work_review"]

ReviewOutcome = ReviewVerdict
_REASONS = {"approve": "MANUAL_REVIEW_APPROVED", "decline": "MANUAL_REVIEW_DECLINED"}


def review_object(row: ReviewRow, session: Session | None = None) -> ReviewObject:
    """A review in the API's shape; with a session, also what an underwriter needs to decide:
    the application, a summary of the credit file, the score and the rules that fired."""
    detail = _detail(session, row) if session is not None else {}
    return {
        **detail,  # type: ignore[typeddict-item]  # the underwriter's fields, when read
        "id": row.id,
        "object": "review",
        "created": iso(row.created),
        "livemode": False,
        "status": row.status,
        "checkout": row.checkout_id,
        "merchant": row.merchant_id,
        "queue": row.queue,
        "reason_codes": list(row.reason_codes),
        "deadline": iso(row.deadline) if row.deadline else None,
        "decided_at": iso(row.decided_at) if row.decided_at else None,
    }


_CREDIT_SUMMARY = (
    "bureau_score", "pull_type", "utilization_bps", "delinquencies", "public_records", "frozen"
)  # fmt: skip


def _credit_summary(session: Session, row: ReviewRow, customer_id: str) -> CreditSummary | None:
    report = CreditReportRepository(session, row.merchant_id).latest_for(customer_id)
    if report is None:
        return None
    data = report.data
    summary = {key: data.get(key) for key in _CREDIT_SUMMARY}
    summary["tradeline_count"] = len(data.get("tradelines") or [])
    summary["inquiry_count"] = len(data.get("inquiries") or [])
    summary["pulled_at"] = data.get("pulled_at") or iso(report.created)
    return cast(CreditSummary, summary)


def _detail(session: Session, row: ReviewRow) -> dict[str, object]:
    checkout = _checkout_of(session, row)
    decision = checkout.data.get("decision") or {}
    offer_id = checkout.data.get("selected_offer")
    offer = next((o for o in checkout.data["offers"] if o["id"] == offer_id), None)
    return {
        "application": {
            "checkout": checkout.id,
            "customer": checkout.customer_id,
            "amount": checkout.amount,
            "currency": checkout.currency,
            "plan": offer["plan"] if offer else None,
            "item_count": sum(int(i["quantity"]) for i in checkout.data["items"]),
            "merchant_reference": checkout.data.get("merchant_reference"),
        },
        "credit_summary": _credit_summary(session, row, checkout.customer_id),
        "score": decision.get("score"),
        "credit_limit": decision.get("credit_limit"),
        "policy_id": decision.get("policy_id"),
        "policy_version": decision.get("policy_version"),
        "rules_fired": list(decision.get("rules_fired") or []),
    }


def _checkout_of(session: Session, row: ReviewRow, *, for_update: bool = False) -> CheckoutRow:
    """The checkout a review decides (of the review's merchant)."""
    checkouts = CheckoutRepository(session, row.merchant_id)
    found = checkouts.get(row.checkout_id, for_update=for_update)
    assert found is not None, f"review {row.id} names no checkout of its merchant"
    return found


def list_reviews(
    sandbox: Sandbox,
    limit: int,
    starting_after: str | None,
    status: str | None,
    queue: str | None = None,
) -> Listing[ReviewObject]:
    """The queue across merchants, oldest first (overdue reviews are timed out first)."""
    with sandbox.db.transaction() as session:
        queue_rows = ReviewRepository(session)
        for row in queue_rows.claim_pending():
            _work(session, sandbox, row, None, None)
        page = queue_rows.page(limit, starting_after, status, queue)
        if page is None:
            raise NotFound("review", str(starting_after), param="starting_after")
        rows, has_more = page
        return Listing([review_object(r, session) for r in rows], has_more)


def work_review(
    sandbox: Sandbox,
    review_id: str,
    verdict: ReviewVerdict,
    body: ReviewApproval | ReviewDecision | None,
    request_id: str | None,
) -> ReviewObject:
    """Approve (optionally with a lower credit limit) or decline a pending review; 409 once it
    is decided or timed out."""
    note = body.note if body is not None else None
    credit_limit = body.credit_limit if isinstance(body, ReviewApproval) else None
    refused: InvalidTransition | None = None
    with sandbox.db.transaction() as session:
        row = ReviewRepository(session).get(review_id, for_update=True)
        if row is None:
            raise NotFound("review", review_id, param="id")
        review = Review(row)
        try:
            review.require_pending()
        except InvalidTransition as exc:
            refused = exc
        else:
            if credit_limit is not None:
                _set_limit(session, row, credit_limit)
            if _work(session, sandbox, row, verdict, request_id, note):
                return review_object(row, session)
            # Its SLA timer fired first: the expiry is kept, the verdict refused.
            refused = Review(row).refusal()
    raise refused


def _set_limit(session: Session, row: ReviewRow, credit_limit: int) -> None:
    """Lower the decision's credit limit; it must still cover the checkout's amount."""
    checkout = _checkout_of(session, row)
    decision = dict(checkout.data.get("decision") or {})
    current = decision.get("credit_limit")
    if credit_limit < checkout.amount or (current is not None and credit_limit > current):
        ceiling = f" and at most the decided {current}" if current is not None else ""
        raise InvalidRequest(
            f"credit_limit {credit_limit} must be at least the checkout's amount "
            f"{checkout.amount}{ceiling} ({checkout.currency} minor units)",
            param="credit_limit",
        )
    checkout.data = {**checkout.data, "decision": {**decision, "credit_limit": credit_limit}}


def _work(
    session: Session,
    sandbox: Sandbox,
    row: ReviewRow,
    outcome: ReviewVerdict | None,
    request_id: str | None,
    note: str | None = None,
) -> bool:
    """Resume the instance with `outcome` (or only fire its timer when None); True when the
    reviewer's outcome was applied, False when nothing happened or the SLA timer fired first."""
    merchant = ReviewRepository(session).merchant_of(row)
    caller = Caller(MerchantAccount.from_row(merchant), request_id)
    with UnitOfWork(sandbox, caller) as uow:  # the merchant's work, in the queue's transaction
        checkout = uow.checkouts.get(row.checkout_id, for_update=True)
        instances = WorkflowInstanceRepository(session, row.merchant_id)
        stored = instances.get(row.workflow_instance_id)
        assert stored is not None, f"review {row.id} names no workflow instance of its merchant"
        instance = WorkflowInstance.from_dict(stored.data)
        definition = sandbox.workflow_version(instance.definition_id, instance.definition_version)
        uow.use_clock(checkout.test_clock)
        now = uow.now
        authorizer = Authorizer(
            session,
            caller,
            checkout.row,
            selected_plan(caller, checkout.row, checkout.row.data["selected_offer"]),
            sandbox.settings.card_key,
        )
        handlers = underwriter_for(
            session, sandbox, caller, checkout.row, authorizer, definition
        ).handlers()
        review = Review(row)
        if fire_timers(instance, definition, handlers, now):
            reason = "REVIEW_SLA_EXPIRED"
            review.expire(now)
        elif outcome is None:
            return False
        else:
            details = {"reviewer": "admin", "note": note}
            resume(instance, definition, outcome, handlers, now, details)
            reason = _REASONS[outcome]
            review.decide(outcome, now)
        stored.data, stored.status, stored.deadline = instance.to_dict(), instance.status, None
        _decide_checkout(uow, checkout, instance, reason)
        for loan_row in authorizer.loans:
            uow.record("loan.authorized", loan_object(loan_row))
        return review.status is not ReviewStatus.EXPIRED


def _decide_checkout(
    uow: UnitOfWork, checkout: StoredCheckout, instance: WorkflowInstance, reason: str
) -> None:
    checkout.decide_review(checkout_status(instance))
    row = checkout.row
    previous = dict(row.data.get("decision") or {})
    outcome = "approve" if checkout.status is CheckoutStatus.APPROVED else "decline"
    reasons = [reason] if outcome == "approve" else [reason, *previous.get("reason_codes", [])]
    row.data = {
        **row.data,
        "decision": {**previous, "outcome": outcome, "reason_codes": reasons},
        "workflow": workflow_object(instance),
    }
    uow.record(f"checkout.{checkout.status}", checkout_object(row))
