"""`/v1/admin/furnishing_files` and `/v1/admin/disputes`: the lender's credit reporting.

Month-end Metro 2 files (listed, read with a parsed view per account, downloaded raw) and
consumers' disputes of Installo tradelines (recorded, then resolved).
"""

from datetime import date, datetime
from typing import Annotated, Any, Literal

from fastapi import APIRouter, Query
from fastapi.responses import PlainTextResponse
from pydantic import ConfigDict

from mock_server.api.admin import AdminDep
from mock_server.api.bodies import DisputeRequest, DisputeResolution
from mock_server.api.deferred_routes import DeferredRoute
from mock_server.api.deps import PageDep, SandboxDep
from mock_server.api.schemas import ApiModel, ListObject, ObjectBase
from mock_server.services import disputes

__all__ = [
    "Dispute",
    "FurnishedAccount",
    "FurnishingFile",
    "FurnishingFileDetail",
    "FurnishingFileList",
    "router",
]

router = APIRouter(prefix="/v1/admin", tags=["admin"], route_class=DeferredRoute)


class FurnishingFile(ObjectBase):
    """One month's Metro 2 file of a merchant's reportable loans."""

    object: Literal["furnishing_file"] = "furnishing_file"
    merchant: str
    period: str
    month_end: date
    format: Literal["metro2"] = "metro2"
    record_length: int
    account_count: int
    status_counts: dict[str, int]
    size_bytes: int


class FurnishedAccount(ApiModel):
    """One base segment as read back from the file (money in whole dollars, as Metro 2 has it),
    with the loan it reports; every other field of the segment is included too."""

    model_config = ConfigDict(extra="allow")

    loan: str | None
    consumer_account_number: str
    account_status: str
    payment_rating: str
    payment_history_profile: str
    compliance_condition_code: str
    current_balance: int
    amount_past_due: int
    highest_credit: int
    original_charge_off_amount: int
    date_opened: date | None
    date_of_account_information: date | None
    date_of_first_delinquency: date | None
    date_closed: date | None
    date_of_last_payment: date | None


class FurnishingFileDetail(FurnishingFile):
    """A file with its parsed view: header, trailer and every account's fields."""

    header: dict[str, Any]
    trailer: dict[str, Any]
    accounts: list[FurnishedAccount]


class FurnishingFileList(ListObject[FurnishingFile]):
    """A page of furnishing files, newest first."""


class Dispute(ObjectBase):
    """A consumer's dispute of an Installo tradeline."""

    object: Literal["dispute"] = "dispute"
    merchant: str
    loan: str
    status: Literal["open", "resolved"]
    reason: str | None
    resolution: Literal["verified", "corrected", "deleted"] | None
    resolved_at: datetime | None
    resolution_file: str | None


@router.get("/furnishing_files", operation_id="admin-furnishing-files-list")
def list_files(
    sandbox: SandboxDep,
    request_id: AdminDep,
    page: PageDep,
    merchant: Annotated[str | None, Query(max_length=64, description="one merchant's")] = None,
) -> FurnishingFileList:
    """The month-end Metro 2 files, newest first."""
    data, has_more = disputes.list_files(sandbox, page.limit, page.starting_after, merchant)
    return FurnishingFileList.model_validate({"data": data, "has_more": has_more})


@router.get("/furnishing_files/{file_id}", operation_id="admin-furnishing-files-retrieve")
def get_file(file_id: str, sandbox: SandboxDep, request_id: AdminDep) -> FurnishingFileDetail:
    """A file with its parsed view (header, trailer, each account's fields)."""
    return FurnishingFileDetail.model_validate(disputes.get_file(sandbox, file_id))


@router.get(
    "/furnishing_files/{file_id}/raw",
    operation_id="admin-furnishing-files-raw",
    response_model=None,
    responses={
        200: {
            "description": "The Metro 2 file",
            "content": {"text/plain": {"schema": {"type": "string"}}},
        }
    },
)
def raw_file(file_id: str, sandbox: SandboxDep, request_id: AdminDep) -> PlainTextResponse:
    """The file as written: 426-character records, one a line."""
    name, content = disputes.raw_file(sandbox, file_id)
    return PlainTextResponse(
        content, headers={"Content-Disposition": f'attachment; filename="{name}"'}
    )


@router.post("/disputes", operation_id="admin-disputes-create", status_code=201)
def create_dispute(body: DisputeRequest, sandbox: SandboxDep, request_id: AdminDep) -> Dispute:
    """Record a consumer's dispute of a furnished loan's tradeline (`XB` in the next file)."""
    return Dispute.model_validate(disputes.create_dispute(sandbox, body.loan, body.reason))


@router.post("/disputes/{dispute_id}/resolve", operation_id="admin-disputes-resolve")
def resolve_dispute(
    dispute_id: str, body: DisputeResolution, sandbox: SandboxDep, request_id: AdminDep
) -> Dispute:
    """Resolve an open dispute: verified, corrected or deleted (reported in the next file)."""
    return Dispute.model_validate(disputes.resolve_dispute(sandbox, dispute_id, body.resolution))
