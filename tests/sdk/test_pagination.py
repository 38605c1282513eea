"""Pages and auto-pagination, sync and async."""

from __future__ import annotations

import httpx
import pytest
import respx
from installo import AsyncInstallo, Installo
from installo.testing import list_object, loan_object


def _pages(api: respx.MockRouter) -> respx.Route:
    first = [loan_object() for _ in range(2)]
    second = [loan_object() for _ in range(2)]
    third = [loan_object()]
    return api.get("/v1/loans").mock(
        side_effect=[
            httpx.Response(200, json=list_object(first, has_more=True)),
            httpx.Response(200, json=list_object(second, has_more=True)),
            httpx.Response(200, json=list_object(third, has_more=False)),
        ]
    )


def test_list_answers_one_page(client: Installo, api: respx.MockRouter) -> None:
    route = _pages(api)
    page = client.loans.list(limit=2, status="active")
    assert len(page.data) == 2 and page.has_more and page.has_next_page()
    assert dict(route.calls.last.request.url.params) == {"limit": "2", "status": "active"}


def test_auto_paging_iter_walks_every_page_with_starting_after(
    client: Installo, api: respx.MockRouter
) -> None:
    route = _pages(api)
    loans = list(client.loans.list(limit=2).auto_paging_iter())
    assert len(loans) == 5
    assert len({loan.id for loan in loans}) == 5
    cursors = [call.request.url.params.get("starting_after") for call in route.calls]
    assert cursors == [None, loans[1].id, loans[3].id]
    assert all(call.request.url.params["limit"] == "2" for call in route.calls)


def test_get_next_page_without_one_is_an_error(client: Installo, api: respx.MockRouter) -> None:
    api.get("/v1/events").mock(return_value=httpx.Response(200, json=list_object([])))
    page = client.events.list()
    assert not page.has_next_page()
    with pytest.raises(ValueError, match="no next page"):
        page.get_next_page()


async def test_async_for_over_a_list_walks_every_page(
    aclient: AsyncInstallo, api: respx.MockRouter
) -> None:
    _pages(api)
    ids = [loan.id async for loan in aclient.loans.list(limit=2)]
    assert len(ids) == 5 and len(set(ids)) == 5


async def test_awaiting_an_async_list_answers_the_first_page(
    aclient: AsyncInstallo, api: respx.MockRouter
) -> None:
    _pages(api)
    page = await aclient.loans.list(limit=2)
    assert len(page.data) == 2
    rest = [loan.id async for loan in page.auto_paging_iter()]
    assert len(rest) == 5
    assert rest[:2] == [loan.id for loan in page.data]
