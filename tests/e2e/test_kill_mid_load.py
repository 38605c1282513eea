"""kill -9 under load, restart, retry every request with its key: nothing stuck, doubled or lost.

Eight threads run checkout flows (create, confirm, capture) against a real `mock-server` on a
file database, every POST with an idempotency key. The server is killed with SIGKILL while
requests are in flight, then restarted on the same file. Every request is then sent again with
its key and body: one that was answered must replay its answer byte for byte; one that was in
flight must either replay what it committed or run afresh, never answer
`idempotency_in_progress`; then every flow is finished. Each checkout, decision and capture
happened exactly once.
"""

from __future__ import annotations

import signal
import threading
from collections import Counter
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import httpx

from tests.e2e.test_server_durability import AUTH, free_port, running_server

FLOWS = 24
THREADS = 8
KILL_AFTER = 30  # answered requests before the kill


@dataclass
class Sent:
    """One keyed POST: what was asked and, if it came back, what was answered."""

    key: str
    path: str
    body: dict[str, Any]
    answer: httpx.Response | None = None


@dataclass
class Flow:
    """One shopper's checkout: create, confirm, capture, each with its own key."""

    n: int
    customer: dict[str, Any]
    sent: list[Sent] = field(default_factory=list)

    def create_body(self) -> dict[str, Any]:
        return {
            "items": [{"sku": f"k-{self.n}", "name": "Lamp", "unit_amount": 30_000, "quantity": 1}],
            "amount": 30_000,
            "currency": "USD",
            "customer": self.customer,
            "merchant_reference": f"kill-{self.n}",
        }


def _customers(base: str) -> list[dict[str, Any]]:
    with httpx.Client(base_url=base, headers=AUTH) as client:
        people = client.get("/v1/sandbox/personas", params={"tier": "prime", "limit": 100})
    keys = ("name", "phone", "date_of_birth", "address", "national_id_last4", "locale")
    made = []
    for n in range(FLOWS):
        persona = people.json()["data"][n % 100]
        local, _, domain = persona["email"].partition("@")
        made.append({**{k: persona[k] for k in keys}, "email": f"{local}+approve@{domain}"})
    return made


class Load:
    """Runs flows until the server dies; counts answers so the test knows when to kill."""

    def __init__(self, base: str) -> None:
        self.base = base
        self.answered = 0
        self.enough = threading.Event()
        self.lock = threading.Lock()

    def post(self, client: httpx.Client, flow: Flow, sent: Sent) -> httpx.Response:
        flow.sent.append(sent)
        sent.answer = client.post(sent.path, json=sent.body, headers={"Idempotency-Key": sent.key})
        with self.lock:
            self.answered += 1
            if self.answered >= KILL_AFTER:
                self.enough.set()
        return sent.answer

    def run(self, flow: Flow) -> None:
        try:
            with httpx.Client(base_url=self.base, headers=AUTH, timeout=60) as client:
                advance(self, client, flow)
        except httpx.TransportError:
            pass  # the server was killed mid-request


def advance(load: Load, client: httpx.Client, flow: Flow) -> None:
    """Take the flow from where it stands to a captured loan (or a decline)."""
    done = {s.path.rsplit("/", 1)[-1]: s for s in flow.sent if s.answer is not None}
    checkout = done["checkouts"].answer.json() if "checkouts" in done else None  # type: ignore[union-attr]
    if checkout is None:
        sent = Sent(f"create-{flow.n}", "/v1/checkouts", flow.create_body())
        checkout = load.post(client, flow, sent).json()
    decided = done["confirm"].answer.json() if "confirm" in done else None  # type: ignore[union-attr]
    if decided is None:
        offer = next(o["id"] for o in checkout["offers"] if o["plan"] == "monthly_6_0apr")
        path = f"/v1/checkouts/{checkout['id']}/confirm"
        sent = Sent(f"confirm-{flow.n}", path, {"offer": offer, "consent": True})
        decided = load.post(client, flow, sent).json()
    if decided["status"] == "approved" and "capture" not in done:
        sent = Sent(f"capture-{flow.n}", f"/v1/loans/{decided['loan']}/capture", {})
        load.post(client, flow, sent)


def _retry_everything(base: str, flows: list[Flow]) -> Counter[str]:
    """Send every request again with its key; answer what came back, by kind."""
    outcomes: Counter[str] = Counter()
    with httpx.Client(base_url=base, headers=AUTH, timeout=60) as client:
        for flow in flows:
            for sent in list(flow.sent):
                again = client.post(
                    sent.path, json=sent.body, headers={"Idempotency-Key": sent.key}
                )
                assert again.status_code != 409 or "idempotency" not in again.text, again.text
                if sent.answer is not None:
                    assert again.headers.get("Idempotent-Replayed") == "true"
                    assert (again.status_code, again.content) == (
                        sent.answer.status_code,
                        sent.answer.content,
                    )
                    outcomes["answered, replayed"] += 1
                else:
                    replayed = again.headers.get("Idempotent-Replayed") == "true"
                    outcomes["in flight, " + ("replayed" if replayed else "ran afresh")] += 1
                    sent.answer = again
            load = Load(base)
            advance(load, client, flow)
    return outcomes


def test_every_in_flight_request_replays_or_runs_afresh_after_kill_9(tmp_path: Path) -> None:
    db, log, port = tmp_path / "kill.db", tmp_path / "server.log", free_port()
    base = f"http://127.0.0.1:{port}"
    with running_server(db, port, log) as process:
        flows = [Flow(n, c) for n, c in enumerate(_customers(base))]
        load = Load(base)
        with ThreadPoolExecutor(THREADS) as pool:
            for flow in flows:
                pool.submit(load.run, flow)
            load.enough.wait()
            process.send_signal(signal.SIGKILL)
            process.wait()
    in_flight = sum(s.answer is None for f in flows for s in f.sent)
    assert in_flight > 0, "the kill hit no request in flight"
    with running_server(db, port, log):
        outcomes = _retry_everything(base, flows)
        assert outcomes["in flight, replayed"] + outcomes["in flight, ran afresh"] == in_flight
        with httpx.Client(base_url=base, headers=AUTH) as client:
            events: Counter[str] = Counter()
            params: dict[str, Any] = {"limit": 100}
            while True:
                page = client.get("/v1/events", params=params).json()
                events.update(e["type"] for e in page["data"])
                if not page["has_more"]:
                    break
                params["starting_after"] = page["data"][-1]["id"]
            loans = client.get("/v1/loans", params={"limit": 100}).json()["data"]
    assert events["checkout.created"] == FLOWS  # none doubled, none lost
    assert events["checkout.approved"] + events["checkout.declined"] == FLOWS
    assert events["loan.authorized"] == events["checkout.approved"] == len(loans)
    assert events["loan.captured"] == len(loans)
    assert all(loan["status"] == "active" for loan in loans)
