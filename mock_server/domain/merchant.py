"""A merchant's standing with the lender: its statuses and what moves it (pure, no I/O).

    pending ──requirements met, policy approves──> active
    pending ──the policy asks a reviewer──> pending_review ──approve──> active
    pending | pending_review ──policy declines, or reject──> rejected
    active ──a requirement falls due, or a new review reason──> restricted ──met, approve──> active
    active | restricted ──suspend──> suspended ──reinstate──> active (then verified again)

Verification (`after_verification`) settles the status from what it found; the reviewer's desk
actions (`act`) are allowed only from the statuses listed in `DESK_ACTIONS`, and refused with
``InvalidTransition`` (the API's 409) elsewhere. Rejected and suspended merchants are frozen:
verification leaves them where they are.
"""

from __future__ import annotations

from collections.abc import Collection
from dataclasses import dataclass
from enum import StrEnum
from typing import Final, Literal

from mock_server.domain.states import InvalidTransition

__all__ = ["DESK_ACTIONS", "FROZEN", "DeskAction", "MerchantLifecycle", "MerchantStatus"]


class MerchantStatus(StrEnum):
    """Where a merchant stands."""

    PENDING = "pending"
    PENDING_REVIEW = "pending_review"
    ACTIVE = "active"
    RESTRICTED = "restricted"
    SUSPENDED = "suspended"
    REJECTED = "rejected"


DeskAction = Literal["approve", "reject", "request_information", "suspend", "reinstate"]

# From which statuses the reviewer may take each action.
DESK_ACTIONS: Final[dict[DeskAction, tuple[MerchantStatus, ...]]] = {
    "approve": (MerchantStatus.PENDING_REVIEW, MerchantStatus.RESTRICTED),
    "reject": (MerchantStatus.PENDING, MerchantStatus.PENDING_REVIEW, MerchantStatus.RESTRICTED),
    "request_information": (
        MerchantStatus.PENDING,
        MerchantStatus.PENDING_REVIEW,
        MerchantStatus.ACTIVE,
        MerchantStatus.RESTRICTED,
    ),
    "suspend": (MerchantStatus.ACTIVE, MerchantStatus.RESTRICTED),
    "reinstate": (MerchantStatus.SUSPENDED,),
}
# What an action sets by itself; the others leave the status to the verification after them.
_ACTION_STATUS: Final[dict[DeskAction, MerchantStatus]] = {
    "reject": MerchantStatus.REJECTED,
    "suspend": MerchantStatus.SUSPENDED,
    "reinstate": MerchantStatus.ACTIVE,  # only activated merchants are ever suspended
}
FROZEN: Final = frozenset({MerchantStatus.SUSPENDED, MerchantStatus.REJECTED})


@dataclass(slots=True)
class MerchantLifecycle:
    """One merchant's status, moved by verification and by the reviewer's desk."""

    id: str
    status: MerchantStatus
    activated: bool  # it was active once (it has had a secret key)

    @classmethod
    def of(cls, merchant_id: str, status: str, *, activated: bool) -> MerchantLifecycle:
        """The lifecycle of a stored merchant."""
        return cls(merchant_id, MerchantStatus(status), activated)

    def after_verification(
        self, *, declined: bool, requirements_due: bool, unaccepted_reasons: Collection[str]
    ) -> None:
        """Settle the status from a verification: the policy declined (`declined`), something
        is still owed (`requirements_due`), or the policy asked a review for reasons the
        reviewer has not accepted (`unaccepted_reasons`). Frozen merchants stay as they are."""
        if self.status in FROZEN:
            return
        if declined and not self.activated:
            self.status = MerchantStatus.REJECTED
        elif requirements_due or unaccepted_reasons:
            pending = MerchantStatus.PENDING if requirements_due else MerchantStatus.PENDING_REVIEW
            self.status = MerchantStatus.RESTRICTED if self.activated else pending
        else:
            self.status = MerchantStatus.ACTIVE

    def act(self, action: DeskAction) -> None:
        """Take a desk action where it is allowed (refused with InvalidTransition elsewhere)."""
        allowed = DESK_ACTIONS[action]
        if self.status not in allowed:
            raise InvalidTransition(
                f"merchant_already_{self.status}",
                f"merchant {self.id} is {self.status}; {action} needs {', '.join(allowed)}",
            )
        self.status = _ACTION_STATUS.get(action, self.status)

    def require_unfrozen(self) -> None:
        """Refuse changes to a rejected or suspended merchant's application."""
        if self.status in FROZEN:
            raise InvalidTransition(
                f"merchant_{self.status}",
                f"merchant {self.id} is {self.status}: its application can no longer change",
            )
