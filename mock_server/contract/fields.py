"""The fields request bodies and answers share: money, codes, text, addresses, cart lines.

Request bodies forbid unknown fields (a 4xx naming them); money is a strict int in minor units.
This package imports only pydantic and the domain, so the services (and the SDK's mock) can use
the request models without importing the HTTP layer.
"""

from __future__ import annotations

from typing import Annotated, Literal

from pydantic import AfterValidator, BaseModel, ConfigDict, Field, StringConstraints

from mock_server.domain.regions import is_country

__all__ = [
    "MAX_AMOUNT",
    "PRINTABLE",
    "Address",
    "Amount",
    "CartItem",
    "CountryCode",
    "CurrencyCode",
    "Email",
    "Locale",
    "Metadata",
    "PositiveAmount",
    "RedirectUrls",
    "ShortText",
    "StrictBody",
    "Text",
    "Url",
]

MAX_AMOUNT = 10**12
Amount = Annotated[int, Field(strict=True, ge=0, le=MAX_AMOUNT)]
PositiveAmount = Annotated[int, Field(strict=True, ge=1, le=MAX_AMOUNT)]
CurrencyCode = Annotated[
    str, StringConstraints(pattern=r"^[A-Za-z]{3}$", to_upper=True, strip_whitespace=True)
]


def _country(code: str) -> str:
    if not is_country(code):
        raise ValueError(f"{code!r} is not an ISO 3166-1 alpha-2 country code")
    return code


CountryCode = Annotated[
    str, StringConstraints(pattern=r"^[A-Za-z]{2}$", to_upper=True), AfterValidator(_country)
]
# Printable text: no control characters (NUL, newlines, escapes) in names and addresses.
PRINTABLE = r"^[^\x00-\x1f\x7f]*$"
Text = Annotated[
    str,
    StringConstraints(min_length=1, max_length=200, strip_whitespace=True, pattern=PRINTABLE),
]
ShortText = Annotated[str, StringConstraints(max_length=200, pattern=PRINTABLE)]
# Metadata like the payment APIs merchants know: 50 keys, key 40 characters, value 500.
MetadataKey = Annotated[str, StringConstraints(min_length=1, max_length=40, pattern=PRINTABLE)]
MetadataValue = Annotated[str, StringConstraints(max_length=500)]
Metadata = Annotated[dict[MetadataKey, MetadataValue], Field(max_length=50)]
Email = Annotated[
    str, StringConstraints(pattern=r"^[^@\s]+@[^@\s]+\.[^@\s]+$", max_length=254, to_lower=True)
]
Locale = Literal["en_US", "zh_CN"]


class StrictBody(BaseModel):
    """A request body (or part of one): unknown fields are refused by name."""

    model_config = ConfigDict(extra="forbid")


# Shared parts ---------------------------------------------------------------------------------


class Address(StrictBody):
    """A postal address; `country` is ISO 3166 alpha-2."""

    line1: Text
    line2: ShortText | None = None
    city: Text
    region: Annotated[str, StringConstraints(max_length=100, pattern=PRINTABLE)] | None = None
    postal_code: Annotated[str, StringConstraints(min_length=1, max_length=20, pattern=PRINTABLE)]
    country: CountryCode


class CartItem(StrictBody):
    """One line of a cart."""

    sku: Text
    name: Text
    unit_amount: Amount
    quantity: Annotated[int, Field(strict=True, ge=1, le=10_000)]


Url = Annotated[str, StringConstraints(pattern=r"^https?://[^\s]+$", max_length=2048)]


class RedirectUrls(StrictBody):
    """Where the hosted page sends an online shopper back: `success_url` after an approval (or
    a review), `cancel_url` after a decline or when they give up (default: `success_url`)."""

    success_url: Url
    cancel_url: Url | None = None
