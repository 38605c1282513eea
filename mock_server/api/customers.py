"""`/v1/customers`: the merchant's customers and their latest credit report."""

from fastapi import APIRouter

from mock_server.api import present
from mock_server.api.bodies import CustomerCreate
from mock_server.api.deps import CallerDep, PageDep, SandboxDep
from mock_server.api.routes import BoundedWorkRoute
from mock_server.api.schemas import CreditReport, Customer, CustomerList
from mock_server.services import customers

__all__ = ["router"]

router = APIRouter(prefix="/v1/customers", tags=["customers"], route_class=BoundedWorkRoute)


@router.post("", operation_id="customers-create", status_code=201)
def create(body: CustomerCreate, sandbox: SandboxDep, caller: CallerDep) -> Customer:
    """Create a customer."""
    return present.customer(customers.create_customer(sandbox, caller, body))


@router.get("", operation_id="customers-list")
def list_(sandbox: SandboxDep, caller: CallerDep, page: PageDep) -> CustomerList:
    """The merchant's customers, newest first."""
    listing = customers.list_customers(sandbox, caller, page.limit, page.starting_after)
    return present.customer_list(listing)


@router.get("/{customer_id}", operation_id="customers-retrieve")
def retrieve(customer_id: str, sandbox: SandboxDep, caller: CallerDep) -> Customer:
    """One customer."""
    return present.customer(customers.get_customer(sandbox, caller, customer_id))


@router.get("/{customer_id}/credit_report", operation_id="customers-credit-report")
def credit_report(customer_id: str, sandbox: SandboxDep, caller: CallerDep) -> CreditReport:
    """The latest report pulled for this customer (hard at a decision, soft at prequalification)."""
    return present.credit_report(customers.latest_credit_report(sandbox, caller, customer_id))
