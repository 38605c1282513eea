"""Scenario traffic draws and per-attempt fault injection."""

from __future__ import annotations

from collections import Counter

import httpx
import pytest
from installo.types.offer import Offer

from merchant_sim.money import parse_money
from merchant_sim.runner.faults import FAULT_HEADER, FaultInjector, operation_of
from merchant_sim.runner.loader import parse_scenario
from merchant_sim.runner.schema import Fault
from merchant_sim.runner.traffic import choose_offer, plan_shoppers

SCENARIO = parse_scenario(
    """\
name: t
store:
  currency: EUR
  shipping_amount: 300
  tax_bps: 2000
  catalog: [{sku: A, name: A, price: 1000}, {sku: B, name: B, price: 5000}]
traffic:
  tiers: {prime: 3, subprime: 1}
  locales: {en_US: 1, zh_CN: 1}
  cart_size: {1: 1, 3: 1}
"""
)


def test_same_seed_gives_same_shoppers() -> None:
    first = plan_shoppers(SCENARIO, 50, seed=9)
    assert first == plan_shoppers(SCENARIO, 50, seed=9)
    assert first != plan_shoppers(SCENARIO, 50, seed=10)


def test_shoppers_follow_the_mix_and_carts_price_exactly() -> None:
    shoppers = plan_shoppers(SCENARIO, 2000, seed=1)
    tiers = Counter(s.tier for s in shoppers)
    assert 0.70 < tiers["prime"] / 2000 < 0.80
    assert {len(s.products) for s in shoppers} == {1, 3}
    cart = shoppers[0].cart(SCENARIO)
    assert cart.currency == "EUR"
    assert cart.total == cart.subtotal + 300 + (cart.subtotal * 2000 + 5000) // 10000


def _offer(plan: str, terms: int, charge: int) -> Offer:
    return Offer.model_validate(
        {
            "id": f"off_{plan}",
            "plan": plan,
            "term_count": terms,
            "interval": "month",
            "apr_bps": 0,
            "amount_financed": 1000,
            "finance_charge": charge,
            "total_of_payments": 1000 + charge,
            "installment_amount": 100,
            "first_due_date": "2026-01-01",
        }
    )


def test_offer_choice_strategies() -> None:
    offers = [_offer("monthly_6", 6, 50), _offer("pay_in_4", 4, 0), _offer("monthly_12", 12, 90)]
    assert choose_offer(offers, "first", 0.5) is offers[0]
    assert choose_offer(offers, "shortest", 0.5) is offers[1]
    assert choose_offer(offers, "longest", 0.5) is offers[2]
    assert choose_offer(offers, "cheapest", 0.5) is offers[1]
    assert choose_offer(offers, "random", 0.99) is offers[2]
    assert choose_offer(offers, "monthly_12", 0.0) is offers[2]
    assert choose_offer(offers, "monthly_99", 0.0) is offers[0]
    assert choose_offer([], "first", 0.0) is None


def test_operation_of_maps_only_posts() -> None:
    assert operation_of(httpx.Request("POST", "http://x/v1/checkouts")) == "create"
    assert operation_of(httpx.Request("POST", "http://x/v1/checkouts/chk_1/confirm")) == "confirm"
    assert operation_of(httpx.Request("POST", "http://x/v1/loans/loan_1/refunds")) == "refund"
    assert operation_of(httpx.Request("GET", "http://x/v1/checkouts")) is None


async def test_fault_injector_decides_per_attempt() -> None:
    seen: list[str | None] = []

    def answer(request: httpx.Request) -> httpx.Response:
        seen.append(request.headers.get(FAULT_HEADER))
        return httpx.Response(200, json={})

    fault = Fault(mode="status=503", rate=0.5, operations=["create"], via="sandbox")
    injector = FaultInjector(httpx.MockTransport(answer), [fault])
    async with httpx.AsyncClient(transport=injector, base_url="http://x") as client:
        for _ in range(200):
            await client.post("/v1/checkouts")
        await client.get("/v1/checkouts")
    faulted = sum(1 for h in seen[:200] if h == "status=503")
    assert 60 < faulted < 140
    assert seen[200] is None
    assert injector.injected["status=503"] == faulted


@pytest.mark.parametrize(
    ("text", "currency", "amount"),
    [("12.34", "USD", 1234), ("$1,299", "USD", 129900), ("0.5", "EUR", 50), ("1500", "JPY", 1500)],
)
def test_parse_money_is_exact(text: str, currency: str, amount: int) -> None:
    assert parse_money(text, currency) == amount


@pytest.mark.parametrize("text", ["", "abc", "1.234", "1.2.3"])
def test_parse_money_rejects_bad_text(text: str) -> None:
    with pytest.raises(ValueError):
        parse_money(text, "USD")


async def test_network_faults_fail_the_attempt_or_lose_the_answer() -> None:
    served: list[str] = []

    def answer(request: httpx.Request) -> httpx.Response:
        served.append(request.url.path)
        return httpx.Response(200, json={"ok": True})

    def injector(mode: str) -> FaultInjector:
        return FaultInjector(httpx.MockTransport(answer), [Fault(mode=mode, rate=1.0)])

    async with httpx.AsyncClient(transport=injector("status=429"), base_url="http://x") as c:
        response = await c.post("/v1/checkouts")
        assert response.status_code == 429 and response.headers["Retry-After"] == "0"
    assert served == []
    async with httpx.AsyncClient(transport=injector("reset"), base_url="http://x") as c:
        with pytest.raises(httpx.ConnectError):
            await c.post("/v1/checkouts")
    assert served == []
    async with httpx.AsyncClient(
        transport=injector("after_commit=reset"), base_url="http://x"
    ) as c:
        with pytest.raises(httpx.ReadError):
            await c.post("/v1/loans/loan_1/capture")
    assert served == ["/v1/loans/loan_1/capture"]


async def test_a_retried_request_object_loses_the_last_attempts_fault() -> None:
    seen: list[str | None] = []

    def answer(request: httpx.Request) -> httpx.Response:
        seen.append(request.headers.get(FAULT_HEADER))
        return httpx.Response(200, json={})

    injector = FaultInjector(
        httpx.MockTransport(answer), [Fault(mode="status=503", rate=1.0, via="sandbox")]
    )
    request = httpx.Request("POST", "http://x/v1/checkouts")
    await injector.handle_async_request(request)
    injector.faults = []
    await injector.handle_async_request(request)
    assert seen == ["status=503", None]
