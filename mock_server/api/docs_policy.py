"""The documentation pages (/docs, /redoc) may load nothing from outside the sandbox.

Their assets come from the fastapi-offline package (served under /static-offline-docs), and the
pages carry a Content-Security-Policy that lets the browser load scripts, styles, images, fonts
and data from the sandbox itself only (plus inline and data:/blob: parts the bundles build), so
a URL inside a bundle (ReDoc's attribution logo, Swagger's validator badge) is never fetched.
"""

from __future__ import annotations

from starlette.types import ASGIApp, Message, Receive, Scope, Send

__all__ = ["DOCS_CONTENT_SECURITY_POLICY", "DocsPolicyMiddleware"]

DOCS_CONTENT_SECURITY_POLICY = "; ".join(
    (
        "default-src 'self'",
        "script-src 'self' 'unsafe-inline'",
        "style-src 'self' 'unsafe-inline'",
        "img-src 'self' data:",
        "font-src 'self' data:",
        "worker-src 'self' blob:",
        "connect-src 'self'",
    )
)


class DocsPolicyMiddleware:
    """Add the offline Content-Security-Policy to the answers of the documentation pages."""

    def __init__(self, app: ASGIApp, paths: frozenset[str]) -> None:
        self.app = app
        self.paths = paths

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        """Pass every request through; stamp the policy on the pages' answers."""
        if scope["type"] != "http" or scope["path"] not in self.paths:
            await self.app(scope, receive, send)
            return

        async def send_with_policy(message: Message) -> None:
            if message["type"] == "http.response.start":
                headers = [
                    *message.get("headers", []),
                    (b"content-security-policy", DOCS_CONTENT_SECURITY_POLICY.encode()),
                ]
                message = {**message, "headers": headers}
            await send(message)

        await self.app(scope, receive, send_with_policy)
