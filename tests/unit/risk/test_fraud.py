"""Fraud screening: velocities in and out of the window, distinct applicants, identity checks."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace
from datetime import UTC, date, datetime, timedelta

from mock_server.risk.credit import CreditReport, Inquiry
from mock_server.risk.fraud import (
    ApplicationRecord,
    InMemoryVelocityStore,
    identity_mismatch,
    normalize_phone,
    screen,
)
from mock_server.risk.identity import Identity

NOW = datetime(2026, 6, 15, 12, 0, tzinfo=UTC)
MakeIdentity = Callable[..., Identity]


def _report(
    name: str = "JANE DOE", dob: date = date(1988, 4, 12), inquiries: int = 0
) -> CreditReport:
    hard = tuple(Inquiry("hard", date(2026, 6, 1), "X") for _ in range(inquiries))
    return CreditReport(700, (), hard, 0, False, NOW, "hard", name, dob, "USD")


def test_first_application_counts_itself(identity: Identity) -> None:
    store = InMemoryVelocityStore()
    record = ApplicationRecord.from_identity(identity, at=NOW)
    signals = screen(record, _report(), store, now=NOW)
    assert (
        signals.email_velocity,
        signals.phone_velocity,
        signals.device_velocity,
        signals.address_velocity,
    ) == (1, 1, 1, 1)
    assert signals.flags == ()
    assert not signals.identity_mismatch


def test_email_velocity_counts_retries_of_the_same_mailbox(make_identity: MakeIdentity) -> None:
    store = InMemoryVelocityStore()
    emails = ["jane@example.com", "Jane@example.com", "jane@EXAMPLE.com"]
    for minutes, email in enumerate(emails):
        record = ApplicationRecord.from_identity(
            make_identity(email), at=NOW + timedelta(minutes=minutes)
        )
        signals = screen(record, _report(), store, now=record.at)
    assert signals.email_velocity == 3
    # One person retrying is not a shared device.
    assert (signals.device_velocity, signals.phone_velocity) == (1, 1)


def test_shared_device_counts_distinct_applicants(make_identity: MakeIdentity) -> None:
    store = InMemoryVelocityStore()
    for n in range(3):
        identity = make_identity(f"ring{n}@example.com", phone=f"+1415555000{n}")
        record = ApplicationRecord.from_identity(identity, at=NOW, device_id="dev_shared")
        signals = screen(record, _report(), store, now=NOW)
    assert signals.device_velocity == 3
    assert signals.phone_velocity == 1
    assert signals.address_velocity == 3
    assert signals.flags == ("SHARED_DEVICE", "ADDRESS_VELOCITY")


def test_applications_outside_the_window_do_not_count(make_identity: MakeIdentity) -> None:
    store = InMemoryVelocityStore()
    old = ApplicationRecord.from_identity(
        make_identity("a@example.com"), at=NOW - timedelta(hours=25)
    )
    edge = ApplicationRecord.from_identity(
        make_identity("b@example.com"), at=NOW - timedelta(hours=24)
    )
    inside = ApplicationRecord.from_identity(
        make_identity("c@example.com"), at=NOW - timedelta(hours=23)
    )
    for record in (old, edge, inside):
        store.record(record)
    current = ApplicationRecord.from_identity(make_identity("d@example.com"), at=NOW)
    signals = screen(current, _report(), store, now=NOW)
    # The window is (now - 24h, now]: the one exactly 24 h old has left it.
    assert signals.device_velocity == 2
    assert signals.phone_velocity == 2
    later = screen(
        replace(current, at=NOW + timedelta(hours=30)),
        _report(),
        store,
        now=NOW + timedelta(hours=30),
    )
    assert later.device_velocity == 1


def test_a_custom_window_widens_the_count(make_identity: MakeIdentity) -> None:
    store = InMemoryVelocityStore()
    store.record(
        ApplicationRecord.from_identity(make_identity("a@example.com"), at=NOW - timedelta(days=5))
    )
    current = ApplicationRecord.from_identity(make_identity("b@example.com"), at=NOW)
    assert screen(current, _report(), store, now=NOW, window=timedelta(days=7)).device_velocity == 2


def test_no_device_id_means_no_device_velocity(make_identity: MakeIdentity) -> None:
    store = InMemoryVelocityStore()
    record = ApplicationRecord.from_identity(make_identity(device_id=None), at=NOW)
    assert screen(record, _report(), store, now=NOW).device_velocity == 0


def test_identity_mismatch_on_name_or_birth_date(identity: Identity) -> None:
    record = ApplicationRecord.from_identity(identity, at=NOW)
    assert not identity_mismatch(record, _report("DOE, JANE"))
    assert identity_mismatch(record, _report("JOHN SMITH"))
    assert identity_mismatch(record, _report(dob=date(1979, 4, 12)))
    signals = screen(record, _report("JOHN SMITH"), InMemoryVelocityStore(), now=NOW)
    assert signals.identity_mismatch
    assert "IDENTITY_MISMATCH" in signals.flags


def test_inquiry_burst_is_flagged(identity: Identity) -> None:
    record = ApplicationRecord.from_identity(identity, at=NOW)
    signals = screen(record, _report(inquiries=7), InMemoryVelocityStore(), now=NOW)
    assert signals.flags == ("INQUIRY_BURST",)


def test_phone_and_address_are_normalized(make_identity: MakeIdentity) -> None:
    assert normalize_phone("+1 (415) 555-0123") == "+14155550123"
    store = InMemoryVelocityStore()
    first = make_identity("a@example.com", phone="+1 415 555 0123")
    second = make_identity(
        "b@example.com",
        phone="+1 (415) 555-0123",
        address={"line1": "1 MARKET ST.", "city": "SF", "postal_code": "94105", "country": "us"},
    )
    screen(ApplicationRecord.from_identity(first, at=NOW), _report(), store, now=NOW)
    signals = screen(ApplicationRecord.from_identity(second, at=NOW), _report(), store, now=NOW)
    assert (signals.phone_velocity, signals.address_velocity) == (2, 2)
