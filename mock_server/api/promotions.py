"""`/v1/promotions`: "as low as" messaging for a product page."""

from typing import Annotated

from fastapi import APIRouter, Query

from mock_server.api import present
from mock_server.api.deferred_routes import DeferredRoute
from mock_server.api.deps import CallerDep
from mock_server.api.schemas import Promotion
from mock_server.services import promotions

__all__ = ["router"]

router = APIRouter(prefix="/v1/promotions", tags=["promotions"], route_class=DeferredRoute)


@router.get("", operation_id="promotions-retrieve")
def retrieve(
    caller: CallerDep,
    amount: Annotated[int, Query(ge=1, le=10**12, description="price in minor units")],
    currency: Annotated[str, Query(pattern=r"^[A-Za-z]{3}$", description="ISO 4217")],
) -> Promotion:
    """The lowest monthly payment for this amount and the plans that give it."""
    return present.promotion(promotions.promotion(caller, amount, currency.upper()))
