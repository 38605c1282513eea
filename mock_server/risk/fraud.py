"""Fraud and velocity signals: the same email, phone, device or address across applications.

Velocity counts are over a window ending at the decision time and include the application being
screened. The email velocity counts applications with the same mailbox (retries count); the phone,
device and address velocities count distinct applicant mailboxes that used the same phone, device
or address, so one customer buying twice is not a ring but three people on one device are.
"""

from __future__ import annotations

import re
from collections import defaultdict
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import Any, Final, Literal, Protocol

from mock_server.risk.credit import CreditReport
from mock_server.risk.identity import Identity, address_key, identity_key
from mock_server.risk.tags import isolated_from_velocity

VelocityAttribute = Literal["email", "phone", "device_id", "address"]
VELOCITY_ATTRIBUTES: Final[tuple[VelocityAttribute, ...]] = (
    "email",
    "phone",
    "device_id",
    "address",
)
DEFAULT_WINDOW: Final = timedelta(hours=24)
# A velocity at or above these adds a flag (the policy decides what a flag costs).
FLAG_THRESHOLDS: Final[dict[VelocityAttribute, tuple[int, str]]] = {
    "email": (5, "EMAIL_VELOCITY"),
    "phone": (2, "SHARED_PHONE"),
    "device_id": (2, "SHARED_DEVICE"),
    "address": (3, "ADDRESS_VELOCITY"),
}
INQUIRY_BURST: Final = 7
_PHONE_NOISE: Final = re.compile(r"[^\d+]")


def normalize_phone(phone: str) -> str:
    """The phone with spacing and punctuation removed (`+1 (415) 555-0123` -> `+14155550123`)."""
    return _PHONE_NOISE.sub("", phone)


@dataclass(frozen=True, slots=True)
class ApplicationRecord:
    """What velocity checks remember of one application (normalized for matching)."""

    email: str
    phone: str
    device_id: str | None
    address_key: str
    name: str
    date_of_birth: date
    at: datetime
    isolated: bool = False  # a tagged test identity: kept out of the velocity checks

    @classmethod
    def from_identity(
        cls, identity: Identity, *, at: datetime, device_id: str | None = None
    ) -> ApplicationRecord:
        """The record of an application by `identity` at `at` (device from the confirm call)."""
        return cls(
            email=identity_key(identity.email),
            phone=normalize_phone(identity.phone),
            device_id=device_id if device_id is not None else identity.device_id,
            address_key=address_key(identity.address),
            name=identity.name,
            date_of_birth=identity.date_of_birth,
            at=at,
            isolated=isolated_from_velocity(identity.email_tag),
        )

    def value(self, attribute: VelocityAttribute) -> str | None:
        """The record's value for a velocity attribute (None when it has none)."""
        match attribute:
            case "email":
                return self.email
            case "phone":
                return self.phone or None
            case "device_id":
                return self.device_id or None
            case "address":
                return self.address_key or None


class VelocityStore(Protocol):
    """Where application records are kept; the server provides a database-backed one."""

    def record(self, application: ApplicationRecord) -> None:
        """Remember an application."""

    def count(
        self,
        attribute: VelocityAttribute,
        value: str,
        *,
        since: datetime,
        until: datetime,
        distinct_emails: bool = False,
    ) -> int:
        """Applications with `attribute == value` and `since < at <= until`.

        With `distinct_emails`, count the distinct applicant emails among them instead.
        """
        ...


class InMemoryVelocityStore:
    """A velocity store in a dict, for tests and a single in-process sandbox."""

    def __init__(self) -> None:
        self._by_value: dict[tuple[VelocityAttribute, str], list[ApplicationRecord]] = defaultdict(
            list
        )

    def record(self, application: ApplicationRecord) -> None:
        """Remember an application under each of its attribute values."""
        for attribute in VELOCITY_ATTRIBUTES:
            value = application.value(attribute)
            if value is not None:
                self._by_value[(attribute, value)].append(application)

    def count(
        self,
        attribute: VelocityAttribute,
        value: str,
        *,
        since: datetime,
        until: datetime,
        distinct_emails: bool = False,
    ) -> int:
        """Applications (or distinct emails) with `attribute == value` in `(since, until]`."""
        hits = [r for r in self._by_value.get((attribute, value), ()) if since < r.at <= until]
        return len({r.email for r in hits}) if distinct_emails else len(hits)


@dataclass(frozen=True, slots=True)
class FraudSignals:
    """Velocity counts, whether the file agrees with the applicant, and the raised flags."""

    email_velocity: int
    phone_velocity: int
    device_velocity: int
    address_velocity: int
    identity_mismatch: bool
    flags: tuple[str, ...]

    def to_dict(self) -> dict[str, Any]:
        """The `fraud.*` facts."""
        return {
            "email_velocity": self.email_velocity,
            "phone_velocity": self.phone_velocity,
            "device_velocity": self.device_velocity,
            "address_velocity": self.address_velocity,
            "identity_mismatch": self.identity_mismatch,
            "flags": list(self.flags),
        }


def identity_mismatch(application: ApplicationRecord, report: CreditReport) -> bool:
    """Whether the applicant's name or date of birth disagrees with the bureau file."""
    return not report.matches(application.name, application.date_of_birth)


def _velocities(
    application: ApplicationRecord, store: VelocityStore, *, since: datetime, until: datetime
) -> dict[VelocityAttribute, int]:
    velocities: dict[VelocityAttribute, int] = {}
    for attribute in VELOCITY_ATTRIBUTES:
        value = application.value(attribute)
        velocities[attribute] = (
            0
            if value is None
            else store.count(
                attribute, value, since=since, until=until, distinct_emails=attribute != "email"
            )
        )
    return velocities


def screen(
    application: ApplicationRecord,
    report: CreditReport,
    store: VelocityStore,
    *,
    now: datetime,
    window: timedelta = DEFAULT_WINDOW,
) -> FraudSignals:
    """Record the application, then measure its velocities in `(now - window, now]`.

    A tagged test identity (`application.isolated`) is neither recorded nor counted: its
    velocities are 0, so reused test data never links it to anyone.
    """
    velocities: dict[VelocityAttribute, int] = dict.fromkeys(VELOCITY_ATTRIBUTES, 0)
    if not application.isolated:
        store.record(application)
        velocities = _velocities(application, store, since=now - window, until=now)
    flags = [
        flag
        for attribute, (threshold, flag) in FLAG_THRESHOLDS.items()
        if velocities[attribute] >= threshold
    ]
    mismatch = identity_mismatch(application, report)
    if mismatch:
        flags.append("IDENTITY_MISMATCH")
    if report.summary().hard_inquiries_6m >= INQUIRY_BURST:
        flags.append("INQUIRY_BURST")
    return FraudSignals(
        email_velocity=velocities["email"],
        phone_velocity=velocities["phone"],
        device_velocity=velocities["device_id"],
        address_velocity=velocities["address"],
        identity_mismatch=mismatch,
        flags=tuple(flags),
    )
