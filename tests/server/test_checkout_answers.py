"""A checkout is answered from its read model's JSON: byte for byte what the schema writes."""

from __future__ import annotations

from typing import Any

import httpx
import orjson
import pytest

from mock_server.api import present
from mock_server.api.schemas import Checkout


async def test_create_and_confirm_answer_what_the_checkout_schema_writes(
    client: httpx.AsyncClient, kit: Any, personas: list[Any]
) -> None:
    customer = kit.persona_identity(personas[0], kit.tagged(personas[0], "approve"))
    created = await client.post("/v1/checkouts", json=kit.cart(customer=customer))
    assert created.status_code == 201
    assert created.headers["content-type"] == "application/json"
    schema_json = Checkout.model_validate_json(created.content).model_dump_json().encode()
    assert created.content == schema_json
    offer = created.json()["offers"][0]["id"]
    confirmed = await client.post(
        f"/v1/checkouts/{created.json()['id']}/confirm", json={"offer": offer, "consent": True}
    )
    assert confirmed.status_code == 200
    assert (
        confirmed.content
        == Checkout.model_validate_json(confirmed.content).model_dump_json().encode()
    )


async def test_a_read_model_that_drifts_from_the_schema_fails_the_check(
    client: httpx.AsyncClient, kit: Any
) -> None:
    answer = (await client.post("/v1/checkouts", json=kit.cart())).json()
    assert present.checkout_answer(answer).body == orjson.dumps(answer)  # as answered: passes
    next_action = {"type": "redirect_to_url", "url": answer["next_action"]["url"]}
    for drifted in (
        {**{k: v for k, v in answer.items() if k != "object"}, "object": "checkout"},  # order
        {**answer, "next_action": next_action},  # a defaulted field left out
    ):
        with pytest.raises(AssertionError, match="read model is not its answer"):
            present.checkout_answer(drifted)
