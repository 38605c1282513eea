"""The scenario file: a store, its traffic, behaviour after approval, faults and expectations."""

from __future__ import annotations

import re
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, field_validator, model_validator

from merchant_sim.money import format_money

TIERS: tuple[str, ...] = (
    "prime",
    "near_prime",
    "subprime",
    "thin_file",
    "frozen_file",
    "fraud_ring",
)
CURRENCIES: tuple[str, ...] = ("USD", "EUR", "GBP", "CNY", "JPY")
OFFER_CHOICES: tuple[str, ...] = ("first", "shortest", "longest", "cheapest", "random")
FAULT_PATTERN = re.compile(r"^(latency_ms=\d{1,5}|status=(500|503|429)|reset|after_commit=reset)$")
OPERATIONS: tuple[str, ...] = ("create", "confirm", "capture", "refund", "payment", "void")

#: Metrics an expectation can bound; ``tier`` narrows the rate metrics to one persona tier.
RATE_METRICS: tuple[str, ...] = ("approval_rate", "decline_rate", "review_rate")
COUNT_METRICS: tuple[str, ...] = (
    "checkouts",
    "approved",
    "declined",
    "in_review",
    "errors",
    "server_errors",
    "declines_without_reason",
    "double_charges",
    "fraud_declines",
    "loans_active",
    "loans_paid_off",
    "loans_voided",
    "loans_late",
    "loans_delinquent",
    "loans_charged_off",
    "loans_authorized",
    "amount_financed",
    "amount_captured",
    "amount_refunded",
    "amount_repaid",
    "amount_charged_off",
    "amount_fees",
    "amount_net_settled",
)
LATENCY_METRICS: tuple[str, ...] = (
    "decision_latency_p50_ms",
    "decision_latency_p95_ms",
    "decision_latency_p99_ms",
)
METRICS: tuple[str, ...] = RATE_METRICS + COUNT_METRICS + LATENCY_METRICS


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


def _normal_tier(name: str) -> str:
    return name.strip().lower().replace("-", "_").replace(" ", "_")


def _check_weights(weights: dict[str, float]) -> dict[str, float]:
    if not weights:
        raise ValueError("needs at least one entry")
    if any(w < 0 for w in weights.values()):
        raise ValueError("weights cannot be negative")
    if sum(weights.values()) <= 0:
        raise ValueError("weights must add up to more than zero")
    return weights


class Product(_Strict):
    """One catalog product; ``price`` is in the store currency's minor unit."""

    sku: str = Field(min_length=1)
    name: str = Field(min_length=1)
    price: int = Field(gt=0)


class Store(_Strict):
    """The merchant's storefront: currency, catalog, shipping and tax, plans to offer."""

    currency: str = "USD"
    catalog: list[Product] = Field(min_length=1)
    shipping_amount: int = Field(default=0, ge=0)
    tax_bps: int = Field(default=0, ge=0, le=5000)
    plans: list[str] | None = None

    @field_validator("currency")
    @classmethod
    def _known_currency(cls, value: str) -> str:
        if value not in CURRENCIES:
            raise ValueError(f"currency {value!r} is not one of {', '.join(CURRENCIES)}")
        return value


class Traffic(_Strict):
    """Who shops: persona tier and locale mix, cart sizes, which offer they pick."""

    tiers: dict[str, float] = Field(default_factory=lambda: {"prime": 1.0})
    locales: dict[str, float] = Field(default_factory=lambda: {"en_US": 1.0})
    cart_size: dict[int, float] = Field(default_factory=lambda: {1: 1.0})
    offer_choice: str = "first"
    shared_device_for: list[str] = Field(default_factory=lambda: ["fraud_ring"])

    @field_validator("tiers")
    @classmethod
    def _known_tiers(cls, value: dict[str, float]) -> dict[str, float]:
        normal = {_normal_tier(k): v for k, v in value.items()}
        unknown = sorted(set(normal) - set(TIERS))
        if unknown:
            raise ValueError(f"unknown tier {unknown[0]!r}; tiers are {', '.join(TIERS)}")
        return _check_weights(normal)

    @field_validator("locales")
    @classmethod
    def _locale_weights(cls, value: dict[str, float]) -> dict[str, float]:
        return _check_weights(value)

    @field_validator("cart_size")
    @classmethod
    def _cart_weights(cls, value: dict[int, float]) -> dict[int, float]:
        if any(size < 1 for size in value):
            raise ValueError("cart sizes start at 1")
        _check_weights({str(k): v for k, v in value.items()})
        return value

    @field_validator("offer_choice")
    @classmethod
    def _known_choice(cls, value: str) -> str:
        if value in OFFER_CHOICES or re.fullmatch(r"[a-z0-9_]+", value):
            return value
        raise ValueError(f"offer_choice is one of {', '.join(OFFER_CHOICES)} or a plan name")


class AfterApproval(_Strict):
    """What the merchant and customer do with an approved loan."""

    capture_rate: float = Field(default=1.0, ge=0, le=1)
    partial_capture_rate: float = Field(default=0.0, ge=0, le=1)
    refund_rate: float = Field(default=0.0, ge=0, le=1)
    full_refund_share: float = Field(default=0.5, ge=0, le=1)
    early_payment_rate: float = Field(default=0.0, ge=0, le=1)


class ClockStep(_Strict):
    """Advance the sandbox clock once traffic is done, ``repeat`` times."""

    days: int = Field(gt=0, le=3650)
    repeat: int = Field(default=1, ge=1, le=120)


class Fault(_Strict):
    """A sandbox fault injected into a share of the requests of some operations."""

    mode: str
    rate: float = Field(gt=0, le=1)
    operations: list[str] = Field(default_factory=lambda: list(OPERATIONS))
    via: Literal["network", "sandbox"] = "network"

    @field_validator("mode")
    @classmethod
    def _known_mode(cls, value: str) -> str:
        if not FAULT_PATTERN.match(value):
            raise ValueError(
                f"fault mode {value!r} is not one of latency_ms=N, status=500|503|429, "
                "reset, after_commit=reset"
            )
        return value

    @field_validator("operations")
    @classmethod
    def _known_operations(cls, value: list[str]) -> list[str]:
        for op in value:
            if op not in OPERATIONS:
                raise ValueError(f"operation {op!r} is not one of {', '.join(OPERATIONS)}")
        return value


class Expectation(_Strict):
    """A bound on one metric of the run; every expectation must hold for the run to pass."""

    metric: str
    tier: str | None = None
    min: float | None = None
    max: float | None = None
    equals: float | None = None
    name: str | None = None

    @field_validator("metric")
    @classmethod
    def _known_metric(cls, value: str) -> str:
        if value not in METRICS:
            raise ValueError(f"unknown metric {value!r}; metrics are {', '.join(METRICS)}")
        return value

    @field_validator("tier")
    @classmethod
    def _known_tier(cls, value: str | None) -> str | None:
        if value is None:
            return None
        tier = _normal_tier(value)
        if tier not in TIERS:
            raise ValueError(f"unknown tier {value!r}; tiers are {', '.join(TIERS)}")
        return tier

    @model_validator(mode="after")
    def _has_bound(self) -> Expectation:
        if self.min is None and self.max is None and self.equals is None:
            raise ValueError("an expectation needs min, max or equals")
        if self.min is not None and self.max is not None and self.min > self.max:
            raise ValueError(f"min {self.min} is above max {self.max}")
        if self.tier is not None and self.metric not in RATE_METRICS:
            raise ValueError(f"tier applies only to {', '.join(RATE_METRICS)}")
        return self

    @property
    def label(self) -> str:
        """A short human name: the given one, or the metric, tier and bounds."""
        return self.label_in(None)

    def label_in(self, currency: str | None) -> str:
        """The label with money bounds shown as money in `currency`."""
        if self.name:
            return self.name
        parts = [self.metric + (f"[{self.tier}]" if self.tier else "")]
        for sign, bound in (("==", self.equals), (">=", self.min), ("<=", self.max)):
            if bound is not None:
                parts.append(f"{sign} {self.show(bound, currency)}")
        return " ".join(parts)

    def show(self, value: float, currency: str | None) -> str:
        """A value of this metric as text: an amount as money (`$39,021.00`), else a number."""
        if self.metric.startswith("amount_") and currency is not None:
            return format_money(int(value), currency)
        return f"{value:g}"

    def holds(self, value: float) -> bool:
        """Whether ``value`` satisfies every bound."""
        if self.equals is not None and value != self.equals:
            return False
        if self.min is not None and value < self.min:
            return False
        return not (self.max is not None and value > self.max)


class Load(_Strict):
    """The shape of `merchant-sim load` (Locust): users, ramp-up, arrival rate, duration.

    `users` shoppers run at once, started evenly over `ramp_up_s` seconds (Locust's spawn rate is
    users / ramp_up_s); together they start `arrival_rate` journeys a second (each user paces
    itself to arrival_rate / users), or as many as they can when it is not set; the run lasts
    `duration_s` seconds, then in-flight journeys finish and the expectations are judged.
    """

    users: int = Field(default=10, ge=1, le=100_000)
    ramp_up_s: float = Field(default=0.0, ge=0, le=86_400)
    arrival_rate: float | None = Field(default=None, gt=0, le=100_000)
    duration_s: float = Field(default=60.0, gt=0, le=7 * 86_400)

    @property
    def spawn_rate(self) -> float:
        """Users started a second (all at once when there is no ramp-up)."""
        return self.users / self.ramp_up_s if self.ramp_up_s > 0 else float(self.users)


class Scenario(_Strict):
    """A whole scenario: run it and its expectations decide the exit code."""

    name: str = Field(min_length=1)
    description: str = ""
    seed: int = 0
    customers: int = Field(default=100, ge=1, le=1_000_000)
    concurrency: int = Field(default=4, ge=1, le=256)
    max_retries: int | None = Field(default=None, ge=0, le=10)
    store: Store
    traffic: Traffic = Field(default_factory=Traffic)
    after_approval: AfterApproval = Field(default_factory=AfterApproval)
    clock: list[ClockStep] = Field(default_factory=list)
    faults: list[Fault] = Field(default_factory=list)
    expect: list[Expectation] = Field(default_factory=list)
    load: Load = Field(default_factory=Load)
