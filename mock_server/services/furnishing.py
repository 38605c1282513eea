"""Month-end credit furnishing: one Metro 2 file per merchant and month, folded into the bureau.

At each month-end the sandbox clock passes, every reportable loan of the merchant is reported as
it stood at the end of that day:

- reportable: captured, in US dollars (Metro 2 is the US format), on the merchant's clock (a
  loan attached to a test clock lives on that clock's time, which no month-end of the merchant's
  describes), not yet reported closed (`13`) or deleted (`DA`); a closed account is reported
  once, a charged-off one every month;
- a loan under an open dispute carries compliance condition code `XB`; the first file after a
  resolution carries `XH` (verified or corrected; a correction reports the history as current) or
  deletes the account (`DA`), after which it is never reported again.

The file is stored with its parsed view, the bureau reads it back and folds each consumer's
accounts in, each loan keeps when and how it was last reported and the score change it caused,
and one `credit_report.furnished` event carries the file's summary.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from functools import partial
from typing import Any, Final

from sqlalchemy import bindparam, or_, select, update
from sqlalchemy.orm import Session

from mock_server.domain import Loan
from mock_server.furnishing import (
    Consumer,
    Period,
    account_number,
    base_segment,
    month_key,
    read_file,
    write_file,
)
from mock_server.furnishing.metro2 import Value
from mock_server.ids import new_id
from mock_server.risk.bureau_memory import account_points, clamp_score
from mock_server.risk.credit import base_bureau_score
from mock_server.risk.identity import Identity
from mock_server.services import bureau
from mock_server.services.context import Sandbox
from mock_server.services.periodic import HeldLoan, Occasion, PeriodicWork, month_ends
from mock_server.services.presenters import iso
from mock_server.storage.bulk import execute_many
from mock_server.storage.driver import fetch_all
from mock_server.storage.models import CustomerRow, DisputeRow, FurnishingFileRow, LoanRow

__all__ = ["FURNISHED_EVENT", "FURNISHING", "REPORTER", "file_summary", "furnish_month_end"]

FURNISHED_EVENT: Final = "credit_report.furnished"
REPORTER: Final[dict[str, Value]] = {
    "reporter_name": "Installo Sandbox Lender",
    "reporter_address": "1 Sandbox Way, San Francisco, CA 94105",
    "software_vendor_name": "Installo",
    "software_version_number": "1",
}
_REPORTABLE: Final = ("active", "late", "delinquent", "charged_off", "paid_off", "refunded")
_FINAL_STATUSES: Final = frozenset({"13", "DA"})
_PROFILE_MONTHS: Final = 24
_CHUNK: Final = 500  # ids per IN (...) read
# Each account status's mark in the payment history profile (84 and any other: "6").
_PROFILE_MARKS: Final = {
    "97": "L",
    "13": "0",
    "11": "0",
    "71": "1",
    "78": "2",
    "80": "3",
    "82": "4",
    "83": "5",
}
_LOANS = LoanRow.metadata.tables[LoanRow.__tablename__]
_REMEMBER = (
    update(_LOANS)
    .where(_LOANS.c.id == bindparam("loan_id"))
    .values(furnished=bindparam("loan_furnished"))
)
# The keys of a merchant's reportable loans, in creation order: built once and run on the
# driver's cursor (see `_reportable`); the statuses as equalities, which it runs as they are
# (an IN list expands per call).
_REPORTABLE_KEYS: Final = (
    select(_LOANS.c.id, _LOANS.c.customer_id)
    .where(
        _LOANS.c.merchant_id == bindparam("merchant_id"),
        or_(*(_LOANS.c.status == status for status in _REPORTABLE)),
        _LOANS.c.test_clock_id.is_(None),  # a test clock's loans live on its own time
    )
    .order_by(_LOANS.c.seq)
)


def file_summary(row: FurnishingFileRow) -> dict[str, Any]:
    """A furnishing file's summary (the list's and the event's shape)."""
    return {
        "id": row.id,
        "object": "furnishing_file",
        "created": iso(row.created),
        "livemode": False,
        "merchant": row.merchant_id,
        "period": row.period,
        "month_end": row.month_end.isoformat(),
        "format": "metro2",
        "record_length": 426,
        "account_count": row.account_count,
        "status_counts": dict(row.status_counts),
        "size_bytes": len(row.content.encode()),
    }


def _dispute_code(dispute: DisputeRow | None) -> tuple[str, bool]:
    """(compliance condition code, delete) for a loan's latest dispute."""
    if dispute is None:
        return "", False
    if dispute.status == "open":
        return "XB", False
    if dispute.resolution_file_id is not None:
        return "", False
    return ("", True) if dispute.resolution == "deleted" else ("XH", False)


def _latest_disputes(session: Session, merchant_id: str) -> dict[str, DisputeRow]:
    rows = session.scalars(
        select(DisputeRow).where(DisputeRow.merchant_id == merchant_id).order_by(DisputeRow.seq)
    )
    return {row.loan_id: row for row in rows}


@dataclass(slots=True)
class _Reportable:
    """A loan to report: its row's keys, its domain object and its `furnished` record (a loan
    the advance holds comes from `Occasion.loans`, any other from its stored data)."""

    id: str
    customer_id: str
    loan: Loan
    furnished: dict[str, Any] | None
    held: HeldLoan | None


def _reportable(
    session: Session, merchant_id: str, held: Mapping[str, HeldLoan]
) -> list[_Reportable]:
    """The merchant's loans to report, in creation order (one read of the keys, by the driver,
    after the session's pending rows are flushed as an ORM query would; the stored data only
    of loans the advance does not hold)."""
    session.flush()
    keys = fetch_all(session.connection(), _REPORTABLE_KEYS, {"merchant_id": merchant_id})
    stored = _stored(session, [loan_id for loan_id, _ in keys if loan_id not in held])
    found: list[_Reportable] = []
    for loan_id, customer_id in keys:
        mine = held.get(loan_id)
        if mine is not None:
            loan, furnished = mine.loan, mine.furnished
        else:
            data, furnished = stored[loan_id]
            loan = Loan.from_dict(data)
        if (furnished or {}).get("account_status") in _FINAL_STATUSES or loan.currency != "USD":
            continue  # reported closed or deleted, or not in US dollars
        found.append(_Reportable(loan_id, customer_id, loan, furnished, mine))
    return found


def _stored(
    session: Session, loan_ids: list[str]
) -> dict[str, tuple[dict[str, Any], dict[str, Any] | None]]:
    """The stored data and `furnished` record of these loans (read in chunks of ids)."""
    found: dict[str, tuple[dict[str, Any], dict[str, Any] | None]] = {}
    for at in range(0, len(loan_ids), _CHUNK):
        rows = session.execute(
            select(LoanRow.id, LoanRow.data, LoanRow.furnished).where(
                LoanRow.id.in_(loan_ids[at : at + _CHUNK])
            )
        )
        found.update((row.id, (row.data, row.furnished)) for row in rows)
    return found


def _ratings(furnished: Mapping[str, Any] | None, period: str, rating: str) -> dict[str, str]:
    """The ratings of the last 24 periods, in order, with `period`'s."""
    ratings = dict((furnished or {}).get("ratings", {}))
    months = list(ratings)
    if months and period > months[-1] and months == sorted(months):
        ratings[period] = rating  # the usual month: a later period after ordered ones
        if len(months) >= _PROFILE_MONTHS:  # the oldest fall out of the last 24
            for key in months[: len(months) + 1 - _PROFILE_MONTHS]:
                del ratings[key]
        return ratings
    ratings[period] = rating
    return dict(sorted(ratings.items())[-_PROFILE_MONTHS:])


def furnish_month_end(occasion: Occasion) -> FurnishingFileRow | None:
    """Write, store and fold in the merchant's file for the month ending on the occasion's date
    (once; none when the merchant has nothing to report)."""
    session, sandbox, caller = occasion.session, occasion.sandbox, occasion.caller
    month_end, at = occasion.on, occasion.at
    merchant_id = caller.merchant.id
    period = month_key(month_end)
    exists = session.scalars(
        select(FurnishingFileRow.id).where(
            FurnishingFileRow.merchant_id == merchant_id, FurnishingFileRow.period == period
        )
    ).first()
    if exists is not None:
        return None
    disputes = _latest_disputes(session, merchant_id)
    when = Period(month_end, at, merchant_id.upper()[:20])
    accounts: list[tuple[_Reportable, dict[str, Value]]] = []
    loans = _reportable(session, merchant_id, occasion.loans)
    kept = occasion.scratch.get(FURNISHING_NAME)
    if not isinstance(kept, _Kept):
        kept = occasion.scratch[FURNISHING_NAME] = _Kept()
    customers = kept.customers_of(session, {row.customer_id for row in loans})
    for row in loans:
        loan = row.loan
        if loan.captured_on is None or loan.captured_on > month_end:
            continue
        consumer = kept.consumer_of(row.customer_id)  # one with many loans is read once
        code, delete = _dispute_code(disputes.get(row.id))
        ratings = (row.furnished or {}).get("ratings", {})
        fields = base_segment(
            loan,
            consumer,
            when,
            ratings,
            compliance_condition_code=code,
            delete=delete,
        )
        accounts.append((row, fields))
    if not accounts:
        return None  # nothing to report: no file this month
    content = write_file(
        {**REPORTER, "activity_date": month_end, "date_created": at.date()},
        [fields for _, fields in accounts],
    )
    file_row = FurnishingFileRow(
        id=new_id("ff"),
        merchant_id=merchant_id,
        created=at,
        period=period,
        month_end=month_end,
        account_count=len(accounts),
        status_counts=dict(Counter(str(f["account_status"]) for _, f in accounts)),
        content=content,
    )
    session.add(file_row)
    scores = _fold_into_bureau(
        session, sandbox, merchant_id, content, customers, kept, occasion.finishing
    )
    reports = []
    reported_at = iso(file_row.created)  # the file's, shared by every account's report
    file_id = file_row.id  # read once (an ORM row's attribute is a descriptor's call)
    keep = occasion.keep_furnished
    for row, fields in accounts:
        score = scores[row.customer_id]
        row.furnished = _report(row, fields, file_id, period, reported_at, score)
        if row.held is not None:
            row.held.furnished = row.furnished
        if row.held is not None and keep is not None:
            keep(row.held)  # the advance stores it with the loan
        else:
            reports.append({"loan_id": row.id, "loan_furnished": row.furnished})
        dispute = disputes.get(row.id)
        if dispute is not None and dispute.status == "resolved" and not dispute.resolution_file_id:
            dispute.resolution_file_id = file_id
    execute_many(session, _REMEMBER, reports)  # one UPDATE executed for every other loan
    occasion.record(FURNISHED_EVENT, file_summary(file_row))
    return file_row


def _furnish(occasion: Occasion) -> None:
    furnish_month_end(occasion)


# The clock runs it at each month-end an advance reaches (registered on the sandbox in app.py).
# It reads the loans the advance holds from `Occasion.loans` (their stored status may be older,
# but a held loan stored as reportable stays reportable, and one stored as authorized can only
# expire), so the advance need not store them before each month-end.
FURNISHING_NAME: Final = "metro2_furnishing"
FURNISHING: Final = PeriodicWork(FURNISHING_NAME, month_ends, _furnish, reads_stored_loans=False)


@dataclass(slots=True)
class _Kept:
    """What furnishing keeps from one month-end of an advance to the next (`Occasion.scratch`):
    nothing it holds changes in between. Customers are only read (no request runs inside the
    advance's transaction), and the bureau's accounts of the consumers read so far are only
    written by this furnishing, which updates them here as it writes them: at every month-end
    they are what reading them again would find (one transaction; under concurrent advances of
    other merchants, what it would find had those committed after this advance's last
    month-end, as they may). A month-end outside an advance starts from nothing."""

    customers: dict[str, CustomerRow] = field(default_factory=dict)
    consumers: dict[str, Consumer] = field(default_factory=dict)  # as Metro 2 carries them
    keys: dict[str, str] = field(default_factory=dict)  # customer -> bureau key
    bases: dict[str, tuple[int, bool]] = field(default_factory=dict)  # base score, tagged
    known: bureau.KnownAccounts = field(default_factory=dict)  # by bureau key, as stored
    # Folded but not yet written (an advance writes the bureau's accounts once, at its end,
    # or before the first file that deletes any: see `bureau.AccountWrites`); None: nothing.
    writes: bureau.AccountWrites | None = None

    def write(self, session: Session) -> None:
        """Write what was folded and not yet written."""
        writes, self.writes = self.writes, None
        if writes:
            writes.store(session)
            # The accounts added, as a later month-end would read them: with their `seq`.
            bureau.read_seqs(session, self.known, {row["bureau_key"] for row in writes.inserts})

    def customers_of(self, session: Session, ids: set[str]) -> dict[str, CustomerRow]:
        """These customers' rows (each read once per advance), by id."""
        missing = ids - self.customers.keys()
        if missing:
            self.customers.update(
                (row.id, row)
                for row in session.scalars(select(CustomerRow).where(CustomerRow.id.in_(missing)))
            )
        return {i: self.customers[i] for i in ids if i in self.customers}

    def consumer_of(self, customer_id: str) -> Consumer:
        """The customer (read by `customers_of`) as Metro 2 carries them, made once per
        advance; asked by id for every account (an ORM row's attribute costs a call)."""
        consumer = self.consumers.get(customer_id)
        if consumer is None:
            data = self.customers[customer_id].data
            consumer = self.consumers[customer_id] = Consumer.from_customer(data)
        return consumer

    def key_of(self, customer_id: str) -> str:
        """The customer's bureau key (see `consumer_of`)."""
        key = self.keys.get(customer_id)
        if key is None:
            key = self.keys[customer_id] = bureau.consumer_key(self.consumer_of(customer_id))
        return key

    def base_of(self, seed: int, customer: CustomerRow) -> tuple[int, bool]:
        """The customer's generated bureau score and whether an email tag forces its file."""
        base = self.bases.get(customer.id)
        if base is None:
            identity = Identity.from_dict(customer.data)
            base = self.bases[customer.id] = (
                base_bureau_score(seed, identity),
                identity.email_tag is not None,
            )
        return base

    def known_accounts(self, session: Session, keys: set[str]) -> bureau.KnownAccounts:
        """The bureau's accounts of these consumers (read once per advance)."""
        missing = keys - self.known.keys()
        if missing:
            self.write(session)  # a read sees what was folded before (say, under another key)
            self.known.update(bureau.known_accounts(session, missing))
        return {key: self.known[key] for key in keys}


def _fold_into_bureau(
    session: Session,
    sandbox: Sandbox,
    merchant_id: str,
    content: str,
    customers: Mapping[str, CustomerRow],
    kept: _Kept,
    finishing: list[Callable[[], None]] | None,
) -> dict[str, tuple[int, int]]:
    """The bureau reads the file and folds each consumer's accounts in; answers each customer's
    score (before, after). `kept`: what the advance's earlier month-ends read (customers as
    the file carries them, their keys and accounts) and folded; with `finishing` (an
    advance's), the accounts are written at its end, else now."""
    by_key: dict[str, list[dict[str, Any]]] = defaultdict(list)
    for segment in read_file(content, bureau.SEGMENT_FIELDS).base_segments:
        by_key[bureau.segment_bureau_key(segment)].append(segment)
    keys = {customer_id: kept.key_of(customer_id) for customer_id in customers}
    known = kept.known_accounts(session, set(keys.values()))
    before = {key: _score_of(rows) for key, rows in known.items()}
    deletes = any(bureau.deletes_accounts(segments) for segments in by_key.values())
    if deletes or finishing is None:
        kept.write(session)  # what earlier month-ends left first, then this file's own
    if kept.writes is None:
        kept.writes = bureau.AccountWrites()
        if finishing is not None:
            finishing.append(partial(kept.write, session))
    for key, segments in by_key.items():
        bureau.fold_accounts(kept.writes, known, key, merchant_id, segments)
    if deletes or finishing is None:
        kept.write(session)
    scores: dict[str, tuple[int, int]] = {}
    seed = sandbox.settings.seed
    for customer_id, customer in customers.items():
        key = keys[customer_id]
        base, tagged = kept.base_of(seed, customer)
        if tagged:  # a tagged identity keeps its forced file
            scores[customer_id] = (base, base)
        else:
            scores[customer_id] = (
                clamp_score(base + before.get(key, 0)),
                clamp_score(base + _score_of(known[key])),
            )
    return scores


def _score_of(accounts: Mapping[str, bureau.KnownAccount]) -> int:
    """`score_change` of the accounts, read from their stored data (no account objects)."""
    return sum(
        account_points(str(r.data["account_status"]), str(r.data["history"]))
        for r in accounts.values()
    )


def _whole(value: Value) -> int:
    """A numeric field's value (an int as `base_segment` writes it; anything else as text)."""
    return value if type(value) is int else int(str(value))


def _report(
    row: _Reportable,
    fields: Mapping[str, Value],
    file_id: str,
    period: str,
    reported_at: str,
    score: tuple[int, int],
) -> dict[str, Any]:
    """What the loan keeps of when and how it was last reported (and each month's rating)."""
    status = str(fields["account_status"])
    profile_mark = _PROFILE_MARKS.get(status, "6")
    return {
        "file": file_id,
        "period": period,
        "reported_at": reported_at,
        "account_number": account_number(row.id),
        "account_status": status,
        "payment_rating": str(fields["payment_rating"]),
        "compliance_condition_code": str(fields["compliance_condition_code"]),
        "current_balance": _whole(fields["current_balance"]) * 100,
        "amount_past_due": _whole(fields["amount_past_due"]) * 100,
        "score_before": score[0],
        "score_after": score[1],
        "ratings": _ratings(row.furnished, period, profile_mark),
    }
