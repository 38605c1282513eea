"""A loopback webhook receiver: the sandbox delivers here, each delivery is verified and queued."""

from __future__ import annotations

import queue
import threading
from dataclasses import dataclass
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

from installo._exceptions import SignatureVerificationError
from installo.webhooks import construct_event

__all__ = ["Delivery", "WebhookReceiver"]

SIGNATURE_HEADER = "Installo-Signature"


@dataclass(frozen=True)
class Delivery:
    """One webhook delivery as received: the event (if it verified) or why it was refused."""

    event_type: str
    event_id: str
    verified: bool
    problem: str = ""


class WebhookReceiver:
    """Listens on 127.0.0.1; ``secret`` must be set (from the endpoint's creation) to verify."""

    def __init__(self) -> None:
        self.secret: str | None = None
        self.deliveries: queue.Queue[Delivery] = queue.Queue()
        receiver = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self) -> None:
                length = int(self.headers.get("Content-Length") or 0)
                body = self.rfile.read(length)
                receiver.receive(body, self.headers.get(SIGNATURE_HEADER))
                self.send_response(200)
                self.send_header("Content-Length", "0")
                self.end_headers()

            def log_message(self, format: str, *args: object) -> None:
                """Quiet: the TUI owns the terminal."""

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.server.daemon_threads = True
        self.thread = threading.Thread(
            target=self.server.serve_forever, name="merchant-sim-webhooks", daemon=True
        )

    @property
    def url(self) -> str:
        """Where the sandbox should deliver."""
        host, port = self.server.server_address[:2]
        return f"http://{host!s}:{port}/webhooks"

    def start(self) -> WebhookReceiver:
        """Start listening in a background thread."""
        self.thread.start()
        return self

    def stop(self) -> None:
        """Stop listening."""
        self.server.shutdown()
        self.server.server_close()

    def receive(self, body: bytes, signature: str | None) -> Delivery:
        """Verify one delivery and queue what it was."""
        if self.secret is None:
            delivery = Delivery("?", "?", False, "no signing secret yet")
        else:
            try:
                event = construct_event(body, signature, self.secret)
                delivery = Delivery(event.type, event.id, True)
            except SignatureVerificationError as exc:
                delivery = Delivery("?", "?", False, exc.message)
        self.deliveries.put(delivery)
        return delivery

    def drain(self) -> list[Delivery]:
        """Every delivery received since the last drain."""
        out = []
        while True:
            try:
                out.append(self.deliveries.get_nowait())
            except queue.Empty:
                return out
