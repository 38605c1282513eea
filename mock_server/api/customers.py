"""`/v1/customers`: the merchant's customers and their latest credit report."""

from __future__ import annotations

from fastapi import APIRouter

from mock_server.api.bodies import CustomerCreate
from mock_server.api.deps import CallerDep, PageDep, SandboxDep
from mock_server.api.errors import ERROR_RESPONSES
from mock_server.api.schemas import CreditReport, Customer, CustomerList
from mock_server.services import customers

__all__ = ["router"]

router = APIRouter(prefix="/v1/customers", tags=["customers"], responses=ERROR_RESPONSES)


@router.post("", operation_id="customers-create", status_code=201)
def create(body: CustomerCreate, sandbox: SandboxDep, caller: CallerDep) -> Customer:
    """Create a customer."""
    identity = body.model_dump(mode="json")
    return Customer.model_validate(customers.create_customer(sandbox, caller, identity))


@router.get("", operation_id="customers-list")
def list_(sandbox: SandboxDep, caller: CallerDep, page: PageDep) -> CustomerList:
    """The merchant's customers, newest first."""
    data, has_more = customers.list_customers(sandbox, caller, page.limit, page.starting_after)
    return CustomerList.model_validate({"data": data, "has_more": has_more})


@router.get("/{customer_id}", operation_id="customers-retrieve")
def retrieve(customer_id: str, sandbox: SandboxDep, caller: CallerDep) -> Customer:
    """One customer."""
    return Customer.model_validate(customers.get_customer(sandbox, caller, customer_id))


@router.get("/{customer_id}/credit_report", operation_id="customers-credit-report")
def credit_report(customer_id: str, sandbox: SandboxDep, caller: CallerDep) -> CreditReport:
    """The latest report pulled for this customer (hard at a decision, soft at prequalification)."""
    data = customers.latest_credit_report(sandbox, caller, customer_id)
    return CreditReport.model_validate(data)
