"""Where webhooks may go: the outbound policy, checked at registration and again at delivery.

Always refused: link-local addresses (cloud metadata services at 169.254.169.254 among them),
other metadata addresses, the unspecified address, multicast, broadcast and reserved ranges.
Private and loopback addresses are refused unless the operator allows them
(`--webhook-allow-private`); loopback is allowed by default when the sandbox itself listens on
loopback, since a merchant's app on the same machine is the main use. An IPv4 address in any
spelling (`2130706433`, `0x7f.1`, `127.1`) or mapped into IPv6 counts as that address.

At registration a URL whose host is an address (or `localhost`) is checked as written; names
are resolved at delivery, and every address they resolve to is checked before connecting. The
connection itself is made by `outbound_transport`, which resolves and checks again and connects
to an address it checked (a changed DNS answer cannot slip past).
"""

from __future__ import annotations

import ipaddress
import socket
from collections.abc import Callable
from dataclasses import dataclass
from typing import Final

__all__ = ["OutboundPolicy", "Resolver", "is_loopback_host", "resolve"]

IPAddress = ipaddress.IPv4Address | ipaddress.IPv6Address
Resolver = Callable[[str, int], list[str]]

_METADATA: Final = frozenset(
    ipaddress.ip_address(a) for a in ("169.254.169.254", "fd00:ec2::254", "100.100.100.200")
)
_SHARED: Final = ipaddress.ip_network("100.64.0.0/10")  # carrier-grade NAT: private in effect


def resolve(host: str, port: int) -> list[str]:
    """Every address `host` resolves to (the system resolver); [] when it does not resolve."""
    try:
        found = socket.getaddrinfo(host, port, proto=socket.IPPROTO_TCP)
    except (OSError, UnicodeError):
        return []
    return list(dict.fromkeys(str(info[4][0]) for info in found))


def _literal(host: str) -> IPAddress | None:
    """The address a host names by itself (any IPv4 spelling inet_aton accepts), or None."""
    try:
        return ipaddress.ip_address(host.strip("[]").split("%")[0])
    except ValueError:
        pass
    try:
        return ipaddress.IPv4Address(socket.inet_aton(host))
    except (OSError, ValueError):
        return None


def is_loopback_host(host: str) -> bool:
    """Whether the sandbox listening on `host` listens on loopback only."""
    if host == "localhost":
        return True
    address = _literal(host)
    return address is not None and address.is_loopback


@dataclass(frozen=True, slots=True)
class OutboundPolicy:
    """Which addresses webhook deliveries may reach."""

    allow_private: bool = False
    allow_loopback: bool = False
    resolver: Resolver = resolve

    def refusal(self, address: IPAddress) -> str | None:
        """Why this address is refused, or None when deliveries may reach it."""
        if isinstance(address, ipaddress.IPv6Address) and address.ipv4_mapped is not None:
            address = address.ipv4_mapped
        if address in _METADATA:
            return f"{address} is a cloud metadata address"
        if address.is_unspecified or address.is_multicast or address.is_link_local:
            return f"{address} is an unspecified, multicast or link-local address"
        if address.is_loopback:
            allowed = self.allow_loopback or self.allow_private
            return None if allowed else f"{address} is a loopback address"
        if address.is_private or address in _SHARED:
            if address.is_reserved or str(address) == "255.255.255.255":
                return f"{address} is a reserved address"
            return None if self.allow_private else f"{address} is a private address"
        if address.is_reserved:
            return f"{address} is a reserved address"
        return None

    def check_registration(self, url: str) -> str | None:
        """Why a URL may not be registered (its host as written), or None."""
        import httpx  # deferred: the sandbox starts without it (see services.dispatcher)

        try:
            host = httpx.URL(url).host
        except (httpx.InvalidURL, ValueError):
            return "it is not a valid http(s) URL"
        if host == "localhost" or host.endswith(".localhost"):
            return self.refusal(ipaddress.ip_address("127.0.0.1"))
        address = _literal(host)
        return self.refusal(address) if address is not None else None

    def connectable(self, host: str, port: int) -> tuple[str | None, str]:
        """The address to connect to for `host` (resolved now, every answer checked), or None
        and why not: refused by the policy, or the name does not resolve."""
        if host == "localhost" or host.endswith(".localhost"):
            answers = ["127.0.0.1"]
        else:
            literal = _literal(host)
            answers = [str(literal)] if literal is not None else self.resolver(host, port)
        if not answers:
            return None, f"{host} does not resolve"
        reason = self._answers_refusal(host, answers)
        if reason is not None:
            return None, f"blocked by policy: {reason}"
        return answers[0], ""

    def _answers_refusal(self, host: str, answers: list[str]) -> str | None:
        """Why one of the addresses `host` resolved to is refused, or None."""
        for found in answers:
            address = _literal(found)
            reason = self.refusal(address) if address is not None else f"{found} is no address"
            if reason is not None:
                return f"{host} resolves to {reason}"
        return None

    def check_delivery(self, url: str) -> str | None:
        """Why a delivery to `url` is refused after resolving its host now, or None."""
        literal = self.check_registration(url)
        if literal is not None:
            return literal
        import httpx  # loaded by `check_registration` already

        parsed = httpx.URL(url)
        port = parsed.port or (443 if parsed.scheme == "https" else 80)
        return self._answers_refusal(parsed.host, self.resolver(parsed.host, port))
