"""Application facts: the plain nested dict the credit policy's rules are evaluated over.

The paths are fixed by docs/internals.md; a credit policy naming a path outside
`CREDIT_FACT_FIELDS` fails validation.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import date
from typing import Any, Final

from mock_server.domain.money import get_currency, to_usd_minor
from mock_server.risk.credit import CreditReport, CreditSummary
from mock_server.risk.fraud import FraudSignals
from mock_server.risk.identity import age_on
from mock_server.risk.personas import Person
from mock_server.risk.scorecard import ScoreResult

CREDIT_FACT_FIELDS: Final[frozenset[str]] = frozenset(
    {
        "amount",
        "currency",
        "amount_usd",
        "applicant.age",
        "applicant.income_annual_usd",
        "applicant.employment_status",
        "applicant.months_at_address",
        "applicant.locale",
        "applicant.email_tag",
        "credit.score",
        "credit.frozen",
        "credit.thin_file",
        "credit.tradeline_count",
        "credit.oldest_tradeline_months",
        "credit.utilization_bps",
        "credit.hard_inquiries_6m",
        "credit.delinquencies_24m",
        "credit.months_since_delinquency",
        "credit.public_records",
        "credit.total_balance_usd",
        "score.points",
        "score.reason_codes",
        "score.probability_bad_bps",
        "fraud.email_velocity",
        "fraud.phone_velocity",
        "fraud.device_velocity",
        "fraud.address_velocity",
        "fraud.identity_mismatch",
        "fraud.flags",
        "cart.item_count",
        "cart.max_unit_amount_usd",
        "merchant.mcc",
        "merchant.country",
    }
)


def _cart_facts(cart: Sequence[Mapping[str, Any]], currency: str) -> dict[str, int]:
    count = sum(int(item.get("quantity", 1)) for item in cart)
    units = [int(item["unit_amount"]) for item in cart]
    return {
        "item_count": count,
        "max_unit_amount_usd": to_usd_minor(max(units), currency) if units else 0,
    }


def build_credit_facts(
    *,
    amount: int,
    currency: str,
    person: Person,
    report: CreditReport,
    score: ScoreResult,
    fraud: FraudSignals,
    cart: Sequence[Mapping[str, Any]],
    merchant: Mapping[str, Any],
    on: date,
) -> dict[str, Any]:
    """The facts of one credit application, as the table in docs/internals.md defines them.

    `cart` holds the checkout's items (`unit_amount` in `currency`, `quantity`); `merchant`
    needs `mcc` and `country`; `on` is the decision date (sandbox time).
    """
    code = get_currency(currency).code
    return {
        "amount": amount,
        "currency": code,
        "amount_usd": to_usd_minor(amount, code),
        "applicant": _applicant_facts(person, on),
        "credit": _credit_facts(report.summary()),
        "score": {
            "points": score.points,
            "reason_codes": list(score.reason_codes),
            "probability_bad_bps": score.probability_bad_bps,
        },
        "fraud": fraud.to_dict(),
        "cart": _cart_facts(cart, code),
        "merchant": {"mcc": str(merchant["mcc"]), "country": str(merchant["country"])},
    }


def _applicant_facts(person: Person, on: date) -> dict[str, Any]:
    identity = person.identity
    return {
        "age": age_on(identity.date_of_birth, on),
        "income_annual_usd": to_usd_minor(person.income_annual, person.income_currency),
        "employment_status": person.employment_status,
        "months_at_address": person.months_at_address,
        "locale": identity.locale,
        "email_tag": identity.email_tag,
    }


def _credit_facts(summary: CreditSummary) -> dict[str, Any]:
    return {
        "score": summary.score,
        "frozen": summary.frozen,
        "thin_file": summary.thin_file,
        "tradeline_count": summary.tradeline_count,
        "oldest_tradeline_months": summary.oldest_tradeline_months,
        "utilization_bps": summary.utilization_bps,
        "hard_inquiries_6m": summary.hard_inquiries_6m,
        "delinquencies_24m": summary.delinquencies_24m,
        "months_since_delinquency": summary.months_since_delinquency,
        "public_records": summary.public_records,
        "total_balance_usd": summary.total_balance_usd,
    }
