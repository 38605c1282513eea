"""The loan aggregate: authorization, capture, void, expiry, refunds, repayments, delinquency.

States (docs/api.md, "Loan")::

    authorized --capture--> active --(everything paid)--> paid_off
      |--void--> voided       |  ^ cure (payment or refund)
      |--expire (30 days)-->  v  |
         expired             late -> delinquent -> charged_off (final)
    active | late | delinquent --refund of the whole principal--> refunded

Every state change is one method that checks its precondition and raises ``InvalidTransition``
with a machine ``code`` (the API maps it to 409); bad input (a non-positive amount) raises
``ValueError``. Dates are passed in, never read from a clock, and a dated operation refuses a
date before the loan's last activity (``date_before_last_activity``): sandbox time only moves on.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from typing import Final, cast

from mock_server.domain.ledger import (
    DATES,
    DEFAULT_LATE_FEE_POLICY,
    ISO_DATES,
    HistoryEntry,
    LateFeePolicy,
    LoanInstallment,
    PaymentAllocation,
    accrued_from,
    accrued_interest,
    allocate,
    date_field,
    due_lines,
    future_lines,
    int_field,
    list_field,
    mapping_field,
    payment_detail,
    reamortize,
    waive_unpaid,
)
from mock_server.domain.money import get_currency
from mock_server.domain.plans import Interval, Plan
from mock_server.domain.schedule import build_installments
from mock_server.domain.states import (
    SERVICING,
    SEVERITY,
    InvalidTransition,
    LoanStatus,
    delinquency_status,
    refusal,
)

__all__ = ["AUTHORIZATION_DAYS", "InvalidTransition", "Loan", "LoanStatus"]

AUTHORIZATION_DAYS: Final = 30
_AUTHORIZATION_PERIOD: Final = timedelta(days=AUTHORIZATION_DAYS)  # built once: ~4k instructions
# Where a payment went: `PaymentAllocation`'s fields, in order.
_Taken = tuple[int, int, int, int, int, bool]
# Each status by its value, read without the Enum's (Python-level) lookup.
_STATUSES: Final = {status.value: status for status in LoanStatus}
# A status change's history detail, "<from> -> <to>", for every pair of statuses.
_STATUS_CHANGES: Final = {(a, b): f"{a.value} -> {b.value}" for a in LoanStatus for b in LoanStatus}


def _as_date(value: date) -> date:
    return value.date() if isinstance(value, datetime) else value


def _positive(amount: int) -> int:
    if isinstance(amount, bool) or not isinstance(amount, int):
        raise TypeError("amount must be an int in minor units")
    if amount <= 0:
        raise ValueError(f"amount must be positive, got {amount}")
    return amount


@dataclass(slots=True)
class _ScheduleSnapshot:
    """The schedule part of a loan's last snapshot (`Loan._schedule`): the installments list it
    was taken of and its date; each installment's entry and part of the balances by position
    (as `LoanInstallment._wire_parts`); the position of the first installment not due then;
    and the balances: unpaid principal, unpaid fees, paid, unpaid interest fallen due."""

    lines: list[LoanInstallment]
    today: date
    entries: list[dict[str, object]]
    parts: list[tuple[int, int, int, int]]
    due_from: int
    principal: int
    fees: int
    paid: int
    interest: int


@dataclass(slots=True)
class Loan:
    """A point-of-sale installment loan: its terms, schedule ledger, balances and history."""

    currency: str
    plan_id: str
    term_count: int
    interval: Interval
    apr_bps: int
    authorized_amount: int
    authorized_on: date
    installments: list[LoanInstallment]
    status: LoanStatus = LoanStatus.AUTHORIZED
    id: str = ""
    captured_amount: int = 0
    captured_on: date | None = None
    refunded_amount: int = 0
    as_of: date | None = None
    late_fee_policy: LateFeePolicy = DEFAULT_LATE_FEE_POLICY
    history: list[HistoryEntry] = field(default_factory=list)
    authorization_days: int = AUTHORIZATION_DAYS
    # The history's wire entries as of the last snapshot (`to_dict`): history only grows, so a
    # snapshot copies this list after adding the entries recorded since.
    _history_wire: list[dict[str, object]] = field(
        default_factory=list, init=False, repr=False, compare=False
    )
    # `to_dict`'s fields that change only with the terms or the capture, and what they were
    # built from (a snapshot per event copies them rather than formatting four dates again).
    _fixed: dict[str, object] | None = field(default=None, init=False, repr=False, compare=False)
    _fixed_key: tuple[object, ...] = field(default=(), init=False, repr=False, compare=False)
    # The schedule part of the last snapshot, which the next builds on (see `_schedule`).
    _snap: _ScheduleSnapshot | None = field(default=None, init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        if self.as_of is None:
            self.as_of = self.authorized_on

    @classmethod
    def authorize(
        cls,
        plan: Plan,
        amount: int,
        currency: str,
        on: date,
        *,
        id: str = "",
        late_fee_policy: LateFeePolicy = DEFAULT_LATE_FEE_POLICY,
        authorization_days: int = AUTHORIZATION_DAYS,
    ) -> Loan:
        """A new authorized loan (valid `authorization_days` days); its schedule is a preview
        until capture re-computes it."""
        on = _as_date(on)
        lines = build_installments(
            _positive(amount), plan.apr_bps, plan.term_count, plan.interval, on
        )
        loan = cls(
            currency=get_currency(currency).code,
            plan_id=plan.id,
            term_count=plan.term_count,
            interval=plan.interval,
            apr_bps=plan.apr_bps,
            authorized_amount=amount,
            authorized_on=on,
            installments=[LoanInstallment.from_installment(i) for i in lines],
            id=id,
            late_fee_policy=late_fee_policy,
            authorization_days=authorization_days,
        )
        loan._record(on, "authorized", amount, f"plan {plan.id}")
        return loan

    # Balances -------------------------------------------------------------------------------

    @property
    def today(self) -> date:
        """The date of the loan's last activity."""
        return self.as_of or self.authorized_on

    @property
    def authorization_expires_at(self) -> date:
        """The date on which an uncaptured authorization expires."""
        days = self.authorization_days
        return self.authorized_on + (
            _AUTHORIZATION_PERIOD if days == AUTHORIZATION_DAYS else timedelta(days=days)
        )

    @property
    def principal_balance(self) -> int:
        """Principal still owed (0 before capture)."""
        if self.captured_on is None:
            return 0
        return sum(i.unpaid_principal for i in self.installments)

    @property
    def interest_outstanding(self) -> int:
        """Interest on installments already due and not yet paid."""
        return sum(i.unpaid_interest for i in due_lines(self.installments, self.today))

    @property
    def fees_outstanding(self) -> int:
        """Late fees assessed and not yet paid."""
        return sum(i.unpaid_fees for i in self.installments)

    @property
    def paid_amount(self) -> int:
        """Everything the customer has paid."""
        return sum(i.paid_amount for i in self.installments)

    def owed_on(self, on: date) -> int:
        """Everything fallen due by ``on`` and not yet paid (what a full payment then is)."""
        owed = 0
        for i in self.installments:  # one pass, no property calls: the clock asks per payment
            if i.due_date <= on:
                owed += i.principal + i.interest + i.fees
                owed -= i.paid_principal + i.paid_interest + i.paid_fees
        return owed

    def payoff_amount(self, on: date) -> int:
        """What closes the loan on ``on``: principal, due interest, unpaid fees and the interest
        accrued so far in the current period (see ``ledger.accrued_interest``); 0 when the loan
        is not being serviced."""
        on = _as_date(on)
        if self.status not in SERVICING or self.captured_on is None:
            return 0
        due_total = sum(i.unpaid for i in due_lines(self.installments, on))
        future_principal = sum(i.unpaid_principal for i in future_lines(self.installments, on))
        return (
            due_total + future_principal + accrued_interest(self.installments, self.captured_on, on)
        )

    # State changes --------------------------------------------------------------------------

    def capture(self, amount: int | None, on: date) -> None:
        """Settle the authorization, fully (``None``) or partially; the schedule starts ``on``."""
        on = _as_date(on)
        amount = self.authorized_amount if amount is None else _positive(amount)
        if self.status is not LoanStatus.AUTHORIZED:
            raise refusal(self.status, "capture")
        if on >= self.authorization_expires_at:
            raise InvalidTransition(
                "loan_authorization_expired",
                f"authorization expired on {self.authorization_expires_at.isoformat()}",
            )
        if amount > self.authorized_amount:
            raise InvalidTransition(
                "capture_exceeds_authorized",
                f"capture amount {amount} exceeds the authorized amount {self.authorized_amount}",
            )
        self._advance(on)
        lines = build_installments(amount, self.apr_bps, self.term_count, self.interval, on)
        self.installments = [LoanInstallment.from_installment(i) for i in lines]
        self.captured_amount = amount
        self.captured_on = on
        self.status = LoanStatus.ACTIVE
        self._record(on, "captured", amount)
        if amount < self.authorized_amount:
            self._record(on, "released", self.authorized_amount - amount, "partial capture")

    def void(self, on: date | None = None) -> None:
        """Release an uncaptured authorization (dated at the last activity unless ``on``)."""
        when = self.today if on is None else _as_date(on)
        if self.status is not LoanStatus.AUTHORIZED:
            raise refusal(self.status, "void")
        self._advance(when)
        self.status = LoanStatus.VOIDED
        self._record(when, "voided", self.authorized_amount)

    def expire(self, now: date) -> None:
        """Expire an authorization not captured within its ``authorization_days`` (30 unless the
        loan process says otherwise)."""
        on = _as_date(now)
        if self.status is not LoanStatus.AUTHORIZED:
            raise refusal(self.status, "expire")
        if on < self.authorization_expires_at:
            raise InvalidTransition(
                "authorization_not_expired",
                f"authorization is valid until {self.authorization_expires_at.isoformat()}",
            )
        self._advance(on)
        self.status = LoanStatus.EXPIRED
        self._record(on, "expired", self.authorized_amount)

    def refund(self, amount: int, on: date) -> None:
        """Reduce principal by a merchant refund and re-amortize what is not yet due.

        Past-due principal is reduced first (oldest first), then future principal, whose
        installments are re-amortized at the same APR over the same remaining due dates. A refund
        above the principal still owed (``refund_exceeds_balance``) or above captured minus
        refunded (``refund_exceeds_captured``) is refused, so no balance goes negative. A refund
        that clears the principal closes the loan as ``refunded`` and waives interest and fees
        still owed.
        """
        on = _as_date(on)
        _positive(amount)
        if self.status not in SERVICING:
            raise refusal(self.status, "refund")
        if amount > self.captured_amount - self.refunded_amount:
            raise InvalidTransition(
                "refund_exceeds_captured",
                f"refund {amount} exceeds the captured amount not yet refunded "
                f"{self.captured_amount - self.refunded_amount}",
            )
        if amount > self.principal_balance:
            raise InvalidTransition(
                "refund_exceeds_balance",
                f"refund {amount} exceeds the principal balance {self.principal_balance}",
            )
        self._advance(on)
        remaining = amount
        for inst in due_lines(self.installments, on):
            cut = min(remaining, inst.unpaid_principal)
            inst.principal -= cut
            inst.changed()
            remaining -= cut
        if remaining:
            future = future_lines(self.installments, on)
            owed = sum(i.unpaid_principal for i in future)
            reamortize(future, owed - remaining, self.apr_bps)
        self.refunded_amount += amount
        self._record(on, "refund", amount)
        if self.principal_balance == 0:
            self._waive_all(on)
            self._set_status(on, LoanStatus.REFUNDED)
        else:
            self._cure(on)

    def apply_payment(self, amount: int, on: date) -> PaymentAllocation:
        """Allocate a customer payment and answer where it went.

        Order: due installments oldest first, each one's fees, then interest, then principal
        (so the oldest arrears are cleared first and days past due fall); what is left
        prepays future principal (recorded on the next installment) and the installments not yet
        due are re-amortized over their dates. Exactly the payoff amount closes the loan and
        waives interest not yet accrued. Overpayment is refused (``payment_exceeds_payoff``), so
        no balance goes negative; so is a payment that would clear all principal without being
        the payoff (``payment_must_be_payoff``).
        """
        on = _as_date(on)
        taken = self._take_payment(_positive(amount), on)
        assert taken is not None  # a positive amount is always taken or refused
        return PaymentAllocation(*taken)

    def pay_due(self, on: date, *, half: bool = False) -> int:
        """Pay what `owed_on` answers for ``on`` (everything fallen due and not yet paid), or
        half of it rounded down, as `apply_payment` would, and answer the amount paid; 0, and
        nothing changes, when that is nothing. The clock's payers do this on their paying days:
        one pass over the installments finds both the amount and where it goes, and no
        `PaymentAllocation` is built (the clock does not ask where the money went)."""
        taken = self._take_payment(None, on if type(on) is date else _as_date(on), half)
        return 0 if taken is None else taken[0]

    def _take_payment(self, amount: int | None, on: date, half: bool = False) -> _Taken | None:
        """`apply_payment` of ``amount``, or (None) of `pay_due`'s amount: where it went, as
        `PaymentAllocation`'s fields in order; None when (None) nothing is owed."""
        if self.status not in SERVICING:
            raise refusal(self.status, "take a payment")
        if on < (self.as_of or self.authorized_on):  # `_advance`'s check; it moves the date
            raise self._date_refused(on)  # once the payment is known to be taken
        assert self.captured_on is not None  # guaranteed by SERVICING
        # `due_lines` and `future_lines` and their totals, in one pass.
        due: list[LoanInstallment] = []
        future: list[LoanInstallment] = []
        due_total = future_principal = 0
        lines = self.installments
        for i in lines:
            if i.due_date <= on:
                if (
                    i.paid_principal == i.principal
                    and i.paid_interest == i.interest
                    and i.paid_fees == i.fees
                ):
                    # Paid: every part as paid, so nothing owed. Compared part by part first,
                    # with no sums built (each a new int object); the sums decide otherwise.
                    continue
                owed = i.principal + i.interest + i.fees
                owed -= i.paid_principal + i.paid_interest + i.paid_fees
                if owed > 0:
                    due.append(i)
                    due_total += owed
            else:
                future.append(i)
                # (nothing prepaid, as usual: no difference built, an int each)
                future_principal += (
                    i.principal - i.paid_principal if i.paid_principal else i.principal
                )
        if amount is None:  # what is due (`owed_on`: nothing owed is below zero), or half
            amount = due_total // 2 if half else due_total
            if amount <= 0:
                return None
        # The payoff amount (see payoff_amount) is this plus the interest accrued in the current
        # period, which is never below 0 unless that installment's interest was overpaid: a
        # smaller payment (most: what fell due, with principal still to come) is below the
        # payoff and clears no principal, so the accrued interest is only worked out otherwise.
        # From the lines already at hand (ordered by due date, so the future ones are the last).
        floor = due_total + future_principal
        current = len(lines) - len(future)  # the first installment not yet due
        if amount >= floor or (
            current < len(lines) and lines[current].interest < lines[current].paid_interest
        ):
            payoff = floor + accrued_from(lines, current, self.captured_on, on)
            if amount > payoff:
                raise InvalidTransition(
                    "payment_exceeds_payoff",
                    f"payment {amount} exceeds the payoff amount {payoff}",
                )
            if amount == payoff:
                return self._pay_off(on, amount, due, future, future_principal)
            if amount - due_total >= future_principal > 0:
                raise InvalidTransition(
                    "payment_must_be_payoff",
                    f"a payment that clears the principal must be the payoff amount {payoff}",
                )
        self.as_of = on  # `_advance`, checked above
        fees, interest, principal = allocate(due, amount)
        prepaid = amount - fees - interest - principal
        if prepaid:
            future[0].principal += prepaid
            future[0].paid_principal += prepaid
            future[0].changed()
            reamortize(future, future_principal - prepaid, self.apr_bps)
        detail = payment_detail(fees, interest, principal, prepaid)
        self.history.append(HistoryEntry(on, "payment", amount, detail))  # `_record`
        self._cure(on, due)
        return amount, fees, interest, principal, prepaid, False

    def observe(self, on: date) -> None:
        """Bring the loan's date forward to ``on`` without another change (what it shows then:
        installments fallen due read ``due``); refuses a date before its last activity."""
        self._advance(on if type(on) is date else _as_date(on))

    def recover(self, amount: int, on: date) -> PaymentAllocation:
        """Collect money on a charged-off loan (a recovery); the loan stays charged off.

        Installments are paid oldest first (fees, then interest, then principal), due or not,
        since charge-off made the whole balance owed; more than is owed is refused
        (``recovery_exceeds_balance``), and any other status refuses (``loan_not_charged_off``).
        """
        on = _as_date(on)
        _positive(amount)
        if self.status is not LoanStatus.CHARGED_OFF:
            raise InvalidTransition(
                "loan_not_charged_off", f"cannot recover: loan is {self.status.value}"
            )
        owed = sum(i.unpaid for i in self.installments)
        if amount > owed:
            raise InvalidTransition(
                "recovery_exceeds_balance", f"recovery {amount} exceeds the amount owed {owed}"
            )
        self._advance(on)
        fees, interest, principal = allocate([i for i in self.installments if i.unpaid], amount)
        allocation = PaymentAllocation(amount, fees, interest, principal, 0)
        self._record(on, "recovery", amount, allocation.describe())
        return allocation

    def assess_late_fees(self, on: date) -> int:
        """Charge the policy's fee on each installment unpaid beyond grace; answer the total.

        At most one fee per installment, and the loan's fees never exceed the policy's cap. A loan
        not being serviced is left alone (answers 0), so a clock job may call this on any loan.
        """
        on = on if type(on) is date else _as_date(on)  # the clock passes dates
        if self.status not in SERVICING:
            return 0
        self._advance(on)
        assessed, _, late = self._owed_on(on)
        return self._charge_late_fees(on, late, assessed) if late else 0

    def _charge_late_fees(self, on: date, late: list[LoanInstallment], assessed: int) -> int:
        """`assess_late_fees`'s charges, given the installments still owed beyond grace and
        the fees the loan carries."""
        policy = self.late_fee_policy
        room = policy.cap_for(self.captured_amount) - assessed
        flat = policy.fee_for(self.currency)
        total = 0
        for inst in late:
            fee = flat if flat < room - total else room - total  # min(), compared
            if inst.late_fee_assessed or fee <= 0:
                continue
            inst.fees += fee
            inst.late_fee_assessed = True
            inst.changed()
            total += fee
            self._record(on, "late_fee", fee, f"installment {inst.sequence}")
        return total

    def assess(self, on: date) -> LoanStatus:
        """`assess_late_fees` then `mark_delinquency` on ``on``, in one pass over the
        installments (a clock's assessment day asks both): the same fees, flags, history and
        status, which it answers. A fee leaves owed what was owed, so both ask the same."""
        on = on if type(on) is date else _as_date(on)  # the clock passes dates
        if self.status not in SERVICING:
            return self.status
        self._advance(on)
        assessed, oldest, late = self._owed_on(on)
        if late:
            self._charge_late_fees(on, late, assessed)
        self._mark(on, oldest, late)
        return self.status

    def mark_delinquency(self, on: date) -> LoanStatus:
        """Move the loan along the delinquency ladder and answer its status.

        Days past due (dpd) count from the due date of the oldest installment still owed: within
        the policy's grace days the loan is ``active``; beyond them ``late``; at 30 dpd
        (``DELINQUENT_DAYS``) ``delinquent``; at 120 dpd (``CHARGE_OFF_DAYS``) ``charged_off``,
        which is final (``states.delinquency_status``). A loan brought current returns to
        ``active``. A loan not being serviced is left alone, so a clock job may call this freely.
        """
        on = on if type(on) is date else _as_date(on)  # the clock passes dates
        if self.status not in SERVICING:
            return self.status
        self._advance(on)
        _, oldest, late = self._owed_on(on)
        self._mark(on, oldest, late)
        return self.status

    def _owed_on(self, on: date) -> tuple[int, LoanInstallment | None, list[LoanInstallment]]:
        """What the late fees and the ladder ask of the installments on ``on``, in one pass:
        the fees the loan carries, the oldest installment due by then and still owed, and
        those still owed beyond the grace days (`past_grace`), in order."""
        beyond = on - self.late_fee_policy.grace_period  # due before this: past the grace days
        assessed = 0
        oldest: LoanInstallment | None = None
        late: list[LoanInstallment] = []
        for i in self.installments:
            assessed += i.fees
            if i.due_date > on or (  # not due, or paid (see `_take_payment`)
                i.paid_principal == i.principal
                and i.paid_interest == i.interest
                and i.paid_fees == i.fees
            ):
                continue
            if i.principal + i.interest + i.fees <= (
                i.paid_principal + i.paid_interest + i.paid_fees
            ):
                continue
            if oldest is None:
                oldest = i
            if i.due_date < beyond:
                late.append(i)
        return assessed, oldest, late

    def _mark(self, on: date, oldest: LoanInstallment | None, late: list[LoanInstallment]) -> None:
        """`mark_delinquency`'s flags and status, given `_owed_on`'s oldest installment still
        owed and those owed beyond grace."""
        for i in late:
            if not i.late:
                i.late = True
                i.changed()
        if oldest is None:
            self._set_status(on, LoanStatus.ACTIVE)
        else:
            grace = self.late_fee_policy.grace_days
            self._set_status(on, delinquency_status((on - oldest.due_date).days, grace))

    # Persistence ----------------------------------------------------------------------------

    def to_dict(self) -> dict[str, object]:
        """The loan as JSON-ready data: the wire fields plus what ``from_dict`` needs.

        The clock takes one per event, so the schedule and its balances are the last
        snapshot's with what changed since replaced (`_schedule`), and the schedule entries and
        history entries are each installment's and entry's own (unchanged parts are not
        rebuilt): treat the answer as read-only.
        """
        today = self.as_of or self.authorized_on  # `today`, without the property call
        schedule, principal, fees, paid, interest_due = self._schedule(today)
        fixed_key = (
            self.id,
            self.currency,
            self.plan_id,
            self.term_count,
            self.interval,
            self.apr_bps,
            self.authorized_amount,
            self.authorized_on,
            self.authorization_days,
            self.captured_amount,
            self.captured_on,
            self.late_fee_policy,
        )
        fixed = self._fixed
        if fixed is None or fixed_key != self._fixed_key:
            fixed = self._fixed = self._fixed_fields()
            self._fixed_key = fixed_key
        data = fixed.copy()  # every key in its place: the assignments below keep the order
        data["status"] = self.status._value_  # not `.value`: a Python-level enum property
        data["refunded_amount"] = self.refunded_amount
        data["paid_amount"] = paid
        data["principal_balance"] = principal if self.captured_on is not None else 0
        data["interest_outstanding"] = interest_due
        data["fees_outstanding"] = fees
        data["as_of"] = ISO_DATES[today]
        data["schedule"] = schedule
        data["history"] = self._history_entries()
        return data

    def _schedule(self, today: date) -> tuple[list[dict[str, object]], int, int, int, int]:
        """The schedule's entries as of ``today`` (a fresh list) and the balances they add up
        to: unpaid principal, unpaid fees, paid, and unpaid interest fallen due.

        Built on the last snapshot's (`_ScheduleSnapshot`): between two events a payment
        changes one or two installments and one falls due, so only those entries are built
        again and their parts of the balances replaced. An installment changed since has lost
        the entry the snapshot holds (`LoanInstallment.changed`); the others still hold it.
        In full (`_full_schedule`) when the installments were replaced or the date went back.
        """
        snap = self._snap
        lines = self.installments
        if snap is None or snap.lines is not lines or today < snap.today:
            return self._full_schedule(today)
        entries, parts, due_from = snap.entries, snap.parts, snap.due_from
        count = len(lines)
        if len(entries) != count:
            return self._full_schedule(today)
        # (one assignment a name: a tuple of four would be built and taken apart again)
        principal = snap.principal
        fees = snap.fees
        paid = snap.paid
        interest_due = snap.interest
        for at, inst in enumerate(lines):
            if inst._wire is entries[at]:
                continue
            entries[at] = inst.wire(today)  # changed since: built again
            new, old = inst._wire_parts, parts[at]
            parts[at] = new
            principal += new[0] - old[0]
            fees += new[1] - old[1]
            paid += new[2] - old[2]
            if at < due_from:  # fallen due already: its interest counts
                interest_due += new[3] - old[3]
        # Fallen due since: the snapshot's first not yet due, and on (the dates are in order).
        while due_from < count and lines[due_from].due_date <= today:
            inst = lines[due_from]
            entry = inst._wire
            if entry is None or inst._wire_due is False:  # `upcoming` turns `due`: built again
                entry = inst.wire(today)  # (parts unchanged)
            entries[due_from] = entry
            interest_due += parts[due_from][3]
            due_from += 1
        snap.today, snap.due_from = today, due_from
        snap.principal = principal
        snap.fees = fees
        snap.paid = paid
        snap.interest = interest_due
        return entries.copy(), principal, fees, paid, interest_due

    def _full_schedule(self, today: date) -> tuple[list[dict[str, object]], int, int, int, int]:
        """`_schedule` in one pass over every installment, kept for the next snapshot when the
        due dates are in order, as a schedule's are (`_schedule` finds those fallen due since
        from the first not yet due)."""
        lines = self.installments
        entries: list[dict[str, object]] = []
        parts: list[tuple[int, int, int, int]] = []
        principal = interest_due = fees = paid = due_from = 0
        ordered, previous = True, date.min
        for inst in lines:
            entry = inst._wire
            if entry is None or (
                inst._wire_due is not None and inst._wire_due is not (inst.due_date <= today)
            ):
                entry = inst.wire(today)
            entries.append(entry)
            part = inst._wire_parts
            parts.append(part)
            principal += part[0]
            fees += part[1]
            paid += part[2]
            due = inst.due_date
            if due <= today:
                interest_due += part[3]
                due_from += 1
            if due < previous:
                ordered = False
            previous = due
        self._snap = None
        if ordered:
            self._snap = _ScheduleSnapshot(
                lines, today, entries.copy(), parts, due_from, principal, fees, paid, interest_due
            )
        return entries, principal, fees, paid, interest_due

    def _fixed_fields(self) -> dict[str, object]:
        """`to_dict`'s keys in order, with the values that change only with the loan's terms
        or its capture (the others are None until `to_dict` sets them)."""
        return {
            "id": self.id,
            "object": "loan",
            "status": None,
            "currency": self.currency,
            "plan": self.plan_id,
            "term_count": self.term_count,
            "interval": self.interval,
            "apr_bps": self.apr_bps,
            "authorized_amount": self.authorized_amount,
            "authorized_on": ISO_DATES[self.authorized_on],
            "authorization_expires_at": self.authorization_expires_at.isoformat(),
            "authorization_days": self.authorization_days,
            "captured_amount": self.captured_amount,
            "captured_on": ISO_DATES[self.captured_on] if self.captured_on else None,
            "refunded_amount": None,
            "paid_amount": None,
            "principal_balance": None,
            "interest_outstanding": None,
            "fees_outstanding": None,
            "as_of": None,
            "late_fee_policy": self.late_fee_policy.wire(),
            "schedule": None,
            "history": None,
        }

    def _history_entries(self) -> list[dict[str, object]]:
        """The history's wire entries, a fresh list (see `_history_wire`)."""
        history, entries = self.history, self._history_wire
        count = len(entries)
        # `HistoryEntry.wire` read as its `_data`, without the calls (a snapshot per event)
        if count > len(history) or (count and history[count - 1]._data is not entries[-1]):
            entries.clear()  # the history was replaced, not grown: start again
            count = 0
        for entry in history[count:]:  # one or two: a loop costs less than a generator's frame
            entries.append(entry._data)
        return entries.copy()

    @classmethod
    def from_dict(cls, data: Mapping[str, object]) -> Loan:
        """Restore a loan from ``to_dict`` data (derived fields are recomputed, not read)."""
        captured = data.get("captured_on")
        status = str(data["status"])
        # Each entry's reader looked up once, not per entry; `mapping_field`'s check inline for
        # the usual dict (a call per entry).
        installment, entry = LoanInstallment.from_dict, HistoryEntry.from_dict
        # Read in this order (the first missing or bad field is the one reported), then passed
        # by position in the fields' order: by keyword, the call costs ~8k instructions more.
        loan_id = str(data["id"])
        status_ = _STATUSES.get(status) or LoanStatus(status)
        currency = str(data["currency"])
        plan_id = str(data["plan"])
        term_count = int_field(data, "term_count")
        interval = cast(Interval, data["interval"])
        apr_bps = int_field(data, "apr_bps")
        authorized_amount = int_field(data, "authorized_amount")
        authorized_on = date_field(data, "authorized_on")
        captured_amount = int_field(data, "captured_amount")
        captured_on = DATES[captured] if isinstance(captured, str) else None
        refunded_amount = int_field(data, "refunded_amount")
        as_of = date_field(data, "as_of")
        late_fee_policy = LateFeePolicy.from_dict(mapping_field(data["late_fee_policy"]))
        installments = [
            installment(d if type(d) is dict else mapping_field(d))
            for d in list_field(data["schedule"])
        ]
        history = [
            entry(d if type(d) is dict else mapping_field(d)) for d in list_field(data["history"])
        ]
        authorization_days = (
            int_field(data, "authorization_days")
            if "authorization_days" in data
            else AUTHORIZATION_DAYS
        )
        return cls(
            currency,
            plan_id,
            term_count,
            interval,
            apr_bps,
            authorized_amount,
            authorized_on,
            installments,
            status_,
            loan_id,
            captured_amount,
            captured_on,
            refunded_amount,
            as_of,
            late_fee_policy,
            history,
            authorization_days,
        )

    # Internals ------------------------------------------------------------------------------

    def _advance(self, on: date) -> None:
        """Move the loan's date to ``on``, refusing a date before its last activity. (`today`
        read as `as_of or authorized_on`: every step of the clock's walk comes here, and a
        property costs a Python call.)"""
        if on < (self.as_of or self.authorized_on):
            raise self._date_refused(on)
        self.as_of = on

    def _date_refused(self, on: date) -> InvalidTransition:
        return InvalidTransition(
            "date_before_last_activity",
            f"{on.isoformat()} is before the loan's last activity {self.today.isoformat()}",
        )

    def _record(self, on: date, kind: str, amount: int, detail: str = "") -> None:
        self.history.append(HistoryEntry(on, kind, amount, detail))

    def _pay_off(
        self,
        on: date,
        amount: int,
        due: list[LoanInstallment],
        future: list[LoanInstallment],
        prepaid: int,
    ) -> _Taken:
        """Close the loan with its payoff ``amount``, given `_take_payment`'s pass: ``due`` and
        ``future`` as `due_lines` and `future_lines` answer them, and the future principal."""
        assert self.captured_on is not None  # guaranteed by SERVICING
        accrued = accrued_interest(self.installments, self.captured_on, on)
        self._advance(on)
        fees, interest, principal = allocate(due, amount)
        waived = -accrued
        for inst in future:
            waived += inst.interest - inst.paid_interest
        for n, inst in enumerate(future):
            inst.interest = accrued if n == 0 else 0
            inst.paid_interest, inst.paid_principal = inst.interest, inst.principal
            inst.changed()
        interest += accrued
        self._record(on, "payment", amount, payment_detail(fees, interest, principal, prepaid))
        if waived:
            self._record(on, "interest_waived", waived, "paid off before due")
        self._set_status(on, LoanStatus.PAID_OFF)
        return amount, fees, interest, principal, prepaid, True

    def _waive_all(self, on: date) -> None:
        waived = waive_unpaid(self.installments)
        if waived:
            self._record(on, "waived", waived, "interest and fees on a refunded loan")

    def _cure(self, on: date, paid: list[LoanInstallment] | None = None) -> None:
        """After money came in: paid off, or back down the delinquency ladder, never up.

        ``paid``: the installments due by ``on`` and owed before a payment, which only they
        took (every other one due by then owed nothing, and no later one can be the oldest
        owed), so the oldest still owed is among them; None when any installment may have
        changed (a refund)."""
        oldest: LoanInstallment | None = None  # the oldest due installment still owed
        for i in self.installments if paid is None else paid:
            if (
                i.due_date <= on
                and not (  # paid, compared part by part (see `_take_payment`)
                    i.paid_principal == i.principal
                    and i.paid_interest == i.interest
                    and i.paid_fees == i.fees
                )
                and i.principal + i.interest + i.fees
                > i.paid_principal + i.paid_interest + i.paid_fees
            ):
                oldest = i
                break
        if oldest is None:
            # Anything still owed (or overpaid) at all? Looked for from the last installment,
            # the one that stays owed longest.
            for i in reversed(self.installments):
                if i.principal + i.interest + i.fees != (
                    i.paid_principal + i.paid_interest + i.paid_fees
                ):
                    break
            else:
                self._set_status(on, LoanStatus.PAID_OFF)
                return
            target = LoanStatus.ACTIVE
        else:
            target = delinquency_status(
                (on - oldest.due_date).days, self.late_fee_policy.grace_days
            )
        if (
            target is not self.status
            and target in SEVERITY
            and SEVERITY[target] < SEVERITY[self.status]
        ):
            self._set_status(on, target)

    def _set_status(self, on: date, status: LoanStatus) -> None:
        if status is not self.status:  # recorded without `_record`'s call
            self.history.append(HistoryEntry(on, "status", 0, _STATUS_CHANGES[self.status, status]))
            self.status = status
