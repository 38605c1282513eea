"""The `installo` pytest plugin is registered through its entry point and its fixtures work."""

from __future__ import annotations

from collections.abc import Iterator
from importlib.metadata import entry_points
from typing import Any

import pytest
from installo import AsyncInstallo, Installo
from installo.testing import MockAPI


def test_plugin_is_registered_as_a_pytest11_entry_point(pytestconfig: pytest.Config) -> None:
    names = {ep.name: ep.value for ep in entry_points(group="pytest11")}
    assert names.get("installo") == "installo.testing.pytest_plugin"
    assert pytestconfig.pluginmanager.has_plugin("installo")


def test_installo_mock_fixture_mocks_the_default_base_url(installo_mock: MockAPI) -> None:
    installo_mock.outcome = "decline"
    with Installo(api_key="sk_test_fixture", base_url=installo_mock.base_url) as client:
        checkout = client.checkouts.create(
            items=[{"sku": "S", "name": "Mug", "unit_amount": 500, "quantity": 1}],
            amount=500,
            currency="USD",
            customer={
                "email": "ada@example.com",
                "name": "Ada Lovelace",
                "phone": "+15555550100",
                "date_of_birth": "1990-12-10",
                "national_id_last4": "1234",
                "address": {
                    "line1": "1 Main St",
                    "city": "Springfield",
                    "region": "IL",
                    "postal_code": "62701",
                    "country": "US",
                },
            },
        )
        decided = client.checkouts.confirm(checkout.id, offer=checkout.offers[0].id)
    assert decided.status == "declined"
    assert decided.decision is not None and decided.decision.reason_codes == ["SANDBOX_DECLINE"]


@pytest.fixture
def after_the_sandbox_is_done() -> Iterator[dict[str, Any]]:
    """Asked for before the sandbox fixtures, so its teardown runs after theirs: it finds the
    sandbox's background threads stopped."""
    seen: dict[str, Any] = {}
    yield seen
    sandbox = seen["app"].state.sandbox
    assert not sandbox.purge.running, "the idempotency purge outlived the test"
    assert not sandbox.dispatcher.running, "the webhook worker outlived the test"


async def test_the_sandbox_app_stops_its_threads_after_an_async_test(
    after_the_sandbox_is_done: dict[str, Any],
    installo_sandbox_app: Any,
    installo_async_client: AsyncInstallo,
) -> None:
    after_the_sandbox_is_done["app"] = installo_sandbox_app
    await installo_async_client.webhook_endpoints.create(
        url="http://127.0.0.1:9/hooks", enabled_events=["*"]
    )
    await installo_async_client.checkouts.list()  # the async client runs no lifespan
    assert installo_sandbox_app.state.sandbox.purge.running
