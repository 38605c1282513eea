"""`installo listen --forward-to URL`: the sandbox's live events, signed and forwarded locally.

Events come from the sandbox's server-sent event stream (`GET /v1/events/stream`), so no public
endpoint is needed. Each is signed with both header sets (`Installo-Signature` and the Standard
Webhooks headers) using the listener's secret and POSTed to the local URL; one line per event
shows the local app's answer. A dropped stream reconnects with backoff and resumes after the last
event forwarded (`Last-Event-ID`), so nothing is skipped.
"""

from __future__ import annotations

import argparse
import base64
import os
import secrets
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import datetime
from typing import Any, Final

import httpx
from httpx_sse import ServerSentEvent, SSEError, connect_sse
from rich.console import Console
from rich.markup import escape

from ..webhooks import generate_header, generate_standard_headers

__all__ = ["SECRET_ENV", "add_parser", "forward_event", "new_secret", "open_stream"]

SECRET_ENV: Final = "INSTALLO_WEBHOOK_SECRET"
MAX_BACKOFF: Final = 30.0
STREAM_TIMEOUT: Final = httpx.Timeout(10.0, read=60.0)  # the sandbox pings every 15 s


def add_parser(commands: Any, common: Callable[[argparse.ArgumentParser], None]) -> None:
    """Register `listen`."""
    parser = commands.add_parser("listen", help="forward the sandbox's events to a local URL")
    common(parser)
    parser.add_argument("--forward-to", required=True, metavar="URL", help="the local app's URL")
    parser.add_argument(
        "--events", default="", help="comma-separated event types to forward (default: all)"
    )
    parser.add_argument(
        "--secret",
        default=os.environ.get(SECRET_ENV),
        help=f"signing secret whsec_... (default: ${SECRET_ENV}, else a new one, printed)",
    )
    parser.set_defaults(handler=run)


def new_secret() -> str:
    """A fresh signing secret in the Standard Webhooks form `whsec_<base64 of 24 bytes>`."""
    return f"whsec_{base64.b64encode(secrets.token_bytes(24)).decode()}"


def event_types(text: str) -> list[str]:
    """The event types of a comma-separated list."""
    return [t.strip() for t in text.split(",") if t.strip()]


@contextmanager
def open_stream(
    api: httpx.Client, types: list[str], last_event_id: str | None
) -> Iterator[Iterator[ServerSentEvent]]:
    """Open the event stream (resuming after `last_event_id`); raise `httpx.HTTPStatusError` on
    a refusal such as a bad key."""
    params = {"types": ",".join(types)} if types else {}
    headers = {"Last-Event-ID": last_event_id} if last_event_id else {}
    with connect_sse(api, "GET", "/v1/events/stream", params=params, headers=headers) as source:
        if source.response.is_error:
            source.response.read()
            source.response.raise_for_status()
        yield source.iter_sse()


def forward_event(local: httpx.Client, url: str, event: ServerSentEvent, secret: str) -> str:
    """POST one event to the local app, signed; answer its status (or the error) for display."""
    body = event.data.encode()
    headers = {
        "Content-Type": "application/json",
        "User-Agent": "installo-cli",
        "Installo-Signature": generate_header(body, secret),
        **generate_standard_headers(body, secret, message_id=event.id),
    }
    try:
        response = local.post(url, content=body, headers=headers)
    except httpx.HTTPError as exc:
        return f"[red]{escape(type(exc).__name__)}[/]"
    colour = "green" if response.is_success else "red"
    return f"[{colour}]{response.status_code}[/]"


def _line(event: ServerSentEvent, outcome: str, url: str) -> str:
    at = datetime.now().strftime("%Y-%m-%d %H:%M:%S")
    return f"{at}  {escape(event.event):<28} {escape(event.id)}  --> {outcome} POST {escape(url)}"


def _api(args: argparse.Namespace) -> httpx.Client:
    auth = {"Authorization": f"Bearer {args.api_key}"}
    return httpx.Client(base_url=args.base_url, headers=auth, timeout=STREAM_TIMEOUT)


def run(args: argparse.Namespace, console: Console) -> int:
    """Forward events until interrupted; reconnect whenever the stream drops."""
    secret = args.secret or new_secret()
    types, last_id, failures = event_types(args.events), None, 0
    with _api(args) as api, httpx.Client(timeout=10.0) as local:
        while True:
            try:
                with open_stream(api, types, last_id) as stream:
                    word = "Ready!" if last_id is None and failures == 0 else "Reconnected."
                    console.print(
                        f"{word} Forwarding to {escape(args.forward_to)}; "
                        f"webhook signing secret {secret} (Ctrl-C to quit)"
                    )
                    failures = 0
                    for event in stream:
                        if not event.id:
                            continue
                        outcome = forward_event(local, args.forward_to, event, secret)
                        console.print(_line(event, outcome, args.forward_to))
                        last_id = event.id
            except httpx.HTTPStatusError as exc:
                if exc.response.status_code == 404 and last_id is not None:
                    last_id = None  # the event is gone (a reset): start from now
                    continue
                console.print(f"[red]the sandbox refused the stream: {_message(exc)}[/]")
                return 1
            except (httpx.TransportError, SSEError) as exc:
                failures += 1
                delay = min(2.0 ** (failures - 1), MAX_BACKOFF)
                reason = escape(str(exc) or type(exc).__name__)
                console.print(f"[yellow]stream lost ({reason}); reconnecting in {delay:g}s[/]")
                time.sleep(delay)


def _message(exc: httpx.HTTPStatusError) -> str:
    try:
        return escape(str(exc.response.json()["error"]["message"]))
    except (ValueError, KeyError, TypeError):
        return f"HTTP {exc.response.status_code}"
