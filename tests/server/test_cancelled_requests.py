"""A write cancelled while its work runs, and cancelled again while it unwinds (a TUI worker
stopped by the tour and then by its group), still rolls back and gives the SQLite writer lock
back, once the work in its worker thread has returned: a lock kept by a request that is gone
would hang every later request of the sandbox, and a lock given back while that thread still
wrote would let the next writer in beside it (tests/server/test_cancelled_writes.py).

The work runs in a worker thread, where a cancel can land while it runs: on a database file.
(On an in-memory database a checkout's write runs on the event loop, from its first statement
to its commit without an await, so no cancel lands midway: tests/server/test_route_threads.py.)
"""

from __future__ import annotations

import asyncio
import contextlib
import threading
from pathlib import Path
from typing import Any

import httpx
import pytest

from mock_server.app import create_app
from mock_server.services import checkouts
from mock_server.settings import Settings

AUTH = {"Authorization": "Bearer sk_test_demo"}


@pytest.mark.parametrize("turns_between", [0, 1, 3])
async def test_a_write_cancelled_twice_gives_the_writer_lock_back(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path, turns_between: int
) -> None:
    app = create_app(Settings(db=f"sqlite:///{tmp_path / 'sandbox.db'}", webhook_worker=False))
    sandbox = app.state.sandbox
    working, go_on, done = threading.Event(), threading.Event(), threading.Event()
    cancel_checkout = checkouts.cancel_checkout

    def held_up(*args: Any, **kwargs: Any) -> Any:
        working.set()
        go_on.wait()
        try:
            return cancel_checkout(*args, **kwargs)
        finally:
            done.set()

    monkeypatch.setattr(checkouts, "cancel_checkout", held_up)
    transport = httpx.ASGITransport(app=app)
    try:
        async with httpx.AsyncClient(transport=transport, base_url="http://t", headers=AUTH) as c:
            request = asyncio.ensure_future(c.post("/v1/checkouts/chk_gone/cancel"))
            await asyncio.to_thread(working.wait)  # the write holds the lock, working
            request.cancel()
            for _ in range(turns_between):  # the request unwinds towards its rollback
                await asyncio.sleep(0)
            request.cancel()  # and is stopped again on its way
            go_on.set()  # the work in its thread goes on; the request ends after it
            with contextlib.suppress(asyncio.CancelledError):
                await request
            assert done.is_set()  # the request did not end beside its thread's work
            assert sandbox.db._writer is not None
            assert not sandbox.db._writer._lock.locked()  # kept for good before 7dd55ac
            monkeypatch.setattr(checkouts, "cancel_checkout", cancel_checkout)
            answer = await c.post("/v1/checkouts/chk_gone/cancel")
            assert answer.status_code == 404  # the next write runs
    finally:
        sandbox.close()
