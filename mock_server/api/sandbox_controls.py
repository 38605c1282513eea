"""`/v1/sandbox`: seeded personas across risk tiers, and the merchant's sandbox clock."""

from typing import Annotated

from fastapi import APIRouter, Query

from mock_server.api import present
from mock_server.api.bodies import ClockAdvance
from mock_server.api.deferred_routes import DeferredRoute
from mock_server.api.deps import CallerDep, PageDep, SandboxDep
from mock_server.api.schemas import PersonaList, SandboxClock
from mock_server.services import personas, servicing

__all__ = ["router"]

router = APIRouter(prefix="/v1/sandbox", tags=["sandbox"], route_class=DeferredRoute)


@router.get("/personas", operation_id="sandbox-personas-list")
def list_personas(
    sandbox: SandboxDep,
    caller: CallerDep,
    page: PageDep,
    tier: Annotated[str | None, Query(max_length=32, description="one risk tier")] = None,
    locale: Annotated[str | None, Query(max_length=16, description="en_US or zh_CN")] = None,
) -> PersonaList:
    """Seeded Faker people across risk tiers; the same seed gives the same people."""
    listing = personas.list_personas(
        sandbox.settings.seed, page.limit, page.starting_after, tier, locale
    )
    return present.persona_list(listing)


@router.post("/clock/advance", operation_id="sandbox-clock-advance")
def advance_clock(body: ClockAdvance, sandbox: SandboxDep, caller: CallerDep) -> SandboxClock:
    """Move this merchant's sandbox time forward: installments fall due, autopay runs by each
    customer's behaviour, late fees and delinquency follow, with events (and webhooks) for each.

    Schedule: on-time payers pay on the due date, partial payers half of what is owed, late
    payers 15 days after it, defaulters never. Unpaid 11 days past due: a late fee and `late`;
    30 days: `delinquent`; 120 days: `charged_off`. Uncaptured authorizations expire after 30
    days; reviews past their SLA are declined. Advancing `to` the current date changes nothing."""
    return SandboxClock.model_validate(servicing.advance(sandbox, caller, body.days, body.to))
