"""The same code on PostgreSQL by URL: a throwaway local cluster runs a whole flow and a race.

Skipped when the PostgreSQL server binaries, the psycopg driver or a `postgres` user to run the
cluster as (initdb refuses root) are not on the machine.
"""

from __future__ import annotations

import asyncio
import os
import pwd
import shutil
import socket
import subprocess
import tempfile
from collections.abc import AsyncIterator, Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest

from mock_server.app import create_app
from mock_server.settings import Settings

pytest.importorskip("psycopg")


def _binary(name: str) -> str | None:
    found = shutil.which(name)
    if found:
        return found
    for candidate in sorted(Path("/usr/lib/postgresql").glob(f"*/bin/{name}"), reverse=True):
        return str(candidate)
    return None


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port: int = sock.getsockname()[1]
        return port


@pytest.fixture(scope="module")
def postgres_url() -> Iterator[str]:
    initdb, pg_ctl = _binary("initdb"), _binary("pg_ctl")
    if initdb is None or pg_ctl is None:
        pytest.skip("PostgreSQL server binaries are not installed")
    try:
        user = pwd.getpwnam("postgres")
    except KeyError:
        pytest.skip("no postgres user to run a cluster as")
    as_user = ["runuser", "-u", "postgres", "--"] if os.geteuid() == 0 else []
    if os.geteuid() != 0 and os.geteuid() != user.pw_uid:
        pytest.skip("cannot run a cluster as the postgres user")
    root = Path(tempfile.mkdtemp(prefix="installo-pg-"))
    os.chown(root, user.pw_uid, user.pw_gid)
    data, port = root / "data", _free_port()
    try:
        subprocess.run(
            [*as_user, initdb, "-D", str(data), "-U", "postgres", "--auth=trust", "-E", "UTF8"],
            check=True,
            capture_output=True,
        )
        options = f"-p {port} -k {root} -c listen_addresses=127.0.0.1 -c fsync=off"
        subprocess.run(
            [*as_user, pg_ctl, "-D", str(data), "-o", options, "-l", str(root / "log"), "-w",
             "start"],
            check=True,
            capture_output=True,
        )  # fmt: skip
        yield f"postgresql+psycopg://postgres@127.0.0.1:{port}/postgres"
    finally:
        subprocess.run(
            [*as_user, pg_ctl, "-D", str(data), "-m", "immediate", "stop"],
            check=False,
            capture_output=True,
        )
        shutil.rmtree(root, ignore_errors=True)


@pytest.fixture
async def pg_client(postgres_url: str) -> AsyncIterator[httpx.AsyncClient]:
    app = create_app(Settings(db=postgres_url, seed=7, webhook_worker=False))
    try:
        transport = httpx.ASGITransport(app=app)
        headers = {"Authorization": "Bearer sk_test_demo"}
        async with httpx.AsyncClient(
            transport=transport, base_url="http://pg.test", headers=headers
        ) as client:
            yield client
    finally:
        app.state.sandbox.close()


async def test_whole_flow_on_postgres(pg_client: httpx.AsyncClient, kit: Any) -> None:
    people = (await pg_client.get("/v1/sandbox/personas", params={"tier": "prime"})).json()
    customer = kit.persona_identity(people["data"][0], kit.tagged(people["data"][0], "approve"))
    checkout = (await pg_client.post("/v1/checkouts", json=kit.cart(customer=customer))).json()
    offer = next(o["id"] for o in checkout["offers"] if o["plan"] == "monthly_12")
    confirmed = await pg_client.post(
        f"/v1/checkouts/{checkout['id']}/confirm", json={"offer": offer, "consent": True}
    )
    assert confirmed.json()["status"] == "approved"
    loan_path = f"/v1/loans/{confirmed.json()['loan']}"
    assert (await pg_client.post(f"{loan_path}/capture", json={})).json()["status"] == "active"
    refunded = (await pg_client.post(f"{loan_path}/refunds", json={"amount": 120_000})).json()
    assert refunded["status"] == "refunded"
    events = (await pg_client.get("/v1/events", params={"limit": 3})).json()["data"]
    assert events[0]["type"] == "loan.refunded"


async def test_idempotency_race_on_postgres(pg_client: httpx.AsyncClient, kit: Any) -> None:
    body = kit.cart(customer=kit.identity("race@example.com"))
    responses = await asyncio.gather(
        *(
            pg_client.post("/v1/checkouts", json=body, headers={"Idempotency-Key": "pg-race"})
            for _ in range(30)
        )
    )
    created = {r.json()["id"] for r in responses if r.status_code == 201}
    assert len(created) == 1
    assert all(r.status_code in (201, 409) for r in responses)
