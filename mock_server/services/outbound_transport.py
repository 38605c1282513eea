"""The HTTP transport webhook deliveries go out on: it connects only where the policy allows.

The dispatcher checks a delivery's URL before it sends (and records "blocked by policy"), but
that check resolves the host once and the HTTP client would resolve it again to connect: a DNS
answer that changes in between (DNS rebinding) would reach an address the check never saw. This
transport closes that gap: its network backend resolves the host itself, checks every address
the answer holds, and connects to the first of them, so the address connected is an address
checked. The request keeps its host name (the Host header, TLS's SNI and certificate check).
Environment proxies are not used: a proxy would make the connection for us, unchecked.
"""

from __future__ import annotations

import typing

import httpcore
import httpx

from mock_server.services.outbound import OutboundPolicy

__all__ = ["PolicyNetworkBackend", "PolicyTransport", "policy_transport"]


class PolicyNetworkBackend(httpcore.NetworkBackend):
    """httpcore's synchronous backend, connecting only to addresses the policy allows."""

    def __init__(self, policy: OutboundPolicy) -> None:
        self.policy = policy
        self._sockets = httpcore.SyncBackend()

    def connect_tcp(
        self,
        host: str,
        port: int,
        timeout: float | None = None,
        local_address: str | None = None,
        socket_options: typing.Iterable[httpcore.SOCKET_OPTION] | None = None,
    ) -> httpcore.NetworkStream:
        address, refused = self.policy.connectable(host, port)
        if address is None:
            raise httpcore.ConnectError(refused)
        return self._sockets.connect_tcp(address, port, timeout, local_address, socket_options)

    def connect_unix_socket(
        self,
        path: str,
        timeout: float | None = None,
        socket_options: typing.Iterable[httpcore.SOCKET_OPTION] | None = None,
    ) -> httpcore.NetworkStream:
        raise httpcore.ConnectError("webhooks are delivered over TCP only")

    def sleep(self, seconds: float) -> None:
        self._sockets.sleep(seconds)


class PolicyTransport(httpx.HTTPTransport):
    """httpx's transport over a connection pool whose connections go through
    `PolicyNetworkBackend`: the same settings httpx's default pool has, minus environment
    proxies. httpx takes no network backend, so the pool is built here instead of by httpx's
    constructor (which would also build an SSL context of its own, for nothing)."""

    def __init__(self, policy: OutboundPolicy) -> None:
        self._pool = httpcore.ConnectionPool(
            ssl_context=httpx.create_ssl_context(trust_env=False),
            max_connections=100,
            max_keepalive_connections=20,
            keepalive_expiry=5.0,
            network_backend=PolicyNetworkBackend(policy),
        )


def policy_transport(policy: OutboundPolicy) -> httpx.HTTPTransport:
    """The transport webhook deliveries go out on under `policy`."""
    return PolicyTransport(policy)
