"""Credit reports: deterministic per identity, plausible per tier, shaped by email tags."""

from __future__ import annotations

import hashlib
import json
from collections.abc import Callable
from dataclasses import replace
from datetime import UTC, date, datetime

import pytest

from mock_server.risk.credit import (
    CreditReport,
    Inquiry,
    Tradeline,
    add_months,
    generate_credit_report,
    months_between,
)
from mock_server.risk.identity import Identity
from mock_server.risk.personas import Persona, Tier, generate_personas

SEED = 42
AS_OF = datetime(2026, 6, 15, 12, 0, tzinfo=UTC)
MakeIdentity = Callable[..., Identity]
Reports = list[tuple[Persona, CreditReport]]


@pytest.fixture(scope="module")
def reports() -> Reports:
    return [
        (p, generate_credit_report(SEED, p.identity, as_of=AS_OF, pull_type="hard"))
        for p in generate_personas(SEED, 300)
    ]


def _of(reports: Reports, tier: Tier) -> list[CreditReport]:
    return [report for persona, report in reports if persona.tier is tier]


def test_same_identity_gives_the_same_report_in_every_process(identity: Identity) -> None:
    report = generate_credit_report(SEED, identity, as_of=AS_OF, pull_type="hard")
    assert report == generate_credit_report(SEED, identity, as_of=AS_OF, pull_type="hard")
    text = json.dumps(report.to_dict(), sort_keys=True)
    assert hashlib.sha256(text.encode()).hexdigest() == PINNED_REPORT_SHA
    assert (report.bureau_score, len(report.tradelines), report.utilization_bps) == PINNED_VALUES


def test_soft_and_hard_pulls_see_the_same_file(identity: Identity) -> None:
    hard = generate_credit_report(SEED, identity, as_of=AS_OF, pull_type="hard")
    soft = generate_credit_report(SEED, identity, as_of=AS_OF, pull_type="soft")
    assert soft.pull_type == "soft"
    assert (soft.bureau_score, soft.tradelines, soft.inquiries) == (
        hard.bureau_score,
        hard.tradelines,
        hard.inquiries,
    )


def test_unknown_pull_type_is_refused(identity: Identity) -> None:
    with pytest.raises(ValueError, match="pull_type"):
        generate_credit_report(SEED, identity, as_of=AS_OF, pull_type="medium")  # type: ignore[arg-type]


def test_prime_files_are_long_clean_and_lightly_used(reports: Reports) -> None:
    for report in _of(reports, Tier.PRIME):
        summary = report.summary()
        assert 720 <= summary.score <= 850
        assert summary.oldest_tradeline_months >= 84
        assert summary.utilization_bps <= 2800
        assert summary.months_since_delinquency is None or summary.months_since_delinquency > 12
        assert summary.public_records == 0


def test_near_prime_scores_sit_between_640_and_719(reports: Reports) -> None:
    assert {640 <= r.bureau_score <= 719 for r in _of(reports, Tier.NEAR_PRIME)} == {True}


def test_subprime_files_carry_delinquencies_and_high_utilization(reports: Reports) -> None:
    files = [r.summary() for r in _of(reports, Tier.SUBPRIME)]
    assert {300 <= s.score <= 639 for s in files} == {True}
    assert sum(s.delinquencies_24m > 0 for s in files) >= 45
    assert sum(s.utilization_bps for s in files) // len(files) >= 7000
    assert any(s.public_records > 0 for s in files)


def test_thin_files_have_at_most_two_young_tradelines(reports: Reports) -> None:
    for report in _of(reports, Tier.THIN_FILE):
        summary = report.summary()
        assert summary.thin_file
        assert summary.tradeline_count <= 2
        assert summary.oldest_tradeline_months < 12


def test_frozen_tier_files_are_frozen_and_no_other_is(reports: Reports) -> None:
    for persona, report in reports:
        assert report.frozen is (persona.tier is Tier.FROZEN_FILE)


def test_some_fraud_ring_files_disagree_with_the_applicant(reports: Reports) -> None:
    ring = [(p, r) for p, r in reports if p.tier is Tier.FRAUD_RING]
    mismatched = sum(not r.matches_identity(p.identity) for p, r in ring)
    assert 8 <= mismatched <= 35
    others = [(p, r) for p, r in reports if p.tier is not Tier.FRAUD_RING]
    assert all(r.matches_identity(p.identity) for p, r in others)


def test_approve_tag_gives_a_strong_prime_file(make_identity: MakeIdentity) -> None:
    for n in range(20):
        email = f"shopper{n}+approve@example.com"
        summary = generate_credit_report(
            SEED, make_identity(email), as_of=AS_OF, pull_type="hard"
        ).summary()
        assert summary.score >= 800
        assert summary.utilization_bps < 1000
        assert (summary.delinquencies_24m, summary.hard_inquiries_6m) == (0, 0)
        assert not summary.thin_file


def test_decline_tag_gives_a_poor_file(make_identity: MakeIdentity) -> None:
    for n in range(20):
        email = f"shopper{n}+decline@example.com"
        summary = generate_credit_report(
            SEED, make_identity(email), as_of=AS_OF, pull_type="hard"
        ).summary()
        assert summary.score <= 500
        assert summary.delinquencies_24m >= 3
        assert summary.public_records == 1


def test_fraud_tag_gives_a_mismatched_file_with_an_inquiry_burst(
    make_identity: MakeIdentity,
) -> None:
    for n in range(20):
        identity = make_identity(f"shopper{n}+fraud@example.com")
        report = generate_credit_report(SEED, identity, as_of=AS_OF, pull_type="hard")
        assert not report.matches_identity(identity)
        assert report.summary().hard_inquiries_6m >= 7


def test_frozen_tag_freezes_the_file(make_identity: MakeIdentity) -> None:
    identity = make_identity("jane+frozen@example.com")
    assert generate_credit_report(SEED, identity, as_of=AS_OF, pull_type="soft").frozen


def test_zh_cn_files_are_in_yuan_with_local_creditors(make_identity: MakeIdentity) -> None:
    identity = make_identity("li.wei+approve@example.com", name="李伟", locale="zh_CN")
    report = generate_credit_report(SEED, identity, as_of=AS_OF, pull_type="hard")
    assert report.currency == "CNY"
    assert report.file_name == "李伟"
    assert all(not line.creditor.isascii() for line in report.tradelines)
    assert report.summary().total_balance_usd < report.summary().total_balance


def test_summary_is_computed_from_the_tradelines_and_inquiries() -> None:
    lines = (
        Tradeline("revolving", "A", 100_000, 25_000, date(2024, 1, 10), "-" * 5 + "C" * 19),
        Tradeline("revolving", "B", 300_000, 75_000, date(2025, 12, 1), "-" * 17 + "C1CCC2C"),
        Tradeline("auto", "C", 2_000_000, 1_500_000, date(2025, 6, 1), "-" * 12 + "C" * 12),
    )
    inquiries = (
        Inquiry("hard", date(2026, 6, 1), "X"),
        Inquiry("hard", date(2025, 12, 16), "X"),
        Inquiry("hard", date(2025, 12, 14), "X"),
        Inquiry("soft", date(2026, 6, 1), "X"),
    )
    report = CreditReport(
        700, lines, inquiries, 0, False, AS_OF, "hard", "JANE DOE", date(1988, 4, 12), "USD"
    )
    summary = report.summary()
    assert report.utilization_bps == 2500
    assert report.delinquencies == 2
    assert summary.delinquencies_24m == 2
    assert summary.months_since_delinquency == 1
    assert summary.oldest_tradeline_months == 29
    assert summary.hard_inquiries_6m == 2
    assert summary.total_balance == 1_600_000
    assert not summary.thin_file


def test_summary_is_worked_out_once_per_report_and_afresh_for_a_changed_one(
    identity: Identity,
) -> None:
    report = generate_credit_report(SEED, identity, as_of=AS_OF, pull_type="hard")
    first = report.summary()
    assert report.summary() is first  # the scorecard, fraud screen and facts share it
    assert report == generate_credit_report(SEED, identity, as_of=AS_OF, pull_type="hard")
    later = replace(report, pulled_at=datetime(2027, 6, 15, tzinfo=UTC), tradelines=())
    assert later.summary() is not first
    assert later.summary().tradeline_count == 0 and first.tradeline_count > 0


def test_wire_shape_has_the_design_fields(identity: Identity) -> None:
    data = generate_credit_report(SEED, identity, as_of=AS_OF, pull_type="hard").to_dict(
        customer="cus_123"
    )
    for key in (
        "customer",
        "bureau_score",
        "pulled_at",
        "pull_type",
        "tradelines",
        "utilization_bps",
        "inquiries",
        "delinquencies",
        "public_records",
        "frozen",
    ):
        assert key in data
    assert data["customer"] == "cus_123"
    assert data["pulled_at"] == "2026-06-15T12:00:00Z"
    assert {len(line["payment_history"]) for line in data["tradelines"]} == {24}


def test_month_arithmetic() -> None:
    assert months_between(date(2024, 1, 31), date(2024, 3, 30)) == 1
    assert months_between(date(2024, 1, 15), date(2024, 3, 15)) == 2
    assert add_months(date(2026, 3, 31), -1) == date(2026, 2, 28)
    assert add_months(date(2026, 1, 10), -13) == date(2024, 12, 10)


# Pinned: a change here means every sandbox customer's bureau file changed.
# Re-pinned when tradelines gained the (null) account_status and compliance_condition_code keys;
# without them the report hashes to the earlier pin 7268a1f2..., so the generator is unchanged.
PINNED_REPORT_SHA = "cf41416131c0328c2fe156e73faa1f19532fc413b75fa4e2b04dcf6cc37883d1"
PINNED_VALUES = (689, 3, 2549)


def test_history_length_agrees_with_the_opened_date(reports: Reports) -> None:
    for _, report in reports[:60]:
        as_of = report.pulled_at.date()
        for line in report.tradelines:
            open_months = len(line.payment_history) - line.payment_history.count("-")
            age = months_between(line.opened, as_of)
            assert open_months == min(age + 1, 24)
