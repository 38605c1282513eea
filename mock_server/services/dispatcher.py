"""Webhook delivery: at-least-once, signed, retried with backoff, every attempt recorded.

A daemon thread runs only while deliveries are pending: a commit that queued deliveries wakes it
(through the database's after-commit hook), and it stops once nothing is left to retry, or for good
when the sandbox is closed (`stop()`). HTTP calls happen outside any transaction, so a slow
receiver never holds the database.

Several sandbox processes (`--workers N` on PostgreSQL) each run a worker; a delivery is leased
before it is attempted: the due rows are claimed with `SELECT ... FOR UPDATE SKIP LOCKED` and
given a `lease_expires_at` in that short transaction, so each attempt is made by exactly one
process, and a process that dies mid-attempt only delays the delivery until the lease runs out.

Endpoints are isolated: the worker hands each endpoint's due deliveries (in order) to a pool of
sender threads, at most one batch per endpoint at a time, and never waits for them; a slow or
hanging endpoint holds only its own sender, so other endpoints' events go out at once. A process
leases only what its free senders can start now (never for an endpoint it is already serving),
so no lease waits in a queue behind a hanging endpoint.
Before each attempt the URL's host is resolved and checked against the outbound policy
(`services.outbound`); a refused address is recorded as "blocked by policy" without connecting.
Redirects are never followed (a 3xx counts as a failed attempt).

Retry schedule: up to `MAX_ATTEMPTS` (6) attempts, the n-th retry `2**(n-1)` seconds after the
previous attempt (1, 2, 4, 8, 16 s). A delivery that fails every attempt disables its endpoint:
the endpoint's other pending deliveries are canceled and a `webhook_endpoint.disabled` event says
why (it reaches the merchant's other endpoints that want it).
"""

from __future__ import annotations

import base64
import binascii
import hashlib
import hmac
import json
import logging
import threading
import time
from collections.abc import Iterable, Sequence
from concurrent.futures import Future, ThreadPoolExecutor, wait
from dataclasses import dataclass, replace
from datetime import datetime, timedelta
from typing import TYPE_CHECKING, Final

from sqlalchemy import case, func, or_, select, update
from sqlalchemy.orm import Session

from mock_server.services.clock import WallClock, merchant_now, utc_now
from mock_server.services.events import event_object, record_event
from mock_server.services.outbound import OutboundPolicy
from mock_server.services.presenters import iso
from mock_server.services.webhooks import PENDING_FLAG, disable_endpoint
from mock_server.storage import Database
from mock_server.storage.models import EventRow, WebhookDeliveryRow, WebhookEndpointRow
from mock_server.storage.sealing import UnsealError

if TYPE_CHECKING:
    import httpx

__all__ = ["MAX_ATTEMPTS", "WebhookDispatcher", "sign", "standard_headers"]

log = logging.getLogger("mock_server.webhooks")

MAX_ATTEMPTS: Final = 6
MAX_BACKOFF: Final = timedelta(seconds=60)
BATCH: Final = 20
MAX_FAILURES: Final = 5  # consecutive database errors before the worker stops
SENDERS: Final = 16  # endpoints served at once by one process
LEASE_MARGIN: Final = timedelta(seconds=30)


def sign(payload: bytes, secret: str, timestamp: int) -> str:
    """The `Installo-Signature` header: `t=<unix>,v1=<hex hmac-sha256(secret, "t.body")>`."""
    digest = hmac.new(secret.encode(), f"{timestamp}.".encode() + payload, hashlib.sha256)
    return f"t={timestamp},v1={digest.hexdigest()}"


def _standard_key(secret: str) -> bytes:
    """The signing key Standard Webhooks libraries derive from `whsec_<base64>`; a secret that is
    not base64 (made before secrets were) signs with its own bytes."""
    try:
        return base64.b64decode(secret.removeprefix("whsec_"), validate=True)
    except (binascii.Error, ValueError):
        return secret.encode()


def standard_headers(
    payload: bytes, secret: str, message_id: str, timestamp: int
) -> dict[str, str]:
    """The Standard Webhooks headers: `webhook-id`, `webhook-timestamp` and `webhook-signature`
    (`v1,<base64 hmac-sha256(key, "id.timestamp.body")>`)."""
    signed = f"{message_id}.{timestamp}.".encode() + payload
    digest = hmac.new(_standard_key(secret), signed, hashlib.sha256).digest()
    return {
        "webhook-id": message_id,
        "webhook-timestamp": str(timestamp),
        "webhook-signature": f"v1,{base64.b64encode(digest).decode()}",
    }


@dataclass(frozen=True, slots=True)
class _Job:
    seq: int
    endpoint_id: str
    url: str
    secret: str
    payload: bytes
    event_id: str


class WebhookDispatcher:
    """Delivers queued webhook events for one sandbox."""

    def __init__(
        self,
        db: Database,
        *,
        wall: WallClock = utc_now,
        transport: httpx.BaseTransport | None = None,
        background: bool = True,
        timeout: float = 5.0,
        mode: str = "normal",
        policy: OutboundPolicy | None = None,
    ) -> None:
        self.db = db
        self.mode = mode
        self.policy = policy or OutboundPolicy()
        self._busy: set[str] = set()  # endpoints with a batch in a sender thread
        self._senders: ThreadPoolExecutor | None = None
        self.wall = wall
        self.background = background
        # Deliveries connect only where the policy allows (tests may give a transport instead);
        # the client and the policy's transport are made at the first attempt (see `_client`).
        self._given_transport, self._timeout = transport, timeout
        self._http: httpx.Client | None = None
        self._http_lock = threading.Lock()
        self._lock = threading.Lock()
        self._wake = threading.Event()
        self._thread: threading.Thread | None = None
        self._stopped = False

    def after_commit(self, session: Session) -> None:
        """Database hook: wake up when the commit queued deliveries."""
        if session.info.pop(PENDING_FLAG, False):
            self.wake()

    def wake(self) -> None:
        """Make sure a worker runs (when running in the background)."""
        if not self.background:
            return
        with self._lock:
            if self._stopped:
                return
            self._wake.set()
            if self._thread is None:
                self._thread = threading.Thread(
                    target=self._run, name="installo-webhooks", daemon=True
                )
                self._thread.start()

    def stop(self, timeout: float = 10.0) -> None:
        """Stop the worker for good (it finishes the attempt in flight) and release the client."""
        with self._lock:
            self._stopped = True
            thread = self._thread
            self._wake.set()
        if thread is not None and thread is not threading.current_thread():
            thread.join(timeout)
        with self._lock:
            senders, self._senders = self._senders, None
        if senders is not None:
            senders.shutdown(wait=True)  # in-flight attempts finish; queued batches give back
        self.close()

    def start(self) -> None:
        """Undo `stop()` (an app served again after its shutdown) and deliver what is due."""
        with self._lock:
            self._stopped = False
        self.wake()

    @property
    def running(self) -> bool:
        """Whether a worker thread is alive."""
        thread = self._thread
        return thread is not None and thread.is_alive()

    def _run(self) -> None:
        failures = 0
        while not self._stopped:
            try:
                self._ready_to_send()
                if self._hand_out(self._due_jobs()):
                    failures = 0
                    continue
                wait_for = self._seconds_to_next()
                failures = 0
            except Exception:  # never die silently: log, pause, retry; stop if it persists
                failures += 1
                log.exception("webhook dispatcher failed (%d in a row)", failures)
                wait_for = None if failures >= MAX_FAILURES else 1.0
            with self._lock:
                if self._stopped:
                    break
                idle = wait_for is None and not self._busy
                if idle and (failures >= MAX_FAILURES or not self._wake.is_set()):
                    self._thread = None  # the next commit that queues a delivery restarts it
                    return
                self._wake.clear()
            self._wake.wait(timeout=min(wait_for if wait_for is not None else 1.0, 1.0))
        with self._lock:
            self._thread = None

    def _seconds_to_next(self) -> float | None:
        """Seconds until the next pending delivery is due, not leased by another process and
        not for an endpoint this process is serving."""
        with self._lock:
            busy = list(self._busy)
        delivery = WebhookDeliveryRow
        ready_at = case(
            (delivery.lease_expires_at > delivery.next_attempt_at, delivery.lease_expires_at),
            else_=delivery.next_attempt_at,
        )
        with self.db.reader() as session:
            earliest: datetime | None = session.scalar(
                select(func.min(ready_at)).where(
                    delivery.status == "pending", delivery.endpoint_id.not_in(busy)
                )
            )
        if earliest is None:
            return None
        return max(0.0, (earliest - self.wall()).total_seconds())

    def deliver_due(self) -> int:
        """Attempt every delivery that is due now (endpoints side by side, each endpoint's in
        order) and wait for them; answer how many were attempted."""
        self._client()  # before leasing (see `_ready_to_send`)
        jobs = self._due_jobs()
        wait(self._hand_out(jobs))
        return len(jobs)

    def _hand_out(self, jobs: Sequence[_Job]) -> list[Future[None]]:
        """Give each idle endpoint's due jobs to a sender thread; answer the batches started.
        Jobs it cannot start (stopping, or their endpoint already served) give back their
        leases at once."""
        batches: dict[str, list[_Job]] = {}
        for job in reversed(jobs) if self.mode == "reorder" else jobs:
            batches.setdefault(job.endpoint_id, []).append(job)
        started: list[Future[None]] = []
        unused: list[int] = []
        with self._lock:
            if self._senders is None and not self._stopped:
                self._senders = ThreadPoolExecutor(SENDERS, thread_name_prefix="installo-sender")
            for endpoint_id, batch in batches.items():
                if self._stopped or self._senders is None or endpoint_id in self._busy:
                    unused.extend(job.seq for job in batch)
                    continue
                self._busy.add(endpoint_id)
                started.append(self._senders.submit(self._send_batch, endpoint_id, batch))
        self._release(unused)
        return started

    def _send_batch(self, endpoint_id: str, batch: Sequence[_Job]) -> None:
        done = 0
        try:
            for job in batch:
                if self._stopped:
                    break
                self._attempt(job)
                done += 1
        except Exception:
            log.exception("webhook delivery to endpoint %s failed", endpoint_id)
        finally:
            self._release([job.seq for job in batch[done:]])
            with self._lock:
                self._busy.discard(endpoint_id)
            self.wake()  # its next deliveries may be due

    def release_abandoned_leases(self) -> int:
        """Clear every pending delivery's lease: for a database no other process can be serving
        (an SQLite file, whose sandbox runs in one process), a lease found at start was taken
        by a run that died mid-attempt, and would otherwise hold its delivery until it ran out
        (two minutes). Answers how many were released."""
        with self.db.transaction() as session:
            released = session.execute(
                update(WebhookDeliveryRow)
                .where(
                    WebhookDeliveryRow.status == "pending",
                    WebhookDeliveryRow.lease_expires_at.is_not(None),
                )
                .values(lease_expires_at=None)
            )
            return int(getattr(released, "rowcount", 0) or 0)

    def _release(self, seqs: list[int]) -> None:
        """Give back leases this process will not use (stopping, or no sender free)."""
        if not seqs:
            return
        with self.db.transaction() as session:
            session.execute(
                update(WebhookDeliveryRow)
                .where(WebhookDeliveryRow.seq.in_(seqs), WebhookDeliveryRow.status == "pending")
                .values(lease_expires_at=None)
            )

    def _due_jobs(self) -> list[_Job]:
        """Lease the deliveries due now that no process holds, for endpoints this process can
        start serving now, and answer them as jobs (each endpoint's in order)."""
        with self._lock:
            busy = set(self._busy)
        if len(busy) >= SENDERS:
            return []
        now = self.wall()
        delivery = WebhookDeliveryRow
        with self.db.transaction() as session:
            claim = (
                select(delivery.seq, delivery.endpoint_id)
                .where(
                    delivery.status == "pending",
                    delivery.next_attempt_at <= now,
                    or_(delivery.lease_expires_at.is_(None), delivery.lease_expires_at <= now),
                    delivery.endpoint_id.not_in(busy),
                )
                .order_by(delivery.seq)
                .limit(BATCH)
                .with_for_update(skip_locked=True)
            )
            due = [(seq, endpoint_id) for seq, endpoint_id in session.execute(claim)]
            seqs = _fitting(due, SENDERS - len(busy))
            if not seqs:
                return []
            lease = timedelta(seconds=self._timeout * BATCH) + LEASE_MARGIN
            session.execute(
                update(delivery).where(delivery.seq.in_(seqs)).values(lease_expires_at=now + lease)
            )
            query = (
                select(delivery, WebhookEndpointRow, EventRow)
                .join(WebhookEndpointRow, WebhookEndpointRow.id == delivery.endpoint_id)
                .join(EventRow, EventRow.id == delivery.event_id)
                .where(delivery.seq.in_(seqs))
                .order_by(delivery.seq)
            )
            return [
                _Job(row.seq, endpoint.id, endpoint.url, endpoint.secret, _payload(event), event.id)
                for row, endpoint, event in session.execute(query)
            ]

    def _ready_to_send(self) -> None:
        """Make the HTTP client once a delivery is pending, before the worker leases any: a
        lease is then never held while the client is made (0.2 s or more), so a process killed
        in that time does not leave deliveries waiting for their leases to run out."""
        if self._http is not None:
            return
        with self.db.reader() as session:
            pending = session.scalar(
                select(WebhookDeliveryRow.seq)
                .where(WebhookDeliveryRow.status == "pending")
                .limit(1)
            )
        if pending is not None:
            self._client()

    def _client(self) -> httpx.Client:
        """The HTTP client, made at the first attempt: making one imports httpx and loads the
        system's TLS certificates (0.2 s or more), which the sandbox's start need not wait for."""
        import httpx  # deferred: see above

        from mock_server.services.outbound_transport import policy_transport

        with self._http_lock:
            if self._http is None:
                transport = self._given_transport or policy_transport(self.policy)
                self._http = httpx.Client(
                    transport=transport, timeout=self._timeout, follow_redirects=False
                )
            return self._http

    def _post(self, job: _Job) -> tuple[int | None, str | None, int]:
        import httpx  # loaded by `_client` already

        client = self._client()
        timestamp = int(time.time())
        headers = {
            "Content-Type": "application/json",
            "Installo-Signature": sign(job.payload, job.secret, timestamp),
            "User-Agent": "Installo-Sandbox-Webhooks/1",
            **standard_headers(job.payload, job.secret, job.event_id, timestamp),
        }
        started = time.perf_counter()
        try:
            response = client.post(job.url, content=job.payload, headers=headers)
        except httpx.HTTPError as exc:
            return None, f"{type(exc).__name__}: {exc}", _elapsed_ms(started)
        return response.status_code, None, _elapsed_ms(started)

    def _attempt(self, job: _Job) -> None:
        started = self.wall()
        refused = self.policy.check_delivery(job.url)
        if refused is not None:
            log.warning("webhook delivery %d blocked by policy: %s", job.seq, refused)
            self._record(job.seq, started, None, f"blocked by policy: {refused}", 0)
            return
        try:
            job = replace(job, secret=self.db.sealer.open(job.secret))
        except UnsealError:
            log.error("webhook delivery %d: the endpoint's secret does not open", job.seq)
            failure = "the endpoint's signing secret does not open with this sandbox's secrets key"
            self._record(job.seq, started, None, failure, 0)
            return
        if self.mode == "duplicate":
            self._post(job)  # an extra copy: receivers must handle each event once
        status, error, latency_ms = self._post(job)
        self._record(job.seq, started, status, error, latency_ms)

    def _record(
        self, seq: int, at: datetime, status: int | None, error: str | None, latency_ms: int
    ) -> None:
        with self.db.transaction() as session:
            delivery = session.get(WebhookDeliveryRow, seq)
            if delivery is None or delivery.status != "pending":
                return
            attempt = {
                "at": iso(at), "status_code": status, "error": error, "latency_ms": latency_ms
            }  # fmt: skip
            delivery.attempts = [*delivery.attempts, attempt]
            delivery.lease_expires_at = None  # attempted: the next one is anyone's once due
            if status is not None and 200 <= status < 300:
                delivery.status = "succeeded"
            elif len(delivery.attempts) >= MAX_ATTEMPTS:
                delivery.status = "failed"
                log.warning("webhook delivery %d failed after %d attempts", seq, MAX_ATTEMPTS)
                self._disable(session, delivery)
            else:
                backoff = timedelta(seconds=2 ** (len(delivery.attempts) - 1))
                delivery.next_attempt_at = self.wall() + min(backoff, MAX_BACKOFF)

    def close(self) -> None:
        """Release the HTTP client (the next attempt, after a `start()`, makes a new one)."""
        with self._http_lock:
            http, self._http = self._http, None
        if http is not None:
            http.close()

    def _disable(self, session: Session, delivery: WebhookDeliveryRow) -> None:
        reason = f"delivery of {delivery.event_id} failed {MAX_ATTEMPTS} attempts"
        found = disable_endpoint(session, delivery.endpoint_id, reason)
        if found is None:
            return
        caller, obj = found
        now = merchant_now(session, caller.merchant.id, self.wall)
        record_event(session, caller, "webhook_endpoint.disabled", obj, now)


def _fitting(due: Iterable[tuple[int, str]], endpoints: int) -> list[int]:
    """The due deliveries (in order) of the first `endpoints` endpoints among them."""
    chosen: set[str] = set()
    seqs: list[int] = []
    for seq, endpoint_id in due:
        if endpoint_id not in chosen and len(chosen) >= endpoints:
            continue
        chosen.add(endpoint_id)
        seqs.append(seq)
    return seqs


def _elapsed_ms(started: float) -> int:
    return max(0, round((time.perf_counter() - started) * 1000))


def _payload(event: EventRow) -> bytes:
    return json.dumps(event_object(event), separators=(",", ":")).encode()
