"""`/v1/merchants`: apply to join (no key), read and change one's own settings, and update
one's application until it verifies (with the onboarding key or the secret key)."""

from fastapi import APIRouter, Request

from mock_server.api import present
from mock_server.api.bodies import MerchantApplication, MerchantUpdate
from mock_server.api.deferred_routes import DeferredRoute
from mock_server.api.deps import ApplicantDep, CallerDep, SandboxDep
from mock_server.api.errors import request_id_of
from mock_server.api.merchant_bodies import MerchantApplicationUpdate
from mock_server.api.schemas import Merchant
from mock_server.services import merchants, onboarding

__all__ = ["router"]

router = APIRouter(prefix="/v1/merchants", tags=["merchants"], route_class=DeferredRoute)


@router.post("", operation_id="merchants-create", status_code=201)
def apply(body: MerchantApplication, sandbox: SandboxDep, request: Request) -> Merchant:
    """Apply to join: the application is verified (requirements, tax id, bank account,
    website, sanctions screen) and the KYB policy decides: `active` (with the secret key, once),
    `pending` (requirements due) or `pending_review` (with an onboarding key that may update the
    application), or `rejected`."""
    return present.merchant(onboarding.apply_for_merchant(sandbox, body, request_id_of(request)))


@router.get("/me", operation_id="merchants-retrieve-me")
def retrieve_me(sandbox: SandboxDep, caller: ApplicantDep) -> Merchant:
    """The caller's merchant: settings, application, requirements and status."""
    return present.merchant(merchants.read_merchant(sandbox, caller))


@router.patch("/me/application", operation_id="merchants-update-application")
def update_application(
    body: MerchantApplicationUpdate, sandbox: SandboxDep, caller: ApplicantDep
) -> Merchant:
    """Change the application (only the fields given) and verify it again; the answer carries
    the secret key once if this change activated the merchant."""
    return present.merchant(onboarding.update_application(sandbox, caller, body))


@router.patch("/me", operation_id="merchants-update-me")
def update_me(body: MerchantUpdate, sandbox: SandboxDep, caller: CallerDep) -> Merchant:
    """Change the plans offered, the workflow loans follow, the display name and discount rate.

    0% promotions are paid for through the discount rate: `mdr_bps` is at least 399 plus 40 for
    each month of the longest 0% monthly plan beyond six (recomputed when plans change)."""
    return present.merchant(merchants.update_merchant(sandbox, caller, body))
