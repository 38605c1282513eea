"""From a loan's ledger to its Metro 2 base segment at a month-end (pure; no I/O).

Account status by days past due (dpd) of the oldest unpaid installment at the month-end:
0-29 `11` current, 30-59 `71`, 60-89 `78`, 90-119 `80`, 120-149 `82`, 150-179 `83`, 180+ `84`;
`97` charged off, `13` paid or closed (paid off or refunded in full), `DA` delete (a dispute
resolved by deleting the tradeline). The payment rating and the 24-month payment history profile
use `0` current, `1`-`6` for 30-180+ dpd, `L` charged off, `B` before the account opened and `D`
for a month with no report. The date of first delinquency is the day the oldest unpaid
installment became 30 days past due. Amounts are whole dollars, cents truncated.
"""

from __future__ import annotations

import base64
import functools
import hashlib
import unicodedata
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from typing import Any, Final

from mock_server.domain.ledger import LoanInstallment, due_lines
from mock_server.domain.loan import Loan
from mock_server.domain.states import DELINQUENT_DAYS, SERVICING, LoanStatus
from mock_server.furnishing.metro2 import Value

__all__ = [
    "DELETE",
    "Consumer",
    "Period",
    "account_number",
    "account_status",
    "base_segment",
    "month_key",
    "payment_history_profile",
    "whole_dollars",
]

DELETE: Final = "DA"
# (lowest dpd, account status, payment rating), highest first.
_DPD_LADDER: Final = (
    (180, "84", "6"),
    (150, "83", "5"),
    (120, "82", "4"),
    (90, "80", "3"),
    (60, "78", "2"),
    (30, "71", "1"),
    (0, "11", "0"),
)
_DELINQUENCY_STATES: Final = frozenset({*SERVICING, LoanStatus.CHARGED_OFF})
# The statuses an account status is read from before its days past due, named once: an enum's
# member read from its class costs several times a module constant (a base segment per account
# and month-end reads them).
_CHARGED_OFF: Final = LoanStatus.CHARGED_OFF
_CLOSED: Final = frozenset({LoanStatus.PAID_OFF, LoanStatus.REFUNDED})
_DELINQUENT_AFTER: Final = timedelta(days=DELINQUENT_DAYS)  # from an installment's due date
_GENERATIONS: Final = {"JR": "J", "SR": "S", "II": "2", "III": "3", "IV": "4"}
_TITLES: Final = frozenset({"MR", "MRS", "MS", "MISS", "DR", "PROF", "MX"})
_NAME_CHARS: Final = frozenset("ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789 -'")
_ADDRESS_CHARS: Final = _NAME_CHARS | frozenset("./#,&")


def whole_dollars(cents: int) -> int:
    """US cents as whole dollars, cents truncated (as Metro 2 requires); never negative.
    (A comparison, not `max`: a base segment asks five times per account and month-end, and
    a builtin's call costs several times the comparison.)"""
    return cents // 100 if cents > 0 else 0


@functools.lru_cache(maxsize=65_536)  # a loan is reported every month: hash its id once
def account_number(loan_id: str) -> str:
    """The loan's Metro 2 consumer account number: upper case (as the format requires) and
    stable, so a base32 digest of the case-sensitive loan id (`IL` + 28 characters)."""
    digest = base64.b32encode(hashlib.sha256(loan_id.encode()).digest()).decode()
    return "IL" + digest[:28]


def month_key(day: date) -> str:
    """`YYYY-MM` of a date: the reporting period a month-end belongs to."""
    return f"{day.year:04d}-{day.month:02d}"


def _ascii(text: str | None, allowed: frozenset[str]) -> str:
    folded = unicodedata.normalize("NFKD", text or "").encode("ascii", "ignore").decode()
    return " ".join("".join(c for c in folded.upper() if c in allowed).split())


def _digits(text: str | None) -> str:
    return "".join(c for c in (text or "") if c.isdigit())


@dataclass(frozen=True, slots=True)
class Consumer:
    """The person on the account as Metro 2 carries them (upper-case ASCII)."""

    surname: str
    first_name: str
    middle_name: str
    generation_code: str
    social_security_number: int
    date_of_birth: date
    telephone_number: int
    country_code: str
    address_line_1: str
    address_line_2: str
    city: str
    state: str
    postal_code: str
    # `fields()`, built once: every base segment of the consumer's accounts carries them.
    _fields: dict[str, Value] = field(init=False, repr=False, compare=False, hash=False)

    def __post_init__(self) -> None:
        object.__setattr__(self, "_fields", self._field_values())

    @classmethod
    def from_customer(cls, data: Mapping[str, Any]) -> Consumer:
        """From the API's customer shape. The sandbox knows only the national id's last four
        digits, so the first five of the nine-digit SSN are zero."""
        words = _ascii(str(data["name"]), _NAME_CHARS).split()
        words = [w for w in words if w.replace("'", "") not in _TITLES] or ["UNKNOWN"]
        generation = ""
        if len(words) > 1 and words[-1] in _GENERATIONS:
            generation = _GENERATIONS[words.pop()]
        first, *middle = words[:-1] or [""]
        address = data["address"]
        last4 = _digits(str(data.get("national_id_last4", "")))
        phone = _digits(str(data.get("phone", "")))[-10:]
        region = _ascii(address.get("region"), _NAME_CHARS)
        dob = data["date_of_birth"]
        return cls(
            surname=words[-1][:25],
            first_name=first[:20],
            middle_name=" ".join(middle)[:20],
            generation_code=generation,
            social_security_number=int(last4) if len(last4) == 4 else 0,
            date_of_birth=dob if isinstance(dob, date) else date.fromisoformat(str(dob)),
            telephone_number=int(phone) if len(phone) == 10 else 0,
            country_code=_ascii(address.get("country"), _NAME_CHARS)[:2],
            address_line_1=_ascii(address.get("line1"), _ADDRESS_CHARS)[:32],
            address_line_2=_ascii(address.get("line2"), _ADDRESS_CHARS)[:32],
            city=_ascii(address.get("city"), _ADDRESS_CHARS)[:20],
            state=region if len(region) == 2 else "",
            postal_code="".join(
                c for c in _ascii(address.get("postal_code"), _NAME_CHARS) if c.isalnum()
            )[:9],
        )

    def fields(self) -> dict[str, Value]:
        """The base segment's consumer fields (a fresh dict the caller may change)."""
        return dict(self._fields)

    def _field_values(self) -> dict[str, Value]:
        return {
            "surname": self.surname,
            "first_name": self.first_name,
            "middle_name": self.middle_name,
            "generation_code": self.generation_code,
            "social_security_number": self.social_security_number,
            "date_of_birth": self.date_of_birth,
            "telephone_number": self.telephone_number,
            "ecoa_code": "1",  # individual account
            "country_code": self.country_code,
            "address_line_1": self.address_line_1,
            "address_line_2": self.address_line_2,
            "city": self.city,
            "state": self.state,
            "postal_code": self.postal_code,
        }


@dataclass(frozen=True, slots=True)
class Period:
    """One month's reporting: its month-end, when the file was made, and who furnishes."""

    month_end: date
    reported_at: datetime
    furnisher_id: str
    month_start: date = field(init=False, repr=False)  # the reporting month's first day

    def __post_init__(self) -> None:
        # Worked out once: every account of the month's file reads it.
        object.__setattr__(self, "month_start", self.month_end.replace(day=1))


def account_status(
    loan: Loan, on: date, due: list[LoanInstallment] | None = None
) -> tuple[str, str]:
    """The Metro 2 account status and payment rating of a captured loan at `on` (`due`: its
    `due_lines` at `on`, when already at hand)."""
    if due is None:
        due = due_lines(loan.installments, on)
    return _status_of(loan, on, due[0].due_date if due else None)


def _status_of(loan: Loan, on: date, oldest: date | None) -> tuple[str, str]:
    """`account_status`, given the due date of the oldest installment owed at `on`."""
    if loan.status is _CHARGED_OFF:
        return "97", "L"
    if loan.status in _CLOSED:
        return "13", "0"
    dpd = (on - oldest).days if oldest is not None else 0
    for low, status, rating in _DPD_LADDER:
        if dpd >= low:
            return status, rating
    raise AssertionError(f"no account status for {dpd} days past due")


def payment_history_profile(opened: date, month_end: date, ratings: Mapping[str, str]) -> str:
    """The 24 months before `month_end`'s month, most recent first: the rating reported then,
    `B` before the account opened, `D` when nothing was reported."""
    return _profile(opened, month_end.replace(day=1), ratings)


def _profile(opened: date, month_start: date, ratings: Mapping[str, str]) -> str:
    """`payment_history_profile` of the month starting `month_start`."""
    keys, before = _profile_span(month_start, opened)
    return "".join(map(ratings.get, keys, _NOT_REPORTED)) + before


_NOT_REPORTED: Final = ("D",) * 24  # the default of each of the profile's months


@functools.lru_cache(maxsize=4096)  # a file's accounts share a month-end and a few openings
def _profile_span(month_start: date, opened: date) -> tuple[tuple[str, ...], str]:
    """The profile months (`YYYY-MM`, latest first) from the account's opening month on, and
    the `B` marks of the months before it (kept by opening day: a hit costs less than finding
    the opening month, a `date.replace`, on every call)."""
    opened_month = opened.replace(day=1)
    months = _profile_months(month_start)
    keys = []
    for first, key in months:  # latest first, so every month after one before opening is too
        if first < opened_month:
            break
        keys.append(key)
    return tuple(keys), "B" * (len(months) - len(keys))


@functools.lru_cache(maxsize=256)  # one per month-end: every account of a file shares it
def _profile_months(month_start: date) -> tuple[tuple[date, str], ...]:
    """The first day and `YYYY-MM` of each of the 24 months before `month_start`, latest first."""
    months = []
    cursor = month_start
    for _ in range(24):
        cursor = (cursor - timedelta(days=1)).replace(day=1)
        months.append((cursor, month_key(cursor)))
    return tuple(months)


def _standing(loan: Loan, on: date) -> tuple[date | None, int, int]:
    """The loan's installments read in one pass (a base segment per account and month-end):
    the due date of the oldest installment owed at `on` (the first of `due_lines` at `on`),
    what all those owe (cents), and the current balance (cents): principal, interest due as
    of the loan's date, and fees."""
    today = loan.today
    principal = interest = fees = owed = 0
    oldest: date | None = None
    for i in loan.installments:
        unpaid_principal = i.principal - i.paid_principal
        unpaid_interest = i.interest - i.paid_interest
        unpaid_fees = i.fees - i.paid_fees
        principal += unpaid_principal
        fees += unpaid_fees
        unpaid = unpaid_principal + unpaid_interest + unpaid_fees
        if unpaid > 0:
            due_date = i.due_date
            if due_date <= today:
                interest += unpaid_interest
            if due_date <= on:
                owed += unpaid
                if oldest is None:
                    oldest = due_date
    balance = (principal if loan.captured_on is not None else 0) + interest + fees
    return oldest, owed, balance


def _balances(status: str, owed: int, balance: int) -> tuple[int, int]:
    """(current balance, amount past due) in cents, by account status (see `_standing`)."""
    if status == "13":
        return 0, 0
    if status == "97":
        return balance, balance
    return balance, owed


def _first_delinquency(loan: Loan, status: str, oldest: date | None) -> date | None:
    """The day the oldest installment owed (due on `oldest`) became delinquent."""
    if status in ("11", "13") or loan.status not in _DELINQUENCY_STATES:
        return None
    return oldest + _DELINQUENT_AFTER if oldest is not None else None


def _monthly_payment(loan: Loan) -> int:
    first = loan.installments[0].amount if loan.installments else 0
    return first * 26 // 12 if loan.interval == "two_weeks" else first


def base_segment(
    loan: Loan,
    consumer: Consumer,
    period: Period,
    ratings: Mapping[str, str],
    *,
    compliance_condition_code: str = "",
    delete: bool = False,
) -> dict[str, Value]:
    """The loan's base segment for `period` (the loan serviced up to its month-end). `ratings`
    holds the payment rating reported each earlier month (`YYYY-MM`)."""
    if loan.captured_on is None:
        raise ValueError(f"loan {loan.id} was never captured and is not reportable")
    on = period.month_end
    oldest, owed, standing = _standing(loan, on)
    status, rating = _status_of(loan, on, oldest)
    balance, past_due = _balances(status, owed, standing)
    month_start = period.month_start
    paid_this_month, last_payment = 0, None
    for entry in loan.history:  # one pass: the month's payments and the last payment's date
        if entry.kind == "payment":
            last_payment = entry.on
            if month_start <= last_payment <= on:
                paid_this_month += entry.amount
    closed = loan.today if status in ("13", "97") else None
    return {
        "processing_indicator": 1,
        "time_stamp": period.reported_at,
        "identification_number": period.furnisher_id,
        "consumer_account_number": account_number(loan.id),
        "portfolio_type": "I",  # installment
        "account_type": "01",  # unsecured
        "date_opened": loan.captured_on,
        "credit_limit": 0,
        "highest_credit": whole_dollars(loan.captured_amount),
        "terms_duration": f"{loan.term_count:03d}",
        "terms_frequency": "B" if loan.interval == "two_weeks" else "M",
        "scheduled_monthly_payment": whole_dollars(_monthly_payment(loan)),
        "actual_payment": whole_dollars(paid_this_month),
        "account_status": DELETE if delete else status,
        # Metro 2 asks for a payment rating with status 13 only (97 says it all).
        "payment_rating": rating if status == "13" else "",
        "payment_history_profile": _profile(loan.captured_on, month_start, ratings),
        "compliance_condition_code": compliance_condition_code,
        "current_balance": whole_dollars(balance),
        "amount_past_due": whole_dollars(past_due),
        "original_charge_off_amount": whole_dollars(balance) if status == "97" else 0,
        "date_of_account_information": on,
        "date_of_first_delinquency": _first_delinquency(loan, status, oldest),
        "date_closed": closed,
        "date_of_last_payment": last_payment,
        "interest_type_indicator": "F",  # fixed rate
        **consumer._fields,  # built once per consumer (read-only)
    }
