"""FastAPI analyses each of the sandbox's routes once, for the app (api/deferred_routes.py): every
route is a `DeferredRoute`, none is analysed when the app is built, nor when requests and
the OpenAPI document have built the routes as included; and a `DeferredRoute` that is read
analyses itself exactly as an `APIRoute` built at once."""

from __future__ import annotations

import json
from typing import Annotated, Any

import httpx
from fastapi import APIRouter, FastAPI, Query
from fastapi.routing import APIRoute
from pydantic import BaseModel

from mock_server.api import routes
from mock_server.api.deferred_routes import DeferredRoute
from mock_server.api.routes import BoundedWorkRoute
from tests.server.conftest import AUTH, BASE_URL, cart


def _routes(app: FastAPI) -> list[APIRoute]:
    """The API routes of the app's included routers, as their modules declared them."""
    found: list[APIRoute] = []
    for entry in app.router.routes:
        router = getattr(entry, "original_router", None)
        if router is not None:
            found += [route for route in router.routes if isinstance(route, APIRoute)]
    return found


async def test_no_route_is_analysed_until_it_serves_and_then_only_as_included(
    app: FastAPI,
) -> None:
    routes = _routes(app)
    assert len(routes) > 80
    assert [r.path for r in routes if not isinstance(r, DeferredRoute)] == []
    assert [r.path for r in routes if r.analysed] == []  # type: ignore[attr-defined]
    transport = httpx.ASGITransport(app=app)
    async with httpx.AsyncClient(transport=transport, base_url=BASE_URL, headers=AUTH) as c:
        assert (await c.get("/healthz")).status_code == 200
        created = await c.post("/v1/checkouts", json=cart())
        assert created.status_code == 201, created.text
        assert (await c.get(f"/v1/checkouts/{created.json()['id']}")).status_code == 200
        assert (await c.get("/openapi.json")).status_code == 200
    assert [r.path for r in routes if r.analysed] == []  # type: ignore[attr-defined]


class _Thing(BaseModel):
    id: str
    amount: int


class _NewThing(BaseModel):
    amount: int


def _thing(thing_id: str, expand: Annotated[list[str] | None, Query()] = None) -> _Thing:
    """Retrieve a thing.

    Shown in the document.\fNot shown."""
    return _Thing(id=thing_id, amount=len(expand or []))


def _create(body: _NewThing) -> _Thing:
    """Create a thing."""
    return _Thing(id="t_1", amount=body.amount)


def _app(route_class: type[APIRoute]) -> FastAPI:
    router = APIRouter(prefix="/v1/things", tags=["things"], route_class=route_class)
    router.get("/{thing_id}", operation_id="thing-get")(_thing)
    router.post("", status_code=201, responses={409: {"description": "taken"}})(_create)
    app = FastAPI()
    app.include_router(router, responses={404: {"description": "missing"}})
    return app


async def _document_and_answers(app: FastAPI) -> tuple[str, list[tuple[int, Any]]]:
    transport = httpx.ASGITransport(app=app)
    async with httpx.AsyncClient(transport=transport, base_url=BASE_URL) as client:
        answers = [
            await client.get("/v1/things/t_9?expand=a&expand=b"),
            await client.post("/v1/things", json={"amount": 5}),
            await client.post("/v1/things", json={"amount": "five"}),
            await client.get("/openapi.json"),
        ]
    return json.dumps(app.openapi(), sort_keys=True), [(a.status_code, a.json()) for a in answers]


class _AnalysedBoundedWorkRoute(APIRoute):
    """A `BoundedWorkRoute`'s endpoint on a route FastAPI analyses at once."""

    def __init__(self, path: str, endpoint: Any, **kwargs: Any) -> None:
        super().__init__(path, routes._on_loop_or_thread(endpoint), **kwargs)


async def test_a_deferred_route_serves_and_documents_as_an_analysed_one() -> None:
    deferred = await _document_and_answers(_app(DeferredRoute))
    assert deferred == await _document_and_answers(_app(APIRoute))
    bounded = await _document_and_answers(_app(BoundedWorkRoute))
    assert bounded == await _document_and_answers(_app(_AnalysedBoundedWorkRoute))
    assert bounded[1][:3] == deferred[1][:3]


def test_reading_what_the_analysis_makes_analyses_the_route_once() -> None:
    route = DeferredRoute("/v1/things/{thing_id}", _thing, methods=["get"])
    assert not route.analysed and route.methods == {"GET"} and route.name == "_thing"
    assert route.path_format == "/v1/things/{thing_id}"  # made by the analysis
    assert route.analysed
    assert [p.name for p in route.dependant.query_params] == ["expand"]
    assert route.description == "Retrieve a thing.\n\nShown in the document."
