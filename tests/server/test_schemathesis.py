"""Property-based API tests: schemathesis drives every operation from /openapi.json.

Generated requests must never produce a 5xx, and every answer must match the documented schema.
Merchant operations run with the demo merchant's key, lender operations (`/v1/admin`) with the
admin key, so both get past authentication. The number of examples per operation is bounded so
the suite stays quick.
"""

from __future__ import annotations

from typing import Any

import schemathesis
from hypothesis import HealthCheck, settings
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    response_schema_conformance,
    status_code_conformance,
)

from mock_server.app import create_app
from mock_server.settings import Settings

APP = create_app(Settings(db="sqlite://", seed=11, webhook_worker=False))
SCHEMA = schemathesis.openapi.from_asgi("/openapi.json", APP)
MERCHANT_SCHEMA = SCHEMA.exclude(path_regex="^/v1/admin")
ADMIN_SCHEMA = SCHEMA.include(path_regex="^/v1/admin")
AUTH = {"Authorization": "Bearer sk_test_demo"}
ADMIN_AUTH = {"Authorization": "Bearer admin_test_demo"}
CHECKS = [
    not_a_server_error,
    status_code_conformance,
    content_type_conformance,
    response_schema_conformance,
]


@MERCHANT_SCHEMA.parametrize()
@settings(
    max_examples=12,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.filter_too_much],
)
def test_no_server_errors_and_responses_match_the_schema(case: Any) -> None:
    case.call_and_validate(headers=AUTH, checks=CHECKS)


@ADMIN_SCHEMA.parametrize()
@settings(
    max_examples=12,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.filter_too_much],
)
def test_admin_operations_with_the_admin_key_never_fail_on_the_server(case: Any) -> None:
    case.call_and_validate(headers=ADMIN_AUTH, checks=CHECKS)
