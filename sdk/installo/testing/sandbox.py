"""Run the real sandbox for tests and examples: in-process (ASGI) or on a loopback port.

Needs the `[server]` extra (`pip install 'installo[server]'`); imported lazily, so the SDK itself
never depends on it.
"""

from __future__ import annotations

import importlib
import socket
import threading
import warnings
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

import httpx

from .._client import AsyncInstallo, Installo

__all__ = [
    "DEMO_ADMIN_KEY",
    "DEMO_API_KEY",
    "IN_PROCESS_URL",
    "async_in_process_client",
    "in_process_client",
    "sandbox_app",
    "serve_sandbox",
]

DEMO_API_KEY = "sk_test_demo"
DEMO_ADMIN_KEY = "admin_test_demo"
IN_PROCESS_URL = "http://sandbox.local"


def _import(module: str) -> Any:
    try:
        return importlib.import_module(module)
    except ModuleNotFoundError as exc:
        raise ImportError(
            f"running the sandbox needs the [server] extra ({exc.name} is missing): "
            "pip install 'installo[server]'"
        ) from exc


def sandbox_app(settings: Any | None = None, **overrides: Any) -> Any:
    """Build the sandbox's ASGI app (in-memory database) with `mock_server.app.create_app`.

    Give a settings object, or keyword overrides of the server's settings (e.g. `seed=7`).
    """
    app_module = _import("mock_server.app")
    if settings is None and overrides:
        settings_module = _import("mock_server.settings")
        settings = settings_module.Settings(**overrides)
    return app_module.create_app(settings) if settings is not None else app_module.create_app()


@contextmanager
def in_process_client(
    app: Any | None = None,
    *,
    api_key: str = DEMO_API_KEY,
    admin_key: str = DEMO_ADMIN_KEY,
    max_retries: int | None = None,
) -> Iterator[Installo]:
    """A sync client driving the sandbox in-process through Starlette's `TestClient`."""
    with warnings.catch_warnings():
        # Starlette >= 1.x warns at import that its TestClient prefers the `httpx2` fork; the SDK
        # is built on httpx, and the TestClient works with it.
        warnings.filterwarnings("ignore", message=".*httpx2.*")
        testclient = _import("starlette.testclient")
    with (
        testclient.TestClient(app if app is not None else sandbox_app()) as http,
        Installo(
            api_key=api_key,
            admin_key=admin_key,
            base_url=IN_PROCESS_URL,
            max_retries=max_retries,
            http_client=http,
        ) as client,
    ):
        yield client


def async_in_process_client(
    app: Any | None = None,
    *,
    api_key: str = DEMO_API_KEY,
    admin_key: str = DEMO_ADMIN_KEY,
    max_retries: int | None = None,
) -> AsyncInstallo:
    """An async client driving the sandbox in-process through `httpx.ASGITransport`."""
    transport = httpx.ASGITransport(app=app if app is not None else sandbox_app())
    return AsyncInstallo(
        api_key=api_key,
        admin_key=admin_key,
        base_url=IN_PROCESS_URL,
        max_retries=max_retries,
        transport=transport,
    )


@contextmanager
def serve_sandbox(
    app: Any | None = None, *, host: str = "127.0.0.1", port: int = 0
) -> Iterator[str]:
    """Serve the sandbox over a real socket in a background thread; yields its base URL."""
    uvicorn = _import("uvicorn")
    # IPPROTO_TCP said outright: asyncio turns Nagle off only on connections whose listener
    # reports it, and without that each kept-alive request waited ~40 ms for a delayed ACK.
    sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM, socket.IPPROTO_TCP)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    sock.bind((host, port))
    bound_port = sock.getsockname()[1]
    config = uvicorn.Config(
        app if app is not None else sandbox_app(),
        log_level="warning",
        ws="none",
        http="h11",
        lifespan="auto",
    )
    server = uvicorn.Server(config)
    thread = threading.Thread(
        target=server.run, kwargs={"sockets": [sock]}, name="installo-sandbox", daemon=True
    )
    thread.start()
    try:
        while not server.started:
            if not thread.is_alive():
                raise RuntimeError("the sandbox server stopped while starting")
            threading.Event().wait(0.01)
        yield f"http://{host}:{bound_port}"
    finally:
        server.should_exit = True
        thread.join()
        sock.close()
