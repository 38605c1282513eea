"""Installment plans: terms, APR, per-currency limits, eligibility and validation.

A plan is data a merchant can configure through the API, so ``plan_from_dict`` validates every
field and names the offending one in its error.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Final, Literal, TypeGuard, cast

from mock_server.domain.money import CURRENCIES, format_money

__all__ = [
    "DEFAULT_PLANS",
    "MAX_APR_BPS",
    "MONTHLY_TERMS",
    "PAY_IN_4_TERMS",
    "Interval",
    "Plan",
    "PlanError",
    "default_limits",
    "get_plan",
    "plan_from_dict",
]

Interval = Literal["month", "two_weeks"]

MONTHLY_TERMS: Final = (3, 6, 12, 18, 24, 36)
PAY_IN_4_TERMS: Final = (4,)
MAX_APR_BPS: Final = 3600

# Default limits per currency in minor units, roughly equal in value across currencies.
_PAY_IN_4_MIN: Final = {"USD": 3500, "EUR": 3500, "GBP": 3000, "CNY": 25000, "JPY": 5000}
_PAY_IN_4_MAX: Final = {"USD": 100000, "EUR": 100000, "GBP": 80000, "CNY": 700000, "JPY": 150000}
_MONTHLY_MIN: Final = {"USD": 5000, "EUR": 5000, "GBP": 4000, "CNY": 35000, "JPY": 7500}
_MONTHLY_MAX: Final = {
    "USD": 3000000,
    "EUR": 3000000,
    "GBP": 2500000,
    "CNY": 20000000,
    "JPY": 4500000,
}
_ID_PATTERN: Final = re.compile(r"^[a-z][a-z0-9_]{0,63}$")
_FIELDS: Final = frozenset(
    {"id", "term_count", "interval", "apr_bps", "min_amount", "max_amount", "currencies"}
)


class PlanError(ValueError):
    """A plan definition is invalid; ``field`` names the offending field."""

    def __init__(self, field_name: str, message: str) -> None:
        self.field = field_name
        super().__init__(f"{message} ({field_name})")


def default_limits(interval: Interval) -> tuple[dict[str, int], dict[str, int]]:
    """Default (min_amount, max_amount) per currency for plans of this interval."""
    if interval == "two_weeks":
        return dict(_PAY_IN_4_MIN), dict(_PAY_IN_4_MAX)
    return dict(_MONTHLY_MIN), dict(_MONTHLY_MAX)


@dataclass(frozen=True, slots=True)
class Plan:
    """An installment plan: how many payments, how often, at what APR, for which amounts."""

    id: str
    term_count: int
    interval: Interval
    apr_bps: int
    min_amount: Mapping[str, int] = field(hash=False)
    max_amount: Mapping[str, int] = field(hash=False)
    currencies: tuple[str, ...]

    def __post_init__(self) -> None:
        _validate(self)

    @classmethod
    def monthly(cls, id: str, term_count: int, apr_bps: int) -> Plan:
        """A monthly annuity plan with the default limits in every supported currency."""
        low, high = default_limits("month")
        return cls(id, term_count, "month", apr_bps, low, high, tuple(CURRENCIES))

    @classmethod
    def pay_in_4(cls, id: str = "pay_in_4") -> Plan:
        """Four interest-free payments two weeks apart, the first at capture."""
        low, high = default_limits("two_weeks")
        return cls(id, 4, "two_weeks", 0, low, high, tuple(CURRENCIES))

    def eligibility_error(self, amount: int, currency: str) -> str | None:
        """Why this plan cannot finance ``amount`` in ``currency``, or None when it can."""
        code = currency.upper()
        if code not in self.currencies:
            return f"plan {self.id} is not offered in {currency}"
        low, high = self.min_amount[code], self.max_amount[code]
        if amount < low:
            return (
                f"amount {format_money(amount, code)} is below plan {self.id}'s minimum "
                f"{format_money(low, code)}"
            )
        if amount > high:
            return (
                f"amount {format_money(amount, code)} is above plan {self.id}'s maximum "
                f"{format_money(high, code)}"
            )
        return None

    def is_eligible(self, amount: int, currency: str) -> bool:
        """Whether this plan can finance ``amount`` in ``currency``."""
        return self.eligibility_error(amount, currency) is None

    def to_dict(self) -> dict[str, object]:
        """The plan as JSON-ready data (the shape ``plan_from_dict`` reads)."""
        return {
            "id": self.id,
            "term_count": self.term_count,
            "interval": self.interval,
            "apr_bps": self.apr_bps,
            "min_amount": dict(self.min_amount),
            "max_amount": dict(self.max_amount),
            "currencies": list(self.currencies),
        }


def _is_int(value: object) -> TypeGuard[int]:
    return isinstance(value, int) and not isinstance(value, bool)


def _validate(plan: Plan) -> None:
    if not isinstance(plan.id, str) or not _ID_PATTERN.match(plan.id):
        raise PlanError("id", f"plan id must be lowercase letters, digits and _, got {plan.id!r}")
    if plan.interval not in ("month", "two_weeks"):
        raise PlanError(
            "interval", f"interval must be 'month' or 'two_weeks', got {plan.interval!r}"
        )
    terms = MONTHLY_TERMS if plan.interval == "month" else PAY_IN_4_TERMS
    if not _is_int(plan.term_count) or plan.term_count not in terms:
        allowed = ", ".join(str(t) for t in terms)
        raise PlanError(
            "term_count",
            f"term_count must be one of {allowed} for {plan.interval} plans, "
            f"got {plan.term_count!r}",
        )
    if not _is_int(plan.apr_bps) or not 0 <= plan.apr_bps <= MAX_APR_BPS:
        raise PlanError("apr_bps", f"apr_bps must be an int from 0 to {MAX_APR_BPS}")
    if plan.interval == "two_weeks" and plan.apr_bps != 0:
        raise PlanError("apr_bps", "pay-in-4 plans are interest-free: apr_bps must be 0")
    if not plan.currencies:
        raise PlanError("currencies", "a plan needs at least one currency")
    for code in plan.currencies:
        if code not in CURRENCIES:
            raise PlanError("currencies", f"unsupported currency {code!r}")
    _validate_limits(plan)


def _validate_limits(plan: Plan) -> None:
    for name, limits in (("min_amount", plan.min_amount), ("max_amount", plan.max_amount)):
        for code in plan.currencies:
            if code not in limits:
                raise PlanError(name, f"missing {name} for {code}")
            if not _is_int(limits[code]) or limits[code] <= 0:
                raise PlanError(name, f"{name} for {code} must be a positive int in minor units")
    for code in plan.currencies:
        if plan.min_amount[code] > plan.max_amount[code]:
            raise PlanError("min_amount", f"min_amount for {code} exceeds max_amount")
        if plan.min_amount[code] < plan.term_count:
            raise PlanError(
                "min_amount",
                f"min_amount for {code} must be at least the term count {plan.term_count}",
            )


def _limits_from(data: Mapping[str, object], name: str) -> dict[str, int]:
    raw = data[name]
    if not isinstance(raw, Mapping):
        raise PlanError(name, f"{name} must be an object of currency -> minor units")
    out: dict[str, int] = {}
    for key, value in raw.items():
        if not isinstance(key, str):
            raise PlanError(name, f"{name} keys must be currency codes")
        if not _is_int(value) or value <= 0:
            raise PlanError(name, f"{name} for {key} must be a positive int in minor units")
        out[key.upper()] = value
    return out


def plan_from_dict(data: Mapping[str, object]) -> Plan:
    """Build and validate a plan from JSON-like data; errors name the field."""
    unknown = sorted(set(data) - _FIELDS)
    if unknown:
        raise PlanError(unknown[0], f"unknown plan field(s): {', '.join(unknown)}")
    for required in ("id", "term_count", "apr_bps"):
        if required not in data:
            raise PlanError(required, f"{required} is required")
    interval = data.get("interval", "month")
    if interval not in ("month", "two_weeks"):
        raise PlanError("interval", f"interval must be 'month' or 'two_weeks', got {interval!r}")
    low, high = default_limits(interval)
    if "min_amount" in data:
        low = _limits_from(data, "min_amount")
    if "max_amount" in data:
        high = _limits_from(data, "max_amount")
    raw_currencies = data.get("currencies", sorted(set(low) & set(high)))
    if not isinstance(raw_currencies, list | tuple) or not all(
        isinstance(c, str) for c in raw_currencies
    ):
        raise PlanError("currencies", "currencies must be a list of ISO codes")
    currencies = tuple(c.upper() for c in raw_currencies)
    return Plan(
        id=cast(str, data["id"]),
        term_count=cast(int, data["term_count"]),
        interval=interval,
        apr_bps=cast(int, data["apr_bps"]),
        min_amount=low,
        max_amount=high,
        currencies=currencies,
    )


DEFAULT_PLANS: Final[tuple[Plan, ...]] = (
    Plan.pay_in_4(),
    Plan.monthly("monthly_3_0apr", 3, 0),
    Plan.monthly("monthly_6_0apr", 6, 0),
    Plan.monthly("monthly_12", 12, 1499),
    Plan.monthly("monthly_24", 24, 1999),
    Plan.monthly("monthly_36", 36, 2499),
)


def get_plan(plan_id: str, plans: tuple[Plan, ...] = DEFAULT_PLANS) -> Plan:
    """The plan with this id, or KeyError naming it."""
    for plan in plans:
        if plan.id == plan_id:
            return plan
    raise KeyError(f"no plan {plan_id!r}")
