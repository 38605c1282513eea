"""Scorecard: log-odds scaling, points per bin, reasons ranked by points lost, data checks."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

import pytest

from mock_server.risk.credit import CreditSummary
from mock_server.risk.scorecard import (
    Scorecard,
    ScorecardError,
    load_default_scorecard,
    scorecard_attributes,
)


def _card(**overrides: Any) -> Scorecard:
    data: dict[str, Any] = {
        "name": "test",
        "base_points": 600,
        "base_odds": 50,
        "pdo": 20,
        "attributes": [
            {
                "name": "utilization_bps",
                "reason_code": "HIGH_UTILIZATION",
                "bins": [{"points": 60}, {"min": 3000, "points": 30}, {"min": 7000, "points": 0}],
            },
            {
                "name": "hard_inquiries_6m",
                "reason_code": "TOO_MANY_INQUIRIES",
                "bins": [{"points": 40}, {"min": 3, "points": 25}],
            },
            {
                "name": "oldest_tradeline_months",
                "reason_code": "SHORT_CREDIT_HISTORY",
                "missing_points": 5,
                "bins": [{"points": 10}, {"min": 24, "points": 50}],
            },
        ],
    }
    data.update(overrides)
    return Scorecard.from_dict(data)


def test_base_points_give_the_base_odds() -> None:
    card = _card()
    assert card.odds_at(600) == Decimal(50)


def test_pdo_more_points_double_the_odds() -> None:
    card = _card()
    assert card.odds_at(620) == Decimal(100)
    assert card.odds_at(640) == Decimal(200)
    assert card.odds_at(580) == Decimal(25)


def test_factor_and_offset_follow_from_pdo_and_base_odds() -> None:
    card = _card()
    assert round(card.factor, 6) == Decimal("28.853901")  # 20 / ln 2
    assert round(card.offset, 4) == Decimal("487.1229")  # 600 - factor * ln 50
    assert round(card.points_for_odds(Decimal(50)), 20) == 600
    assert round(card.points_for_odds(Decimal(100)), 20) == 620


def test_probability_of_default_in_basis_points() -> None:
    card = _card()
    assert card.probability_of_default_bps(600) == 196  # 1 / 51
    assert card.probability_of_default_bps(620) == 99  # 1 / 101
    # 487 is 0.1229 points under the offset: odds exp(-0.1229 / 28.8539) = 0.99575.
    assert card.probability_of_default_bps(487) == 5011


def test_points_sum_the_bins_the_values_fall_in() -> None:
    result = _card().score(
        {"utilization_bps": 3000, "hard_inquiries_6m": 2, "oldest_tradeline_months": 30}
    )
    assert result.points == 30 + 40 + 50
    assert [c.points for c in result.contributions] == [30, 40, 50]


def test_reason_codes_ranked_by_points_lost_against_the_best_bin() -> None:
    result = _card().score(
        {"utilization_bps": 8000, "hard_inquiries_6m": 4, "oldest_tradeline_months": 6}
    )
    # Lost: utilization 60, history 40, inquiries 15.
    assert result.reason_codes == (
        "HIGH_UTILIZATION",
        "SHORT_CREDIT_HISTORY",
        "TOO_MANY_INQUIRIES",
    )
    assert [c.points_lost for c in result.contributions] == [60, 15, 40]


def test_a_perfect_application_has_no_reasons() -> None:
    result = _card().score(
        {"utilization_bps": 0, "hard_inquiries_6m": 0, "oldest_tradeline_months": 120}
    )
    assert (result.points, result.reason_codes) == (150, ())


def test_missing_value_gets_the_missing_points() -> None:
    result = _card().score(
        {"utilization_bps": 0, "hard_inquiries_6m": 0, "oldest_tradeline_months": None}
    )
    assert result.points == 60 + 40 + 5


def test_absent_attribute_is_an_error_naming_it() -> None:
    with pytest.raises(ScorecardError, match="hard_inquiries_6m"):
        _card().score({"utilization_bps": 0, "oldest_tradeline_months": 1})


@pytest.mark.parametrize(
    ("overrides", "message"),
    [
        ({"pdo": 0}, "pdo must be positive"),
        ({"base_odds": -1}, "base_odds"),
        ({"base_points": "600"}, "base_points must be an integer"),
        ({"attributes": []}, "non-empty"),
        (
            {
                "attributes": [
                    {"name": "x", "reason_code": "X", "bins": [{"points": 1}, {"points": 2}]}
                ]
            },
            "min must be an integer",
        ),
        (
            {
                "attributes": [
                    {
                        "name": "x",
                        "reason_code": "X",
                        "bins": [{"points": 1}, {"min": 5, "points": 2}, {"min": 5, "points": 3}],
                    }
                ]
            },
            "must increase",
        ),
    ],
)
def test_bad_scorecard_data_is_refused(overrides: dict[str, Any], message: str) -> None:
    with pytest.raises(ScorecardError, match=message):
        _card(**overrides)


def test_default_scorecard_orders_good_and_bad_files() -> None:
    card = load_default_scorecard()
    assert (card.base_points, card.base_odds, card.pdo) == (600, Decimal(30), 60)
    strong = CreditSummary(812, False, False, 11, 240, 500, 0, 0, None, 0, 500_000, "USD")
    weak = CreditSummary(540, False, False, 4, 30, 9500, 5, 4, 1, 1, 900_000, "USD")
    good = card.score(scorecard_attributes(strong, income_annual_usd=15_000_000))
    bad = card.score(scorecard_attributes(weak, income_annual_usd=2_500_000))
    assert good.points == 660
    assert good.reason_codes == ()
    assert bad.points < 250
    assert bad.probability_bad_bps > 5000 > good.probability_bad_bps
    assert bad.reason_codes[:3] == ("LOW_CREDIT_SCORE", "HIGH_UTILIZATION", "RECENT_DELINQUENCY")
