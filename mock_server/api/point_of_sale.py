"""Point of sale: the token an online shopper brings back, in-store QR codes and SMS links,
virtual cards, and the simulated card network a terminal charges them through."""

import io
from typing import TYPE_CHECKING, Annotated

from fastapi import APIRouter, Query, Response

from mock_server.api import present
from mock_server.api.deferred_routes import DeferredRoute
from mock_server.api.deps import CallerDep, PageDep, SandboxDep
from mock_server.api.pos_schemas import (
    CardAuthorization,
    CardAuthorizationRequest,
    CheckoutAuthorizeRequest,
    SmsLinkRequest,
    SmsMessage,
    SmsMessageList,
    VirtualCard,
)
from mock_server.api.schemas import Checkout
from mock_server.services import card_network, hosted_pages, in_store, virtual_cards

if TYPE_CHECKING:
    import segno

__all__ = ["qr_code", "router"]

router = APIRouter(tags=["point of sale"], route_class=DeferredRoute)


def qr_code(url: str) -> "segno.QRCode":
    """The QR code of a page URL (error correction M: a phone reads it off a screen); segno is
    imported at the first code drawn."""
    import segno

    return segno.make(url, error="m", micro=False)


@router.post("/v1/checkouts/{checkout_id}/authorize", operation_id="checkouts-authorize")
def authorize(
    checkout_id: str, body: CheckoutAuthorizeRequest, sandbox: SandboxDep, caller: CallerDep
) -> Checkout:
    """Redeem the one-time token the hosted page handed the shopper back with (once)."""
    return present.checkout(
        hosted_pages.authorize_with_token(sandbox, caller, checkout_id, body.token)
    )


@router.get(
    "/v1/checkouts/{checkout_id}/qr.png",
    operation_id="checkouts-qr-png",
    response_class=Response,
    responses={
        200: {
            "content": {"image/png": {"schema": {"type": "string", "format": "binary"}}},
            "description": "the QR code as a PNG",
        }
    },
)
def qr_png(
    checkout_id: str,
    sandbox: SandboxDep,
    caller: CallerDep,
    scale: Annotated[int, Query(ge=1, le=40, description="pixels per module")] = 8,
) -> Response:
    """The hosted page URL of the checkout as a QR code (PNG)."""
    out = io.BytesIO()
    qr_code(in_store.page_url(sandbox, caller, checkout_id)).save(
        out, kind="png", scale=scale, border=4
    )
    return Response(out.getvalue(), media_type="image/png")


@router.get(
    "/v1/checkouts/{checkout_id}/qr.svg",
    operation_id="checkouts-qr-svg",
    response_class=Response,
    responses={
        200: {
            "content": {"image/svg+xml": {"schema": {"type": "string"}}},
            "description": "the QR code as SVG",
        }
    },
)
def qr_svg(checkout_id: str, sandbox: SandboxDep, caller: CallerDep) -> Response:
    """The hosted page URL of the checkout as a QR code (SVG)."""
    out = io.BytesIO()
    url = in_store.page_url(sandbox, caller, checkout_id)
    qr_code(url).save(out, kind="svg", scale=8, border=4, title="Scan to apply", desc=url)
    return Response(out.getvalue(), media_type="image/svg+xml")


@router.post("/v1/checkouts/{checkout_id}/sms", operation_id="checkouts-sms", status_code=201)
def send_sms(
    checkout_id: str, body: SmsLinkRequest, sandbox: SandboxDep, caller: CallerDep
) -> SmsMessage:
    """Text the hosted page link to the shopper (into the simulated SMS outbox)."""
    return present.sms_message(in_store.send_sms_link(sandbox, caller, checkout_id, body))


@router.get("/v1/sandbox/sms", operation_id="sandbox-sms-list")
def list_sms(
    sandbox: SandboxDep,
    caller: CallerDep,
    page: PageDep,
    checkout: Annotated[str | None, Query(max_length=64, description="one checkout's")] = None,
) -> SmsMessageList:
    """The simulated SMS outbox, newest first."""
    listing = in_store.list_sms(sandbox, caller, page.limit, page.starting_after, checkout)
    return present.sms_message_list(listing)


@router.get("/v1/virtual_cards/{card_id}", operation_id="virtual-cards-retrieve")
def retrieve_card(card_id: str, sandbox: SandboxDep, caller: CallerDep) -> VirtualCard:
    """The single-use card an in-store approval issued, with its number and CVC."""
    return present.virtual_card(virtual_cards.get_virtual_card(sandbox, caller, card_id))


@router.post("/v1/card_network/authorizations", operation_id="card-network-authorize")
def authorize_charge(
    body: CardAuthorizationRequest, sandbox: SandboxDep, caller: CallerDep
) -> CardAuthorization:
    """(sandbox) The card network: charge a card; the first valid charge captures its loan,
    others are declined with an ISO 8583-style response code."""
    return present.card_authorization(card_network.authorize_charge(sandbox, caller, body))
