"""Request bodies, as TypedDicts so editors complete them and mypy checks them."""

from __future__ import annotations

from typing import Literal, NotRequired, TypedDict

__all__ = ["AddressParam", "CartItemParam", "CustomerParam", "PlanParam", "RedirectUrlsParam"]


class CartItemParam(TypedDict):
    """One cart line; `unit_amount` in minor units."""

    sku: str
    name: str
    unit_amount: int
    quantity: int


class AddressParam(TypedDict):
    """A postal address; `country` is ISO 3166 alpha-2."""

    line1: str
    line2: NotRequired[str]
    city: str
    region: NotRequired[str]
    postal_code: str
    country: str


class CustomerParam(TypedDict):
    """A customer's identity, to create one or to give inline in a checkout."""

    email: str
    name: str
    phone: str
    date_of_birth: str  # YYYY-MM-DD
    national_id_last4: str
    address: AddressParam
    locale: NotRequired[str]
    device_id: NotRequired[str]
    test_clock: NotRequired[str]  # attach the customer (and its loans) to this test clock


class PlanParam(TypedDict):
    """A custom plan a merchant offers; `min_amount`/`max_amount` map currency to minor units."""

    id: str
    term_count: int
    apr_bps: int
    interval: NotRequired[Literal["month", "two_weeks"]]
    min_amount: NotRequired[dict[str, int]]
    max_amount: NotRequired[dict[str, int]]
    currencies: NotRequired[list[str]]


class RedirectUrlsParam(TypedDict):
    """Where the hosted page sends an online shopper back (`cancel_url`: after a decline)."""

    success_url: str
    cancel_url: NotRequired[str]
