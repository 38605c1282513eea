"""A customer of the merchant."""

from __future__ import annotations

from datetime import date

from .._models import InstalloObject
from .shared import Address

__all__ = ["Customer"]


class Customer(InstalloObject):
    """A person who buys from the merchant."""

    email: str
    name: str | None = None
    phone: str | None = None
    date_of_birth: date | None = None
    address: Address | None = None
    national_id_last4: str | None = None
    locale: str | None = None
    sandbox_tag: str | None = None
    """(sandbox) The magic email tag recognized (`approve`, `decline`, ...), or None."""
    sandbox_tag_note: str | None = None
    """(sandbox) Why a `+suffix` in the email is not a tag, when it is not one."""
    test_clock: str | None = None
    """The test clock the customer (and its loans) is attached to, if any."""
