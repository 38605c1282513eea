"""Adverse-action reason codes: why an application was declined, reviewed or priced as it was."""

from __future__ import annotations

from enum import StrEnum
from typing import Final


class ReasonCode(StrEnum):
    """A reason code the scorecard or the shipped credit policy can give."""

    # Scorecard reasons, one per scored attribute.
    LOW_CREDIT_SCORE = "LOW_CREDIT_SCORE"
    HIGH_UTILIZATION = "HIGH_UTILIZATION"
    RECENT_DELINQUENCY = "RECENT_DELINQUENCY"
    TOO_MANY_INQUIRIES = "TOO_MANY_INQUIRIES"
    SHORT_CREDIT_HISTORY = "SHORT_CREDIT_HISTORY"
    INSUFFICIENT_CREDIT_FILE = "INSUFFICIENT_CREDIT_FILE"
    LOW_INCOME = "LOW_INCOME"
    PUBLIC_RECORD = "PUBLIC_RECORD"
    # Policy reasons.
    FILE_FROZEN = "FILE_FROZEN"
    IDENTITY_MISMATCH = "IDENTITY_MISMATCH"
    APPLICANT_UNDERAGE = "APPLICANT_UNDERAGE"
    DEVICE_VELOCITY = "DEVICE_VELOCITY"
    SHARED_DEVICE = "SHARED_DEVICE"
    PHONE_VELOCITY = "PHONE_VELOCITY"
    ADDRESS_VELOCITY = "ADDRESS_VELOCITY"
    EMAIL_VELOCITY = "EMAIL_VELOCITY"
    SERIOUS_DELINQUENCY = "SERIOUS_DELINQUENCY"
    BORDERLINE_SCORE = "BORDERLINE_SCORE"
    LOW_SCORECARD_POINTS = "LOW_SCORECARD_POINTS"
    AMOUNT_OVER_LIMIT = "AMOUNT_OVER_LIMIT"
    AMOUNT_TOO_HIGH = "AMOUNT_TOO_HIGH"
    NO_INCOME = "NO_INCOME"
    INCOME_VERIFICATION = "INCOME_VERIFICATION"
    PRIME_TIER = "PRIME_TIER"
    NEAR_PRIME_TIER = "NEAR_PRIME_TIER"
    SUBPRIME_TIER = "SUBPRIME_TIER"
    RISK_TIER_WORSENED = "RISK_TIER_WORSENED"


REASON_TEXT: Final[dict[ReasonCode, str]] = {
    ReasonCode.LOW_CREDIT_SCORE: "Credit score is too low",
    ReasonCode.HIGH_UTILIZATION: "Balances on revolving accounts are too high compared to limits",
    ReasonCode.RECENT_DELINQUENCY: "Delinquency on accounts in the last 24 months",
    ReasonCode.TOO_MANY_INQUIRIES: "Too many recent inquiries for credit",
    ReasonCode.SHORT_CREDIT_HISTORY: "Length of credit history is too short",
    ReasonCode.INSUFFICIENT_CREDIT_FILE: "Insufficient number of credit accounts",
    ReasonCode.LOW_INCOME: "Income is insufficient for the amount of credit requested",
    ReasonCode.PUBLIC_RECORD: "Public record on file",
    ReasonCode.FILE_FROZEN: "Credit file is frozen at the bureau",
    ReasonCode.IDENTITY_MISMATCH: "Identity could not be verified against the credit file",
    ReasonCode.APPLICANT_UNDERAGE: "Applicant does not meet the minimum age",
    ReasonCode.DEVICE_VELOCITY: "Too many applicants from the same device",
    ReasonCode.SHARED_DEVICE: "Device used by another applicant",
    ReasonCode.PHONE_VELOCITY: "Phone number used by other applicants",
    ReasonCode.ADDRESS_VELOCITY: "Too many applicants at the same address",
    ReasonCode.EMAIL_VELOCITY: "Too many applications with the same email",
    ReasonCode.SERIOUS_DELINQUENCY: "Serious or repeated delinquency",
    ReasonCode.BORDERLINE_SCORE: "Credit score needs a manual review",
    ReasonCode.LOW_SCORECARD_POINTS: "Overall credit assessment is too weak",
    ReasonCode.AMOUNT_OVER_LIMIT: "Amount exceeds the credit limit available",
    ReasonCode.AMOUNT_TOO_HIGH: "Amount exceeds the maximum financed",
    ReasonCode.NO_INCOME: "No verifiable income",
    ReasonCode.INCOME_VERIFICATION: "Income needs to be verified for this amount",
    ReasonCode.PRIME_TIER: "Approved at prime pricing",
    ReasonCode.NEAR_PRIME_TIER: "Approved at near-prime pricing",
    ReasonCode.SUBPRIME_TIER: "Approved at subprime pricing",
    ReasonCode.RISK_TIER_WORSENED: "Credit file now prices above the rate disclosed in the offer",
}


def describe(code: str) -> str:
    """Human text for a reason code (the code itself when it is not one of ours)."""
    try:
        return REASON_TEXT[ReasonCode(code)]
    except ValueError:
        return code
