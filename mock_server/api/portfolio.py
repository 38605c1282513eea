"""Portfolio analytics: `GET /v1/portfolio` (the merchant's own loans) and
`GET /v1/admin/portfolio` (lender-wide, admin key)."""

from fastapi import APIRouter

from mock_server.api.admin import AdminDep
from mock_server.api.deferred_routes import DeferredRoute
from mock_server.api.deps import CallerDep, SandboxDep
from mock_server.api.portfolio_schemas import Portfolio
from mock_server.services import portfolio

__all__ = ["router"]

router = APIRouter(tags=["portfolio"], route_class=DeferredRoute)


@router.get("/v1/portfolio", operation_id="portfolio-retrieve")
def merchant_portfolio(sandbox: SandboxDep, caller: CallerDep) -> Portfolio:
    """This merchant's portfolio as of its sandbox time: outstanding principal by status,
    delinquency aging, charge-offs and recoveries, roll rates, vintage curves, monthly figures,
    the approval funnel with decline reasons, interest and fee income, volume and discount
    revenue; one section per currency, amounts in minor units."""
    return Portfolio.model_validate(portfolio.merchant_portfolio(sandbox, caller))


@router.get("/v1/admin/portfolio", operation_id="admin-portfolio-retrieve")
def lender_portfolio(sandbox: SandboxDep, request_id: AdminDep) -> Portfolio:
    """The lender's portfolio across every merchant (each merchant's loans as of its own sandbox
    time), with the same figures as `GET /v1/portfolio` and one volume line per merchant."""
    return Portfolio.model_validate(portfolio.lender_portfolio(sandbox))
