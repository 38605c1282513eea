"""Plans: catalogue, eligibility, validation and round-trip."""

import pytest

from mock_server.domain.plans import (
    DEFAULT_PLANS,
    Plan,
    PlanError,
    get_plan,
    plan_from_dict,
)


def test_default_catalogue_offers_the_documented_plans() -> None:
    summary = [(p.id, p.term_count, p.interval, p.apr_bps) for p in DEFAULT_PLANS]
    assert summary == [
        ("pay_in_4", 4, "two_weeks", 0),
        ("monthly_3_0apr", 3, "month", 0),
        ("monthly_6_0apr", 6, "month", 0),
        ("monthly_12", 12, "month", 1499),
        ("monthly_24", 24, "month", 1999),
        ("monthly_36", 36, "month", 2499),
    ]


def test_every_default_plan_serves_every_supported_currency() -> None:
    for plan in DEFAULT_PLANS:
        assert set(plan.currencies) == {"USD", "EUR", "GBP", "CNY", "JPY"}


def test_jpy_limits_are_scaled_for_a_zero_decimal_currency() -> None:
    plan = get_plan("monthly_12")
    assert plan.min_amount["JPY"] == 7500  # 7,500 yen, not 75.00 yen
    assert plan.min_amount["USD"] == 5000  # $50.00


def test_amount_within_limits_is_eligible() -> None:
    plan = get_plan("monthly_12")
    assert plan.is_eligible(129900, "USD")
    assert plan.eligibility_error(129900, "usd") is None


def test_amount_below_minimum_is_ineligible_with_reason() -> None:
    plan = get_plan("monthly_12")
    assert not plan.is_eligible(4999, "USD")
    assert plan.eligibility_error(4999, "USD") == (
        "amount $49.99 is below plan monthly_12's minimum $50.00"
    )


def test_amount_above_maximum_is_ineligible_with_reason() -> None:
    plan = get_plan("pay_in_4")
    assert plan.eligibility_error(150001, "JPY") == (
        "amount ¥150,001 is above plan pay_in_4's maximum ¥150,000"
    )


def test_currency_not_offered_is_ineligible() -> None:
    plan = plan_from_dict({"id": "us_only", "term_count": 6, "apr_bps": 0, "currencies": ["USD"]})
    assert plan.eligibility_error(10000, "EUR") == "plan us_only is not offered in EUR"


def test_plan_round_trips_through_dict() -> None:
    for plan in DEFAULT_PLANS:
        assert plan_from_dict(plan.to_dict()) == plan


def test_plan_from_dict_fills_default_limits() -> None:
    plan = plan_from_dict({"id": "monthly_18", "term_count": 18, "apr_bps": 1799})
    assert plan.interval == "month"
    assert plan.min_amount == get_plan("monthly_12").min_amount
    assert plan.currencies == ("CNY", "EUR", "GBP", "JPY", "USD")


@pytest.mark.parametrize(
    ("data", "field", "message"),
    [
        ({"id": "m", "term_count": 5, "apr_bps": 0}, "term_count", "one of 3, 6, 12, 18, 24, 36"),
        (
            {"id": "p", "term_count": 6, "interval": "two_weeks", "apr_bps": 0},
            "term_count",
            "one of 4",
        ),
        ({"id": "m", "term_count": 12, "apr_bps": 3601}, "apr_bps", "0 to 3600"),
        ({"id": "m", "term_count": 12, "apr_bps": -1}, "apr_bps", "0 to 3600"),
        ({"id": "m", "term_count": 12, "apr_bps": 10.5}, "apr_bps", "0 to 3600"),
        (
            {"id": "p", "term_count": 4, "interval": "two_weeks", "apr_bps": 500},
            "apr_bps",
            "interest-free",
        ),
        ({"id": "m", "term_count": 12, "apr_bps": 0, "interval": "week"}, "interval", "'week'"),
        ({"id": "Bad Id", "term_count": 12, "apr_bps": 0}, "id", "'Bad Id'"),
        ({"term_count": 12, "apr_bps": 0}, "id", "id is required"),
        ({"id": "m", "apr_bps": 0}, "term_count", "term_count is required"),
        ({"id": "m", "term_count": 12, "apr_bps": 0, "colour": "red"}, "colour", "colour"),
        (
            {"id": "m", "term_count": 12, "apr_bps": 0, "currencies": ["USD", "XYZ"]},
            "currencies",
            "'XYZ'",
        ),
        (
            {"id": "m", "term_count": 12, "apr_bps": 0, "min_amount": {"USD": 0}},
            "min_amount",
            "positive int",
        ),
        (
            {
                "id": "m",
                "term_count": 12,
                "apr_bps": 0,
                "currencies": ["USD"],
                "min_amount": {"USD": 900},
                "max_amount": {"USD": 800},
            },
            "min_amount",
            "exceeds max_amount",
        ),
        (
            {
                "id": "m",
                "term_count": 12,
                "apr_bps": 0,
                "currencies": ["USD", "EUR"],
                "min_amount": {"USD": 100},
            },
            "min_amount",
            "missing min_amount for EUR",
        ),
    ],
)
def test_plan_from_dict_errors_name_the_field(
    data: dict[str, object], field: str, message: str
) -> None:
    with pytest.raises(PlanError, match=message) as info:
        plan_from_dict(data)
    assert info.value.field == field
    assert str(info.value).endswith(f"({field})")


def test_get_plan_unknown_id_raises_key_error() -> None:
    with pytest.raises(KeyError, match="monthly_99"):
        get_plan("monthly_99")


def test_plans_are_hashable_by_identity_fields() -> None:
    plan = Plan.monthly("monthly_6", 6, 999)
    assert plan == Plan.monthly("monthly_6", 6, 999)
    assert hash(plan) == hash(Plan.monthly("monthly_6", 6, 999))
