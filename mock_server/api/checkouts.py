"""`/v1/checkouts`: create (answers with offers), read, list, confirm, cancel."""

from typing import Annotated, Literal

from fastapi import APIRouter, Query, Request, Response

from mock_server.api import present
from mock_server.api.bodies import CheckoutCreate, ConfirmRequest
from mock_server.api.deps import CallerDep, PageDep, SandboxDep
from mock_server.api.links import CHECKOUT_CREATED, CHECKOUT_DECIDED
from mock_server.api.routes import BoundedWorkRoute
from mock_server.api.schemas import Checkout, CheckoutList
from mock_server.services import checkouts, confirmation

__all__ = ["router"]

router = APIRouter(prefix="/v1/checkouts", tags=["checkouts"], route_class=BoundedWorkRoute)

CheckoutStatus = Literal["open", "approved", "declined", "in_review", "expired", "canceled"]


@router.post(
    "",
    operation_id="checkouts-create",
    status_code=201,
    response_model=Checkout,
    responses={201: {"description": "The checkout", "links": CHECKOUT_CREATED}},
)
def create(
    body: CheckoutCreate, request: Request, sandbox: SandboxDep, caller: CallerDep
) -> Response:
    """Validate the cart and answer the checkout with one offer per eligible plan and the
    hosted page the customer applies on (`next_action`)."""
    created = checkouts.create_checkout(sandbox, caller, body, str(request.base_url))
    return present.checkout_answer(created, status_code=201)


@router.get("", operation_id="checkouts-list")
def list_(
    sandbox: SandboxDep,
    caller: CallerDep,
    page: PageDep,
    status: Annotated[CheckoutStatus | None, Query(description="only this status")] = None,
) -> CheckoutList:
    """The merchant's checkouts, newest first."""
    listing = checkouts.list_checkouts(sandbox, caller, page.limit, page.starting_after, status)
    return present.checkout_list(listing)


@router.get("/{checkout_id}", operation_id="checkouts-retrieve", response_model=Checkout)
def retrieve(checkout_id: str, sandbox: SandboxDep, caller: CallerDep) -> Response:
    """One checkout with its offers and decision."""
    return present.checkout_answer(checkouts.get_checkout(sandbox, caller, checkout_id))


@router.post(
    "/{checkout_id}/confirm",
    operation_id="checkouts-confirm",
    response_model=Checkout,
    responses={200: {"description": "The decided checkout", "links": CHECKOUT_DECIDED}},
)
def confirm(
    checkout_id: str, body: ConfirmRequest, sandbox: SandboxDep, caller: CallerDep
) -> Response:
    """The customer's offer and consent: runs the loan process and answers its decision."""
    decided = confirmation.confirm_checkout(sandbox, caller, checkout_id, body)
    return present.checkout_answer(decided)


@router.post("/{checkout_id}/cancel", operation_id="checkouts-cancel", response_model=Checkout)
def cancel(checkout_id: str, sandbox: SandboxDep, caller: CallerDep) -> Response:
    """Cancel an open checkout."""
    return present.checkout_answer(checkouts.cancel_checkout(sandbox, caller, checkout_id))
