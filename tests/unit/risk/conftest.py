"""Fixtures for the risk engine's tests."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date

import pytest

from mock_server.risk.identity import Address, Identity

MakeIdentity = Callable[..., Identity]


def _make_identity(email: str = "jane.doe@example.com", **overrides: object) -> Identity:
    fields: dict[str, object] = {
        "email": email,
        "name": "Jane Doe",
        "phone": "+14155550123",
        "date_of_birth": date(1988, 4, 12),
        "address": Address(
            line1="1 Market St",
            line2=None,
            city="San Francisco",
            region="CA",
            postal_code="94105",
            country="US",
        ),
        "national_id_last4": "1234",
        "locale": "en_US",
        "device_id": "dev_test",
    }
    fields.update(overrides)
    return Identity(**fields)  # type: ignore[arg-type]


@pytest.fixture
def make_identity() -> MakeIdentity:
    """Build an ordinary US applicant; keyword overrides replace single fields."""
    return _make_identity


@pytest.fixture
def identity() -> Identity:
    """An ordinary US applicant."""
    return _make_identity()
