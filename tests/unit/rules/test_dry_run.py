"""Dry runs: outcome mix, rule hits, reason codes, and the diff against a baseline policy."""

from __future__ import annotations

from typing import Any

from mock_server.rules import dry_run, load_policy

BASELINE = """\
id: scores
version: 1
kind: credit
default_outcome: approve
rules:
  - id: very_low
    when: "credit.score < 500"
    outcome: decline
    reason_code: LOW_SCORE
  - id: low
    when: "credit.score < 600"
    outcome: review
    reason_code: BORDERLINE_SCORE
"""
CANDIDATE = BASELINE.replace("version: 1", "version: 2").replace("< 500", "< 550")


def batch(*scores: int) -> list[dict[str, Any]]:
    return [{"credit": {"score": score}} for score in scores]


def test_mix_counts_and_rates_in_basis_points() -> None:
    report = dry_run(load_policy(BASELINE), batch(450, 520, 580, 700, 710, 720, 730, 740))
    assert report.count == 8
    assert report.mix.counts == {"approve": 5, "review": 2, "decline": 1}
    assert report.mix.rate_bps("approve") == 6250
    assert report.mix.rate_bps("review") == 2500
    assert report.mix.rate_bps("decline") == 1250
    assert report.approval_rate_bps == 6250


def test_rates_round_half_up_to_whole_basis_points() -> None:
    report = dry_run(load_policy(BASELINE), batch(450, 700, 700))
    assert report.mix.rate_bps("decline") == 3333
    assert report.mix.rate_bps("approve") == 6667


def test_hits_per_rule_count_every_fired_rule_including_unfired_ones() -> None:
    report = dry_run(load_policy(BASELINE), batch(450, 480, 520, 700))
    assert report.rule_hits == {"very_low": 2, "low": 3}
    quiet = dry_run(load_policy(BASELINE), batch(700))
    assert quiet.rule_hits == {"very_low": 0, "low": 0}


def test_top_reason_codes_come_from_final_decisions_most_common_first() -> None:
    report = dry_run(load_policy(BASELINE), batch(450, 520, 530, 580, 700))
    assert report.top_reason_codes == [("BORDERLINE_SCORE", 3), ("LOW_SCORE", 1)]


def test_baseline_mix_and_changed_decisions_are_listed() -> None:
    report = dry_run(
        load_policy(CANDIDATE), batch(450, 520, 540, 560, 700), baseline=load_policy(BASELINE)
    )
    assert report.baseline_mix is not None and report.changes is not None
    assert report.baseline_mix.counts == {"approve": 1, "review": 3, "decline": 1}
    assert report.mix.counts == {"approve": 1, "review": 1, "decline": 3}
    assert [(c.index, c.from_outcome, c.to_outcome) for c in report.changes] == [
        (1, "review", "decline"),
        (2, "review", "decline"),
    ]


def test_report_to_dict_carries_baseline_and_changes() -> None:
    data = dry_run(
        load_policy(CANDIDATE), batch(520, 700), baseline=load_policy(BASELINE)
    ).to_dict()
    assert data["policy_id"] == "scores" and data["policy_version"] == 2
    assert data["count"] == 2
    assert data["outcomes"] == {
        "counts": {"approve": 1, "review": 0, "decline": 1},
        "rates_bps": {"approve": 5000, "review": 0, "decline": 5000},
    }
    assert data["approval_rate_bps"] == 5000
    assert data["baseline"]["policy_version"] == 1
    assert data["baseline"]["outcomes"]["counts"] == {"approve": 1, "review": 1, "decline": 0}
    assert data["changed_count"] == 1
    assert data["changes"] == [{"index": 0, "from": "review", "to": "decline"}]
    assert data["errors"] == []


def test_without_baseline_the_report_has_no_diff() -> None:
    data = dry_run(load_policy(BASELINE), batch(700)).to_dict()
    assert "baseline" not in data and "changes" not in data


def test_applications_that_cannot_be_evaluated_are_listed_not_counted() -> None:
    facts = [*batch(450), {"credit": {}}, *batch(700)]
    report = dry_run(load_policy(BASELINE), facts)
    assert report.count == 3
    assert report.mix.total == 2
    assert [index for index, _ in report.errors] == [1]
    assert "missing field 'credit.score'" in report.errors[0][1]


def test_empty_batch_gives_zero_rates() -> None:
    report = dry_run(load_policy(BASELINE), [])
    assert report.count == 0
    assert report.approval_rate_bps == 0
