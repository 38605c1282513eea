"""Fixtures for the sandbox server's tests: a fresh in-memory app per test, driven in-process."""

from __future__ import annotations

import threading
from collections.abc import AsyncIterator, Awaitable, Callable, Iterator
from typing import Any

import httpx
import pytest
from fastapi import FastAPI

from mock_server.app import create_app
from mock_server.local_postgres import LocalPostgres
from mock_server.services.context import Sandbox
from mock_server.settings import Settings

DEMO_KEY = "sk_test_demo"
AUTH = {"Authorization": f"Bearer {DEMO_KEY}"}
BASE_URL = "http://sandbox.test"

Json = dict[str, Any]


def identity(email: str = "ada.lovelace@example.com", **overrides: Any) -> Json:
    """A complete customer body."""
    body: Json = {
        "email": email,
        "name": "Ada Lovelace",
        "phone": "+1 415 555 0100",
        "date_of_birth": "1985-12-10",
        "national_id_last4": "1234",
        "locale": "en_US",
        "address": {
            "line1": "1 Market St",
            "city": "San Francisco",
            "region": "CA",
            "postal_code": "94105",
            "country": "US",
        },
    }
    body.update(overrides)
    return body


def persona_identity(persona: Json, email: str | None = None) -> Json:
    """A persona as an inline customer (optionally with another email)."""
    keys = ("email", "name", "phone", "date_of_birth", "address", "national_id_last4", "locale")
    body = {key: persona[key] for key in keys}
    if email is not None:
        body["email"] = email
    return body


def tagged(persona: Json, tag: str) -> str:
    """The persona's email with a sandbox magic tag (`name+tag@domain`)."""
    local, _, domain = persona["email"].partition("@")
    return f"{local}+{tag}@{domain}"


def cart(amount: int = 120_000, currency: str = "USD", customer: Json | str | None = None) -> Json:
    """A checkout body whose items, shipping and tax add up to `amount`."""
    shipping, tax = 1_000, 2_000
    unit = amount - shipping - tax
    return {
        "items": [{"sku": "sku-1", "name": "Road bike", "unit_amount": unit, "quantity": 1}],
        "shipping_amount": shipping,
        "tax_amount": tax,
        "amount": amount,
        "currency": currency,
        "customer": customer if customer is not None else identity(),
        "merchant_reference": "order-1",
    }


class Kit:
    """Request-body helpers for tests (a fixture, since test modules do not import conftest)."""

    auth = AUTH
    identity = staticmethod(identity)
    persona_identity = staticmethod(persona_identity)
    tagged = staticmethod(tagged)
    cart = staticmethod(cart)


@pytest.fixture
def kit() -> type[Kit]:
    """The request-body helpers."""
    return Kit


@pytest.fixture
def settings(database_url: str) -> Settings:
    """Settings with a fixed seed on the suite's database (in-memory SQLite unless --db says
    postgresql); webhooks are delivered only when a test asks."""
    return Settings(db=database_url, seed=7, webhook_worker=False)


AppFactory = Callable[..., FastAPI]


@pytest.fixture
def make_app(database_url: str, request: pytest.FixtureRequest) -> Iterator[AppFactory]:
    """Build sandbox apps for a test (on the suite's database unless `db=` says otherwise); each
    is closed (its webhook worker stopped) afterwards. As each in-memory SQLite app has a
    database of its own, so on PostgreSQL a second app of a test gets a new, empty database."""
    made: list[FastAPI] = []

    def own_database(settings: Settings) -> Settings:
        shares = settings.db == database_url and not database_url.startswith("sqlite")
        if not shares or not any(a.state.sandbox.settings.db == database_url for a in made):
            return settings
        cluster: LocalPostgres = request.getfixturevalue("local_postgres")
        return settings.model_copy(update={"db": cluster.create_database()})

    def build(settings: Settings | None = None, **overrides: Any) -> FastAPI:
        overrides.setdefault("db", database_url)
        app = create_app(own_database(settings or Settings(**overrides)))
        made.append(app)
        return app

    yield build
    for app in made:
        app.state.sandbox.close()


@pytest.fixture(autouse=True)
def no_worker_outlives_its_test() -> Iterator[None]:
    """Fail a test that leaves a webhook worker thread running after its teardown."""
    yield
    alive = [t.name for t in threading.enumerate() if t.name == "installo-webhooks"]
    assert alive == [], "a webhook worker outlived its test"


@pytest.fixture
def app(settings: Settings, make_app: AppFactory) -> FastAPI:
    """A fresh sandbox app."""
    return make_app(settings)


@pytest.fixture
def sandbox(app: FastAPI) -> Sandbox:
    """The app's sandbox (storage, engines)."""
    found: Sandbox = app.state.sandbox
    return found


@pytest.fixture
async def client(app: FastAPI) -> AsyncIterator[httpx.AsyncClient]:
    """An httpx client authenticated as the demo merchant."""
    transport = httpx.ASGITransport(app=app)
    async with httpx.AsyncClient(transport=transport, base_url=BASE_URL, headers=AUTH) as c:
        yield c


@pytest.fixture
async def anonymous(app: FastAPI) -> AsyncIterator[httpx.AsyncClient]:
    """An httpx client with no key."""
    transport = httpx.ASGITransport(app=app)
    async with httpx.AsyncClient(transport=transport, base_url=BASE_URL) as c:
        yield c


@pytest.fixture
async def personas(client: httpx.AsyncClient) -> list[Json]:
    """The first 60 seeded personas (ten per tier)."""
    response = await client.get("/v1/sandbox/personas", params={"limit": 60})
    assert response.status_code == 200
    data: list[Json] = response.json()["data"]
    return data


CheckoutFactory = Callable[..., Awaitable[Json]]


@pytest.fixture
def checkout_for(client: httpx.AsyncClient) -> CheckoutFactory:
    """Create a checkout for a customer body (or id) and answer it."""

    async def make(customer: Json | str | None = None, amount: int = 120_000, **kw: Any) -> Json:
        response = await client.post("/v1/checkouts", json=cart(amount, customer=customer, **kw))
        assert response.status_code == 201, response.text
        data: Json = response.json()
        return data

    return make


async def _confirm(client: httpx.AsyncClient, checkout: Json, plan: str = "monthly_12") -> Json:
    offer = next(o for o in checkout["offers"] if o["plan"] == plan)
    response = await client.post(
        f"/v1/checkouts/{checkout['id']}/confirm", json={"offer": offer["id"], "consent": True}
    )
    assert response.status_code == 200, response.text
    data: Json = response.json()
    return data


@pytest.fixture
def confirm(client: httpx.AsyncClient) -> Callable[..., Awaitable[Json]]:
    """Confirm a checkout with the offer for a plan (monthly_12 unless told)."""

    async def run(checkout: Json, plan: str = "monthly_12") -> Json:
        return await _confirm(client, checkout, plan)

    return run


@pytest.fixture
def approved_loan(
    client: httpx.AsyncClient, checkout_for: CheckoutFactory, personas: list[Json]
) -> Callable[..., Awaitable[Json]]:
    """Create and confirm a checkout for a `+approve` persona; answer the authorized loan."""

    async def make(amount: int = 120_000, plan: str = "monthly_12") -> Json:
        customer = persona_identity(personas[0], tagged(personas[0], "approve"))
        checkout = await _confirm(client, await checkout_for(customer, amount), plan)
        assert checkout["status"] == "approved", checkout["decision"]
        response = await client.get(f"/v1/loans/{checkout['loan']}")
        assert response.status_code == 200
        data: Json = response.json()
        return data

    return make
