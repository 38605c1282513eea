"""The customer's side of a checkout, step by step, on the hosted page.

identity (prefilled from what the merchant sent) -> offers (a soft pull, then every offer with
its Truth-in-Lending disclosure) -> consent (the chosen plan reviewed, explicit consent) ->
decided (the workflow's decision with its reasons; an adverse-action notice on a decline) ->
the way back to the merchant (online: a one-time token on the redirect; in store: the terminal
learns it through its webhook and poll, and is issued the virtual card).

The page runs the same services the API does: the soft pull of prequalification, the offers the
checkout was created with, and the confirmation that runs the merchant's loan process.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import urlencode

from sqlalchemy import select
from sqlalchemy.orm import Session

from mock_server.contract.requests import ConfirmRequest
from mock_server.ids import new_id
from mock_server.risk.reasons import describe
from mock_server.services.checkouts import expire_if_due
from mock_server.services.clock import merchant_now
from mock_server.services.confirmation import confirm_checkout
from mock_server.services.context import Caller, MerchantAccount, Sandbox
from mock_server.services.errors import Conflict, InvalidRequest
from mock_server.services.events import record_event
from mock_server.services.hosted_pages import find_page, mint_return_token
from mock_server.services.objects import CheckoutObject, CustomerObject
from mock_server.services.prequalifications import soft_pull
from mock_server.services.presenters import checkout_object, customer_object
from mock_server.storage.models import CheckoutRow, CreditReportRow, CustomerRow, MerchantRow

__all__ = [
    "PageView",
    "choose_offer",
    "give_consent",
    "return_url",
    "shown_token",
    "submit_identity",
    "view",
]

_STEPS = ("identity", "offers", "consent", "decided")


@dataclass(frozen=True, slots=True)
class PageView:
    """What the page shows: the merchant, the checkout, the customer, the step reached."""

    token: str
    step: str
    merchant_name: str
    checkout: CheckoutObject
    customer: CustomerObject
    soft_pull: dict[str, Any] | None
    selected_offer: dict[str, Any] | None
    reasons: list[dict[str, str]] = field(default_factory=list)
    score: int | None = None

    @property
    def in_store(self) -> bool:
        """Whether the shopper applies in a store (no redirect back)."""
        return bool(self.checkout["channel"] == "in_store")


@dataclass(frozen=True, slots=True)
class _Loaded:
    page: Any
    checkout: CheckoutRow
    customer: CustomerRow
    merchant: MerchantRow
    caller: Caller


def _load(session: Session, token: str, request_id: str | None, *, lock: bool = False) -> _Loaded:
    page = find_page(session, token, for_update=lock)
    query = select(CheckoutRow).where(CheckoutRow.id == page.checkout_id)
    checkout = session.scalars(query.with_for_update() if lock else query).one()
    customer = session.scalars(
        select(CustomerRow).where(CustomerRow.id == checkout.customer_id)
    ).one()
    merchant = session.scalars(select(MerchantRow).where(MerchantRow.id == page.merchant_id)).one()
    caller = Caller(MerchantAccount.from_row(merchant), request_id)
    return _Loaded(page, checkout, customer, merchant, caller)


def _now(session: Session, sandbox: Sandbox, loaded: _Loaded) -> Any:
    return merchant_now(session, loaded.merchant.id, sandbox.wall, loaded.checkout.test_clock_id)


def view(sandbox: Sandbox, token: str, *, step: str | None = None) -> PageView:
    """The page as it stands (an open checkout past its time is expired first); `step` goes
    back to an earlier step the shopper already passed (to change the plan or identity)."""
    with sandbox.db.transaction() as session:
        loaded = _load(session, token, None)
        expire_if_due(session, loaded.caller, loaded.checkout, _now(session, sandbox, loaded))
        return _view(loaded, step)


def _view(loaded: _Loaded, step: str | None) -> PageView:
    page, checkout = loaded.page, loaded.checkout
    reached = page.step if checkout.status == "open" else "decided"
    if step in _STEPS and _STEPS.index(step) < _STEPS.index(reached) and reached != "decided":
        reached = step
    decision = checkout.data.get("decision") or {}
    offer_id = page.data.get("offer") or checkout.data.get("selected_offer")
    offer = next((o for o in checkout.data["offers"] if o["id"] == offer_id), None)
    return PageView(
        token=page.token,
        step=reached,
        merchant_name=loaded.merchant.display_name or loaded.merchant.legal_name,
        checkout=checkout_object(checkout),
        customer=customer_object(loaded.customer),
        soft_pull=page.data.get("soft_pull"),
        selected_offer=offer,
        reasons=[{"code": c, "text": describe(c)} for c in decision.get("reason_codes", [])],
        score=decision.get("score"),
    )


def _require_open(loaded: _Loaded, action: str) -> None:
    if loaded.checkout.status != "open":
        raise Conflict(
            f"cannot {action}: this checkout is {loaded.checkout.status}",
            code=f"checkout_{loaded.checkout.status}",
        )


def submit_identity(sandbox: Sandbox, token: str, identity: Mapping[str, Any]) -> PageView:
    """Keep the identity the shopper confirmed (or corrected) and soft-pull their file: the
    offers step shows what it found, which does not touch their credit score."""
    with sandbox.db.transaction() as session:
        loaded = _load(session, token, None, lock=True)
        now = _now(session, sandbox, loaded)
        expire_if_due(session, loaded.caller, loaded.checkout, now)
        _require_open(loaded, "change the identity")
        customer = loaded.customer
        customer.data = {**customer.data, **identity}
        customer.email = str(identity.get("email", customer.email))
        record_event(session, loaded.caller, "customer.updated", customer_object(customer), now)
        checkout = loaded.checkout
        assessment = soft_pull(
            session, sandbox, loaded.caller, customer, checkout.amount, checkout.currency, now
        )
        session.add(
            CreditReportRow(
                id=new_id("cr"),
                merchant_id=loaded.merchant.id,
                customer_id=customer.id,
                created=now,
                pull_type="soft",
                data=assessment.report.to_dict(customer=customer.id),
            )
        )
        outcome = sandbox.credit_policy.evaluate(assessment.facts).outcome
        loaded.page.data = {
            **loaded.page.data,
            "soft_pull": {"outcome": outcome, "score": assessment.report.bureau_score},
        }
        loaded.page.step = "offers"
        return _view(loaded, None)


def choose_offer(sandbox: Sandbox, token: str, offer_id: str) -> PageView:
    """Remember the plan the shopper picked; the consent step reviews it."""
    with sandbox.db.transaction() as session:
        loaded = _load(session, token, None, lock=True)
        expire_if_due(session, loaded.caller, loaded.checkout, _now(session, sandbox, loaded))
        _require_open(loaded, "choose a plan")
        if loaded.page.step == "identity":
            raise Conflict("confirm your identity first", code="identity_required")
        if offer_id not in {o["id"] for o in loaded.checkout.data["offers"]}:
            raise InvalidRequest("choose one of the plans offered", param="offer")
        loaded.page.data = {**loaded.page.data, "offer": offer_id}
        loaded.page.step = "consent"
        return _view(loaded, None)


def give_consent(sandbox: Sandbox, token: str, consent: bool, request_id: str | None) -> PageView:
    """The shopper's explicit consent: run the merchant's loan process on the chosen offer
    (the API's confirm), and show its decision."""
    with sandbox.db.transaction() as session:
        loaded = _load(session, token, request_id, lock=True)
        offer_id = loaded.page.data.get("offer")
        if loaded.page.step != "consent" or offer_id is None:
            _require_open(loaded, "consent")
            raise Conflict("choose a plan first", code="offer_required")
        choice = ConfirmRequest(offer=offer_id, consent=consent)
        confirm_checkout(sandbox, loaded.caller, loaded.checkout.id, choice)
        loaded.checkout.data = {**loaded.checkout.data, "confirmed_on_page": True}
        loaded.page.step = "decided"
        return _view(loaded, None)


def return_url(sandbox: Sandbox, token: str) -> str | None:
    """Where 'back to the merchant' goes once decided (online): the success URL with a fresh
    one-time token after an approval or a review, the cancel URL after a decline. None when the
    merchant gave no redirect URLs (the page shows the token instead) or in store."""
    with sandbox.db.transaction() as session:
        loaded = _load(session, token, None, lock=True)
        checkout = loaded.checkout
        urls = checkout.data.get("redirect_urls")
        if checkout.status not in ("approved", "in_review", "declined"):
            raise Conflict("the application is not decided yet", code="checkout_not_decided")
        if checkout.data.get("channel") == "in_store" or not urls:
            return None
        query = {"checkout": checkout.id, "status": checkout.status}
        if checkout.status == "declined":
            return _with_query(urls.get("cancel_url") or urls["success_url"], query)
        query["checkout_token"] = mint_return_token(loaded.page)
        return _with_query(urls["success_url"], query)


def shown_token(sandbox: Sandbox, token: str) -> str:
    """A fresh one-time token to show on the page (an online checkout without redirect URLs)."""
    with sandbox.db.transaction() as session:
        loaded = _load(session, token, None, lock=True)
        if loaded.checkout.status not in ("approved", "in_review"):
            raise Conflict("there is no approval to hand back", code="checkout_not_approved")
        return mint_return_token(loaded.page)


def _with_query(url: str, query: dict[str, str]) -> str:
    return f"{url}{'&' if '?' in url else '?'}{urlencode(query)}"
