"""`Installo-Sandbox-Process: <pid>` on every answer, so a client of `--workers N` sees which
sandbox process served it (the pid is all it says; nothing about the request or the caller)."""

from __future__ import annotations

import os

from starlette.types import ASGIApp, Message, Receive, Scope, Send

__all__ = ["PROCESS_HEADER", "ProcessHeaderMiddleware"]

PROCESS_HEADER = "installo-sandbox-process"


class ProcessHeaderMiddleware:
    """Add the serving process's id to every HTTP answer."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app
        self._value = str(os.getpid()).encode()

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        """Pass the request on; stamp the answer's headers."""
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return

        async def stamped(message: Message) -> None:
            if message["type"] == "http.response.start":
                headers = [*message.get("headers", []), (PROCESS_HEADER.encode(), self._value)]
                message = {**message, "headers": headers}
            await send(message)

        await self.app(scope, receive, stamped)
