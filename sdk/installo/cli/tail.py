"""`installo events tail` and `installo logs tail`: the newest events or API requests of the key,
then (with `--follow`) each new one as it happens."""

from __future__ import annotations

import argparse
import json
import time
from collections.abc import Callable
from typing import Any, Final

import httpx
from rich.console import Console
from rich.markup import escape

from .listen import STREAM_TIMEOUT, event_types, open_stream

__all__ = ["LOGS_PATH", "add_parsers", "format_event", "format_request"]

LOGS_PATH: Final = "/v1/request_logs"
POLL_SECONDS: Final = 1.0


def add_parsers(commands: Any, common: Callable[[argparse.ArgumentParser], None]) -> None:
    """Register `events tail` and `logs tail`."""
    for noun, what, handler in (
        ("events", "the merchant's events", _events),
        ("logs", "the merchant's API requests (this command's own polls left out)", _logs),
    ):
        group = commands.add_parser(noun, help=f"{what}").add_subparsers(
            dest="action", required=True, metavar="ACTION"
        )
        parser = group.add_parser("tail", help=f"show {what}, newest last")
        common(parser)
        parser.add_argument("--limit", type=int, default=10, help="how many to show first (1-100)")
        parser.add_argument("-f", "--follow", action="store_true", help="keep showing new ones")
        if noun == "events":
            parser.add_argument("--events", default="", help="comma-separated event types")
        parser.set_defaults(handler=handler)


def format_event(event: dict[str, Any]) -> str:
    """One line per event: time, type, id, the object's id."""
    obj = event.get("data", {}).get("object", {})
    return (
        f"{escape(str(event['created']))}  {escape(str(event['type'])):<28} "
        f"{escape(str(event['id']))}  {escape(str(obj.get('id', '')))}"
    )


def format_request(entry: dict[str, Any]) -> str:
    """One line per request: time, method, path, status, request id, idempotency key."""
    key = entry.get("idempotency_key") or "-"
    colour = "green" if int(entry["status"]) < 400 else "red"
    return (
        f"{escape(str(entry['created']))}  {entry['method']:<6} {escape(str(entry['path']))}  "
        f"[{colour}]{entry['status']}[/]  {entry['request_id']}  idempotency_key={escape(key)}"
    )


def _client(args: argparse.Namespace) -> httpx.Client:
    auth = {"Authorization": f"Bearer {args.api_key}"}
    return httpx.Client(base_url=args.base_url, headers=auth, timeout=STREAM_TIMEOUT)


def _newest(client: httpx.Client, path: str, params: dict[str, Any]) -> list[dict[str, Any]]:
    response = client.get(path, params=params)
    response.raise_for_status()
    return list(reversed(response.json()["data"]))  # oldest first


def _events(args: argparse.Namespace, console: Console) -> int:
    types = event_types(args.events)
    params: dict[str, Any] = {"limit": args.limit}
    if len(types) == 1:
        params["type"] = types[0]
    with _client(args) as client:
        shown = [
            e for e in _newest(client, "/v1/events", params) if not types or e["type"] in types
        ]
        for event in shown:
            console.print(format_event(event))
        if not args.follow:
            return 0
        last_id = shown[-1]["id"] if shown else None
        with open_stream(client, types, last_id) as stream:
            for sse in stream:
                if sse.id:
                    console.print(format_event(json.loads(sse.data)))
    return 0


def _logs(args: argparse.Namespace, console: Console) -> int:
    seen: set[str] = set()
    with _client(args) as client:
        limit = args.limit
        while True:
            entries = [
                e for e in _newest(client, LOGS_PATH, {"limit": limit}) if e["path"] != LOGS_PATH
            ]
            for entry in entries:
                if entry["id"] not in seen:
                    seen.add(entry["id"])
                    console.print(format_request(entry))
            if not args.follow:
                return 0
            limit = 100
            time.sleep(POLL_SECONDS)
