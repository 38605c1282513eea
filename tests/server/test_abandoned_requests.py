"""Requests abandoned mid-flight leave the app serving: an event stream and a write, both stopped
while their work runs in worker threads on one app and one event loop, then a read and a write.

This is the shape of tests/server/test_schemathesis.py, whose module shares one app and (in
schemathesis' ASGI transport) one event loop between all its requests, and cuts every
/v1/events/stream case at its 10 s read timeout by cancelling the app (an anyio cancel scope);
a Textual worker stopped in the TUI cancels its task the asyncio way instead. Both are tried,
on the in-memory database (reads take the writer lock too; a write's route runs on the event
loop, so the write is caught queued behind the stream) and on a file (either held in a thread).

No timing is asserted: each scenario runs in a thread of its own, and a scenario that does not
finish within HANG_S seconds fails the test naming where it stopped, instead of hanging the suite.
"""

from __future__ import annotations

import asyncio
import contextlib
import threading
from collections.abc import Awaitable, Callable
from pathlib import Path
from typing import Any

import anyio
import httpx
import pytest

from mock_server.api import deps
from mock_server.app import create_app
from mock_server.services import checkouts, event_stream
from mock_server.settings import Settings
from mock_server.storage.database import _WriterLock
from tests.server.hang_guard import HANG_S, run_bounded, until

AUTH = {"Authorization": "Bearer sk_test_demo"}
ADMIN = {"Authorization": "Bearer admin_test_demo"}


class Gate:
    """Holds a patched service call in its worker thread until the test lets it go on."""

    def __init__(self, call: Callable[..., Any]) -> None:
        self.call = call
        self.entered = threading.Event()
        self.go_on = threading.Event()
        self.done = threading.Event()
        self.held = True

    def __call__(self, *args: Any, **kwargs: Any) -> Any:
        self.entered.set()
        if self.held:
            self.go_on.wait()
        try:
            return self.call(*args, **kwargs)
        finally:
            self.done.set()

    def release(self) -> None:
        """Let the held call go on; later calls are not held."""
        self.held = False
        self.go_on.set()


# On the in-memory database a write's route runs on the event loop under its transaction
# (api/routes.py), so there it cannot be held in a worker thread: it queues behind the stream.
@pytest.mark.parametrize("cancel", ["cancel scope", "task.cancel"])
@pytest.mark.parametrize(
    ("db", "first"), [("memory", "stream"), ("file", "stream"), ("file", "write")]
)
def test_an_abandoned_stream_and_write_leave_the_app_answering(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path, cancel: str, first: str, db: str
) -> None:
    url = "sqlite://" if db == "memory" else f"sqlite:///{tmp_path / 'sandbox.db'}"
    app = create_app(Settings(db=url, seed=11, webhook_worker=False))
    sandbox = app.state.sandbox
    poll = Gate(event_stream.events_after)
    work = Gate(checkouts.cancel_checkout)
    opening = Gate(deps._authenticate)  # the stream's first step (a worker thread)
    opening.held = False
    work.held = db == "file"
    monkeypatch.setattr(event_stream, "events_after", poll)
    monkeypatch.setattr(checkouts, "cancel_checkout", work)
    monkeypatch.setattr(deps, "_authenticate", opening)
    writer = sandbox.db._writer
    assert writer is not None

    def write_queued() -> bool:  # the write holds its loop's queue: working, or waiting
        return work.entered.is_set() or any(q.locked() for q in writer._queues.values())

    async def scenario(steps: list[str]) -> None:
        transport = httpx.ASGITransport(app=app)
        async with httpx.AsyncClient(transport=transport, base_url="http://t") as client:
            scopes: dict[str, anyio.CancelScope] = {}

            async def request(name: str, send: Callable[[], Awaitable[httpx.Response]]) -> None:
                with anyio.CancelScope() as scopes[name]:
                    await send()

            def send_stream() -> asyncio.Future[None]:
                get = lambda: client.get("/v1/events/stream", headers=AUTH)  # noqa: E731
                return asyncio.ensure_future(request("stream", get))

            def send_write() -> asyncio.Future[None]:
                post = lambda: client.post("/v1/checkouts/chk_gone/cancel", headers=AUTH)  # noqa: E731
                return asyncio.ensure_future(request("write", post))

            if first == "stream":
                stream = send_stream()
                steps.append("the stream sent; waiting for its poll in a worker thread")
                await asyncio.to_thread(poll.entered.wait)
                write = send_write()
                steps.append("the write sent; waiting for it to queue for the writer lock")
                await until(write_queued)
            else:
                write = send_write()
                steps.append("the write sent; waiting for its work in a worker thread")
                await asyncio.to_thread(work.entered.wait)
                stream = send_stream()
                steps.append("the stream sent; waiting for it to start")
                await asyncio.to_thread(opening.entered.wait)
            steps.append("cancelling both mid-flight")
            for name, task in (("stream", stream), ("write", write)):
                if cancel == "task.cancel":
                    task.cancel()
                else:
                    await until(lambda name=name: name in scopes)  # type: ignore[misc]
                    scopes[name].cancel()
            steps.append("letting the abandoned work go on")
            poll.release()
            work.release()
            for task in (stream, write):
                with contextlib.suppress(asyncio.CancelledError):  # task.cancel raises it
                    await task
            steps.append("GET /v1/admin/reviews")
            reviews = await client.get("/v1/admin/reviews", headers=ADMIN)
            assert reviews.status_code == 200, reviews.text
            steps.append("a write")
            answer = await client.post("/v1/checkouts/chk_gone/cancel", headers=AUTH)
            assert answer.status_code == 404, answer.text
            steps.append("GET /v1/checkouts")
            listing = await client.get("/v1/checkouts", headers=AUTH)
            assert listing.status_code == 200, listing.text
            steps.append("done")

    try:
        run_bounded(scenario, "abandoned-requests")
        # Whatever the abandoned work does in its threads, it ends, and the lock is free after.
        for gate in (poll, work, opening):
            assert not gate.entered.is_set() or gate.done.wait(HANG_S), "abandoned work hangs"
        assert writer._lock.acquire(timeout=HANG_S), "the writer lock stayed taken"
        writer._lock.release()
    finally:
        sandbox.close()


def test_a_hold_released_after_its_event_loop_closed_blocks_no_other_loop() -> None:
    """Suspect: a request's hold released from a worker thread (call_soon_threadsafe) as the
    TestClient portal's loop closes. The threading lock is given back at once, before the hop,
    and each loop queues on a lock of its own, so a closed loop's queue blocks no other loop."""
    writer = _WriterLock()
    holds: list[Any] = []

    async def take() -> None:
        holds.append(await writer.acquire())

    asyncio.run(take())  # that loop is closed now, its queue still taken
    release = threading.Thread(target=holds[0].release)  # from a thread, no loop there
    release.start()
    release.join(HANG_S)
    assert not release.is_alive()
    assert not writer._lock.locked()

    answered: list[bool] = []

    def other_loop() -> None:
        async def again() -> None:
            hold = await writer.acquire()
            hold.release()
            answered.append(True)

        asyncio.run(again())

    thread = threading.Thread(target=other_loop, daemon=True)
    thread.start()
    thread.join(HANG_S)
    assert answered == [True], "another event loop could not take the writer lock"
