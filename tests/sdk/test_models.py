"""Models: typed fields, and tolerance to fields and enum values a newer server may add."""

from __future__ import annotations

from datetime import UTC, date, datetime

from installo.testing import (
    checkout_object,
    decision_object,
    event_object,
    loan_object,
)
from installo.types import (
    Checkout,
    CheckoutStatus,
    DecisionOutcome,
    Event,
    InstallmentStatus,
    Loan,
    LoanStatus,
    Merchant,
    Persona,
    WebhookEndpoint,
)


def test_checkout_parses_money_as_int_dates_and_enums() -> None:
    checkout = Checkout.model_validate(checkout_object(amount=129900))
    assert checkout.amount == 129900 and isinstance(checkout.amount, int)
    assert checkout.created == datetime(2026, 1, 15, 12, tzinfo=UTC)
    assert checkout.status is CheckoutStatus.OPEN
    offer = checkout.offers[0]
    assert offer.first_due_date == date(2026, 1, 15)
    assert sum(entry.principal for entry in offer.schedule) == offer.amount_financed == 129900
    assert offer.schedule[0].status is InstallmentStatus.UPCOMING


def test_unknown_fields_are_kept_not_rejected() -> None:
    checkout = Checkout.model_validate(checkout_object(risk_band="B2", nested={"x": 1}))
    assert checkout.model_extra == {"risk_band": "B2", "nested": {"x": 1}}


def test_unknown_enum_values_are_accepted_and_compare_as_strings() -> None:
    loan = Loan.model_validate(loan_object(status="in_collections"))
    assert loan.status == "in_collections"
    assert isinstance(loan.status, LoanStatus)
    assert loan.status not in (LoanStatus.ACTIVE, LoanStatus.PAID_OFF)
    assert loan.to_dict()["status"] == "in_collections"


def test_known_enum_values_are_the_members() -> None:
    checkout = Checkout.model_validate(
        checkout_object(status="declined", decision=decision_object("decline", ["LOW_SCORE"]))
    )
    assert checkout.status is CheckoutStatus.DECLINED
    assert checkout.decision is not None
    assert checkout.decision.outcome is DecisionOutcome.DECLINE
    assert checkout.decision.reason_codes == ["LOW_SCORE"]
    assert checkout.decision.rules_fired[0].reason_code == "LOW_SCORE"


def test_unknown_decision_outcome_and_installment_status_parse() -> None:
    body = checkout_object(decision={**decision_object("approve"), "outcome": "refer"})
    body["offers"][0]["schedule"][0]["status"] = "waived"
    checkout = Checkout.model_validate(body)
    assert checkout.decision is not None and checkout.decision.outcome == "refer"
    assert checkout.offers[0].schedule[0].status == "waived"


def test_event_data_object_parses_as_its_model() -> None:
    loan = loan_object(status="active", captured_amount=129900)
    event = Event.model_validate(event_object("loan.captured", loan))
    parsed = event.data_object()
    assert isinstance(parsed, Loan)
    assert parsed.captured_amount == 129900


def test_event_of_an_unknown_object_type_still_parses() -> None:
    event = Event.model_validate(event_object("dispute.opened", {"object": "dispute", "id": "d1"}))
    assert event.type == "dispute.opened"
    assert event.data_object().model_extra == {"object": "dispute", "id": "d1"}


def test_secrets_are_left_out_of_reprs() -> None:
    merchant = Merchant.model_validate(
        {
            "id": "mer_1",
            "object": "merchant",
            "status": "active",
            "legal_name": "Acme",
            "secret_key": "sk_test_very_secret_1",
        }
    )
    endpoint = WebhookEndpoint.model_validate(
        {"id": "whe_1", "object": "webhook_endpoint", "url": "https://a.test", "secret": "whsec_x1"}
    )
    assert merchant.secret_key == "sk_test_very_secret_1"
    assert "sk_test_very_secret_1" not in repr(merchant)
    assert "whsec_x1" not in repr(endpoint)
    assert endpoint.enabled_events == ["*"]


def test_persona_becomes_an_inline_customer_body() -> None:
    persona = Persona.model_validate(
        {
            "id": "per_1", "object": "persona", "tier": "prime", "ring_id": None,
            "email": "p@example.com", "name": "Pat Doe", "phone": "+15555550100",
            "date_of_birth": "1990-02-03", "national_id_last4": "1234", "locale": "en_US",
            "device_id": None,
            "address": {"line1": "1 Main", "line2": None, "city": "X", "region": None,
                        "postal_code": "1", "country": "US"},
        }
    )  # fmt: skip
    assert persona.as_customer() == {
        "email": "p@example.com",
        "name": "Pat Doe",
        "phone": "+15555550100",
        "date_of_birth": "1990-02-03",
        "national_id_last4": "1234",
        "locale": "en_US",
        "address": {"line1": "1 Main", "city": "X", "postal_code": "1", "country": "US"},
    }
