"""The bureau's memory of furnished accounts: tradelines from base segments and the score rule."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, date, datetime

import pytest

from mock_server.risk.bureau_memory import (
    FurnishedAccount,
    clamp_score,
    remember,
    score_change,
)
from mock_server.risk.credit import CreditReport, Inquiry

SEGMENT = {
    "consumer_account_number": "ILABC",
    "account_status": "71",
    "payment_history_profile": "00" + "B" * 22,
    "current_balance": 1010,
    "highest_credit": 1200,
    "date_opened": date(2026, 1, 5),
    "date_of_account_information": date(2026, 3, 31),
    "compliance_condition_code": "XB",
}


def account(history: str, status: str = "11") -> FurnishedAccount:
    return replace(
        FurnishedAccount.from_base_segment(SEGMENT), history=history, account_status=status
    )


def test_a_base_segment_becomes_a_tradeline_history_oldest_first_in_cents() -> None:
    furnished = FurnishedAccount.from_base_segment(SEGMENT)
    assert furnished.history == "-" * 21 + "CC1"
    assert (furnished.balance, furnished.highest_credit) == (101_000, 120_000)
    line = furnished.tradeline()
    assert (line.creditor, line.type, line.account_status) == ("Installo", "installment", "71")
    assert line.compliance_condition_code == "XB"
    assert FurnishedAccount.from_dict(furnished.to_dict()) == furnished


@pytest.mark.parametrize(
    "overrides",
    [
        {},
        {"account_status": "97", "compliance_condition_code": None},
        {"account_status": "13", "payment_history_profile": "0123456LDE GHJK\u00e9" + "B" * 8},
        {"payment_history_profile": "0"},
    ],
)
def test_a_base_segments_data_are_its_accounts(overrides: dict[str, object]) -> None:
    fields = {**SEGMENT, **overrides}
    data = FurnishedAccount.data_from_base_segment(fields)
    assert data == FurnishedAccount.from_base_segment(fields).to_dict()
    assert list(data) == list(FurnishedAccount.from_base_segment(fields).to_dict())


@pytest.mark.parametrize(
    ("history", "status", "points"),
    [
        ("-" * 18 + "CCCCCC", "11", 24),
        ("C" * 24, "11", 40),
        ("-" * 20 + "CCCC", "13", 26),
        ("-" * 20 + "CC1C", "11", -40),
        ("-" * 20 + "C123", "80", -80),
        ("-" * 20 + "1233", "97", -150),
    ],
)
def test_the_score_moves_by_the_documented_rule(history: str, status: str, points: int) -> None:
    assert score_change([account(history, status)]) == points


def test_the_score_stays_within_the_bureau_range() -> None:
    assert (clamp_score(120), clamp_score(990), clamp_score(700)) == (300, 850, 700)


def test_remember_adds_tradelines_and_inquiries_and_moves_the_score() -> None:
    report = CreditReport(
        bureau_score=640,
        tradelines=(),
        inquiries=(),
        public_records=0,
        frozen=False,
        pulled_at=datetime(2026, 5, 1, tzinfo=UTC),
        pull_type="hard",
        file_name="ADA",
        file_date_of_birth=date(1985, 1, 1),
        currency="USD",
    )
    inquiry = Inquiry("hard", date(2026, 1, 5), "Installo")
    moved = remember(report, [account("-" * 20 + "1233", "97")], [inquiry])
    assert moved.bureau_score == 490
    assert [t.creditor for t in moved.tradelines] == ["Installo"]
    assert moved.inquiries == (inquiry,)
    assert moved.summary().delinquencies_24m == 4
    assert remember(report, [], []) is report
