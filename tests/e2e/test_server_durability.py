"""A real `mock-server` process on a file database: acknowledged writes survive SIGKILL."""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import httpx
import pytest

AUTH = {"Authorization": "Bearer sk_test_demo"}


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port: int = sock.getsockname()[1]
        return port


def server_command() -> list[str]:
    script = Path(sys.executable).with_name("mock-server")
    return [str(script)] if script.exists() else [sys.executable, "-m", "mock_server"]


@contextmanager
def running_server(db: Path, port: int, log: Path) -> Iterator[subprocess.Popen[bytes]]:
    with log.open("ab") as out:
        process = subprocess.Popen(
            [*server_command(), "--port", str(port), "--db", f"sqlite:///{db}", "--seed", "3"],
            stdout=out,
            stderr=subprocess.STDOUT,
            env={**os.environ, "PYTHONUNBUFFERED": "1"},
        )
    try:
        wait_until_up(port, process, log)
        yield process
    finally:
        if process.poll() is None:
            process.kill()
        process.wait()


def wait_until_up(port: int, process: subprocess.Popen[bytes], log: Path) -> None:
    for _ in range(600):  # a start-up wait, not a speed check
        if process.poll() is not None:
            pytest.fail(f"mock-server exited: {log.read_text()}")
        try:
            if httpx.get(f"http://127.0.0.1:{port}/healthz").status_code == 200:
                return
        except httpx.TransportError:
            time.sleep(0.1)
    pytest.fail(f"mock-server did not answer: {log.read_text()}")


def approved_checkout(client: httpx.Client, n: int) -> dict[str, Any]:
    people = client.get("/v1/sandbox/personas", params={"tier": "prime", "limit": 10}).json()
    persona = people["data"][n]
    local, _, domain = persona["email"].partition("@")
    customer = {
        key: persona[key]
        for key in ("name", "phone", "date_of_birth", "address", "national_id_last4", "locale")
    }
    customer["email"] = f"{local}+approve@{domain}"
    body = {
        "items": [{"sku": f"sku-{n}", "name": "Lamp", "unit_amount": 40_000, "quantity": 1}],
        "amount": 40_000,
        "currency": "USD",
        "customer": customer,
    }
    checkout = client.post("/v1/checkouts", json=body).json()
    offer = next(o["id"] for o in checkout["offers"] if o["plan"] == "monthly_6_0apr")
    confirmed = client.post(
        f"/v1/checkouts/{checkout['id']}/confirm", json={"offer": offer, "consent": True}
    )
    assert confirmed.status_code == 200, confirmed.text
    result: dict[str, Any] = confirmed.json()
    return result


def test_acknowledged_checkouts_and_loans_survive_sigkill(tmp_path: Path) -> None:
    db, log, port = tmp_path / "sandbox.db", tmp_path / "server.log", free_port()
    acknowledged: dict[str, Any] = {}
    with running_server(db, port, log) as process:
        with httpx.Client(base_url=f"http://127.0.0.1:{port}", headers=AUTH) as client:
            for n in range(5):
                checkout = approved_checkout(client, n)
                assert checkout["status"] == "approved"
                loan_path = f"/v1/loans/{checkout['loan']}"
                if n % 2 == 0:
                    loan = client.post(f"{loan_path}/capture", json={"amount": 30_000})
                else:
                    loan = client.get(loan_path)
                assert loan.status_code == 200
                acknowledged[checkout["id"]] = checkout
                acknowledged[checkout["loan"]] = loan.json()
        process.send_signal(signal.SIGKILL)
        process.wait()
    text = log.read_text()
    assert f"Installo lending sandbox on http://127.0.0.1:{port}" in text
    assert "Authorization: Bearer sk_test_demo" in text  # the banner says how to call it
    access = [line for line in text.splitlines() if "request_id=req_" in line]
    assert any("POST /v1/checkouts 201" in line for line in access)
    assert not any("sk_test" in line or "Bearer" in line for line in access)
    with (
        running_server(db, port, log),
        httpx.Client(base_url=f"http://127.0.0.1:{port}", headers=AUTH) as client,
    ):
        for object_id, before in acknowledged.items():
            kind = "loans" if object_id.startswith("loan_") else "checkouts"
            after = client.get(f"/v1/{kind}/{object_id}")
            assert after.status_code == 200, object_id
            assert after.json() == before
        listed = client.get("/v1/loans", params={"status": "active"}).json()["data"]
        assert len(listed) == 3


def test_reset_after_commit_drops_the_socket_and_the_retry_gets_the_stored_answer(
    tmp_path: Path,
) -> None:
    db, log, port = tmp_path / "faults.db", tmp_path / "server.log", free_port()
    body = {
        "items": [{"sku": "f-1", "name": "Kettle", "unit_amount": 9_000, "quantity": 1}],
        "amount": 9_000,
        "currency": "USD",
        "customer": {
            "email": "kettle@example.com", "name": "Kit Tle", "phone": "+15555550111",
            "date_of_birth": "1990-02-03", "national_id_last4": "1111",
            "address": {"line1": "1 Main St", "city": "Austin", "postal_code": "73301",
                        "country": "US"},
        },
    }  # fmt: skip
    with (
        running_server(db, port, log),
        httpx.Client(base_url=f"http://127.0.0.1:{port}", headers=AUTH) as client,
    ):
        faulty = {"Idempotency-Key": "kettle-1", "Installo-Sandbox-Fault": "after_commit=reset"}
        with pytest.raises(httpx.RemoteProtocolError):
            client.post("/v1/checkouts", json=body, headers=faulty)
        retry = client.post("/v1/checkouts", json=body, headers={"Idempotency-Key": "kettle-1"})
        assert (retry.status_code, retry.headers["Idempotent-Replayed"]) == (201, "true")
        listed = client.get("/v1/checkouts").json()["data"]
        assert [c["id"] for c in listed] == [retry.json()["id"]]
        unavailable = client.get("/v1/loans", headers={"Installo-Sandbox-Fault": "status=503"})
        assert unavailable.status_code == 503
