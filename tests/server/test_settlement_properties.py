"""Property: over any sequence of sales, captures, partial refunds, voids and clock days, the
merchant's money adds up to the cent, and every balance transaction links to its source.

payouts (in transit or paid) + available + pending = captured - discount fees - refunds
"""

from __future__ import annotations

import warnings
from typing import Any

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from mock_server.app import create_app
from mock_server.domain import DEFAULT_PLANS, Loan
from mock_server.ids import new_id
from mock_server.services.clock import merchant_now
from mock_server.settings import Settings
from mock_server.storage.models import LoanRow

with warnings.catch_warnings():
    # Starlette warns at import that its TestClient prefers the `httpx2` fork; it works with httpx.
    warnings.filterwarnings("ignore", message=".*httpx2.*")
    from starlette.testclient import TestClient

Json = dict[str, Any]
AUTH = {"Authorization": "Bearer sk_test_demo"}
CUSTOMER: Json = {
    "email": "prop@example.com", "name": "Pat Prop", "phone": "+1 555 0100",
    "date_of_birth": "1985-02-03", "national_id_last4": "1234",
    "address": {"line1": "1 Main St", "city": "Austin", "region": "TX",
                "postal_code": "73301", "country": "US"},
}  # fmt: skip

operations = st.lists(
    st.one_of(
        st.tuples(st.just("sell"), st.integers(100, 300_000), st.just(0)),
        st.tuples(st.just("capture"), st.integers(0, 7), st.integers(1, 100)),
        st.tuples(st.just("refund"), st.integers(0, 7), st.integers(1, 100)),
        st.tuples(st.just("void"), st.integers(0, 7), st.just(0)),
        st.tuples(st.just("days"), st.integers(1, 4), st.just(0)),
    ),
    min_size=1,
    max_size=12,
)


def _fee(amount: int, mdr_bps: int) -> int:
    return (amount * mdr_bps + 5_000) // 10_000


def _all(http: TestClient, path: str) -> list[Json]:
    items: list[Json] = []
    params: dict[str, Any] = {"limit": 100}
    while True:
        page = http.get(path, params=params, headers=AUTH).json()
        items += page["data"]
        if not page["has_more"]:
            return items
        params["starting_after"] = items[-1]["id"]


class Shop:
    """The demo merchant of a fresh sandbox, selling to one customer."""

    def __init__(self, http: TestClient, mdr_bps: int) -> None:
        self.http = http
        self.sandbox = http.app.state.sandbox  # type: ignore[attr-defined]
        self.customer = http.post("/v1/customers", json=CUSTOMER, headers=AUTH).json()["id"]
        http.patch("/v1/merchants/me", json={"mdr_bps": mdr_bps}, headers=AUTH)
        self.merchant = http.get("/v1/merchants/me", headers=AUTH).json()["id"]
        self.loans: list[str] = []

    def sell(self, amount: int) -> None:
        """An authorized loan, as an approved checkout leaves it."""
        with self.sandbox.db.transaction() as session:
            now = merchant_now(session, self.merchant, self.sandbox.wall)
            loan = Loan.authorize(DEFAULT_PLANS[0], amount, "USD", now.date(), id=new_id("loan"))
            session.add(LoanRow(id=loan.id, merchant_id=self.merchant, checkout_id=new_id("chk"),
                                customer_id=self.customer, created=now, status="authorized",
                                data=loan.to_dict()))  # fmt: skip
        self.loans.append(loan.id)

    def act(self, kind: str, index: int, percent: int) -> None:
        """Capture, refund or void the index-th loan (refused transitions are fine)."""
        if not self.loans:
            return
        loan_id = self.loans[index % len(self.loans)]
        loan = self.http.get(f"/v1/loans/{loan_id}", headers=AUTH).json()
        if kind == "capture":
            amount = max(1, loan["authorized_amount"] * percent // 100)
            self.http.post(f"/v1/loans/{loan_id}/capture", json={"amount": amount}, headers=AUTH)
        elif kind == "refund":
            amount = max(1, loan["principal_balance"] * percent // 100)
            self.http.post(f"/v1/loans/{loan_id}/refunds", json={"amount": amount}, headers=AUTH)
        else:
            self.http.post(f"/v1/loans/{loan_id}/void", headers=AUTH)


def check_books(shop: Shop, mdr_bps: int) -> None:
    http = shop.http
    loans = [http.get(f"/v1/loans/{i}", headers=AUTH).json() for i in shop.loans]
    captured = sum(loan["captured_amount"] for loan in loans)
    fees = sum(_fee(loan["captured_amount"], mdr_bps) for loan in loans)
    refunds = sum(loan["refunded_amount"] for loan in loans)
    balance = http.get("/v1/balance", headers=AUTH).json()
    available = sum(a["amount"] for a in balance["available"])
    pending = sum(a["amount"] for a in balance["pending"])
    payouts = _all(http, "/v1/payouts")
    paid_out = sum(p["amount"] for p in payouts if p["status"] in ("in_transit", "paid"))
    assert paid_out + available + pending == captured - fees - refunds
    payout_ids = {p["id"] for p in payouts}
    for txn in _all(http, "/v1/balance_transactions"):
        if txn["type"] in ("capture", "refund"):
            assert txn["loan"] in shop.loans and txn["source"] == txn["loan"]
        else:
            assert txn["payout"] in payout_ids and txn["source"] == txn["payout"]
        assert txn["net"] == txn["amount"] - txn["fee"]


@settings(
    max_examples=15,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)
@given(ops=operations, mdr_bps=st.integers(399, 2_000))
def test_payouts_plus_balance_equal_captured_less_fees_and_refunds(
    ops: list[tuple[str, int, int]], mdr_bps: int
) -> None:
    app = create_app(Settings(db="sqlite://", seed=7, webhook_worker=False))
    try:
        with TestClient(app) as http:
            shop = Shop(http, mdr_bps)
            for kind, first, second in ops:
                if kind == "sell":
                    shop.sell(first)
                elif kind == "days":
                    http.post("/v1/sandbox/clock/advance", json={"days": first}, headers=AUTH)
                else:
                    shop.act(kind, first, second)
            check_books(shop, mdr_bps)
    finally:
        app.state.sandbox.close()
