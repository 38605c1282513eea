"""What the sandbox bureau remembers of Installo's own reporting, and how it moves a file.

The bureau keeps, per consumer, the latest state of each account Installo furnished (from the
Metro 2 base segment) and the inquiries Installo made. A pull of that consumer shows them beside
the generated file, and the score moves by a documented rule:

- an account charged off (status 97): -150 points;
- otherwise the worst late mark in its 24 months: 30 days -40, 60 days -60, 90+ days -80;
- an account with no late mark: +4 per month reported current (at most +40), and +10 more once it
  is paid and closed (status 13).

The score stays within 300-850. Late marks also count in the file's 24-month delinquencies, so a
charged-off Installo loan meets the policy's delinquency rules on the next application.
"""

from __future__ import annotations

import functools
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, replace
from datetime import date
from typing import Any, Final

from mock_server.domain.ledger import ISO_DATES
from mock_server.risk.credit import HISTORY_MONTHS, CreditReport, Inquiry, Tradeline
from mock_server.risk.personas import usd_to_minor

__all__ = [
    "FURNISHER_NAME",
    "MAX_SCORE",
    "MIN_SCORE",
    "FurnishedAccount",
    "account_points",
    "clamp_score",
    "remember",
    "score_change",
]

FURNISHER_NAME: Final = "Installo"
MIN_SCORE: Final = 300
MAX_SCORE: Final = 850
CHARGE_OFF_POINTS: Final = -150
LATE_POINTS: Final = {"1": -40, "2": -60, "3": -80}
ON_TIME_POINTS_PER_MONTH: Final = 4
ON_TIME_POINTS_CAP: Final = 40
PAID_CLOSED_POINTS: Final = 10
# Metro 2 profile marks as the report's history marks (C current, 1/2/3 late, - nothing).
_MARKS: Final = {"0": "C", "E": "C", "1": "1", "2": "2"} | dict.fromkeys("3456GHJKL", "3")


@dataclass(frozen=True, slots=True)
class FurnishedAccount:
    """The bureau's latest record of one furnished account (amounts in US cents)."""

    account_number: str
    account_status: str
    balance: int
    highest_credit: int
    opened: date
    reported_on: date
    history: str  # the report's 24 marks, oldest first, the last being `reported_on`'s month
    compliance_condition_code: str = ""

    @classmethod
    def from_base_segment(cls, fields: Mapping[str, Any]) -> FurnishedAccount:
        """From a parsed base segment (whole dollars become cents)."""
        status = str(fields["account_status"])
        return cls(
            account_number=str(fields["consumer_account_number"]),
            account_status=status,
            balance=int(fields["current_balance"]) * 100,
            highest_credit=int(fields["highest_credit"]) * 100,
            opened=fields["date_opened"],
            reported_on=fields["date_of_account_information"],
            history=_history(fields, status),
            compliance_condition_code=str(fields["compliance_condition_code"] or ""),
        )

    @staticmethod
    def data_from_base_segment(fields: Mapping[str, Any]) -> dict[str, Any]:
        """`from_base_segment(fields).to_dict()`, without the account between (the bureau
        folds thousands of base segments a month and stores only their data; a file's
        accounts share its date and a few openings, so their ISO texts come from `ISO_DATES`)."""
        status = str(fields["account_status"])
        return {
            "account_number": str(fields["consumer_account_number"]),
            "account_status": status,
            "balance": int(fields["current_balance"]) * 100,
            "highest_credit": int(fields["highest_credit"]) * 100,
            "opened": ISO_DATES[fields["date_opened"]],
            "reported_on": ISO_DATES[fields["date_of_account_information"]],
            "history": _history(fields, status),
            "compliance_condition_code": str(fields["compliance_condition_code"] or ""),
        }

    def to_dict(self) -> dict[str, Any]:
        """JSON-ready data (what the bureau stores)."""
        return {
            "account_number": self.account_number,
            "account_status": self.account_status,
            "balance": self.balance,
            "highest_credit": self.highest_credit,
            "opened": self.opened.isoformat(),
            "reported_on": self.reported_on.isoformat(),
            "history": self.history,
            "compliance_condition_code": self.compliance_condition_code,
        }

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> FurnishedAccount:
        """Read what `to_dict` wrote."""
        return cls(
            account_number=str(data["account_number"]),
            account_status=str(data["account_status"]),
            balance=int(data["balance"]),
            highest_credit=int(data["highest_credit"]),
            opened=date.fromisoformat(str(data["opened"])),
            reported_on=date.fromisoformat(str(data["reported_on"])),
            history=str(data["history"]),
            compliance_condition_code=str(data.get("compliance_condition_code") or ""),
        )

    def tradeline(self, currency: str = "USD") -> Tradeline:
        """The account as a tradeline (its history as of the last report, as bureaus show it;
        amounts in `currency` at the sandbox's fixed rates)."""
        return Tradeline(
            type="installment",
            creditor=FURNISHER_NAME,
            limit=usd_to_minor(self.highest_credit, currency),
            balance=usd_to_minor(self.balance, currency),
            opened=self.opened,
            payment_history=self.history,
            account_status=self.account_status,
            compliance_condition_code=self.compliance_condition_code or None,
        )


_STATUS_MARKS: Final = {"71": "1", "78": "2", "80": "3", "82": "3", "83": "3", "84": "3"}


def _status_mark(status: str) -> str:
    return _STATUS_MARKS.get(status, "C")


class _ProfileMarks(dict[int, str]):
    """`str.translate` table: each Metro 2 profile mark's history mark, `-` for any other."""

    def __missing__(self, code: int) -> str:
        return "-"


# Every ASCII character is listed (`-` unless a mark), so that translating a profile calls no
# `__missing__` for its `B` and `D` months; any other character still finds `-` through it.
_PROFILE_MARKS: Final = _ProfileMarks(
    dict.fromkeys(range(128), "-") | {ord(mark): shown for mark, shown in _MARKS.items()}
)


def _history(fields: Mapping[str, Any], status: str) -> str:
    """A base segment's 24 history marks, oldest first, the last its own month's."""
    current = "3" if status == "97" else _status_mark(status)
    older = str(fields["payment_history_profile"])[: HISTORY_MONTHS - 1][::-1]
    return older.translate(_PROFILE_MARKS) + current


@functools.lru_cache(maxsize=65_536)  # a pure function of two short strings, asked monthly
def account_points(account_status: str, history: str) -> int:
    """Points one furnished account adds to (or takes from) the file's score."""
    if account_status == "97":
        return CHARGE_OFF_POINTS
    late = [points for mark, points in LATE_POINTS.items() if mark in history]
    if late:
        return min(late)
    points = min(history.count("C") * ON_TIME_POINTS_PER_MONTH, ON_TIME_POINTS_CAP)
    return points + (PAID_CLOSED_POINTS if account_status == "13" else 0)


def score_change(accounts: Sequence[FurnishedAccount]) -> int:
    """Points the furnished accounts add to (or take from) the file's score."""
    return sum(account_points(a.account_status, a.history) for a in accounts)


def clamp_score(score: int) -> int:
    """A score within the bureau's range."""
    return max(MIN_SCORE, min(MAX_SCORE, score))


def remember(
    report: CreditReport, accounts: Sequence[FurnishedAccount], inquiries: Sequence[Inquiry]
) -> CreditReport:
    """The generated file with Installo's accounts and inquiries folded in and the score moved
    (the accounts' US cents shown in the report's currency at the sandbox's fixed rates)."""
    if not accounts and not inquiries:
        return report
    lines = tuple(account.tradeline(report.currency) for account in accounts)
    found = sorted(
        (*report.inquiries, *inquiries), key=lambda q: (q.date, q.kind, q.by), reverse=True
    )
    return replace(
        report,
        bureau_score=clamp_score(report.bureau_score + score_change(accounts)),
        tradelines=report.tradelines + lines,
        inquiries=tuple(found),
    )
