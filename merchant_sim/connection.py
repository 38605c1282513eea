"""Reach a sandbox: start one in-process, or connect to one by URL."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    # httpx, the SDK and the sandbox are imported where a connection is made: the storefront
    # paints its first frame before it connects (in a worker), so it does not wait for them.
    import httpx
    from installo import AsyncInstallo

    #: Wraps the transport the client will use (the scenario runner injects faults this way).
    TransportWrap = Callable[[httpx.AsyncBaseTransport], httpx.AsyncBaseTransport]

__all__ = [
    "DEMO_ADMIN_KEY",
    "DEMO_API_KEY",
    "EMBEDDED_URL",
    "SandboxConnection",
    "build_sandbox_app",
]

DEMO_API_KEY = "sk_test_demo"
DEMO_ADMIN_KEY = "admin_test_demo"
EMBEDDED_URL = "http://sandbox.local"


def build_sandbox_app(*, seed: int = 0) -> Any:
    """Build the sandbox's ASGI app (SQLite in memory) through the SDK's sandbox helper."""
    from installo.testing.sandbox import sandbox_app

    return sandbox_app(seed=seed)


@dataclass
class SandboxConnection:
    """An SDK client bound to one sandbox, and how to describe and close it."""

    client: AsyncInstallo
    label: str
    embedded: bool
    #: How a simulated phone reaches the hosted page (the in-process app when embedded).
    page_transport: httpx.AsyncBaseTransport | None = None

    @classmethod
    def start_embedded(
        cls,
        *,
        seed: int = 0,
        api_key: str = DEMO_API_KEY,
        admin_key: str = DEMO_ADMIN_KEY,
        max_retries: int | None = None,
        wrap: TransportWrap | None = None,
        app: Any | None = None,
    ) -> SandboxConnection:
        """Start the sandbox in this process (SQLite in memory) and drive it through ASGI; an
        already built sandbox ``app`` is driven instead when given (tests pin its wall clock)."""
        import httpx
        from installo import AsyncInstallo

        app = app if app is not None else build_sandbox_app(seed=seed)
        transport: httpx.AsyncBaseTransport = httpx.ASGITransport(app=app)
        if wrap is not None:
            transport = wrap(transport)
        client = AsyncInstallo(
            api_key=api_key,
            admin_key=admin_key,
            base_url=EMBEDDED_URL,
            transport=transport,
            max_retries=max_retries,
        )
        label = f"embedded sandbox (seed {seed}, demo merchant)"
        return cls(client, label, embedded=True, page_transport=httpx.ASGITransport(app=app))

    @classmethod
    def connect(
        cls,
        url: str,
        api_key: str,
        admin_key: str | None = None,
        *,
        max_retries: int | None = None,
        wrap: TransportWrap | None = None,
    ) -> SandboxConnection:
        """Drive the sandbox at ``url`` with a merchant key (and the admin key, for the lender)."""
        import httpx
        from installo import AsyncInstallo

        transport = wrap(httpx.AsyncHTTPTransport()) if wrap is not None else None
        client = AsyncInstallo(
            api_key=api_key,
            admin_key=admin_key,
            base_url=url,
            max_retries=max_retries,
            transport=transport,
        )
        return cls(client, f"sandbox at {url}", embedded=False)

    async def aclose(self) -> None:
        """Close the client's connections."""
        await self.client.close()
