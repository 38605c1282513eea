"""What every use case receives: the sandbox (database, settings, engines) and the caller."""

from __future__ import annotations

import threading
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Protocol

from mock_server.domain import Plan, plan_from_dict
from mock_server.services.clock import WallClock, utc_now
from mock_server.services.event_bus import EventBus
from mock_server.services.outbound import OutboundPolicy
from mock_server.services.periodic import PeriodicWork
from mock_server.services.request_log import RequestLog
from mock_server.settings import Settings
from mock_server.storage import Database
from mock_server.storage.models import MerchantRow
from mock_server.workflow import WorkflowDefinition, load_shipped_definitions

if TYPE_CHECKING:
    # The rule engine (mock_server.rules) loads at the first decision, not at start.
    from mock_server.rules import Policy

__all__ = ["Caller", "Dispatcher", "MerchantAccount", "Sandbox"]

# One parse of the shipped loan processes, whichever request first looks one up.
_SHIPPED_LOAD = threading.Lock()


@dataclass(frozen=True, slots=True)
class MerchantAccount:
    """The authenticated merchant as the use cases see it."""

    id: str
    status: str
    currency: str
    country: str
    mcc: str
    plans: tuple[Plan, ...]
    workflow: str
    key_scope: str = "secret"  # "onboarding" keys may only read and update the application
    mdr_bps: int = 0  # the discount rate captures are settled at

    @classmethod
    def from_row(cls, row: MerchantRow, key_scope: str = "secret") -> MerchantAccount:
        """Read the merchant's settings from its row."""
        return cls(
            key_scope=key_scope,
            mdr_bps=row.mdr_bps,
            id=row.id,
            status=row.status,
            currency=row.currency,
            country=row.country,
            mcc=row.mcc,
            plans=tuple(plan_from_dict(p) for p in row.plans),
            workflow=row.workflow,
        )

    @property
    def currencies(self) -> frozenset[str]:
        """The currencies at least one of the merchant's plans is offered in."""
        return frozenset(code for plan in self.plans for code in plan.currencies)


@dataclass(frozen=True, slots=True)
class Caller:
    """Who is asking: the merchant and the request id events will carry."""

    merchant: MerchantAccount
    request_id: str | None = None
    bureau_down: bool = False  # the sandbox fault `bureau=down` is on for this request


class Dispatcher(Protocol):
    """Delivers queued webhooks (see services.dispatcher)."""

    def deliver_due(self) -> int:
        """Attempt every delivery due now."""
        ...

    def close(self) -> None:
        """Release resources."""
        ...

    def start(self) -> None:
        """Run again after a stop."""
        ...

    def stop(self, timeout: float = 10.0) -> None:
        """Stop any background worker and release resources."""
        ...


class Background(Protocol):
    """A schedule running beside the server (see services.purge)."""

    def start(self) -> None:
        """Run in the background (again after a stop)."""
        ...

    def stop(self, timeout: float = 10.0) -> None:
        """Stop running."""
        ...


@dataclass(slots=True)
class Sandbox:
    """The running sandbox: storage, settings, the lender's engines and the wall clock."""

    settings: Settings
    db: Database
    # The loan processes shipped with the sandbox, parsed (PyYAML) when first looked up: a start
    # needs none of them (`workflows`).
    shipped_workflows: Callable[[], dict[str, WorkflowDefinition]] = load_shipped_definitions
    wall: WallClock = utc_now
    policies: dict[str, Policy] = field(default_factory=dict)
    dispatcher: Dispatcher | None = None
    periodic: list[PeriodicWork] = field(default_factory=list)  # the clock's seam (`periodic`)
    request_log: RequestLog = field(default_factory=RequestLog)
    event_bus: EventBus = field(default_factory=EventBus)
    outbound: OutboundPolicy = field(default_factory=OutboundPolicy)
    purge: Background | None = None  # expired idempotency keys, on a schedule
    # The highest stored definition loaded (DefinitionRow.seq), and, when several worker processes
    # share the database, how each lookup first loads versions another process stored since.
    definitions_loaded: int = 0
    definition_sync: Callable[[Sandbox], None] | None = None
    _workflows: dict[str, WorkflowDefinition] | None = field(default=None, init=False, repr=False)
    _workflow_versions: dict[tuple[str, int], WorkflowDefinition] = field(
        default_factory=dict, init=False, repr=False
    )

    @property
    def workflows(self) -> dict[str, WorkflowDefinition]:
        """The live version of each loan process by name (the shipped ones, then uploads)."""
        found = self._workflows
        if found is None:
            with _SHIPPED_LOAD:
                found = self._workflows
                if found is None:
                    found = dict(self.shipped_workflows())
                    for definition in found.values():
                        key = (definition.id, definition.version)
                        self._workflow_versions.setdefault(key, definition)
                    self._workflows = found
        return found

    @property
    def workflow_versions(self) -> dict[tuple[str, int], WorkflowDefinition]:
        """Every loaded version of each loan process, by name and version."""
        _ = self.workflows  # the shipped versions first
        return self._workflow_versions

    def close(self) -> None:
        """Stop background workers and close pooled connections (the sandbox is done)."""
        if self.dispatcher is not None:
            self.dispatcher.stop()
        if self.purge is not None:
            self.purge.stop()
        self.db.dispose()

    def sync_definitions(self) -> None:
        """Load policy and workflow versions other worker processes stored (none in one)."""
        if self.definition_sync is not None:
            self.definition_sync(self)

    def policy(self, name: str) -> Policy:
        """The live version of a policy (a shipped one is loaded and compiled on first use)."""
        self.sync_definitions()
        found = self.policies.get(name)
        if found is None:
            from mock_server.rules import load_shipped_policy

            found = self.policies[name] = load_shipped_policy(name)
        return found

    @property
    def credit_policy(self) -> Policy:
        """The consumer credit policy decisions run."""
        return self.policy("consumer_credit")

    @property
    def onboarding_policy(self) -> Policy:
        """The merchant onboarding (KYB) policy."""
        return self.policy("merchant_onboarding")

    def workflow(self, name: str) -> WorkflowDefinition:
        """The loan process definition a merchant follows (the default when unknown)."""
        self.sync_definitions()
        return self.workflows.get(name) or self.workflows[self.settings.default_workflow]

    def workflow_version(self, name: str, version: int) -> WorkflowDefinition:
        """A definition as it was at `version` (for instances started on it)."""
        self.sync_definitions()
        return self.workflow_versions.get((name, version)) or self.workflows[name]
