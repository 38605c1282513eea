"""The sandbox's tables: typed SQLAlchemy 2 rows, one per aggregate, JSON for domain documents.

Every listed table has an integer `seq` (insertion order) beside its prefixed string `id`, so lists
are newest-first and stable under inserts. Domain objects persist as their `to_dict()` in `data`.

No `from __future__ import annotations` here: SQLAlchemy would parse and `eval` each `Mapped[...]`
string when the classes are declared, about 550 of them at every start.
"""

import functools
from collections.abc import Sequence
from datetime import UTC, date, datetime
from typing import Any, ClassVar, Self

from sqlalchemy import (
    JSON,
    Column,
    Date,
    DateTime,
    ForeignKey,
    Index,
    Integer,
    String,
    Text,
    TypeDecorator,
)
from sqlalchemy.engine import Dialect
from sqlalchemy.orm import (
    DeclarativeBase,
    Mapped,
    Mapper,
    Session,
    class_mapper,
    make_transient_to_detached,
    mapped_column,
)
from sqlalchemy.orm.attributes import instance_state
from sqlalchemy.orm.instrumentation import manager_of_class
from sqlalchemy.sql.type_api import _BindProcessorType

__all__ = [
    "ApiKeyRow",
    "ApplicationFactsRow",
    "BalanceTransactionRow",
    "Base",
    "BureauAccountRow",
    "BureauInquiryRow",
    "CardAuthorizationRow",
    "CheckoutRow",
    "ClockRow",
    "CreditReportRow",
    "CustomerRow",
    "DefinitionRow",
    "DisputeRow",
    "EventRow",
    "FurnishingFileRow",
    "HostedPageRow",
    "IdempotencyRow",
    "LoanRow",
    "MerchantRow",
    "PayoutRow",
    "ReviewRow",
    "SmsMessageRow",
    "SnapshotRow",
    "TestClockRow",
    "UtcDateTime",
    "VelocityRow",
    "VirtualCardRow",
    "WebhookDeliveryRow",
    "WebhookEndpointRow",
    "WorkflowInstanceRow",
    "attribute_columns",
]


class UtcDateTime(TypeDecorator[datetime]):
    """A timezone-aware UTC datetime on every backend (SQLite stores it naive)."""

    impl = DateTime
    cache_ok = True

    def process_bind_param(self, value: datetime | None, dialect: Dialect) -> datetime | None:
        """Store as naive UTC."""
        if value is None:
            return None
        if value.tzinfo is None:
            raise ValueError("datetimes must be timezone-aware")
        return value.astimezone(UTC).replace(tzinfo=None)

    def bind_processor(self, dialect: Dialect) -> _BindProcessorType[datetime] | None:
        """`process_bind_param` and the backend's own processing, remembered for the last
        thousand instants (bulk writes repeat them: a clock advance dates its events by day)."""
        process = super().bind_processor(dialect)
        return None if process is None else functools.lru_cache(maxsize=1024)(process)

    def process_result_value(self, value: datetime | None, dialect: Dialect) -> datetime | None:
        """Read back as aware UTC."""
        return None if value is None else value.replace(tzinfo=UTC)


class Base(DeclarativeBase):
    """Declarative base with JSON mapped for dict/list columns."""

    type_annotation_map: ClassVar[dict[Any, Any]] = {
        dict[str, Any]: JSON,
        list[Any]: JSON,
        datetime: UtcDateTime,
    }

    @classmethod
    def new(cls, **values: Any) -> Self:
        """A new row with these column values, to add to a session: what the constructor makes
        (columns not given stay unset and take their defaults in the insert), without its
        event per attribute (an event row: ~25 us through the constructor, ~3.5 us here; a
        write adds several). Only columns may be given."""
        unknown = values.keys() - _column_keys(cls)
        if unknown:
            raise TypeError(f"{cls.__name__} has no column {', '.join(sorted(unknown))}")
        row = manager_of_class(cls).new_instance()
        instance_state(row).dict.update(values)
        return row

    @classmethod
    def columns(cls) -> tuple[Column[Any], ...]:
        """The class's columns in the order `loaded` takes their values (select them so)."""
        return _loading(cls)[1]

    @classmethod
    def loaded(cls, session: Session, values: Sequence[Any]) -> Self:
        """The row of these column values (in `columns()` order, as a core select of them
        returns them) in `session` as if the ORM had loaded it: the row the session already
        holds for that primary key, if any, as a query would answer; else a new one made
        persistent in the session without SQL, whose changes the session tracks."""
        keys, _, mapper, key_at = _loading(cls)
        identity = mapper.identity_key_from_primary_key(tuple(values[i] for i in key_at))
        held = session.identity_map.get(identity)
        if held is not None:
            found: Self = held
            return found
        row = manager_of_class(cls).new_instance()
        instance_state(row).dict.update(zip(keys, values, strict=True))
        make_transient_to_detached(row)
        session.add(row)
        return row


@functools.cache
def _column_keys(cls: type[Base]) -> frozenset[str]:
    return frozenset(_loading(cls)[0])


_ATTRIBUTE_COLUMNS: dict[type[Base], tuple[tuple[str, str], ...]] = {}


def attribute_columns(cls: type[Base]) -> tuple[tuple[str, str], ...]:
    """(attribute, column) names of a row class's columns, in its mapper's order (read once
    per class: a commit asks for every row it writes)."""
    found = _ATTRIBUTE_COLUMNS.get(cls)
    if found is None:
        keys, columns, _, _ = _loading(cls)
        found = _ATTRIBUTE_COLUMNS[cls] = tuple(
            zip(keys, (column.key for column in columns), strict=True)
        )
    return found


@functools.cache
def _loading(
    cls: type[Base],
) -> tuple[tuple[str, ...], tuple[Column[Any], ...], Mapper[Any], tuple[int, ...]]:
    """A class's attribute names and columns, its mapper, and where its primary key's values
    are among the columns."""
    mapper = class_mapper(cls)
    props = mapper.column_attrs
    columns = tuple(column for prop in props if isinstance(column := prop.columns[0], Column))
    assert len(columns) == len(props), "every attribute is a table's column"
    key_at = tuple(columns.index(column) for column in mapper.primary_key)
    return tuple(prop.key for prop in props), columns, mapper, key_at


class MerchantRow(Base):
    """A merchant: onboarding application, status and settings."""

    __tablename__ = "merchants"
    seq: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    id: Mapped[str] = mapped_column(String(40), unique=True)
    created: Mapped[datetime]
    status: Mapped[str] = mapped_column(String(20))
    legal_name: Mapped[str] = mapped_column(String(200))
    mcc: Mapped[str] = mapped_column(String(4))
    country: Mapped[str] = mapped_column(String(2))
    currency: Mapped[str] = mapped_column(String(3))
    plans: Mapped[list[Any]]
    workflow: Mapped[str] = mapped_column(String(64))
    mdr_bps: Mapped[int]
    review_reasons: Mapped[list[Any]]
    display_name: Mapped[str | None] = mapped_column(String(200), default=None)
    application: Mapped[dict[str, Any]]
    # What is due, failed or pending (kyb.Requirements.to_dict()) and the verification state:
    # screening matches, tax id check, reviewer notes and requests, payout failures.
    requirements: Mapped[dict[str, Any]] = mapped_column(default=dict)
    verification: Mapped[dict[str, Any]] = mapped_column(default=dict)


class ApiKeyRow(Base):
    """A merchant's secret key, stored only as its sha256."""

    __tablename__ = "api_keys"
    key_hash: Mapped[str] = mapped_column(String(64), primary_key=True)
    merchant_id: Mapped[str] = mapped_column(ForeignKey("merchants.id"), index=True)
    created: Mapped[datetime]
    # "secret" (sk_test_: the whole API once active) or "onboarding" (rk_test_: only the
    # merchant's own application until it verifies).
    scope: Mapped[str] = mapped_column(String(12), default="secret")


class ClockRow(Base):
    """A merchant's sandbox clock: an offset from real time that only grows."""

    __tablename__ = "sandbox_clocks"
    merchant_id: Mapped[str] = mapped_column(ForeignKey("merchants.id"), primary_key=True)
    offset_seconds: Mapped[int] = mapped_column(Integer, default=0)


class CustomerRow(Base):
    """A merchant's customer; `data` is the identity in the API's customer shape."""

    __tablename__ = "customers"
    seq: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    id: Mapped[str] = mapped_column(String(40), unique=True)
    merchant_id: Mapped[str] = mapped_column(String(40), index=True)
    created: Mapped[datetime]
    email: Mapped[str] = mapped_column(String(320))
    data: Mapped[dict[str, Any]]
    test_clock_id: Mapped[str | None] = mapped_column(String(40), default=None, index=True)


class CreditReportRow(Base):
    """A credit report pulled for a customer (the latest one is what the API shows)."""

    __tablename__ = "credit_reports"
    seq: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    id: Mapped[str] = mapped_column(String(40), unique=True)
    merchant_id: Mapped[str] = mapped_column(String(40))
    customer_id: Mapped[str] = mapped_column(String(40), index=True)
    created: Mapped[datetime]
    pull_type: Mapped[str] = mapped_column(String(8))
    data: Mapped[dict[str, Any]]


class CheckoutRow(Base):
    """A checkout: cart, offers, selection and decision in `data`; queried fields as columns."""

    __tablename__ = "checkouts"
    seq: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    id: Mapped[str] = mapped_column(String(40), unique=True)
    merchant_id: Mapped[str] = mapped_column(String(40))
    created: Mapped[datetime]
    status: Mapped[str] = mapped_column(String(20))
    amount: Mapped[int]
    currency: Mapped[str] = mapped_column(String(3))
    customer_id: Mapped[str] = mapped_column(String(40))
    loan_id: Mapped[str | None] = mapped_column(String(40))
    workflow_instance_id: Mapped[str | None] = mapped_column(String(40))
    expires_at: Mapped[datetime]
    data: Mapped[dict[str, Any]]
    test_clock_id: Mapped[str | None] = mapped_column(String(40), default=None)

    __table_args__ = (Index("ix_checkouts_merchant_seq", "merchant_id", "seq"),)


class LoanRow(Base):
    """A loan; `data` is `Loan.to_dict()`."""

    __tablename__ = "loans"
    seq: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    id: Mapped[str] = mapped_column(String(40), unique=True)
    merchant_id: Mapped[str] = mapped_column(String(40))
    checkout_id: Mapped[str] = mapped_column(String(40))
    customer_id: Mapped[str] = mapped_column(String(40))
    created: Mapped[datetime]
    status: Mapped[str] = mapped_column(String(20))
    data: Mapped[dict[str, Any]]
    test_clock_id: Mapped[str | None] = mapped_column(String(40), default=None)

    # When and how the loan was last furnished to the bureau (services.furnishing).
    furnished: Mapped[dict[str, Any] | None] = mapped_column(JSON, default=None)

    __table_args__ = (Index("ix_loans_merchant_seq", "merchant_id", "seq"),)


class WorkflowInstanceRow(Base):
    """A running or finished loan process; `data` is `WorkflowInstance.to_dict()`."""

    __tablename__ = "workflow_instances"
    seq: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    id: Mapped[str] = mapped_column(String(40), unique=True)
    merchant_id: Mapped[str] = mapped_column(String(40))
    checkout_id: Mapped[str] = mapped_column(String(40), index=True)
    status: Mapped[str] = mapped_column(String(20))
    deadline: Mapped[datetime | None]
    data: Mapped[dict[str, Any]]


class EventRow(Base):
    """One state change, appended in the transaction that made it."""

    __tablename__ = "events"
    seq: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    # The sentinel lets the events of one flush go in one INSERT (SQLite returns `seq` in no
    # promised order, so without it the ORM inserted them one statement each).
    id: Mapped[str] = mapped_column(String(40), unique=True, insert_sentinel=True)
    merchant_id: Mapped[str] = mapped_column(String(40))
    created: Mapped[datetime]
    type: Mapped[str] = mapped_column(String(64))
    object_id: Mapped[str] = mapped_column(String(40))
    request_id: Mapped[str | None] = mapped_column(String(40))
    data: Mapped[dict[str, Any]]

    __table_args__ = (Index("ix_events_merchant_seq", "merchant_id", "seq"),)


class IdempotencyRow(Base):
    """An idempotency key claimed by a merchant: the request's fingerprint and stored answer."""

    __tablename__ = "idempotency_keys"
    merchant_id: Mapped[str] = mapped_column(String(40), primary_key=True)
    key: Mapped[str] = mapped_column(String(255), primary_key=True)
    created: Mapped[datetime]
    method: Mapped[str] = mapped_column(String(8))
    path: Mapped[str] = mapped_column(String(500))
    fingerprint: Mapped[str] = mapped_column(String(64))
    request_body: Mapped[str] = mapped_column(Text)
    state: Mapped[str] = mapped_column(String(12))
    status_code: Mapped[int | None]
    response_body: Mapped[str | None] = mapped_column(Text)


class VelocityRow(Base):
    """One application's identifying signal (email, phone, device, address), for fraud velocity."""

    __tablename__ = "velocity_signals"
    seq: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    kind: Mapped[str] = mapped_column(String(16))
    value: Mapped[str] = mapped_column(String(320))
    email: Mapped[str] = mapped_column(String(320))
    application_id: Mapped[str] = mapped_column(String(40))
    at: Mapped[datetime]

    __table_args__ = (Index("ix_velocity_kind_value_at", "kind", "value", "at"),)


class ReviewRow(Base):
    """An application waiting for (or decided by) an underwriter in the manual review queue."""

    __tablename__ = "reviews"
    seq: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    id: Mapped[str] = mapped_column(String(40), unique=True)
    merchant_id: Mapped[str] = mapped_column(String(40))
    checkout_id: Mapped[str] = mapped_column(String(40), index=True)
    workflow_instance_id: Mapped[str] = mapped_column(String(40))
    created: Mapped[datetime]
    status: Mapped[str] = mapped_column(String(20))
    queue: Mapped[str] = mapped_column(String(64), default="default", server_default="default")
    reason_codes: Mapped[list[Any]]
    deadline: Mapped[datetime | None]
    decided_at: Mapped[datetime | None]


class WebhookEndpointRow(Base):
    """A merchant's webhook subscription; the signing secret is kept sealed to sign deliveries."""

    __tablename__ = "webhook_endpoints"
    seq: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    id: Mapped[str] = mapped_column(String(40), unique=True)
    merchant_id: Mapped[str] = mapped_column(String(40), index=True)
    created: Mapped[datetime]
    url: Mapped[str] = mapped_column(String(2048))
    enabled_events: Mapped[list[Any]]
    status: Mapped[str] = mapped_column(String(20))
    secret: Mapped[str] = mapped_column(Text)  # sealed (storage.sealing)
    disabled_reason: Mapped[str | None] = mapped_column(String(200), default=None)


class WebhookDeliveryRow(Base):
    """One event on its way to one endpoint: at-least-once, retried with backoff, each attempt
    recorded."""

    __tablename__ = "webhook_deliveries"
    seq: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    merchant_id: Mapped[str] = mapped_column(String(40))
    endpoint_id: Mapped[str] = mapped_column(String(40), index=True)
    event_id: Mapped[str] = mapped_column(String(40))
    status: Mapped[str] = mapped_column(String(12))
    next_attempt_at: Mapped[datetime]
    attempts: Mapped[list[Any]]
    # Set while one sandbox process attempts the delivery, so no other process attempts it too.
    lease_expires_at: Mapped[datetime | None] = mapped_column(default=None)

    __table_args__ = (Index("ix_deliveries_status_next", "status", "next_attempt_at"),)


class ApplicationFactsRow(Base):
    """The facts a credit decision saw, kept so a proposed policy can be dry-run over them."""

    __tablename__ = "application_facts"
    seq: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    application_id: Mapped[str] = mapped_column(String(40))
    merchant_id: Mapped[str] = mapped_column(String(40))
    created: Mapped[datetime]
    facts: Mapped[dict[str, Any]]


class DefinitionRow(Base):
    """One uploaded version of a policy or a workflow definition (`kind`: policy | workflow)."""

    __tablename__ = "definitions"
    seq: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    kind: Mapped[str] = mapped_column(String(12))
    name: Mapped[str] = mapped_column(String(64))
    version: Mapped[int]
    created: Mapped[datetime]
    data: Mapped[dict[str, Any]]

    __table_args__ = (Index("ix_definitions_kind_name_version", "kind", "name", "version"),)


class BalanceTransactionRow(Base):
    """One movement of a merchant's balance: a capture's credit (less the discount fee), a
    refund's debit, a payout and a failed payout's return; `source` is the loan or payout."""

    __tablename__ = "balance_transactions"
    seq: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    id: Mapped[str] = mapped_column(String(40), unique=True)
    merchant_id: Mapped[str] = mapped_column(String(40))
    created: Mapped[datetime]
    type: Mapped[str] = mapped_column(String(20))
    amount: Mapped[int]
    fee: Mapped[int]
    net: Mapped[int]
    currency: Mapped[str] = mapped_column(String(3))
    source: Mapped[str] = mapped_column(String(40))
    loan_id: Mapped[str | None] = mapped_column(String(40))
    payout_id: Mapped[str | None] = mapped_column(String(40))
    available_on: Mapped[date] = mapped_column(Date)
    description: Mapped[str] = mapped_column(String(200))

    __table_args__ = (
        Index("ix_balance_transactions_merchant_seq", "merchant_id", "seq"),
        Index("ix_balance_transactions_merchant_available", "merchant_id", "available_on"),
    )


class PayoutRow(Base):
    """A payout of a merchant's available balance to its bank account."""

    __tablename__ = "payouts"
    seq: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    id: Mapped[str] = mapped_column(String(40), unique=True)
    merchant_id: Mapped[str] = mapped_column(String(40))
    created: Mapped[datetime]
    amount: Mapped[int]
    currency: Mapped[str] = mapped_column(String(3))
    status: Mapped[str] = mapped_column(String(12))
    arrival_date: Mapped[date] = mapped_column(Date)
    bank_last4: Mapped[str | None] = mapped_column(String(4))
    failure_code: Mapped[str | None] = mapped_column(String(40))
    # What the bank will answer on the arrival date (the magic account fails); not shown.
    fails_with: Mapped[str | None] = mapped_column(String(40))

    __table_args__ = (Index("ix_payouts_merchant_seq", "merchant_id", "seq"),)


class TestClockRow(Base):
    """A test clock: frozen sandbox time for the customers (and their checkouts and loans)
    attached to it; it moves only when advanced."""

    __tablename__ = "test_clocks"
    __test__ = False  # a table, not a pytest class
    seq: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    id: Mapped[str] = mapped_column(String(40), unique=True)
    merchant_id: Mapped[str] = mapped_column(String(40), index=True)
    created: Mapped[datetime]
    name: Mapped[str | None] = mapped_column(String(200))
    frozen_time: Mapped[datetime]


class SnapshotRow(Base):
    """A named copy of one merchant's sandbox data (`data`: table name -> rows as JSON)."""

    __tablename__ = "sandbox_snapshots"
    seq: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    merchant_id: Mapped[str] = mapped_column(String(40))
    name: Mapped[str] = mapped_column(String(64))
    created: Mapped[datetime]
    data: Mapped[dict[str, Any]]

    __table_args__ = (Index("ix_snapshots_merchant_name", "merchant_id", "name", unique=True),)


class HostedPageRow(Base):
    """The customer's hosted application page of one checkout: its URL token, the in-store
    short code, the step reached, and (a sha256 only) the one-time token handed back."""

    __tablename__ = "hosted_pages"
    seq: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    token: Mapped[str] = mapped_column(String(64), unique=True)
    merchant_id: Mapped[str] = mapped_column(String(40))
    checkout_id: Mapped[str] = mapped_column(String(40), unique=True)
    short_code: Mapped[str | None] = mapped_column(String(16), unique=True, default=None)
    created: Mapped[datetime]
    step: Mapped[str] = mapped_column(String(20))
    data: Mapped[dict[str, Any]]


class VirtualCardRow(Base):
    """A single-use virtual card an in-store approval issues. The number and CVC are never
    stored: only their sha256 digests (the number's finds the card on the simulated network)."""

    __tablename__ = "virtual_cards"
    seq: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    id: Mapped[str] = mapped_column(String(40), unique=True)
    merchant_id: Mapped[str] = mapped_column(String(40), index=True)
    checkout_id: Mapped[str] = mapped_column(String(40), unique=True)
    loan_id: Mapped[str] = mapped_column(String(40))
    created: Mapped[datetime]
    status: Mapped[str] = mapped_column(String(20))
    number_digest: Mapped[str] = mapped_column(String(64), unique=True)
    last4: Mapped[str] = mapped_column(String(4))
    exp_month: Mapped[int]
    exp_year: Mapped[int]
    expires_at: Mapped[datetime]
    cvc_digest: Mapped[str] = mapped_column(String(64))
    amount_limit: Mapped[int]
    currency: Mapped[str] = mapped_column(String(3))
    used_at: Mapped[datetime | None] = mapped_column(default=None)
    authorization_id: Mapped[str | None] = mapped_column(String(40), default=None)


class CardAuthorizationRow(Base):
    """One authorization request on the simulated card network, approved or declined."""

    __tablename__ = "card_authorizations"
    seq: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    id: Mapped[str] = mapped_column(String(40), unique=True)
    merchant_id: Mapped[str] = mapped_column(String(40), index=True)
    card_id: Mapped[str | None] = mapped_column(String(40), default=None)
    created: Mapped[datetime]
    approved: Mapped[bool]
    response_code: Mapped[str] = mapped_column(String(4))
    data: Mapped[dict[str, Any]]


class SmsMessageRow(Base):
    """A text message the sandbox 'sent' (the simulated SMS outbox)."""

    __tablename__ = "sms_messages"
    seq: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    id: Mapped[str] = mapped_column(String(40), unique=True)
    merchant_id: Mapped[str] = mapped_column(String(40))
    checkout_id: Mapped[str] = mapped_column(String(40))
    created: Mapped[datetime]
    to: Mapped[str] = mapped_column(String(32))
    body: Mapped[str] = mapped_column(Text)

    __table_args__ = (Index("ix_sms_messages_merchant_seq", "merchant_id", "seq"),)


class FurnishingFileRow(Base):
    """One month's Metro 2 file of a merchant's reportable loans, as written."""

    __tablename__ = "furnishing_files"
    seq: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    id: Mapped[str] = mapped_column(String(40), unique=True)
    merchant_id: Mapped[str] = mapped_column(String(40))
    created: Mapped[datetime]
    period: Mapped[str] = mapped_column(String(7))
    month_end: Mapped[date] = mapped_column(Date)
    account_count: Mapped[int]
    status_counts: Mapped[dict[str, Any]]
    content: Mapped[str] = mapped_column(Text)

    __table_args__ = (
        Index("ix_furnishing_files_merchant_period", "merchant_id", "period", unique=True),
    )


class DisputeRow(Base):
    """A consumer's dispute of an Installo tradeline, open until resolved."""

    __tablename__ = "disputes"
    seq: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    id: Mapped[str] = mapped_column(String(40), unique=True)
    merchant_id: Mapped[str] = mapped_column(String(40))
    loan_id: Mapped[str] = mapped_column(String(40), index=True)
    created: Mapped[datetime]
    status: Mapped[str] = mapped_column(String(12))
    reason: Mapped[str | None] = mapped_column(String(500), default=None)
    resolution: Mapped[str | None] = mapped_column(String(12), default=None)
    resolved_at: Mapped[datetime | None] = mapped_column(default=None)
    resolution_file_id: Mapped[str | None] = mapped_column(String(40), default=None)


class BureauAccountRow(Base):
    """The sandbox bureau's latest record of one account Installo furnished for a consumer."""

    __tablename__ = "bureau_accounts"
    seq: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    bureau_key: Mapped[str] = mapped_column(String(64), index=True)
    account_number: Mapped[str] = mapped_column(String(30))
    furnisher_id: Mapped[str] = mapped_column(String(40))
    reported_on: Mapped[date] = mapped_column(Date)
    data: Mapped[dict[str, Any]]


class BureauInquiryRow(Base):
    """A pull Installo made of a consumer's file, as the bureau remembers it."""

    __tablename__ = "bureau_inquiries"
    seq: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    bureau_key: Mapped[str] = mapped_column(String(64), index=True)
    at: Mapped[datetime]
    kind: Mapped[str] = mapped_column(String(8))
    by: Mapped[str] = mapped_column(String(64))
