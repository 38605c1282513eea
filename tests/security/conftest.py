"""Fixtures for the hardening tests: the server tests' in-process sandbox, plus a real socket."""

from __future__ import annotations

import socket
import threading
from collections.abc import Iterator
from contextlib import contextmanager

import uvicorn
from fastapi import FastAPI

from mock_server.serving import server_config
from mock_server.settings import Settings
from tests.server.conftest import *  # noqa: F403  (the shared fixtures: app, client, kit, ...)


@contextmanager
def serving(app: FastAPI, settings: Settings | None = None) -> Iterator[str]:
    """Serve `app` on a free loopback port with `mock-server`'s own uvicorn configuration."""
    config = server_config(app, settings or Settings(port=0, log_level="warning"))
    server = uvicorn.Server(config)
    listener = socket.create_server(("127.0.0.1", 0))  # listening now: early clients queue
    port = listener.getsockname()[1]
    thread = threading.Thread(
        target=server.run, kwargs={"sockets": [listener]}, name="security-uvicorn", daemon=True
    )
    thread.start()
    try:
        yield f"http://127.0.0.1:{port}"
    finally:
        server.should_exit = True
        thread.join(10)
        listener.close()
