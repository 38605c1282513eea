"""The respx mock's answers for everything around a sale: the merchant, webhooks, the sandbox's
controls and test clocks, settlement, and the lender's admin desk.

Small, consistent state (a merchant, endpoints, test clocks, snapshots) and realistic canned
objects where the mock has nothing to compute; bodies are checked before they get here.
"""

from __future__ import annotations

import itertools
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from typing import TYPE_CHECKING, Any, Final

import httpx

from ._objects import CREATED, list_object

if TYPE_CHECKING:
    from ._mock import Answers
    from ._mock_commerce import Commerce

__all__ = ["Operations"]

Json = dict[str, Any]
Handler = Callable[..., httpx.Response]
_FROZEN: Final = "2026-01-15T12:00:00Z"
_DESK: Final = r"/v1/admin/merchants/([^/]+)/(approve|reject|request_information|suspend|reinstate)"
_PERSONA: Final[Json] = {
    "id": "per_0000", "object": "persona", "tier": "prime", "email": "ada@example.com",
    "name": "Ada Lovelace", "phone": "+15555550100", "date_of_birth": "1990-12-10",
    "address": {"line1": "1 Main St", "city": "Springfield", "region": "IL",
                "postal_code": "62701", "country": "US"},
    "national_id_last4": "1234", "locale": "en_US",
}  # fmt: skip


class Operations:
    """The merchant, webhooks, sandbox controls, settlement and admin answers."""

    def __init__(self, answers: Answers, commerce: Commerce) -> None:
        self.answers = answers
        self.commerce = commerce
        self.merchant: Json = {
            "id": "mer_mock", "object": "merchant", "created": CREATED, "livemode": False,
            "status": "active", "legal_name": "Mock Store LLC", "display_name": "Mock Store",
            "mcc": "5732", "country": "US", "currency": "USD", "mdr_bps": 450,
            "plans": ["pay_in_4", "monthly_12"], "workflow": "wf_standard",
            "charges_enabled": True, "payouts_enabled": True, "application": {},
        }  # fmt: skip
        self.endpoints: dict[str, Json] = {}
        self.clocks: dict[str, Json] = {}
        self.snapshots: dict[str, Json] = {}
        self._ids = itertools.count(1)

    def _id(self, prefix: str) -> str:
        return f"{prefix}_mock{next(self._ids):06d}"

    def routes(self) -> list[tuple[str, str, Handler]]:
        """(method, path regex, handler) for what this part answers."""
        return self._merchant_routes() + self._developer_routes() + self._admin_routes()

    # -- the merchant, webhooks and money -------------------------------------------------------

    def _merchant_routes(self) -> list[tuple[str, str, Handler]]:
        a, empty = self.answers, lambda *_: self.answers.ok(list_object([]))
        return [
            ("POST", r"/v1/merchants", self.apply),
            ("GET", r"/v1/merchants/me", lambda r, b: a.ok(self.merchant)),
            ("PATCH", r"/v1/merchants/me", self.update_merchant),
            ("PATCH", r"/v1/merchants/me/application", self.update_application),
            ("POST", r"/v1/prequalifications", self.prequalify),
            ("GET", r"/v1/promotions", self.promotion),
            ("POST", r"/v1/webhook_endpoints", self.create_endpoint),
            ("GET", r"/v1/webhook_endpoints", lambda r, b: a.page(r, self.endpoints)),
            ("GET", r"/v1/webhook_endpoints/([^/]+)", lambda r, b, i: a.found(self.endpoints, i)),
            ("DELETE", r"/v1/webhook_endpoints/([^/]+)", self.delete_endpoint),
            ("GET", r"/v1/webhook_endpoints/([^/]+)/deliveries", empty),
            ("POST", r"/v1/webhook_endpoints/([^/]+)/enable", self.enable_endpoint),
            ("GET", r"/v1/balance", lambda r, b: a.ok(self._balance())),
            ("GET", r"/v1/balance_transactions", empty),
            ("GET", r"/v1/balance_transactions/([^/]+)", lambda r, b, i: a.found({}, i)),
            ("GET", r"/v1/payouts", empty),
            ("GET", r"/v1/payouts/([^/]+)", lambda r, b, i: a.found({}, i)),
            ("GET", r"/v1/settlement_reports/([^/]+)", self.settlement_report),
            ("GET", r"/v1/portfolio", lambda r, b: a.ok(self._portfolio())),
            ("GET", r"/v1/request_logs", empty),
        ]

    def apply(self, request: httpx.Request, body: Json) -> httpx.Response:
        merchant = {
            **self.merchant, "id": self._id("mer"), "legal_name": body["legal_name"],
            "mcc": body["mcc"], "country": body["country"], "currency": body["currency"],
            "application": dict(body), "secret_key": f"sk_test_{self._id('key')}",
        }  # fmt: skip
        return self.answers.created(merchant)

    def update_merchant(self, request: httpx.Request, body: Json) -> httpx.Response:
        changes = dict(body)
        if "plans" in changes:
            changes["plans"] = [p if isinstance(p, str) else p["id"] for p in changes["plans"]]
        self.merchant.update(changes)
        return self.answers.ok(self.merchant)

    def update_application(self, request: httpx.Request, body: Json) -> httpx.Response:
        self.merchant["application"] = {**self.merchant["application"], **body}
        return self.answers.ok(self.merchant)

    def prequalify(self, request: httpx.Request, body: Json) -> httpx.Response:
        customer = body["customer"]
        if isinstance(customer, str) and customer not in self.commerce.customers:
            return self.answers.missing("customer", customer, "customer")
        found: Json = {
            "id": self._id("pq"), "object": "prequalification", "created": CREATED,
            "livemode": False, "customer": customer if isinstance(customer, str) else None,
            "currency": body.get("currency") or "USD", "outcome": "approve",
            "max_amount": 500000, "apr_min_bps": 0, "apr_max_bps": 1499, "reason_codes": [],
        }  # fmt: skip
        return self.answers.created(found)

    def promotion(self, request: httpx.Request, body: Json) -> httpx.Response:
        amount = int(request.url.params.get("amount", "0") or 0)
        currency = request.url.params.get("currency", "USD")
        plans = [{"plan": "monthly_12", "term_count": 12, "installment_amount": -(-amount // 12)}]
        return self.answers.ok(
            {"object": "promotion", "amount": amount, "currency": currency,
             "lowest_installment_amount": -(-amount // 12), "plans": plans}
        )  # fmt: skip

    def create_endpoint(self, request: httpx.Request, body: Json) -> httpx.Response:
        endpoint = {
            "id": self._id("whe"), "object": "webhook_endpoint", "created": CREATED,
            "livemode": False, "url": body["url"], "enabled": True,
            "enabled_events": body.get("enabled_events") or ["*"],
            "secret": f"whsec_{self._id('secret')}",
        }  # fmt: skip
        self.endpoints[endpoint["id"]] = {k: v for k, v in endpoint.items() if k != "secret"}
        return self.answers.created(endpoint)

    def delete_endpoint(
        self, request: httpx.Request, body: Json, endpoint_id: str
    ) -> httpx.Response:
        if self.endpoints.pop(endpoint_id, None) is None:
            return self.answers.missing("webhook_endpoint", endpoint_id, "id")
        return self.answers.ok({"id": endpoint_id, "object": "webhook_endpoint", "deleted": True})

    def enable_endpoint(
        self, request: httpx.Request, body: Json, endpoint_id: str
    ) -> httpx.Response:
        if endpoint_id in self.endpoints:
            self.endpoints[endpoint_id]["enabled"] = True
        return self.answers.found(self.endpoints, endpoint_id)

    def _balance(self) -> Json:
        return {"object": "balance", "livemode": False, "available": [], "pending": [],
                "settlement_delay_days": 2}  # fmt: skip

    def settlement_report(self, request: httpx.Request, body: Json, day: str) -> httpx.Response:
        if request.url.params.get("format") == "csv":
            header = "id,type,amount,fee,net,currency,loan,payout,available_on\n"
            return httpx.Response(200, text=header, headers={"Content-Type": "text/csv"})
        summary = dict.fromkeys(
            ("captures", "captured", "fees", "refunds", "refunded", "net_settled", "paid_out",
             "payouts_returned"), 0,
        )  # fmt: skip
        report = {"object": "settlement_report", "date": day, "currency": "USD",
                  "summary": summary, "transactions": []}  # fmt: skip
        return self.answers.ok(report)

    @staticmethod
    def _portfolio() -> Json:
        return {"object": "portfolio", "as_of": _FROZEN[:10], "currencies": []}

    # -- the sandbox's controls and test clocks -------------------------------------------------

    def _developer_routes(self) -> list[tuple[str, str, Handler]]:
        a = self.answers
        return [
            ("GET", r"/v1/sandbox/personas", lambda r, b: a.ok(list_object([dict(_PERSONA)]))),
            ("POST", r"/v1/sandbox/clock/advance", self.advance),
            ("POST", r"/v1/sandbox/reset", self.reset),
            ("POST", r"/v1/admin/merchants/([^/]+)/sandbox/reset", self.reset),
            ("POST", r"/v1/sandbox/snapshots", self.snapshot),
            ("GET", r"/v1/sandbox/snapshots", lambda r, b: a.ok(list_object(self._snapshots()))),
            ("POST", r"/v1/sandbox/snapshots/([^/]+)/restore", self.restore),
            ("POST", r"/v1/test_clocks", self.create_clock),
            ("GET", r"/v1/test_clocks", lambda r, b: a.page(r, self.clocks)),
            ("GET", r"/v1/test_clocks/([^/]+)", lambda r, b, i: a.found(self.clocks, i)),
            ("DELETE", r"/v1/test_clocks/([^/]+)", self.delete_clock),
            ("POST", r"/v1/test_clocks/([^/]+)/advance", self.advance_clock),
        ]

    def _one_of_days_or_to(self, body: Json) -> httpx.Response | None:
        if (body.get("days") is None) == (body.get("to") is None):
            return self.answers.error(
                400, "parameter_invalid", "give exactly one of days or to", "days"
            )
        return None

    def advance(self, request: httpx.Request, body: Json) -> httpx.Response:
        refused = self._one_of_days_or_to(body)
        if refused is not None:
            return refused
        days = body.get("days") or 0
        now = datetime(2026, 1, 15, 12, tzinfo=UTC) + timedelta(days=days)
        return self.answers.ok({"object": "sandbox_clock", "now": now.isoformat(), "events": {}})

    def reset(self, request: httpx.Request, body: Json, *merchant: str) -> httpx.Response:
        c = self.commerce
        deleted = {"customers": len(c.customers), "checkouts": len(c.checkouts),
                   "loans": len(c.loans), "events": len(c.events)}  # fmt: skip
        for store in (c.customers, c.checkouts, c.loans, c._loans):
            store.clear()
        c.events.clear()
        name = merchant[0] if merchant else self.merchant["id"]
        return self.answers.ok({"object": "sandbox_reset", "merchant": name, "deleted": deleted})

    def _snapshots(self) -> list[Json]:
        return [{k: v for k, v in s.items() if k != "state"} for s in self.snapshots.values()]

    def snapshot(self, request: httpx.Request, body: Json) -> httpx.Response:
        c = self.commerce
        state = [dict(c.customers), dict(c.checkouts), dict(c.loans), dict(c._loans)]
        counts = {"customers": len(c.customers), "checkouts": len(c.checkouts),
                  "loans": len(c.loans)}  # fmt: skip
        snap = {"object": "sandbox_snapshot", "name": body["name"], "created": CREATED,
                "counts": counts, "state": state}  # fmt: skip
        self.snapshots[body["name"]] = snap
        return self.answers.created({k: v for k, v in snap.items() if k != "state"})

    def restore(self, request: httpx.Request, body: Json, name: str) -> httpx.Response:
        snap = self.snapshots.get(name)
        if snap is None:
            return self.answers.missing("snapshot", name, "name")
        c = self.commerce
        for store, saved in zip(
            (c.customers, c.checkouts, c.loans, c._loans), snap["state"], strict=True
        ):
            store.clear()
            store.update(saved)
        return self.answers.ok({k: v for k, v in snap.items() if k != "state"})

    def create_clock(self, request: httpx.Request, body: Json) -> httpx.Response:
        clock: Json = {"id": self._id("clock"), "object": "test_clock", "created": CREATED,
                 "livemode": False, "name": body.get("name"),
                 "frozen_time": body.get("frozen_time") or _FROZEN}  # fmt: skip
        self.clocks[clock["id"]] = clock
        return self.answers.created(clock)

    def delete_clock(self, request: httpx.Request, body: Json, clock_id: str) -> httpx.Response:
        if self.clocks.pop(clock_id, None) is None:
            return self.answers.missing("test_clock", clock_id, "id")
        return self.answers.ok({"id": clock_id, "object": "test_clock", "deleted": True})

    def advance_clock(self, request: httpx.Request, body: Json, clock_id: str) -> httpx.Response:
        clock = self.clocks.get(clock_id)
        if clock is None:
            return self.answers.missing("test_clock", clock_id, "id")
        refused = self._one_of_days_or_to(body)
        if refused is not None:
            return refused
        frozen = datetime.fromisoformat(str(clock["frozen_time"]).replace("Z", "+00:00"))
        target = body.get("to")
        moved = datetime.fromisoformat(target) if target else frozen + timedelta(body["days"])
        clock["frozen_time"] = moved.isoformat()
        return self.answers.ok(clock)

    # -- the lender's admin desk ----------------------------------------------------------------

    def _admin_routes(self) -> list[tuple[str, str, Handler]]:
        a, empty = self.answers, lambda *_: self.answers.ok(list_object([]))
        policy = {"id": "pol_consumer_credit", "object": "policy", "version": 1, "kind": "credit",
                  "default_outcome": "approve", "rules": []}  # fmt: skip
        workflow = {"id": "wf_standard", "object": "workflow", "version": 1, "steps": []}
        workflows = list_object([workflow])
        return [
            ("GET", r"/v1/admin/reviews", empty),
            ("POST", r"/v1/admin/reviews/([^/]+)/(approve|decline)", self.review_action),
            ("GET", r"/v1/admin/merchants", lambda r, b: a.ok(list_object([self.merchant]))),
            ("GET", r"/v1/admin/merchants/([^/]+)", self.desk_merchant),
            ("POST", _DESK, self.desk_action),
            ("GET", r"/v1/admin/policies", lambda r, b: a.ok(list_object([policy]))),
            ("GET", r"/v1/admin/policies/([^/]+)", lambda r, b, i: a.ok({**policy, "id": i})),
            ("PUT", r"/v1/admin/policies/([^/]+)", lambda r, b, i: a.ok({**policy, "id": i})),
            ("GET", r"/v1/admin/policies/([^/]+)/versions", lambda *_: a.ok(list_object([policy]))),
            ("POST", r"/v1/admin/policies/([^/]+)/dry_run", self.dry_run),
            ("GET", r"/v1/admin/workflows", lambda r, b: a.ok(list_object([workflow]))),
            ("GET", r"/v1/admin/workflows/([^/]+)", lambda r, b, i: a.ok({**workflow, "id": i})),
            ("PUT", r"/v1/admin/workflows/([^/]+)", lambda r, b, i: a.ok({**workflow, "id": i})),
            ("GET", r"/v1/admin/workflows/([^/]+)/versions", lambda *_: a.ok(workflows)),
            ("GET", r"/v1/admin/portfolio", lambda r, b: a.ok(self._portfolio())),
        ]  # fmt: skip

    def review_action(
        self, request: httpx.Request, body: Json | None, review_id: str, action: str
    ) -> httpx.Response:
        return self.answers.missing("review", review_id, "id")

    def desk_merchant(self, request: httpx.Request, body: Json, merchant_id: str) -> httpx.Response:
        return self.answers.found({self.merchant["id"]: self.merchant}, merchant_id)

    def desk_action(
        self, request: httpx.Request, body: Json | None, merchant_id: str, action: str
    ) -> httpx.Response:
        if merchant_id != self.merchant["id"]:
            return self.answers.missing("merchant", merchant_id, "id")
        status = {"approve": "active", "reinstate": "active", "reject": "rejected",
                  "suspend": "suspended", "request_information": "pending"}[action]  # fmt: skip
        note = (body or {}).get("note") or (body or {}).get("reason")
        notes = [
            *(self.merchant.get("notes") or []),
            {"action": action, "note": note, "at": _FROZEN},
        ]
        self.merchant.update(status=status, notes=notes, charges_enabled=status == "active")
        return self.answers.ok(self.merchant)

    def dry_run(self, request: httpx.Request, body: Json, policy_id: str) -> httpx.Response:
        return self.answers.ok(
            {"object": "policy_dry_run", "source": body.get("source") or "generated",
             "proposed": body.get("policy") is not None, "policy_id": policy_id,
             "applications": 0, "changes": []}
        )  # fmt: skip
