"""End to end through the SDK: a merchant onboards with its owners and bank account, sells,
captures, refunds, advances its sandbox clock, receives the payout webhook on a real loopback
endpoint, and downloads the day's settlement report, whose sums match the balance."""

from __future__ import annotations

import csv
import io
import threading
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

import pytest
from installo import webhooks
from installo.types import AddressParam, CartItemParam, CustomerParam

ITEMS: list[CartItemParam] = [{"sku": "KITE-1", "name": "Stunt kite", "unit_amount": 180000,
                               "quantity": 1}]  # fmt: skip
ADDRESS: AddressParam = {"line1": "9 Pier Rd", "city": "Portland", "region": "OR",
                         "postal_code": "97201", "country": "US"}  # fmt: skip


class Receiver(BaseHTTPRequestHandler):
    """A merchant's webhook endpoint: keeps each body and signature, answers 200."""

    received: list[tuple[bytes, str | None]]

    def do_POST(self) -> None:
        body = self.rfile.read(int(self.headers.get("Content-Length", "0")))
        self.received.append((body, self.headers.get("Installo-Signature")))
        self.send_response(200)
        self.end_headers()

    def log_message(self, format: str, *args: Any) -> None:
        """Quiet: the test reads what was received instead."""


@pytest.fixture
def receiver() -> Iterator[tuple[str, list[tuple[bytes, str | None]]]]:
    received: list[tuple[bytes, str | None]] = []
    handler = type("BoundReceiver", (Receiver,), {"received": received})
    server = ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}/hooks", received
    finally:
        server.shutdown()
        server.server_close()
        thread.join()


@pytest.fixture
def sandbox() -> Iterator[Any]:
    from installo.testing.sandbox import sandbox_app

    app = sandbox_app(webhook_worker=False)
    yield app
    app.state.sandbox.close()


def onboard(sandbox: Any) -> str:
    """Apply with a representative, two owners and a bank account; answer the secret key."""
    from installo.testing.sandbox import in_process_client

    person = {"name": "Rosa Marin", "date_of_birth": "1982-06-30", "address": ADDRESS}
    with in_process_client(sandbox) as anonymous:
        merchant = anonymous.merchants.apply(
            legal_name="Pier Kites LLC", mcc="5945", country="US", currency="USD",
            website="https://pier-kites.com", years_in_business=4,
            expected_monthly_volume=3_000_000, contact_email="ops@pier-kites.com",
            tax_id="12-3456789", address=ADDRESS, representative={**person, "title": "CEO"},
            owners=[{**person, "ownership_percent": 70},
                    {"name": "Ken Ito", "date_of_birth": "1978-01-12", "address": ADDRESS,
                     "ownership_percent": 30}],
            owners_provided=True,
            bank_account={"account_holder_name": "Pier Kites LLC",
                          "routing_number": "110000000", "account_number": "000123456789"},
        )  # fmt: skip
    assert merchant.status == "active", merchant.requirements
    assert merchant.requirements.currently_due == [] and merchant.secret_key is not None
    return merchant.secret_key


def shopper() -> CustomerParam:
    return {
        "email": "lin+approve@example.com", "name": "Lin Park", "phone": "+15555550142",
        "date_of_birth": "1990-03-04", "national_id_last4": "4821", "locale": "en_US",
        "address": ADDRESS,
    }  # fmt: skip


def test_onboard_sell_refund_and_get_paid_out_with_a_matching_settlement_report(
    sandbox: Any, receiver: tuple[str, list[tuple[bytes, str | None]]]
) -> None:
    from installo.testing.sandbox import in_process_client

    url, received = receiver
    with in_process_client(sandbox, api_key=onboard(sandbox)) as client:
        endpoint = client.webhook_endpoints.create(url=url, enabled_events=["payout.created"])
        checkout = client.checkouts.create(
            items=ITEMS, amount=180000, currency="USD", customer=shopper()
        )
        decided = client.checkouts.confirm(checkout.id, offer=checkout.offers[0].id)
        assert decided.status == "approved" and decided.loan is not None
        client.loans.capture(decided.loan)
        client.loans.refund(decided.loan, amount=30000)
        report_day = client.balance_transactions.list().data[0].created
        assert report_day is not None
        mdr = client.merchants.me().mdr_bps or 0
        fee = (180000 * mdr + 5000) // 10000

        client.sandbox.advance_clock(days=3)
        assert sandbox.state.sandbox.dispatcher.deliver_due() == 1
        [(body, signature)] = received
        event = webhooks.construct_event(body, signature, endpoint.secret or "")
        assert event.type == "payout.created"
        assert event.data.object["amount"] == 180000 - fee - 30000
        [payout] = client.payouts.list().data
        assert payout.id == event.data.object["id"] and payout.amount == 180000 - fee - 30000
        balance = client.balance.retrieve()
        assert [a.amount for a in balance.available + balance.pending] == [0, 0]

        report = client.settlement_reports.retrieve(report_day.date())
        summary = report.summary
        assert (summary.captured, summary.fees, summary.refunded) == (180000, fee, 30000)
        assert summary.net_settled == payout.amount
        assert {t.loan for t in report.transactions} == {decided.loan}
        rows = list(csv.DictReader(io.StringIO(client.settlement_reports.retrieve_csv(
            report_day.date()))))  # fmt: skip
        assert sum(int(row["net"]) for row in rows) == summary.net_settled
        assert sorted(row["type"] for row in rows) == ["capture", "refund"]
