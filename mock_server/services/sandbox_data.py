"""Resetting a merchant's sandbox data, and named snapshots to restore it from.

A merchant's sandbox data is every row of every table with a `merchant_id` column, except what
makes the merchant itself: its application and settings, its keys, its webhook endpoints, and its
snapshots. Reset deletes that data (the merchant's clock goes back to real time); a snapshot
copies it (as JSON, in the database, so every sandbox process sharing the database sees it) and
restore replaces the data with the copy. Work queues are not state: pending webhook deliveries
and stored idempotency answers are dropped by reset and restore and never copied, and a request
still in flight (the reset itself) keeps its idempotency claim. Tables are found from the schema,
so a table added later is covered without a change here. The fraud engine's velocity signals
are keyed by application (the checkout), not by merchant: those of the merchant's checkouts go
and come back with them, so a restored dataset meets the same velocity counts again. Likewise the
bureau's memory of the accounts the merchant furnished (keyed by consumer, not by merchant) goes
and comes back with the loans it reports.
"""

from __future__ import annotations

from datetime import date, datetime
from typing import Any, Final

from sqlalchemy import Date, DateTime, Table, delete, insert, select
from sqlalchemy.orm import Session

from mock_server.contract.requests import SandboxResetBody, SandboxSnapshotBody
from mock_server.services.context import Caller, MerchantAccount, Sandbox
from mock_server.services.errors import InvalidRequest, NotFound
from mock_server.services.objects import Listing, SandboxResetObject, SandboxSnapshotObject
from mock_server.services.presenters import iso
from mock_server.storage.models import (
    ApiKeyRow,
    Base,
    BureauAccountRow,
    CheckoutRow,
    IdempotencyRow,
    MerchantRow,
    SnapshotRow,
    UtcDateTime,
    VelocityRow,
    WebhookDeliveryRow,
    WebhookEndpointRow,
)

__all__ = ["list_snapshots", "merchant_caller", "merchant_tables", "reset", "restore", "snapshot"]

KEPT: Final = frozenset(
    t.__tablename__ for t in (MerchantRow, ApiKeyRow, WebhookEndpointRow, SnapshotRow)
)
NOT_COPIED: Final = frozenset(t.__tablename__ for t in (IdempotencyRow, WebhookDeliveryRow))


def merchant_tables() -> list[Table]:
    """The tables holding a merchant's sandbox data, parents before children."""
    return [t for t in Base.metadata.sorted_tables if "merchant_id" in t.c and t.name not in KEPT]


def merchant_caller(sandbox: Sandbox, merchant_id: str) -> Caller:
    """The merchant an admin acts for, or NotFound."""
    with sandbox.db.reader() as session:
        row = session.scalars(select(MerchantRow).where(MerchantRow.id == merchant_id)).first()
        if row is None:
            raise NotFound("merchant", merchant_id, param="merchant_id")
        return Caller(MerchantAccount.from_row(row))


def _velocity(merchant_id: str) -> Any:
    """The velocity signals of the merchant's applications."""
    checkouts = select(CheckoutRow.id).where(CheckoutRow.merchant_id == merchant_id)
    return VelocityRow.application_id.in_(checkouts.scalar_subquery())


def _keyed_elsewhere(merchant_id: str) -> list[tuple[Table, Any]]:
    """The merchant's rows in tables keyed by something else: the velocity signals of its
    applications and the bureau's record of the accounts it furnished."""
    return [
        (Base.metadata.tables[VelocityRow.__tablename__], _velocity(merchant_id)),
        (
            Base.metadata.tables[BureauAccountRow.__tablename__],
            BureauAccountRow.furnisher_id == merchant_id,
        ),
    ]


def _clear(session: Session, merchant_id: str) -> dict[str, int]:
    deleted: dict[str, int] = {}
    for table, condition in _keyed_elsewhere(merchant_id):
        session.execute(delete(table).where(condition))
    for table in reversed(merchant_tables()):
        statement = delete(table).where(table.c.merchant_id == merchant_id)
        if table.name == IdempotencyRow.__tablename__:
            statement = statement.where(table.c.state != "in_progress")
        count = session.execute(statement).rowcount  # type: ignore[attr-defined]
        if count:
            deleted[table.name] = int(count)
    return deleted


def _check_confirmation(caller: Caller, confirm: str) -> None:
    if confirm != caller.merchant.id:
        raise InvalidRequest(
            f"confirm must be this merchant's id ({caller.merchant.id}) to reset its sandbox data",
            code="confirmation_required",
            param="confirm",
        )


def reset(sandbox: Sandbox, caller: Caller, body: SandboxResetBody) -> SandboxResetObject:
    """Delete the merchant's sandbox data; `confirm` must be the merchant's id."""
    _check_confirmation(caller, body.confirm)
    with sandbox.db.transaction() as session:
        deleted = _clear(session, caller.merchant.id)
    sandbox.request_log.clear(caller.merchant.id)
    return {"object": "sandbox_reset", "merchant": caller.merchant.id, "deleted": deleted}


def _dump(value: Any) -> Any:
    return value.isoformat() if isinstance(value, date | datetime) else value


def _python_type(table: Table, name: str) -> type | None:
    column_type = table.c[name].type
    if isinstance(column_type, UtcDateTime | DateTime):
        return datetime
    return date if isinstance(column_type, Date) else None


def _load(table: Table, row: dict[str, Any]) -> dict[str, Any]:
    loaded: dict[str, Any] = {}
    for name, value in row.items():
        if name not in table.c:
            continue  # a column dropped since the snapshot
        kind = _python_type(table, name)
        if isinstance(value, str) and kind is datetime:
            value = datetime.fromisoformat(value)
        elif isinstance(value, str) and kind is date:
            value = date.fromisoformat(value)
        loaded[name] = value
    return loaded


def _snapshot_object(row: SnapshotRow) -> SandboxSnapshotObject:
    counts = {name: len(rows) for name, rows in row.data.items() if rows}
    return {
        "object": "sandbox_snapshot",
        "name": row.name,
        "created": iso(row.created),
        "counts": counts,
    }


def _copied(merchant_id: str) -> list[tuple[Table, Any]]:
    """What a snapshot copies: each table with the condition picking the merchant's rows."""
    tables: list[tuple[Table, Any]] = [
        (table, table.c.merchant_id == merchant_id)
        for table in merchant_tables()
        if table.name not in NOT_COPIED
    ]
    return [*tables, *_keyed_elsewhere(merchant_id)]


def snapshot(sandbox: Sandbox, caller: Caller, body: SandboxSnapshotBody) -> SandboxSnapshotObject:
    """Copy the merchant's sandbox data under `name` (replacing a snapshot of that name)."""
    merchant_id, name = caller.merchant.id, body.name
    with sandbox.db.transaction() as session:
        data = {
            table.name: [
                {key: _dump(value) for key, value in row.items()}
                for row in session.execute(select(table).where(condition)).mappings()
            ]
            for table, condition in _copied(merchant_id)
        }
        session.execute(
            delete(SnapshotRow).where(
                SnapshotRow.merchant_id == merchant_id, SnapshotRow.name == name
            )
        )
        row = SnapshotRow(merchant_id=merchant_id, name=name, created=sandbox.wall(), data=data)
        session.add(row)
        return _snapshot_object(row)


def restore(sandbox: Sandbox, caller: Caller, name: str) -> SandboxSnapshotObject:
    """Replace the merchant's sandbox data with the snapshot `name`."""
    merchant_id = caller.merchant.id
    with sandbox.db.transaction() as session:
        row = session.scalars(
            select(SnapshotRow).where(
                SnapshotRow.merchant_id == merchant_id, SnapshotRow.name == name
            )
        ).first()
        if row is None:
            raise NotFound("sandbox_snapshot", name, param="name")
        _clear(session, merchant_id)
        for table, _ in _copied(merchant_id):
            rows = [_load(table, r) for r in row.data.get(table.name, [])]
            if rows:
                session.execute(insert(table), rows)
        return _snapshot_object(row)


def list_snapshots(sandbox: Sandbox, caller: Caller) -> Listing[SandboxSnapshotObject]:
    """The merchant's snapshots, newest first (all of them, on one page)."""
    with sandbox.db.reader() as session:
        rows = session.scalars(
            select(SnapshotRow)
            .where(SnapshotRow.merchant_id == caller.merchant.id)
            .order_by(SnapshotRow.seq.desc())
        )
        return Listing([_snapshot_object(r) for r in rows], has_more=False)
