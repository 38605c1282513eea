"""The SDK's developer resources against a real sandbox: test clocks, request logs, reset and
snapshots."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
from installo import Installo, NotFoundError
from installo.types import RequestLog, SandboxSnapshot, TestClock


@pytest.fixture
def client(installo_sandbox_url: str) -> Installo:
    return Installo(api_key="sk_test_demo", base_url=installo_sandbox_url, max_retries=0)


def new_customer(client: Installo, clock: str | None = None) -> str:
    persona = client.sandbox.personas(tier="prime", limit=1).data[0]
    customer = client.customers.create(**persona.as_customer(), test_clock=clock)
    assert customer.test_clock == clock
    return customer.id


def test_test_clocks_are_created_advanced_listed_and_deleted(client: Installo) -> None:
    with client:
        clock = client.test_clocks.create(name="sdk", frozen_time=datetime(2031, 5, 1, tzinfo=UTC))
        assert isinstance(clock, TestClock) and clock.id.startswith("clock_")
        customer = new_customer(client, clock.id)
        advanced = client.test_clocks.advance(clock.id, days=10)
        assert advanced.frozen_time == datetime(2031, 5, 11, tzinfo=UTC)
        assert client.test_clocks.retrieve(clock.id).frozen_time == advanced.frozen_time
        assert [c.id for c in client.test_clocks.list().data] == [clock.id]
        assert client.test_clocks.delete(clock.id).deleted is True
        with pytest.raises(NotFoundError):
            client.customers.retrieve(customer)


def test_request_logs_show_the_sdk_request_with_its_request_id(client: Installo) -> None:
    with client:
        made = client.test_clocks.create(name="logged")
        [entry] = [e for e in client.request_logs.list(limit=5).data if e.path == "/v1/test_clocks"]
    assert isinstance(entry, RequestLog)
    assert entry.request_id == made._request_id
    assert entry.method == "POST" and entry.status == 201 and entry.idempotency_key


def test_snapshot_reset_and_restore_round_trip(client: Installo) -> None:
    with client:
        kept = new_customer(client)
        saved = client.sandbox.snapshot("sdk-golden")
        assert isinstance(saved, SandboxSnapshot) and saved.counts["customers"] == 1
        me = client.merchants.me().id
        assert client.sandbox.reset(confirm=me).deleted["customers"] == 1
        assert client.customers.list().data == []
        client.sandbox.restore("sdk-golden")
        assert [c.id for c in client.customers.list().data] == [kept]
