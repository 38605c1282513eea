"""`/v1/prequalifications`: soft pull, maximum amount and APR range."""

from fastapi import APIRouter

from mock_server.api import present
from mock_server.api.bodies import PrequalificationCreate
from mock_server.api.deps import CallerDep, SandboxDep
from mock_server.api.routes import BoundedWorkRoute
from mock_server.api.schemas import Prequalification
from mock_server.services import prequalifications

__all__ = ["router"]

router = APIRouter(
    prefix="/v1/prequalifications", tags=["prequalifications"], route_class=BoundedWorkRoute
)


@router.post("", operation_id="prequalifications-create", status_code=201)
def create(
    body: PrequalificationCreate, sandbox: SandboxDep, caller: CallerDep
) -> Prequalification:
    """How much this customer could finance, at what APR range (no hard inquiry)."""
    return present.prequalification(prequalifications.prequalify(sandbox, caller, body))
