"""Finding 7: inputs that made the sandbox answer 500 now get a 4xx in the error shape."""

from __future__ import annotations

from typing import Any

import httpx

ADMIN = {"Authorization": "Bearer admin_test_demo"}


def policy_with(expression: str) -> dict[str, Any]:
    """A credit policy whose one rule has this condition."""
    rule = {"id": "r", "when": expression, "outcome": "decline", "reason_code": "X"}
    return {"kind": "credit", "default_outcome": "approve", "rules": [rule]}


async def test_an_overflowing_delivery_cursor_is_a_404(client: httpx.AsyncClient) -> None:
    created = await client.post("/v1/webhook_endpoints", json={"url": "http://127.0.0.1:9/h"})
    endpoint = created.json()["id"]
    response = await client.get(
        f"/v1/webhook_endpoints/{endpoint}/deliveries",
        params={"starting_after": "whd_99999999999999999999999"},
    )
    assert response.status_code == 404
    assert response.json()["error"]["param"] == "starting_after"


async def test_a_ten_thousand_character_policy_id_is_a_404_that_does_not_echo_it(
    client: httpx.AsyncClient,
) -> None:
    long_id = "p" * 10_000
    for response in (
        await client.get(f"/v1/admin/policies/{long_id}", headers=ADMIN),
        await client.put(f"/v1/admin/policies/{long_id}", json=policy_with("1 > 0"), headers=ADMIN),
    ):
        assert response.status_code == 404
        error = response.json()["error"]
        assert error["code"] == "resource_missing"
        assert len(response.text) < 1_000
        assert "10000 characters" in error["message"]


async def test_hostile_policy_expressions_are_a_400_naming_the_position(
    client: httpx.AsyncClient,
) -> None:
    hostile = {
        "nested 3,000 deep": "(" * 3_000 + "1" + ")" * 3_000,
        "nested 40 deep": "(" * 40 + "1" + ")" * 40,
        "20,000 operators": " + ".join(["1"] * 20_000),
        "300 operators": " + ".join(["1"] * 301) + " > 0",
        "a 5,000-digit integer": "9" * 5_000 + " > 0",
        "a 30-digit integer": "9" * 30 + " > 0",
        "3,000 negations": "not " * 3_000 + "true",
    }
    for name, expression in hostile.items():
        response = await client.put(
            "/v1/admin/policies/pol_consumer_credit", json=policy_with(expression), headers=ADMIN
        )
        assert response.status_code == 400, (name, response.text[:300])
        error = response.json()["error"]
        assert error["code"] == "policy_invalid", name
        assert "column" in error["message"], name


async def test_a_policy_within_the_bounds_still_compiles(client: httpx.AsyncClient) -> None:
    expression = "(" * 20 + " + ".join(["amount_usd"] * 150) + ")" * 20 + " > 0"
    response = await client.put(
        "/v1/admin/policies/pol_consumer_credit", json=policy_with(expression), headers=ADMIN
    )
    assert response.status_code == 200, response.text[:500]
