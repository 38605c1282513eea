"""Reset and snapshot/restore of a merchant's sandbox data, on SQLite and on PostgreSQL."""

from __future__ import annotations

import os
import pwd
import shutil
import socket
import subprocess
import tempfile
from collections.abc import AsyncIterator, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import httpx
import pytest
from fastapi import FastAPI

from mock_server.app import create_app
from mock_server.settings import Settings

Json = dict[str, Any]
AUTH = {"Authorization": "Bearer sk_test_demo"}
ADMIN = {"Authorization": "Bearer admin_test_demo"}


def _binary(name: str) -> str | None:
    found = shutil.which(name)
    if found:
        return found
    for candidate in sorted(Path("/usr/lib/postgresql").glob(f"*/bin/{name}"), reverse=True):
        return str(candidate)
    return None


@contextmanager
def postgres_cluster() -> Iterator[str]:
    """A throwaway PostgreSQL cluster on loopback (as in tests/server/test_postgres.py)."""
    pytest.importorskip("psycopg")
    initdb, pg_ctl = _binary("initdb"), _binary("pg_ctl")
    if initdb is None or pg_ctl is None:
        pytest.skip("PostgreSQL server binaries are not installed")
    try:
        user = pwd.getpwnam("postgres")
    except KeyError:
        pytest.skip("no postgres user to run a cluster as")
    as_user = ["runuser", "-u", "postgres", "--"] if os.geteuid() == 0 else []
    if os.geteuid() not in (0, user.pw_uid):
        pytest.skip("cannot run a cluster as the postgres user")
    root = Path(tempfile.mkdtemp(prefix="installo-pg-"))
    os.chown(root, user.pw_uid, user.pw_gid)
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    data = root / "data"
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


@pytest.fixture(scope="module", params=["sqlite", "postgresql"])
def database_url(
    request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[str]:
    """A file SQLite database, then a PostgreSQL cluster."""
    if request.param == "sqlite":
        yield f"sqlite:///{tmp_path_factory.mktemp('sandbox') / 'sandbox.db'}"
    else:
        with postgres_cluster() as url:
            yield url


@pytest.fixture
async def db_client(database_url: str) -> AsyncIterator[httpx.AsyncClient]:
    app: FastAPI = create_app(Settings(db=database_url, seed=7, webhook_worker=False))
    try:
        transport = httpx.ASGITransport(app=app)
        async with httpx.AsyncClient(
            transport=transport, base_url="http://sandbox.test", headers=AUTH
        ) as client:
            yield client
    finally:
        app.state.sandbox.close()


async def make_loan(client: httpx.AsyncClient, kit: Any, n: int) -> Json:
    """A captured loan of a new `+approve` customer."""
    identity = kit.identity(f"golden.{n}+approve@example.com", phone=f"+1 415 555 0{n:03d}")
    identity["address"]["line1"] = f"{n} Market St"  # no velocity flag between the loans
    checkout = (await client.post("/v1/checkouts", json=kit.cart(customer=identity))).json()
    offer = next(o["id"] for o in checkout["offers"] if o["plan"] == "monthly_12")
    path = f"/v1/checkouts/{checkout['id']}/confirm"
    confirmed = (await client.post(path, json={"offer": offer, "consent": True})).json()
    assert confirmed["status"] == "approved", confirmed["decision"]
    loan: Json = (await client.post(f"/v1/loans/{confirmed['loan']}/capture", json={})).json()
    return loan


async def state(client: httpx.AsyncClient) -> Json:
    """What the merchant sees: ids of its customers, checkouts, loans and events, and its time."""
    seen: Json = {}
    for kind in ("customers", "checkouts", "loans", "events", "test_clocks"):
        page = (await client.get(f"/v1/{kind}", params={"limit": 100})).json()
        seen[kind] = [o["id"] for o in page["data"]]
    seen["loan_states"] = [
        (o["status"], o["principal_balance"])
        for o in (await client.get("/v1/loans", params={"limit": 100})).json()["data"]
    ]
    return seen


async def merchant_id(client: httpx.AsyncClient) -> str:
    found: str = (await client.get("/v1/merchants/me")).json()["id"]
    return found


async def test_reset_and_snapshot_restore_round_trip(
    db_client: httpx.AsyncClient, kit: Any
) -> None:
    me = await merchant_id(db_client)
    await db_client.post("/v1/sandbox/reset", json={"confirm": me})  # the module shares a database
    await make_loan(db_client, kit, 1)
    await db_client.post("/v1/test_clocks", json={"name": "golden"})
    golden = await state(db_client)
    saved = await db_client.post("/v1/sandbox/snapshots", json={"name": "golden"})
    assert saved.status_code == 201, saved.text
    assert saved.json()["counts"]["loans"] == 1

    later = await make_loan(db_client, kit, 2)
    await db_client.post(f"/v1/loans/{later['id']}/refunds", json={"amount": 10_000})
    await db_client.post("/v1/sandbox/clock/advance", json={"days": 40})
    assert await state(db_client) != golden

    restored = await db_client.post("/v1/sandbox/snapshots/golden/restore")
    assert restored.status_code == 200, restored.text
    assert await state(db_client) == golden
    assert (await db_client.get(f"/v1/loans/{later['id']}")).status_code == 404

    reset = await db_client.post("/v1/sandbox/reset", json={"confirm": me})
    assert reset.status_code == 200, reset.text
    assert reset.json()["deleted"]["loans"] == 1
    emptied = await state(db_client)
    assert all(ids == [] for ids in emptied.values()), emptied
    assert (await db_client.post("/v1/sandbox/snapshots/golden/restore")).status_code == 200
    assert await state(db_client) == golden  # the snapshot outlives a reset


async def test_reset_needs_the_merchant_id_as_confirmation(
    client: httpx.AsyncClient, kit: Any
) -> None:
    await client.post("/v1/customers", json=kit.identity())
    for body in ({}, {"confirm": "yes"}, {"confirm": "mer_someone_else"}):
        response = await client.post("/v1/sandbox/reset", json=body)
        assert response.status_code in (400, 422), response.text
        assert response.json()["error"]["param"] == "confirm"
    assert len((await client.get("/v1/customers")).json()["data"]) == 1


async def test_reset_keeps_the_merchant_keys_settings_and_webhook_endpoints(
    client: httpx.AsyncClient, kit: Any
) -> None:
    endpoint = await client.post(
        "/v1/webhook_endpoints", json={"url": "https://shop.example.com/h"}
    )
    await client.post("/v1/customers", json=kit.identity())
    me = await merchant_id(client)
    assert (await client.post("/v1/sandbox/reset", json={"confirm": me})).status_code == 200
    listed = (await client.get("/v1/webhook_endpoints")).json()["data"]
    assert [e["id"] for e in listed] == [endpoint.json()["id"]]
    assert (await client.get("/v1/customers")).json()["data"] == []


async def test_the_admin_key_resets_any_merchant(
    client: httpx.AsyncClient, anonymous: httpx.AsyncClient, kit: Any
) -> None:
    await client.post("/v1/customers", json=kit.identity())
    me = await merchant_id(client)
    path = f"/v1/admin/merchants/{me}/sandbox/reset"
    refused = await anonymous.post(path, json={"confirm": me}, headers=AUTH)
    assert refused.status_code == 401
    done = await anonymous.post(path, json={"confirm": me}, headers=ADMIN)
    assert done.status_code == 200, done.text
    assert (await client.get("/v1/customers")).json()["data"] == []


async def test_restoring_an_unknown_snapshot_is_not_found(client: httpx.AsyncClient) -> None:
    response = await client.post("/v1/sandbox/snapshots/nothing/restore")
    assert (response.status_code, response.json()["error"]["param"]) == (404, "name")


async def test_snapshot_names_are_checked(client: httpx.AsyncClient) -> None:
    response = await client.post("/v1/sandbox/snapshots", json={"name": "../etc"})
    assert (response.status_code, response.json()["error"]["param"]) == (422, "name")


async def test_a_reset_forgets_the_fraud_velocity_of_the_applications_it_deletes(
    client: httpx.AsyncClient, kit: Any
) -> None:
    me = await merchant_id(client)
    decisions = []
    for n in range(2):  # two people (no magic tag) sharing a phone: a velocity signal
        identity = kit.identity(f"velocity.{n}@example.com")
        checkout = (await client.post("/v1/checkouts", json=kit.cart(customer=identity))).json()
        offer = checkout["offers"][0]["id"]
        path = f"/v1/checkouts/{checkout['id']}/confirm"
        decided = (await client.post(path, json={"offer": offer, "consent": True})).json()
        decisions.append((decided["status"], decided["decision"]["reason_codes"]))
        assert (await client.post("/v1/sandbox/reset", json={"confirm": me})).status_code == 200
    assert decisions[1] == decisions[0]  # the deleted first application shares nothing now
