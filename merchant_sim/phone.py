"""A shopper's phone on the hosted application page: it opens the page the terminal's QR code
holds and posts each step's form, as a phone's browser would, reading back each page's heading.

The page is the sandbox's own (`/pay/<token>`); nothing here decides anything.
"""

from __future__ import annotations

import html
import re
from dataclasses import dataclass, field
from typing import Any

import httpx

from merchant_sim.identity import Identity

__all__ = ["PHONE_STEPS", "HostedPagePhone", "PhoneView"]

#: The page's steps in order, with what the phone does to move past each.
PHONE_STEPS: tuple[tuple[str, str], ...] = (
    ("scan", "Scan the QR code"),
    ("identity", "Confirm identity (prefilled)"),
    ("offers", "Soft pull: choose a plan"),
    ("consent", "Review the disclosure, consent"),
    ("decided", "Decision"),
)
_H1 = re.compile(r"<h1>(.*?)</h1>", re.S)
_OFFER = re.compile(r'name="offer" value="([^"]+)"')
_NOTICE = re.compile(r'<ul id="reasons">(.*?)</ul>', re.S)
_TAG = re.compile(r"<[^>]+>")


@dataclass
class PhoneView:
    """What the phone's screen shows: the step reached, the page's heading, a few lines."""

    step: str = "scan"
    heading: str = "Point the camera at the terminal"
    lines: list[str] = field(default_factory=list)


def _text(fragment: str) -> str:
    return " ".join(html.unescape(_TAG.sub(" ", fragment)).split())


def _identity_form(identity: Identity) -> dict[str, str]:
    body = identity.customer_body()
    names = ("name", "email", "phone", "date_of_birth")
    fields: dict[str, str] = {k: str(body[k]) for k in names if k in body}
    fields["national_id_last4"] = str(body.get("national_id_last4") or "")
    fields.update({k: str(v) for k, v in (body.get("address") or {}).items()})
    return fields


class HostedPagePhone:
    """Walks one hosted page, one step per `advance()`."""

    def __init__(self, url: str, identity: Identity, transport: Any | None = None) -> None:
        self.url = url
        self.identity = identity
        self.view = PhoneView()
        self._http = httpx.AsyncClient(transport=transport, follow_redirects=True, timeout=30)

    @property
    def done(self) -> bool:
        """The page shows its decision."""
        return self.view.step == "decided"

    async def advance(self) -> PhoneView:
        """Do the current step's action (open, submit identity, pick the first plan, consent)."""
        step = self.view.step
        if step == "scan":
            page = await self._http.get(self.url)
            self.view = self._read(page.text, "identity", [f"Hello {self.identity.name}"])
        elif step == "identity":
            page = await self._http.post(f"{self.url}/identity", data=_identity_form(self.identity))
            offers = _OFFER.findall(page.text)
            self._offer = offers[0] if offers else ""
            soft = "likely to be approved" in page.text
            note = "Soft pull: likely approved" if soft else "Soft pull done (score unaffected)"
            self.view = self._read(page.text, "offers", [note, f"{len(offers)} plans offered"])
        elif step == "offers":
            page = await self._http.post(f"{self.url}/plan", data={"offer": self._offer})
            self.view = self._read(page.text, "consent", ["APR, finance charge, total shown"])
        elif step == "consent":
            page = await self._http.post(f"{self.url}/consent", data={"consent": "yes"})
            reasons = [_text(m) for m in _NOTICE.findall(page.text)]
            self.view = self._read(page.text, "decided", ["[x] I agree", *reasons])
        return self.view

    def _read(self, page: str, step: str, lines: list[str]) -> PhoneView:
        found = _H1.search(page)
        return PhoneView(step=step, heading=_text(found.group(1)) if found else "", lines=lines)

    async def aclose(self) -> None:
        """Close the phone's connections."""
        await self._http.aclose()
