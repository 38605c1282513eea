"""Personas, bureau-style credit reports, the scorecard and fraud signals."""

from mock_server.risk.assessment import Assessment, assess_application, score_report
from mock_server.risk.credit import (
    CreditReport,
    CreditSummary,
    Inquiry,
    PullType,
    Tradeline,
    generate_credit_report,
)
from mock_server.risk.facts import CREDIT_FACT_FIELDS, build_credit_facts
from mock_server.risk.fraud import (
    ApplicationRecord,
    FraudSignals,
    InMemoryVelocityStore,
    VelocityStore,
    screen,
)
from mock_server.risk.identity import Address, Identity, derive_seed, email_tag, identity_key
from mock_server.risk.personas import (
    Person,
    Persona,
    Tier,
    generate_personas,
    person_for_identity,
    tier_for_identity,
)
from mock_server.risk.reasons import ReasonCode, describe
from mock_server.risk.scorecard import (
    Scorecard,
    ScorecardError,
    ScoreResult,
    load_default_scorecard,
    scorecard_attributes,
)

__all__ = [
    "CREDIT_FACT_FIELDS",
    "Address",
    "ApplicationRecord",
    "Assessment",
    "CreditReport",
    "CreditSummary",
    "FraudSignals",
    "Identity",
    "InMemoryVelocityStore",
    "Inquiry",
    "Person",
    "Persona",
    "PullType",
    "ReasonCode",
    "ScoreResult",
    "Scorecard",
    "ScorecardError",
    "Tier",
    "Tradeline",
    "VelocityStore",
    "assess_application",
    "build_credit_facts",
    "derive_seed",
    "describe",
    "email_tag",
    "generate_credit_report",
    "generate_personas",
    "identity_key",
    "load_default_scorecard",
    "person_for_identity",
    "score_report",
    "scorecard_attributes",
    "screen",
    "tier_for_identity",
]
