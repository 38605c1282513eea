"""Where a route's work runs: a checkout's write on an in-memory database runs on the event
loop (no thread hops), everything else in a worker thread as FastAPI runs sync routes.

Only the database changes between the first two tests; only the route between the first and
the last two."""

from __future__ import annotations

import threading
from pathlib import Path
from typing import Any

import httpx
import pytest

from mock_server.services import application_page, checkouts, test_clocks
from tests.server.conftest import AUTH, BASE_URL, AppFactory, cart


async def _threads_of(app: Any, monkeypatch: pytest.MonkeyPatch) -> dict[str, int]:
    """The thread each of three requests' work ran in, by name, and the loop's ("loop")."""
    seen: dict[str, int] = {"loop": threading.get_ident()}

    def spy(name: str, work: Any) -> Any:
        def run(*args: Any, **kwargs: Any) -> Any:
            seen[name] = threading.get_ident()
            return work(*args, **kwargs)

        return run

    monkeypatch.setattr(checkouts, "create_checkout", spy("create", checkouts.create_checkout))
    monkeypatch.setattr(checkouts, "get_checkout", spy("retrieve", checkouts.get_checkout))
    monkeypatch.setattr(
        test_clocks, "create_test_clock", spy("clock", test_clocks.create_test_clock)
    )
    transport = httpx.ASGITransport(app=app)
    async with httpx.AsyncClient(transport=transport, base_url=BASE_URL, headers=AUTH) as c:
        created = await c.post("/v1/checkouts", json=cart())
        assert created.status_code == 201, created.text
        found = await c.get(f"/v1/checkouts/{created.json()['id']}")
        assert found.status_code == 200, found.text
        clock = await c.post("/v1/test_clocks", json={})
        assert clock.status_code == 201, clock.text
    return seen


async def test_a_checkout_write_on_an_in_memory_database_runs_on_the_loop(
    make_app: AppFactory, monkeypatch: pytest.MonkeyPatch
) -> None:
    seen = await _threads_of(make_app(db="sqlite://"), monkeypatch)
    assert seen["create"] == seen["loop"]


async def test_on_a_database_file_the_same_write_runs_in_a_worker_thread(
    make_app: AppFactory, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    seen = await _threads_of(make_app(db=f"sqlite:///{tmp_path / 'sandbox.db'}"), monkeypatch)
    assert seen["create"] != seen["loop"]


async def test_reads_and_routes_whose_work_grows_with_the_book_keep_worker_threads(
    make_app: AppFactory, monkeypatch: pytest.MonkeyPatch
) -> None:
    seen = await _threads_of(make_app(db="sqlite://"), monkeypatch)
    assert seen["retrieve"] != seen["loop"]  # a read holds no request transaction
    assert seen["clock"] != seen["loop"]  # a test clock's route is not a bounded one


async def test_on_this_runs_database_a_write_runs_on_the_loop_only_in_memory(
    make_app: AppFactory, monkeypatch: pytest.MonkeyPatch, database_url: str
) -> None:
    app = make_app()
    seen = await _threads_of(app, monkeypatch)
    assert (seen["create"] == seen["loop"]) is app.state.sandbox.db.in_memory


async def test_the_hosted_pages_identity_form_reads_the_database_in_a_worker_thread(
    make_app: AppFactory, monkeypatch: pytest.MonkeyPatch
) -> None:
    # An async route: on the loop, its wait for an in-memory database's writer lock, held by a
    # request suspended at an await, would stop the loop that request needs to go on.
    seen: dict[str, int] = {"loop": threading.get_ident()}
    view = application_page.view

    def spy(*args: Any, **kwargs: Any) -> Any:
        seen["view"] = threading.get_ident()
        return view(*args, **kwargs)

    monkeypatch.setattr(application_page, "view", spy)
    transport = httpx.ASGITransport(app=make_app(db="sqlite://"))
    async with httpx.AsyncClient(transport=transport, base_url=BASE_URL, headers=AUTH) as c:
        created = await c.post("/v1/checkouts", json=cart())
        page = created.json()["next_action"]["url"].removeprefix(BASE_URL)
        answer = await c.post(f"{page}/identity", data={"name": ""})
    assert answer.status_code == 400  # the form is shown again, its bad fields marked
    assert seen["view"] != seen["loop"]
