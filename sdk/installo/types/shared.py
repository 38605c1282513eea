"""Small shapes used by several objects: cart items, addresses, schedule entries."""

from __future__ import annotations

from datetime import date

from .._models import BaseModel, OpenEnum

__all__ = ["Address", "CartItem", "DeletedObject", "InstallmentStatus", "ScheduleEntry"]


class InstallmentStatus(OpenEnum):
    """Where one installment stands."""

    UPCOMING = "upcoming"
    DUE = "due"
    PAID = "paid"
    LATE = "late"


class ScheduleEntry(BaseModel):
    """One installment: when it is due and how it splits into principal, interest and fees."""

    sequence: int
    due_date: date
    amount: int
    principal: int
    interest: int
    fees: int = 0
    status: InstallmentStatus = InstallmentStatus.UPCOMING
    paid_amount: int = 0


class CartItem(BaseModel):
    """One line of a cart."""

    sku: str
    name: str
    unit_amount: int
    quantity: int


class Address(BaseModel):
    """A postal address; `country` is ISO 3166 alpha-2."""

    line1: str
    line2: str | None = None
    city: str
    region: str | None = None
    postal_code: str
    country: str


class DeletedObject(BaseModel):
    """The answer to a delete."""

    id: str
    object: str
    deleted: bool = True
