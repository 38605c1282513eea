"""A write cancelled while its work runs in a worker thread with the request's session and the
writer lock: the request ends only after that thread has, so the lock is released once, after
the work, and the work is committed whole or not at all.

On a file database (and PostgreSQL) a write's route and the idempotency layer's commit run in
worker threads that use the request's session, and on SQLite hold its writer lock. An anyio
cancellation (schemathesis' cancel scope) waits for such a thread; asyncio's `task.cancel()` (a
stopped Textual worker, uvicorn's shutdown) does not by itself. Both are tried, with the
thread held inside the route (a checkout's create, a clock advance, a reset: book-sized work)
or inside the commit (storing the key's answer), then: a retry with the same key while the
thread is held is told the first is in progress; a second write waits for the lock (SQLite),
then succeeds; the first write was rolled back whole (cancelled in its route: the retry runs
afresh) or committed whole (cancelled in its commit: the retry replays), never doubled.

The thread is held by events, not timing; a scenario that does not finish within HANG_S seconds
fails naming its last step instead of hanging the suite. `--db=postgresql` runs the durable
cases on PostgreSQL instead of a SQLite file.
"""

from __future__ import annotations

import asyncio
import contextlib
import threading
from collections.abc import Awaitable, Callable, Iterator
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any

import anyio
import httpx
import pytest

from mock_server.app import create_app
from mock_server.services import checkouts, idempotency, sandbox_data, servicing
from mock_server.settings import Settings
from mock_server.storage import database
from mock_server.storage.database import RequestTransaction
from tests.server.conftest import AUTH, BASE_URL, cart
from tests.server.hang_guard import run_bounded, until

WAITING = "its transaction ends once no worker thread works in it"  # a cancelled write's log


class Watch:
    """What happened to the requests' transactions, in order, and from which thread."""

    def __init__(self) -> None:
        self.guard = threading.Lock()
        self.events: list[tuple[str, int, int]] = []  # (what, id of the transaction, thread)
        self.transactions: list[RequestTransaction] = []
        self.releases: dict[int, int] = {}  # id of a writer-lock hold: times released
        self.holds: list[object] = []  # kept alive, so that no two share an id

    def note(self, what: str, tx: object) -> None:
        with self.guard:
            self.events.append((what, id(tx), threading.get_ident()))

    def open_transactions(self) -> list[RequestTransaction]:
        return [tx for tx in self.transactions if tx._scope is not None]


@pytest.fixture
def watch(monkeypatch: pytest.MonkeyPatch) -> Watch:
    """Record each request transaction's begin, commit, rollback and close, and each release of
    a hold on the writer lock."""
    seen = Watch()
    begin, commit, rollback, close = (
        RequestTransaction.begin,
        RequestTransaction.commit,
        RequestTransaction.rollback,
        RequestTransaction._close,
    )
    release = database._RequestHold.release

    async def watched_begin(tx: RequestTransaction) -> None:
        await begin(tx)
        seen.transactions.append(tx)

    def watched(name: str, call: Callable[[RequestTransaction], None]) -> Any:
        def run(tx: RequestTransaction) -> None:
            seen.note(name, tx)
            call(tx)

        return run

    def watched_release(hold: database._RequestHold) -> None:
        with seen.guard:
            seen.holds.append(hold)
            seen.releases[id(hold)] = seen.releases.get(id(hold), 0) + 1
        release(hold)

    monkeypatch.setattr(RequestTransaction, "begin", watched_begin)
    monkeypatch.setattr(RequestTransaction, "commit", watched("commit", commit))
    monkeypatch.setattr(RequestTransaction, "rollback", watched("rollback", rollback))
    monkeypatch.setattr(RequestTransaction, "_close", watched("close", close))
    monkeypatch.setattr(database._RequestHold, "release", watched_release)
    return seen


class Gate:
    """Holds the first call of a patched function in its worker thread until released, noting
    the request transaction it works in and what that transaction looked like when let go on."""

    def __init__(self, call: Callable[..., Any], watch: Watch, writer: Any) -> None:
        self.call = call
        self.watch = watch
        self.writer = writer
        self.entered = threading.Event()
        self.go_on = threading.Event()
        self.done = threading.Event()
        self.calls = 0
        self.tx: RequestTransaction | None = None
        self.thread = 0
        self.intact_when_let_go: bool | None = None

    def __call__(self, *args: Any, **kwargs: Any) -> Any:
        self.calls += 1
        if self.calls > 1:
            return self.call(*args, **kwargs)
        (self.tx,) = self.watch.open_transactions()  # the only request at work
        self.thread = threading.get_ident()
        session = self.tx.session
        self.watch.note("work", self.tx)
        self.entered.set()
        self.go_on.wait()
        # Nothing else ended the transaction or gave its lock away while this thread held it.
        self.intact_when_let_go = self.tx._scope is not None and self.tx.session is session
        if self.writer is not None:
            self.intact_when_let_go = self.intact_when_let_go and self.writer._lock.locked()
        try:
            return self.call(*args, **kwargs)
        finally:
            self.watch.note("work done", self.tx)
            self.done.set()


@pytest.fixture
def durable_url(request: pytest.FixtureRequest, tmp_path: Path) -> str:
    """A database whose writes run in worker threads: a SQLite file, or the suite's PostgreSQL
    database under `--db=postgresql`."""
    if request.config.getoption("installo_db") == "sqlite":
        return f"sqlite:///{tmp_path / 'sandbox.db'}"
    url: str = request.getfixturevalue("database_url")
    return url


@contextlib.contextmanager
def _gated(
    monkeypatch: pytest.MonkeyPatch, operation: str, stage: str, watch: Watch, writer: Any
) -> Iterator[Gate]:
    """Hold the operation's first request in its route's worker thread ("route") or in the
    idempotency layer's commit ("commit": storing the answer, the work done)."""
    if stage == "commit":
        gate = Gate(idempotency.store_answer, watch, writer)
        monkeypatch.setattr(idempotency, "store_answer", gate)
    else:
        module, name = {
            "create": (checkouts, "create_checkout"),
            "advance": (servicing, "advance"),
            "reset": (sandbox_data, "reset"),
        }[operation]
        gate = Gate(getattr(module, name), watch, writer)
        monkeypatch.setattr(module, name, gate)
    yield gate


CASES = [
    ("create", "route", "durable"),
    ("create", "commit", "durable"),
    ("advance", "route", "durable"),
    ("advance", "commit", "durable"),
    ("reset", "route", "durable"),
    ("reset", "commit", "durable"),
    # In memory a write's route runs on the event loop, and so does the commit; the clock's
    # advance and the reset, whose work grows with the book, still run in a worker thread.
    ("advance", "route", "memory"),
    ("reset", "route", "memory"),
]


@pytest.mark.parametrize("cancel", ["task.cancel", "cancel scope"])
@pytest.mark.parametrize(("operation", "stage", "db"), CASES)
def test_a_write_cancelled_in_its_worker_thread_ends_after_that_thread(
    monkeypatch: pytest.MonkeyPatch,
    caplog: pytest.LogCaptureFixture,
    request: pytest.FixtureRequest,
    watch: Watch,
    operation: str,
    stage: str,
    db: str,
    cancel: str,
) -> None:
    url = "sqlite://" if db == "memory" else request.getfixturevalue("durable_url")
    app = create_app(Settings(db=url, seed=11, webhook_worker=False))
    sandbox = app.state.sandbox
    writer = sandbox.db._writer  # None on PostgreSQL: row locks instead of one writer
    caplog.set_level("INFO", logger="mock_server.access")
    outcome = "committed" if stage == "commit" else "rolled back"
    gate: Gate | None = None

    def waiting_logged() -> bool:
        return any(WAITING in record.getMessage() for record in caplog.records)

    async def scenario(steps: list[str]) -> None:
        nonlocal gate
        transport = httpx.ASGITransport(app=app)
        async with httpx.AsyncClient(transport=transport, base_url=BASE_URL, headers=AUTH) as c:
            me = (await c.get("/v1/merchants/me")).json()["id"]
            bodies = {"create": cart(), "advance": {"days": 3}, "reset": {"confirm": me}}
            paths = {
                "create": "/v1/checkouts",
                "advance": "/v1/sandbox/clock/advance",
                "reset": "/v1/sandbox/reset",
            }
            ok = 201 if operation == "create" else 200
            steps.append("before: a checkout, and the clock one day on")
            kept = await c.post("/v1/checkouts", json=cart())
            assert kept.status_code == 201, kept.text
            day = await c.post("/v1/sandbox/clock/advance", json={"days": 1})
            assert day.status_code == 200, day.text
            start = datetime.fromisoformat(day.json()["now"])

            def first_write() -> Awaitable[httpx.Response]:
                headers = {"Idempotency-Key": "the-first"}
                return c.post(paths[operation], json=bodies[operation], headers=headers)

            scope = anyio.CancelScope()

            async def send_first() -> None:
                with scope:
                    await first_write()

            with _gated(monkeypatch, operation, stage, watch, writer) as gate:
                first = asyncio.ensure_future(send_first())
                steps.append("the first write sent; waiting for its thread to be held")
                await asyncio.to_thread(gate.entered.wait)
                steps.append("cancelling the first write")
                if cancel == "task.cancel":
                    first.cancel()
                    # The request has seen its cancellation: it either ended (the lock given
                    # back under its thread) or says it waits for that thread.
                    await until(lambda: first.done() or waiting_logged())
                else:
                    scope.cancel()
                assert not first.done(), "the cancelled write ended while its thread worked"
                if writer is not None:
                    assert writer._lock.locked(), "the lock was given back under the thread"

                steps.append("a retry with the same key while the first works")
                retry = await first_write()
                assert retry.status_code == 409, retry.text
                assert retry.json()["error"]["code"] == "idempotency_in_progress"

                steps.append("a second write")
                second = asyncio.ensure_future(c.post("/v1/checkouts", json=cart()))
                if writer is not None:  # SQLite: it waits for the first's lock
                    await until(lambda: second.done() or _queued(writer))
                    assert not second.done(), "a second writer got in beside the first"

                steps.append("letting the first write's thread go on")
                gate.go_on.set()
                with contextlib.suppress(asyncio.CancelledError):  # task.cancel raises it
                    await first
                assert gate.done.is_set()
                steps.append("the second write's answer")
                assert (await second).status_code == 201

            steps.append(f"the first write was {outcome}: its retry")
            again = await first_write()
            assert again.status_code == ok, again.text
            replayed = again.headers.get("idempotent-replayed") == "true"
            assert replayed == (outcome == "committed"), outcome
            steps.append("the merchant's data")
            listed = (await c.get("/v1/checkouts", params={"limit": 100})).json()["data"]
            ids = {checkout["id"] for checkout in listed}
            second_id = (await second).json()["id"]
            if operation == "create":  # one checkout for the key, never two
                assert ids == {kept.json()["id"], second_id, again.json()["id"]}
            elif operation == "advance":  # three days on once, never six (the sandbox's
                # time is an offset from the wall clock, which moved on meanwhile)
                moved = datetime.fromisoformat(again.json()["now"]) - start
                assert timedelta(days=3) <= moved < timedelta(days=4), moved
                assert ids == {kept.json()["id"], second_id}
            elif outcome == "committed":  # reset before the second write, which waited
                assert ids == {second_id}
            else:  # the cancelled reset undone; the retry ran afresh after the second write
                assert ids == set()
        steps.append("done")

    try:
        run_bounded(scenario, "cancelled-writes")
        assert gate is not None and gate.tx is not None
        first_tx = id(gate.tx)
        mine = [(what, thread) for what, tx, thread in watch.events if tx == first_tx]
        assert gate.intact_when_let_go, "the first write's transaction was ended under its thread"
        # Its work came first; only after it did anything end the transaction, once.
        assert mine[0] == ("work", gate.thread), mine
        done = mine.index(("work done", gate.thread))
        assert all(what == "work" or i >= done for i, (what, _) in enumerate(mine)), mine
        assert [what for what, _ in mine].count("close") == 1, mine
        assert all(count == 1 for count in watch.releases.values()), watch.releases
        if writer is not None:
            assert not writer._lock.locked(), "the writer lock stayed taken"
    finally:
        sandbox.close()


def _queued(writer: Any) -> bool:
    """Whether a request waits on its event loop's queue for the writer lock."""
    return any(queue._waiters for queue in writer._queues.values())
