"""Loan states and the domain error for a refused transition."""

from __future__ import annotations

from enum import StrEnum
from typing import Final

__all__ = [
    "CHARGE_OFF_DAYS",
    "DELINQUENT_DAYS",
    "SERVICING",
    "InvalidTransition",
    "LoanStatus",
    "delinquency_status",
    "refusal",
]


class LoanStatus(StrEnum):
    """Where a loan is in its life."""

    AUTHORIZED = "authorized"
    ACTIVE = "active"
    LATE = "late"
    DELINQUENT = "delinquent"
    CHARGED_OFF = "charged_off"
    PAID_OFF = "paid_off"
    VOIDED = "voided"
    EXPIRED = "expired"
    REFUNDED = "refunded"


class InvalidTransition(Exception):
    """A loan operation is not allowed in the loan's current state (the API answers 409).

    ``code`` is machine-readable (``loan_already_voided``, ``refund_exceeds_captured``, ...);
    ``message`` says what happened in words a merchant developer can act on.
    """

    def __init__(self, code: str, message: str) -> None:
        self.code = code
        self.message = message
        super().__init__(message)


DELINQUENT_DAYS: Final = 30
CHARGE_OFF_DAYS: Final = 120

# Captured and still owed: the states in which a loan is serviced.
SERVICING: Final = frozenset({LoanStatus.ACTIVE, LoanStatus.LATE, LoanStatus.DELINQUENT})

# Delinquency severity, for curing a loan back down the ladder.
SEVERITY: Final = {LoanStatus.ACTIVE: 0, LoanStatus.LATE: 1, LoanStatus.DELINQUENT: 2}

_REFUSALS: Final = {
    LoanStatus.AUTHORIZED: ("loan_not_captured", "loan is authorized but not captured"),
    LoanStatus.ACTIVE: ("loan_already_captured", "loan is already captured"),
    LoanStatus.LATE: ("loan_already_captured", "loan is already captured"),
    LoanStatus.DELINQUENT: ("loan_already_captured", "loan is already captured"),
    LoanStatus.VOIDED: ("loan_already_voided", "loan is voided"),
    LoanStatus.EXPIRED: ("loan_authorization_expired", "loan authorization expired"),
    LoanStatus.PAID_OFF: ("loan_already_paid_off", "loan is paid off"),
    LoanStatus.REFUNDED: ("loan_already_refunded", "loan is fully refunded"),
    LoanStatus.CHARGED_OFF: ("loan_charged_off", "loan is charged off"),
}


def refusal(status: LoanStatus, action: str) -> InvalidTransition:
    """The error for attempting ``action`` on a loan in ``status``."""
    code, reason = _REFUSALS[status]
    return InvalidTransition(code, f"cannot {action}: {reason}")


def delinquency_status(days_past_due: int, grace_days: int) -> LoanStatus:
    """Where a serviced loan stands on the delinquency ladder.

    Within ``grace_days`` past due: ``active``; beyond them: ``late``; from ``DELINQUENT_DAYS``
    (30): ``delinquent``; from ``CHARGE_OFF_DAYS`` (120): ``charged_off``.
    """
    if days_past_due >= CHARGE_OFF_DAYS:
        return LoanStatus.CHARGED_OFF
    if days_past_due <= grace_days:
        return LoanStatus.ACTIVE
    return LoanStatus.DELINQUENT if days_past_due >= DELINQUENT_DAYS else LoanStatus.LATE
