"""A client generated from the sandbox's OpenAPI document (by openapi-python-client) works: it
makes a checkout, confirms it and captures the loan."""

from __future__ import annotations

import importlib
import json
import shutil
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest
from fastapi import FastAPI

from mock_server.app import create_app
from mock_server.settings import Settings

GENERATOR = Path(sys.executable).with_name("openapi-python-client")
# The in-store QR codes are images: the generator is told to read them as bytes.
CONFIG = (
    "package_name_override: sandbox_client\nproject_name_override: sandbox-client\npost_hooks: []\n"
    "content_type_overrides:\n  image/png: application/octet-stream\n"
    "  image/svg+xml: application/octet-stream\n"
)


@pytest.fixture(scope="module")
def generated(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Any]:
    """The package generated from the sandbox's OpenAPI document, imported from a temporary
    folder (generated once for the module)."""
    command = str(GENERATOR) if GENERATOR.exists() else shutil.which("openapi-python-client")
    assert command, "openapi-python-client is in the dev extra"
    root = tmp_path_factory.mktemp("generated")
    spec, config = root / "openapi.json", root / "config.yaml"
    app = create_app(Settings(db="sqlite://", webhook_worker=False))
    try:
        spec.write_text(json.dumps(app.openapi()))
    finally:
        app.state.sandbox.close()
    config.write_text(CONFIG)
    result = subprocess.run(
        [command, "generate", "--path", str(spec), "--config", str(config), "--meta", "none",
         "--output-path", str(root / "sandbox_client")],
        capture_output=True,
        text=True,
        check=False,
    )  # fmt: skip
    output = result.stdout + result.stderr
    assert result.returncode == 0, output
    assert "Warning" not in output and "Unable" not in output, output
    sys.path.insert(0, str(root))
    try:
        yield importlib.import_module("sandbox_client")
    finally:
        sys.path.remove(str(root))
        for name in [m for m in sys.modules if m.startswith("sandbox_client")]:
            del sys.modules[name]


async def test_a_generated_client_makes_a_checkout_and_captures_its_loan(
    app: FastAPI, generated: Any, kit: Any
) -> None:
    create = importlib.import_module("sandbox_client.api.checkouts.checkouts_create")
    confirm = importlib.import_module("sandbox_client.api.checkouts.checkouts_confirm")
    capture = importlib.import_module("sandbox_client.api.loans.loans_capture")
    models = importlib.import_module("sandbox_client.models")
    client = generated.AuthenticatedClient(
        base_url="http://sandbox.test",
        token="sk_test_demo",
        httpx_args={"transport": httpx.ASGITransport(app=app)},
    )
    async with client:
        body = kit.cart(customer=kit.identity("generated+approve@example.com"))
        created = await create.asyncio_detailed(
            client=client, body=models.CheckoutCreate.from_dict(body)
        )
        assert created.status_code == 201, created.content
        checkout = created.parsed
        assert isinstance(checkout, models.Checkout)
        offer = next(o for o in checkout.offers if o.plan == "monthly_12")
        choice = models.ConfirmRequest.from_dict({"offer": offer.id, "consent": True})
        decided = await confirm.asyncio_detailed(checkout.id, client=client, body=choice)
        assert decided.status_code == 200, decided.content
        assert decided.parsed.status.value == "approved"
        captured = await capture.asyncio_detailed(
            decided.parsed.loan, client=client, body=models.CaptureRequest.from_dict({})
        )
        assert captured.status_code == 200, captured.content
        assert isinstance(captured.parsed, models.Loan)
        assert captured.parsed.status.value == "active"
        assert sum(e.amount for e in captured.parsed.schedule) > body["amount"]


async def test_a_generated_client_reads_an_error_envelope(app: FastAPI, generated: Any) -> None:
    retrieve = importlib.import_module("sandbox_client.api.loans.loans_retrieve")
    models = importlib.import_module("sandbox_client.models")
    client = generated.AuthenticatedClient(
        base_url="http://sandbox.test",
        token="sk_test_demo",
        httpx_args={"transport": httpx.ASGITransport(app=app)},
    )
    async with client:
        missing = await retrieve.asyncio_detailed("loan_missing", client=client)
    assert missing.status_code == 404
    assert isinstance(missing.parsed, models.ErrorEnvelope)
    assert missing.parsed.error.param == "id"
