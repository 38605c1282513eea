"""A webhook receiver that verifies `Installo-Signature` on the raw body before trusting an event.

It subscribes itself to the sandbox, runs a checkout, and prints the verified events it receives;
then it shows a tampered delivery being refused. With no INSTALLO_BASE_URL set it starts the
sandbox on a loopback port itself.
"""

from __future__ import annotations

import json
import os
import threading
import time
import urllib.error
import urllib.request
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import ClassVar

from installo import Installo, SignatureVerificationError
from installo.checkout_flow import Cart, CheckoutFlow
from installo.types import CustomerParam, Event
from installo.webhooks import construct_event, generate_header

CUSTOMER: CustomerParam = {
    "email": "lin+approve@example.com",
    "name": "Lin Wei",
    "phone": "+15555550188",
    "date_of_birth": "1992-04-02",
    "national_id_last4": "4242",
    "address": {"line1": "8 Pine St", "city": "Seattle", "region": "WA",
                "postal_code": "98101", "country": "US"},
}  # fmt: skip


class Receiver(BaseHTTPRequestHandler):
    """Answers 200 to a verified delivery and 400 to anything else."""

    secret: ClassVar[str] = ""
    events: ClassVar[list[Event]] = []
    seen_ids: ClassVar[set[str]] = set()

    def do_POST(self) -> None:
        """Verify, then handle each event once (deliveries are at-least-once)."""
        payload = self.rfile.read(int(self.headers.get("Content-Length", 0)))
        try:
            event = construct_event(payload, self.headers.get("Installo-Signature"), self.secret)
        except SignatureVerificationError as err:
            self.send_response(400)
            self.end_headers()
            self.wfile.write(str(err).encode())
            return
        if event.id not in self.seen_ids:
            self.seen_ids.add(event.id)
            self.events.append(event)
        self.send_response(200)
        self.end_headers()

    def log_message(self, format: str, *args: object) -> None:
        """Keep the example's output to the events themselves."""


def post(url: str, payload: bytes, signature: str) -> int:
    """Deliver a payload by hand, as the sandbox would; answer the status."""
    request = urllib.request.Request(
        url, data=payload, method="POST", headers={"Installo-Signature": signature}
    )
    try:
        with urllib.request.urlopen(request, timeout=5) as response:
            return int(response.status)
    except urllib.error.HTTPError as err:
        return err.code


def main(base_url: str) -> None:
    """Subscribe, cause some events, and print what arrives verified."""
    server = ThreadingHTTPServer(("127.0.0.1", 0), Receiver)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    receiver_url = f"http://127.0.0.1:{server.server_address[1]}/installo/webhooks"
    key = os.environ.get("INSTALLO_API_KEY", "sk_test_demo")
    try:
        with Installo(api_key=key, base_url=base_url) as client:
            endpoint = client.webhook_endpoints.create(url=receiver_url)
            Receiver.secret = endpoint.secret or ""
            print(f"Subscribed {endpoint.id} -> {receiver_url}")

            flow = CheckoutFlow(client)
            cart = Cart("USD").add(sku="TENT-2", name="Two-person tent", unit_amount=32900)
            session = flow.start(cart, customer=CUSTOMER)
            outcome = flow.confirm(session.checkout.id, session.offers[0].offer.id)
            last = f"checkout.{outcome.status}"  # the last event this flow causes
            if outcome.status == "approved":
                flow.capture_on_shipment(outcome.checkout.loan or "")
                last = "loan.captured"

            # Deliveries arrive in order, a moment after the requests that caused them.
            deadline = time.monotonic() + 10
            while time.monotonic() < deadline and last not in {e.type for e in Receiver.events}:
                time.sleep(0.1)
            for event in Receiver.events:
                print(f"verified {event.type} ({event.id})")
            print(f"{len(Receiver.events)} events delivered and verified")

            sample = json.dumps({"id": "evt_x", "object": "event", "type": "loan.captured",
                                 "data": {"object": {}}}).encode()  # fmt: skip
            good = generate_header(sample, Receiver.secret)
            tampered = sample.replace(b"captured", b"refunded")
            print(f"hand-signed delivery: HTTP {post(receiver_url, sample, good)}")
            print(f"tampered delivery: HTTP {post(receiver_url, tampered, good)} (refused)")
            client.webhook_endpoints.delete(endpoint.id)
    finally:
        server.shutdown()
        server.server_close()


if __name__ == "__main__":
    url = os.environ.get("INSTALLO_BASE_URL")
    if url:
        main(url)
    else:
        from installo.testing.sandbox import serve_sandbox

        with serve_sandbox() as local_url:
            main(local_url)
