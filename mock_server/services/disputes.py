"""Consumer disputes of Installo tradelines, and the furnishing files as the admin reads them.

A dispute is recorded against a loan already furnished (the consumer disputes what the bureau
shows). While open, each file carries compliance condition code `XB`. The resolution is one of
`verified` (the data stands: `XH` once), `corrected` (the lender agrees the late marks were wrong:
the history is reported current from then on, with `XH` once) or `deleted` (the next file deletes
the tradeline with status `DA`, and the loan is never reported again).
"""

from __future__ import annotations

from datetime import date
from typing import Any, Final, Literal

from sqlalchemy import select
from sqlalchemy.orm import Session

from mock_server.furnishing import read_file
from mock_server.ids import new_id
from mock_server.services.clock import merchant_now
from mock_server.services.context import Sandbox
from mock_server.services.errors import Conflict, NotFound
from mock_server.services.furnishing import file_summary
from mock_server.services.presenters import iso
from mock_server.storage.models import DisputeRow, FurnishingFileRow, LoanRow

__all__ = [
    "Resolution",
    "create_dispute",
    "dispute_object",
    "get_file",
    "list_files",
    "raw_file",
    "resolve_dispute",
]

Resolution = Literal["verified", "corrected", "deleted"]
_LATE_RATINGS: Final = frozenset("123456L")


def dispute_object(row: DisputeRow) -> dict[str, Any]:
    """A dispute in the API's shape."""
    return {
        "id": row.id,
        "object": "dispute",
        "created": iso(row.created),
        "livemode": False,
        "merchant": row.merchant_id,
        "loan": row.loan_id,
        "status": row.status,
        "reason": row.reason,
        "resolution": row.resolution,
        "resolved_at": iso(row.resolved_at) if row.resolved_at else None,
        "resolution_file": row.resolution_file_id,
    }


def create_dispute(sandbox: Sandbox, loan_id: str, reason: str | None) -> dict[str, Any]:
    """Record a consumer's dispute of the tradeline of `loan_id` (a loan already furnished)."""
    with sandbox.db.transaction() as session:
        loan = session.scalars(select(LoanRow).where(LoanRow.id == loan_id)).one_or_none()
        if loan is None:
            raise NotFound("loan", loan_id, param="loan")
        if not loan.furnished:
            raise Conflict(
                f"loan {loan_id} has not been furnished yet: there is no tradeline to dispute",
                code="loan_not_furnished",
                param="loan",
            )
        if loan.furnished.get("account_status") == "DA":
            raise Conflict(
                f"loan {loan_id}'s tradeline was deleted", code="tradeline_deleted", param="loan"
            )
        open_one = session.scalars(
            select(DisputeRow.id).where(DisputeRow.loan_id == loan_id, DisputeRow.status == "open")
        ).first()
        if open_one is not None:
            raise Conflict(
                f"loan {loan_id} already has an open dispute {open_one}",
                code="dispute_already_open",
                param="loan",
            )
        row = DisputeRow(
            id=new_id("dsp"),
            merchant_id=loan.merchant_id,
            loan_id=loan_id,
            created=merchant_now(session, loan.merchant_id, sandbox.wall),
            status="open",
            reason=reason,
        )
        session.add(row)
        session.flush()
        return dispute_object(row)


def resolve_dispute(sandbox: Sandbox, dispute_id: str, resolution: Resolution) -> dict[str, Any]:
    """Close an open dispute with its resolution; the next file reports it."""
    with sandbox.db.transaction() as session:
        row = session.scalars(select(DisputeRow).where(DisputeRow.id == dispute_id)).one_or_none()
        if row is None:
            raise NotFound("dispute", dispute_id, param="id")
        if row.status != "open":
            raise Conflict(
                f"dispute {dispute_id} is already resolved ({row.resolution})",
                code="dispute_already_resolved",
            )
        row.status = "resolved"
        row.resolution = resolution
        row.resolved_at = merchant_now(session, row.merchant_id, sandbox.wall)
        if resolution == "corrected":
            _correct_history(session, row.loan_id)
        session.flush()
        return dispute_object(row)


def _correct_history(session: Session, loan_id: str) -> None:
    loan = session.scalars(select(LoanRow).where(LoanRow.id == loan_id)).one()
    furnished = dict(loan.furnished or {})
    ratings = furnished.get("ratings", {})
    furnished["ratings"] = {
        month: "0" if mark in _LATE_RATINGS else mark for month, mark in ratings.items()
    }
    loan.furnished = furnished


def _file_row(session: Session, file_id: str, param: str = "id") -> FurnishingFileRow:
    row = session.scalars(
        select(FurnishingFileRow).where(FurnishingFileRow.id == file_id)
    ).one_or_none()
    if row is None:
        raise NotFound("furnishing_file", file_id, param=param)
    return row


def list_files(
    sandbox: Sandbox, limit: int, starting_after: str | None, merchant: str | None
) -> tuple[list[dict[str, Any]], bool]:
    """Furnishing files, newest first (optionally one merchant's)."""
    with sandbox.db.reader() as session:
        query = select(FurnishingFileRow).order_by(FurnishingFileRow.seq.desc())
        if merchant is not None:
            query = query.where(FurnishingFileRow.merchant_id == merchant)
        if starting_after is not None:
            after = _file_row(session, starting_after, "starting_after")
            query = query.where(FurnishingFileRow.seq < after.seq)
        rows = session.scalars(query.limit(limit + 1)).all()
        return [file_summary(r) for r in rows[:limit]], len(rows) > limit


def _plain(value: object) -> object:
    return value.isoformat() if isinstance(value, date) else value


def get_file(sandbox: Sandbox, file_id: str) -> dict[str, Any]:
    """One file with its parsed view: header, trailer and each account's fields."""
    with sandbox.db.reader() as session:
        row = _file_row(session, file_id)
        parsed = read_file(row.content)
        loans = {
            account_number: loan_id
            for loan_id, account_number in session.execute(
                select(LoanRow.id, LoanRow.furnished["account_number"].as_string()).where(
                    LoanRow.merchant_id == row.merchant_id
                )
            )
        }
        accounts = [
            {
                "loan": loans.get(str(segment["consumer_account_number"])),
                **{name: _plain(value) for name, value in segment.items()},
            }
            for segment in parsed.base_segments
        ]
        return {
            **file_summary(row),
            "header": {k: _plain(v) for k, v in parsed.header.items()},
            "trailer": {k: _plain(v) for k, v in parsed.trailer.items()},
            "accounts": accounts,
        }


def raw_file(sandbox: Sandbox, file_id: str) -> tuple[str, str]:
    """(file name, content) of a file as it was written."""
    with sandbox.db.reader() as session:
        row = _file_row(session, file_id)
        return f"installo_metro2_{row.merchant_id}_{row.period}.txt", row.content
