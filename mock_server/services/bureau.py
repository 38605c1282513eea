"""The sandbox bureau: pulls that remember Installo's furnished accounts and inquiries.

A pull generates the identity's deterministic file and folds in what Installo reported for the
same consumer (matched on name, date of birth and SSN as the Metro 2 file carries them) and the
inquiries Installo made, then records this pull as an inquiry. An identity with a magic email tag
keeps its forced file: the tag decides the path, so the bureau's memory leaves it alone.

Each credit step may reuse the merchant's last hard pull of the same customer within a window
(`reuse_days`), and a sandbox fault makes the bureau unavailable (`BureauUnavailable`).
"""

from __future__ import annotations

import functools
import hashlib
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from typing import Any, Final, NamedTuple

from sqlalchemy import bindparam, delete, insert, select, update
from sqlalchemy.orm import Session

from mock_server.furnishing.accounts import Consumer
from mock_server.risk.bureau_memory import (
    FURNISHER_NAME,
    FurnishedAccount,
    remember,
)
from mock_server.risk.credit import (
    CreditReport,
    Inquiry,
    PullType,
    generate_credit_report,
)
from mock_server.risk.identity import Identity
from mock_server.storage.bulk import execute_many
from mock_server.storage.driver import fetch_all, fetch_one
from mock_server.storage.models import BureauAccountRow, BureauInquiryRow, CreditReportRow
from mock_server.storage.repositories import flush_added

__all__ = [
    "SEGMENT_FIELDS",
    "AccountWrites",
    "BureauUnavailable",
    "KnownAccount",
    "KnownAccounts",
    "bureau_key",
    "consumer_key",
    "deletes_accounts",
    "fold_accounts",
    "known_accounts",
    "pull_report",
    "read_seqs",
    "remembered_accounts",
    "reusable_report",
    "segment_bureau_key",
]


class BureauUnavailable(Exception):
    """The bureau did not answer (a sandbox fault)."""


# The base segment fields the bureau reads from a furnished file (its key, and the account).
SEGMENT_FIELDS: Final = frozenset(
    {
        "surname",
        "first_name",
        "date_of_birth",
        "social_security_number",
        "consumer_account_number",
        "account_status",
        "payment_history_profile",
        "current_balance",
        "highest_credit",
        "date_opened",
        "date_of_account_information",
        "compliance_condition_code",
    }
)


@functools.lru_cache(maxsize=65_536)  # a consumer is matched every month: digest them once
def _key(surname: object, first_name: object, date_of_birth: object, ssn: object) -> str:
    birth = date_of_birth.isoformat() if isinstance(date_of_birth, date) else "none"
    material = f"{surname}|{first_name}|{birth}|{int(str(ssn))}"
    return hashlib.sha256(material.encode()).hexdigest()[:40]


def bureau_key(customer: Mapping[str, Any]) -> str:
    """The bureau's key for a consumer: a digest of name, date of birth and SSN as furnished."""
    return consumer_key(Consumer.from_customer(customer))


def consumer_key(consumer: Consumer) -> str:
    """`bureau_key` of a customer already read as Metro 2 carries them."""
    return _key(
        consumer.surname,
        consumer.first_name,
        consumer.date_of_birth,
        consumer.social_security_number,
    )


def segment_bureau_key(segment: Mapping[str, Any]) -> str:
    """The same key, read from a parsed base segment (how the bureau matches a file)."""
    return _key(
        segment["surname"],
        segment["first_name"],
        segment["date_of_birth"],
        segment["social_security_number"],
    )


_ACCOUNTS = BureauAccountRow.metadata.tables[BureauAccountRow.__tablename__]
_REPORTED_ACCOUNTS = (
    select(_ACCOUNTS.c.data)
    .where(
        _ACCOUNTS.c.bureau_key == bindparam("bureau_key"),
        _ACCOUNTS.c.reported_on <= bindparam("on"),
    )
    .order_by(_ACCOUNTS.c.seq)
)


def remembered_accounts(session: Session, key: str, on: date) -> list[FurnishedAccount]:
    """The consumer's furnished accounts as reported on or before `on` (the accounts are only
    ever written by statements, never added to a session, so nothing waits to be flushed)."""
    found = fetch_all(session.connection(), _REPORTED_ACCOUNTS, {"bureau_key": key, "on": on})
    return [FurnishedAccount.from_dict(data) for (data,) in found]


_INQUIRIES = BureauInquiryRow.metadata.tables[BureauInquiryRow.__tablename__]
_EARLIER_INQUIRIES: Final = select(_INQUIRIES.c.kind, _INQUIRIES.c.at, _INQUIRIES.c.by).where(
    _INQUIRIES.c.bureau_key == bindparam("bureau_key"), _INQUIRIES.c.at < bindparam("before")
)


def _inquiries(session: Session, key: str, before: datetime) -> list[Inquiry]:
    """The consumer's inquiries before `before`, an inquiry this transaction added included
    (written first, as the ORM's autoflush did; the select is a core statement)."""
    flush_added(session, BureauInquiryRow)
    found = fetch_all(
        session.connection(), _EARLIER_INQUIRIES, {"bureau_key": key, "before": before}
    )
    return [Inquiry("hard" if kind == "hard" else "soft", at.date(), by) for kind, at, by in found]


def pull_report(
    session: Session,
    seed: int,
    identity: Identity,
    *,
    as_of: datetime,
    pull_type: PullType,
    down: bool = False,
) -> CreditReport:
    """Pull the identity's file as the bureau knows it at `as_of` (a hard pull is recorded as
    Installo's inquiry)."""
    if down:
        raise BureauUnavailable("the credit bureau is unavailable (sandbox fault bureau=down)")
    report = generate_credit_report(seed, identity, as_of=as_of, pull_type=pull_type)
    if identity.email_tag is not None:
        return report
    key = bureau_key(identity.to_dict())
    accounts = remembered_accounts(session, key, as_of.date())
    report = remember(report, accounts, _inquiries(session, key, as_of))
    if pull_type == "hard":  # a soft pull leaves no mark on the file
        session.add(BureauInquiryRow(bureau_key=key, at=as_of, kind="hard", by=FURNISHER_NAME))
    return report


@dataclass(slots=True)
class KnownAccount:
    """The bureau's record of one furnished account (`seq` is None until it is stored)."""

    seq: int | None
    data: dict[str, Any]
    account: FurnishedAccount | None = None  # `data` read, once needed

    def read(self) -> FurnishedAccount:
        """The account `data` describes (read once)."""
        if self.account is None:
            self.account = FurnishedAccount.from_dict(self.data)
        return self.account


KnownAccounts = dict[str, dict[str, KnownAccount]]
_INSERT = insert(_ACCOUNTS)
_UPDATE = (
    update(_ACCOUNTS)
    .where(_ACCOUNTS.c.seq == bindparam("account_seq"))
    .values(reported_on=bindparam("account_reported_on"), data=bindparam("account_data"))
)


@dataclass(slots=True)
class AccountWrites:
    """What folding files changes in the bureau's files, written in three statements. Files
    folded one after another into the same writes leave the rows they would leave stored one
    by one (an account's latest report replaces the one before, added or not), as long as
    none deletes an account: a deletion changes where later additions are stored (SQLite
    reuses the highest freed `seq`), so such a file is folded into writes of its own, the
    earlier ones written first (see `deletes_accounts`)."""

    inserts: list[dict[str, Any]] = field(default_factory=list)
    updates: dict[int, dict[str, Any]] = field(default_factory=dict)  # by seq
    deletes: list[int] = field(default_factory=list)
    added: dict[tuple[str, str], dict[str, Any]] = field(default_factory=dict)  # inserts' rows

    def __bool__(self) -> bool:
        return bool(self.inserts or self.updates or self.deletes)

    def store(self, session: Session) -> None:
        """Write them: one INSERT and one UPDATE executed for every row, one DELETE."""
        if self.deletes:
            session.execute(delete(_ACCOUNTS).where(_ACCOUNTS.c.seq.in_(self.deletes)))
        execute_many(session, _INSERT, self.inserts)
        execute_many(session, _UPDATE, list(self.updates.values()))


def deletes_accounts(segments: Iterable[Mapping[str, Any]]) -> bool:
    """Whether folding these base segments deletes accounts (status DA)."""
    return any(str(fields["account_status"]) == "DA" for fields in segments)


def known_accounts(session: Session, keys: Iterable[str]) -> KnownAccounts:
    """The bureau's account records of these consumers: key -> account number -> record."""
    known: KnownAccounts = {key: {} for key in keys}
    if known:
        rows = session.execute(
            select(
                _ACCOUNTS.c.seq,
                _ACCOUNTS.c.bureau_key,
                _ACCOUNTS.c.account_number,
                _ACCOUNTS.c.data,
            ).where(_ACCOUNTS.c.bureau_key.in_(list(known)))
        )
        for seq, key, number, data in rows:
            known[key][number] = KnownAccount(seq, data)
    return known


def read_seqs(session: Session, known: KnownAccounts, keys: Iterable[str]) -> None:
    """Give the stored accounts of these consumers that `known` holds without their place
    (`seq` None: added by a fold) the place they were stored at (the latest of their number's,
    as `known_accounts` would read them)."""
    waiting = [key for key in keys if key in known]
    if not waiting:
        return
    rows = session.execute(
        select(_ACCOUNTS.c.seq, _ACCOUNTS.c.bureau_key, _ACCOUNTS.c.account_number)
        .where(_ACCOUNTS.c.bureau_key.in_(waiting))
        .order_by(_ACCOUNTS.c.seq)
    )
    for seq, key, number in rows:
        record = known[key].get(number)
        if record is not None and (record.seq is None or record.seq < seq):
            record.seq = seq


def fold_accounts(
    writes: AccountWrites,
    known: KnownAccounts,
    key: str,
    merchant_id: str,
    segments: Iterable[Mapping[str, Any]],
) -> None:
    """Fold one consumer's base segments from a furnished file into the bureau's files (and
    `known`): the latest report of each account replaces the one before; status DA deletes it.
    The rows change when `writes` is stored."""
    accounts = known.setdefault(key, {})
    added = writes.added
    for fields in segments:
        number = str(fields["consumer_account_number"])
        record = accounts.get(number)
        if str(fields["account_status"]) == "DA":
            if record is not None:
                if record.seq is not None:
                    writes.deletes.append(record.seq)
                    writes.updates.pop(record.seq, None)
                else:
                    writes.inserts.remove(added.pop((key, number)))
                del accounts[number]
            continue
        # The account's data only: its object is read from them if ever needed (`read`).
        data = FurnishedAccount.data_from_base_segment(fields)
        reported_on = fields["date_of_account_information"]
        if record is None:
            accounts[number] = KnownAccount(None, data)
            added[key, number] = {
                "bureau_key": key,
                "account_number": number,
                "furnisher_id": merchant_id,
                "reported_on": reported_on,
                "data": data,
            }
            writes.inserts.append(added[key, number])
        elif record.seq is None:  # reported again before it is stored: the later report wins
            record.data, record.account = data, None
            added[key, number].update(reported_on=reported_on, data=data)
        else:
            record.data, record.account = data, None
            writes.updates[record.seq] = {
                "account_seq": record.seq,
                "account_reported_on": reported_on,
                "account_data": data,
            }


# Built once (every confirm asks it): the merchant's latest hard pull of a customer in a window.
_REPORTS: Final = CreditReportRow.metadata.tables[CreditReportRow.__tablename__]
_RECENT_HARD_PULL: Final = (
    select(_REPORTS.c.id, _REPORTS.c.data)
    .where(
        _REPORTS.c.merchant_id == bindparam("merchant_id"),
        _REPORTS.c.customer_id == bindparam("customer_id"),
        _REPORTS.c.pull_type == "hard",
        _REPORTS.c.created > bindparam("since"),
        _REPORTS.c.created <= bindparam("now"),
    )
    .order_by(_REPORTS.c.seq.desc())
    .limit(1)
)


class StoredReport(NamedTuple):
    """A stored credit report: its id and its data."""

    id: str
    data: dict[str, Any]


def reusable_report(
    session: Session, merchant_id: str, customer_id: str, now: datetime, reuse_days: int
) -> StoredReport | None:
    """The merchant's latest hard pull of this customer within `reuse_days`, if any."""
    if reuse_days <= 0:
        return None
    found = fetch_one(
        session.connection(),
        _RECENT_HARD_PULL,
        {
            "merchant_id": merchant_id,
            "customer_id": customer_id,
            "since": now - timedelta(days=reuse_days),
            "now": now,
        },
    )
    return StoredReport(*found) if found is not None else None
