"""Credit furnishing objects (admin key): month-end Metro 2 files and disputes."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from pydantic import ConfigDict, Field

from .._models import BaseModel, InstalloObject

__all__ = ["Dispute", "FurnishedAccount", "FurnishingFile", "FurnishingFileDetail"]


class FurnishingFile(InstalloObject):
    """One month's Metro 2 file of a merchant's reportable loans."""

    merchant: str
    period: str
    month_end: date
    format: str = "metro2"
    record_length: int = 426
    account_count: int
    status_counts: dict[str, int] = Field(default_factory=dict)
    size_bytes: int


class FurnishedAccount(BaseModel):
    """One base segment as read back from a file (money in whole dollars, as Metro 2 has it);
    every other field of the segment is kept too (`model_extra`)."""

    model_config = ConfigDict(extra="allow")

    loan: str | None = None
    consumer_account_number: str
    account_status: str
    payment_rating: str = ""
    payment_history_profile: str
    compliance_condition_code: str = ""
    current_balance: int
    amount_past_due: int
    highest_credit: int
    original_charge_off_amount: int
    date_opened: date | None = None
    date_of_account_information: date | None = None
    date_of_first_delinquency: date | None = None
    date_closed: date | None = None
    date_of_last_payment: date | None = None


class FurnishingFileDetail(FurnishingFile):
    """A file with its parsed view: header, trailer and every account."""

    header: dict[str, Any] = Field(default_factory=dict)
    trailer: dict[str, Any] = Field(default_factory=dict)
    accounts: list[FurnishedAccount] = Field(default_factory=list)


class Dispute(InstalloObject):
    """A consumer's dispute of an Installo tradeline."""

    merchant: str
    loan: str
    status: str
    reason: str | None = None
    resolution: str | None = None
    resolved_at: datetime | None = None
    resolution_file: str | None = None
