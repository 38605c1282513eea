"""Bureau-style credit reports: tradelines, inquiries and the file's summary attributes.

A report is generated deterministically from (sandbox seed, identity, as-of date, pull type): the
identity's tier (or its email tag) picks a file shape, and each attribute is drawn from its own
seeded generator. Email tags shape the file so the real policy reaches their outcome; nothing
bypasses the engines.
"""

from __future__ import annotations

import random
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from fractions import Fraction
from typing import Any, Final, Literal

from mock_server.domain.money import round_half_even, to_usd_minor
from mock_server.risk.credit_shapes import (
    CREDITORS,
    FileShape,
    draw,
    shape_for,
)
from mock_server.risk.identity import (
    Identity,
    derive_seed,
    field_rng,
    normalize_name,
    seeded_faker,
)
from mock_server.risk.personas import LOCALE_CURRENCIES, usd_to_minor
from mock_server.risk.tiers import tier_for_identity

TradelineType = Literal["revolving", "installment", "mortgage", "auto", "student"]
InquiryKind = Literal["hard", "soft"]
PullType = Literal["hard", "soft"]
HISTORY_MONTHS: Final = 24
LATE_MARKS: Final = frozenset("123")
THIN_FILE_TRADELINES: Final = 3
THIN_FILE_MONTHS: Final = 12


def months_between(start: date, end: date) -> int:
    """Whole months from `start` to `end` (0 when end is before start)."""
    months = (end.year - start.year) * 12 + end.month - start.month
    if end.day < start.day:
        months -= 1
    return max(months, 0)


def add_months(day: date, months: int) -> date:
    """The same day of month `months` later (or earlier), clamped to the 28th."""
    index = day.year * 12 + day.month - 1 + months
    return date(index // 12, index % 12 + 1, min(day.day, 28))


@dataclass(frozen=True, slots=True)
class Tradeline:
    """One credit account on the file.

    `limit` is the credit limit (revolving) or the original amount (loans); amounts are minor
    units of the report's currency. `payment_history` holds the last 24 months, oldest first:
    `C` current, `1`/`2`/`3` 30/60/90+ days late, `-` not open yet.
    """

    type: TradelineType
    creditor: str
    limit: int
    balance: int
    opened: date
    payment_history: str
    account_status: str | None = None  # Metro 2 status, on accounts Installo furnished
    compliance_condition_code: str | None = None  # a dispute's code, when one is on file

    def late_months_ago(self) -> list[int]:
        """How many months ago each late mark in the history was (0 is the latest month)."""
        last = len(self.payment_history) - 1
        return [last - i for i, mark in enumerate(self.payment_history) if mark in LATE_MARKS]

    def to_dict(self) -> dict[str, Any]:
        """The tradeline in the API's wire shape."""
        return {
            "type": self.type,
            "creditor": self.creditor,
            "limit": self.limit,
            "balance": self.balance,
            "opened": self.opened.isoformat(),
            "payment_history": self.payment_history,
            "account_status": self.account_status,
            "compliance_condition_code": self.compliance_condition_code,
        }

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> Tradeline:
        """Read the wire shape back."""
        return cls(
            type=data["type"],
            creditor=str(data["creditor"]),
            limit=int(data["limit"]),
            balance=int(data["balance"]),
            opened=date.fromisoformat(str(data["opened"])),
            payment_history=str(data["payment_history"]),
            account_status=data.get("account_status"),
            compliance_condition_code=data.get("compliance_condition_code"),
        )


@dataclass(frozen=True, slots=True)
class Inquiry:
    """A lender's look at the file: hard inquiries count against the applicant, soft do not."""

    kind: InquiryKind
    date: date
    by: str

    def to_dict(self) -> dict[str, Any]:
        """The inquiry in the API's wire shape."""
        return {"kind": self.kind, "date": self.date.isoformat(), "by": self.by}

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> Inquiry:
        """Read the wire shape back."""
        return cls(data["kind"], date.fromisoformat(str(data["date"])), str(data["by"]))


@dataclass(frozen=True, slots=True)
class CreditSummary:
    """The attributes of a file that scorecards and policies use."""

    score: int
    frozen: bool
    thin_file: bool
    tradeline_count: int
    oldest_tradeline_months: int
    utilization_bps: int
    hard_inquiries_6m: int
    delinquencies_24m: int
    months_since_delinquency: int | None
    public_records: int
    total_balance: int
    currency: str

    @property
    def total_balance_usd(self) -> int:
        """The total balance in US cents at the sandbox's fixed rates."""
        return to_usd_minor(self.total_balance, self.currency)


@dataclass(frozen=True, slots=True)
class CreditReport:
    """A bureau file as pulled on a date, with the name and birth date the bureau has on file."""

    bureau_score: int
    tradelines: tuple[Tradeline, ...]
    inquiries: tuple[Inquiry, ...]
    public_records: int
    frozen: bool
    pulled_at: datetime
    pull_type: PullType
    file_name: str
    file_date_of_birth: date
    currency: str
    # `summary()`, worked out at its first call (the scorecard, the fraud screen and the facts
    # each read it)
    _summary: CreditSummary | None = field(default=None, init=False, repr=False, compare=False)

    @property
    def utilization_bps(self) -> int:
        """Revolving balances over revolving limits, in basis points (0 with no revolving line)."""
        revolving = [line for line in self.tradelines if line.type == "revolving"]
        limit = sum(line.limit for line in revolving)
        if limit <= 0:
            return 0
        return round_half_even(Fraction(sum(line.balance for line in revolving) * 10_000, limit))

    @property
    def delinquencies(self) -> int:
        """30+ days late marks across all tradelines in the last 24 months."""
        return sum(len(line.late_months_ago()) for line in self.tradelines)

    def summary(self) -> CreditSummary:
        """The file's attributes as of its pull date."""
        summary = self._summary
        if summary is None:
            summary = self._summarize()
            object.__setattr__(self, "_summary", summary)  # frozen: set once, as a cache
        return summary

    def _summarize(self) -> CreditSummary:
        as_of = self.pulled_at.date()
        ages = [months_between(line.opened, as_of) for line in self.tradelines]
        oldest = max(ages, default=0)
        late = [m for line in self.tradelines for m in line.late_months_ago()]
        six_months_ago = add_months(as_of, -6)
        hard_recent = [q for q in self.inquiries if q.kind == "hard" and q.date >= six_months_ago]
        return CreditSummary(
            score=self.bureau_score,
            frozen=self.frozen,
            thin_file=len(self.tradelines) < THIN_FILE_TRADELINES or oldest < THIN_FILE_MONTHS,
            tradeline_count=len(self.tradelines),
            oldest_tradeline_months=oldest,
            utilization_bps=self.utilization_bps,
            hard_inquiries_6m=len(hard_recent),
            delinquencies_24m=len(late),
            months_since_delinquency=min(late, default=None),
            public_records=self.public_records,
            total_balance=sum(line.balance for line in self.tradelines),
            currency=self.currency,
        )

    def matches(self, name: str, date_of_birth: date) -> bool:
        """Whether a name and date of birth agree with the bureau file's."""
        same_name = normalize_name(name) == normalize_name(self.file_name)
        return same_name and date_of_birth == self.file_date_of_birth

    def matches_identity(self, identity: Identity) -> bool:
        """Whether the applicant's name and date of birth agree with the bureau file."""
        return self.matches(identity.name, identity.date_of_birth)

    def to_dict(self, *, customer: str | None = None) -> dict[str, Any]:
        """The report in the API's `credit_report` wire shape (the server adds id and created)."""
        return {
            "object": "credit_report",
            "customer": customer,
            "bureau_score": self.bureau_score,
            "pulled_at": self.pulled_at.isoformat().replace("+00:00", "Z"),
            "pull_type": self.pull_type,
            "tradelines": [line.to_dict() for line in self.tradelines],
            "utilization_bps": self.utilization_bps,
            "inquiries": [inquiry.to_dict() for inquiry in self.inquiries],
            "delinquencies": self.delinquencies,
            "public_records": self.public_records,
            "frozen": self.frozen,
            "currency": self.currency,
            "file_name": self.file_name,
            "file_date_of_birth": self.file_date_of_birth.isoformat(),
        }

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> CreditReport:
        """Read a stored report (`to_dict`'s shape) back, e.g. to reuse a recent pull."""
        pulled = datetime.fromisoformat(str(data["pulled_at"]).replace("Z", "+00:00"))
        return cls(
            bureau_score=int(data["bureau_score"]),
            tradelines=tuple(Tradeline.from_dict(t) for t in data["tradelines"]),
            inquiries=tuple(Inquiry.from_dict(q) for q in data["inquiries"]),
            public_records=int(data["public_records"]),
            frozen=bool(data["frozen"]),
            pulled_at=pulled,
            pull_type=data["pull_type"],
            file_name=str(data["file_name"]),
            file_date_of_birth=date.fromisoformat(str(data["file_date_of_birth"])),
            currency=str(data["currency"]),
        )


class _Draws:
    """Seeded draws for one identity's file: each attribute has its own generator."""

    def __init__(self, seed: int, key: str) -> None:
        self.seed = seed
        self.key = key

    def number(self, field: str, bounds: tuple[int, int]) -> int:
        low, high = bounds
        if low == high:  # nothing to draw: the field's own generator is not seeded (~25k
            return max(0, low)  # instructions each; no other field reads from it)
        return draw(field_rng(self.seed, self.key, f"credit.{field}"), bounds)

    def rng(self, field: str) -> random.Random:
        return field_rng(self.seed, self.key, f"credit.{field}")


def _history(opened_months_ago: int, marks: dict[int, str]) -> str:
    """The last 24 months, oldest first: `-` before the account opened, then `C` but for the
    late marks (`marks` by months ago)."""
    open_months = min(opened_months_ago + 1, HISTORY_MONTHS)
    chars = ["-"] * (HISTORY_MONTHS - open_months) + ["C"] * open_months
    for months_ago, mark in marks.items():
        if months_ago <= opened_months_ago:
            chars[HISTORY_MONTHS - 1 - months_ago] = mark
    return "".join(chars)


_LOAN_TERM_MONTHS: Final = {"mortgage": 360, "auto": 72, "student": 120, "installment": 48}


def _tradelines(
    draws: _Draws, shape: FileShape, as_of: date, currency: str, locale: str
) -> tuple[Tradeline, ...]:
    count = draws.number("tradeline_count", shape.tradelines)
    if count == 0:
        return ()
    oldest = draws.number("oldest_months", shape.oldest_months)
    open_rng = draws.rng("opened")
    ages = [oldest] + [open_rng.randint(1, oldest) for _ in range(count - 1)]
    type_rng = draws.rng("types")
    types: list[TradelineType] = ["revolving"]
    types.extend(type_rng.choice(shape.other_types) for _ in range(count - 1))
    marks = _late_marks(draws, shape, ages)
    utilization = draws.number("utilization_bps", shape.utilization_bps)
    amount_rng = draws.rng("amounts")
    creditors = CREDITORS.get(locale, CREDITORS["en_US"])
    days = min(28, as_of.day)
    lines = []
    for index, (age, kind) in enumerate(zip(ages, types, strict=True)):
        low, high = (
            shape.revolving_limit_usd if kind == "revolving" else shape.loan_amount_usd[kind]
        )
        limit = usd_to_minor(amount_rng.randint(low // 100, high // 100) * 10_000, currency)
        if kind == "revolving":
            balance = limit * utilization // 10_000
        else:
            term = _LOAN_TERM_MONTHS[kind]
            balance = limit * max(term - age, 0) // term
        # Opened on or before the pull's day of month, so the account is exactly `age` months old.
        day = 1 + derive_seed(draws.seed, draws.key, f"credit.opened_day.{index}") % days
        lines.append(
            Tradeline(
                type=kind,
                creditor=amount_rng.choice(creditors[kind]),
                limit=limit,
                balance=balance,
                opened=add_months(as_of.replace(day=day), -age),
                payment_history=_history(age, marks.get(index, {})),
            )
        )
    return tuple(lines)


def _late_marks(draws: _Draws, shape: FileShape, ages: list[int]) -> dict[int, dict[int, str]]:
    count = draws.number("late_marks", shape.late_marks)
    if count == 0:
        return {}  # (the places' generator would go unused)
    rng = draws.rng("late_mark_places")
    recent, old = shape.late_months_ago
    marks: dict[int, dict[int, str]] = {}
    for _ in range(count):
        line = rng.randrange(len(ages))
        latest_possible = min(old, ages[line], HISTORY_MONTHS - 1)
        if latest_possible < recent:
            continue
        months_ago = rng.randint(recent, latest_possible)
        marks.setdefault(line, {})[months_ago] = rng.choice(shape.late_severity)
    return marks


def _inquiries(draws: _Draws, shape: FileShape, as_of: date, locale: str) -> tuple[Inquiry, ...]:
    rng = draws.rng("inquiries")
    by_type = CREDITORS.get(locale, CREDITORS["en_US"])
    creditors = sorted({name for names in by_type.values() for name in names})
    found: list[Inquiry] = []
    recent_days = shape.recent_inquiry_days
    for _ in range(draws.number("hard_inquiries_6m", shape.hard_inquiries_6m)):
        when = as_of - timedelta(days=rng.randint(1, recent_days))
        found.append(Inquiry("hard", when, rng.choice(creditors)))
    for _ in range(draws.number("older_hard_inquiries", (0, 3))):
        when = as_of - timedelta(days=rng.randint(200, 700))
        found.append(Inquiry("hard", when, rng.choice(creditors)))
    for _ in range(draws.number("soft_inquiries", (0, 4))):
        when = as_of - timedelta(days=rng.randint(1, 700))
        found.append(Inquiry("soft", when, rng.choice(creditors)))
    return tuple(sorted(found, key=lambda q: (q.date, q.kind, q.by), reverse=True))


def _file_identity(seed: int, identity: Identity, shape: FileShape) -> tuple[str, date]:
    """The name and birth date as the bureau has them; a synthetic identity disagrees."""
    key = identity.key
    name = identity.name.upper() if identity.name.isascii() else identity.name
    dob = identity.date_of_birth
    if shape.mismatch_pct == 0:  # no draw can fall below it
        return name, dob
    if field_rng(seed, key, "credit.identity_mismatch").randrange(100) >= shape.mismatch_pct:
        return name, dob
    if field_rng(seed, key, "credit.mismatch_kind").randrange(2) == 0:
        years = field_rng(seed, key, "credit.mismatch_years").randint(3, 15)
        return name, dob.replace(year=dob.year - years, day=min(dob.day, 28))
    with seeded_faker(identity.locale, derive_seed(seed, key, "credit.file_name")) as fake:
        other = str(fake.name())
    return (other.upper() if other.isascii() else other), dob


def base_bureau_score(seed: int, identity: Identity) -> int:
    """The score the generated file carries (the same at every pull date)."""
    shape = shape_for(tier_for_identity(seed, identity), identity.email_tag)
    return _Draws(seed, identity.key).number("bureau_score", shape.score)


def generate_credit_report(
    seed: int, identity: Identity, *, as_of: datetime, pull_type: PullType
) -> CreditReport:
    """The identity's bureau file as pulled at `as_of`; deterministic for the same inputs."""
    if pull_type not in ("hard", "soft"):
        raise ValueError(f"pull_type must be 'hard' or 'soft', got {pull_type!r}")
    shape = shape_for(tier_for_identity(seed, identity), identity.email_tag)
    draws = _Draws(seed, identity.key)
    day = as_of.date()
    currency = LOCALE_CURRENCIES.get(identity.locale, "USD")
    file_name, file_dob = _file_identity(seed, identity, shape)
    return CreditReport(
        bureau_score=draws.number("bureau_score", shape.score),
        tradelines=_tradelines(draws, shape, day, currency, identity.locale),
        inquiries=_inquiries(draws, shape, day, identity.locale),
        public_records=draws.number("public_records", shape.public_records),
        frozen=shape.frozen,
        pulled_at=as_of,
        pull_type=pull_type,
        file_name=file_name,
        file_date_of_birth=file_dob,
        currency=currency,
    )
