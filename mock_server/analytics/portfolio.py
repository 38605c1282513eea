"""Portfolio analytics as of sandbox time: one pure function from applications, loans and
merchants to every figure, per currency.

- Outstanding principal by status; delinquency aging (current, 1-29, 30-59, 60-89, 90-119, 120+
  days past due) over loans still owing principal, charged-off ones included (they are 120+).
- Charge-offs (principal at charge-off) and recoveries (payments collected after it).
- Roll rates, vintage curves and monthly figures from month-end replays (``analytics.book``).
- The funnel: applications (confirmed checkouts) -> approved / declined / in review (and how many
  ever went to review) -> captured -> paid off, with decline reasons.
- Interest and fee income collected; merchant volumes; discount revenue, the merchant's discount
  rate on each captured amount (half to even per loan).
"""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Mapping, Sequence
from datetime import date
from fractions import Fraction

from mock_server.analytics.book import DELINQUENT_DPD, Observed, month_on, observe, roll_rates
from mock_server.analytics.book import vintages as vintage_curves
from mock_server.analytics.figures import (
    Application,
    BookedLoan,
    BucketTally,
    ChargeOffs,
    CurrencyPortfolio,
    Funnel,
    Income,
    MerchantTerms,
    MerchantVolume,
    MonthFigures,
    Portfolio,
    ReasonCount,
    StatusTally,
)
from mock_server.analytics.timeline import BUCKETS, bucket_for, days_past_due, month_key
from mock_server.analytics.timeline import months_between as month_keys
from mock_server.domain.money import round_half_even
from mock_server.domain.states import LoanStatus

__all__ = ["build_portfolio", "discount_fee"]

_OWING = frozenset(
    {LoanStatus.ACTIVE, LoanStatus.LATE, LoanStatus.DELINQUENT, LoanStatus.CHARGED_OFF}
)
_SERVICED = frozenset({LoanStatus.ACTIVE, LoanStatus.LATE, LoanStatus.DELINQUENT})


def discount_fee(captured: int, mdr_bps: int) -> int:
    """The merchant discount on a captured amount, half to even."""
    return round_half_even(Fraction(captured * mdr_bps, 10_000))


def build_portfolio(
    applications: Sequence[Application],
    loans: Sequence[BookedLoan],
    merchants: Mapping[str, MerchantTerms],
    as_of: date,
) -> Portfolio:
    """Every portfolio figure, one section per currency seen in applications or loans."""
    currencies = sorted({a.currency for a in applications} | {b.loan.currency for b in loans})
    sections = [
        _section(
            code,
            [a for a in applications if a.currency == code],
            [b for b in loans if b.loan.currency == code],
            merchants,
        )
        for code in currencies
    ]
    return Portfolio(as_of, sections)


def _section(
    currency: str,
    applications: list[Application],
    loans: list[BookedLoan],
    merchants: Mapping[str, MerchantTerms],
) -> CurrencyPortfolio:
    observed = [o for o in (observe(b) for b in loans) if o is not None]
    volumes = _merchant_volumes(loans, merchants)
    return CurrencyPortfolio(
        currency=currency,
        loans=len(loans),
        outstanding_principal=sum(
            b.loan.principal_balance for b in loans if b.loan.status in _SERVICED
        ),
        by_status=_by_status(loans),
        aging=_aging(loans),
        charge_offs=_charge_offs(observed),
        roll_rates=roll_rates(observed),
        vintages=vintage_curves(observed),
        months=_months(applications, loans, observed),
        funnel=_funnel(applications, loans),
        income=Income(
            interest=sum(i.paid_interest for b in loans for i in b.loan.installments),
            fees=sum(i.paid_fees for b in loans for i in b.loan.installments),
        ),
        merchants=volumes,
        discount_revenue=sum(v.discount_revenue for v in volumes),
    )


def _by_status(loans: list[BookedLoan]) -> list[StatusTally]:
    counts: Counter[str] = Counter()
    principal: Counter[str] = Counter()
    for booked in loans:
        counts[booked.loan.status.value] += 1
        principal[booked.loan.status.value] += booked.loan.principal_balance
    return [StatusTally(s.value, counts[s.value], principal[s.value]) for s in LoanStatus]


def _aging(loans: list[BookedLoan]) -> list[BucketTally]:
    counts: Counter[str] = Counter()
    principal: Counter[str] = Counter()
    for booked in loans:
        loan = booked.loan
        if loan.status in _OWING and loan.principal_balance > 0:
            bucket = bucket_for(days_past_due(loan, booked.as_of))
            counts[bucket] += 1
            principal[bucket] += loan.principal_balance
    return [BucketTally(b, counts[b], principal[b]) for b in BUCKETS]


def _charge_offs(observed: list[Observed]) -> ChargeOffs:
    written = [o for o in observed if o.timeline.charged_off_on is not None]
    recoveries = [h for o in observed for h in o.booked.loan.history if h.kind == "recovery"]
    return ChargeOffs(
        count=len(written),
        principal=sum(o.timeline.charged_off_principal for o in written),
        recoveries=len(recoveries),
        recovered=sum(h.amount for h in recoveries),
    )


def _months(
    applications: list[Application], loans: list[BookedLoan], observed: list[Observed]
) -> list[MonthFigures]:
    days = [a.on for a in applications] + [
        b.loan.captured_on for b in loans if b.loan.captured_on is not None
    ]
    as_of = max([b.as_of for b in loans] + days, default=None)
    if as_of is None:
        return []
    figures = []
    for key in month_keys(min(days), as_of):
        apps = [a for a in applications if month_key(a.on) == key]
        states = [o.states[key] for o in observed if key in o.states]
        charged = [
            o.timeline.charged_off_principal
            for o in observed
            if o.timeline.charged_off_on is not None and month_key(o.timeline.charged_off_on) == key
        ]
        figures.append(
            MonthFigures(
                month=key,
                on=month_on(key, as_of),
                applications=len(apps),
                approved=sum(1 for a in apps if a.status == "approved"),
                declined=sum(1 for a in apps if a.status == "declined"),
                originated=sum(o.booked.loan.captured_amount for o in observed if o.vintage == key),
                outstanding=sum(s.principal for s in states if s.status in _SERVICED),
                delinquent=sum(
                    s.principal for s in states if s.status in _SERVICED and s.dpd >= DELINQUENT_DPD
                ),
                charged_off=sum(charged),
            )
        )
    return figures


def _funnel(applications: list[Application], loans: list[BookedLoan]) -> Funnel:
    statuses = Counter(a.status for a in applications)
    reasons: Counter[str] = Counter()
    for app in applications:
        if app.status == "declined":
            reasons.update(app.reason_codes)
    ranked = sorted(reasons.items(), key=lambda item: (-item[1], item[0]))
    return Funnel(
        applications=len(applications),
        approved=statuses["approved"],
        declined=statuses["declined"],
        in_review=statuses["in_review"],
        reviewed=sum(1 for a in applications if a.reviewed),
        captured=sum(1 for b in loans if b.loan.captured_on is not None),
        paid_off=sum(1 for b in loans if b.loan.status is LoanStatus.PAID_OFF),
        decline_reasons=[ReasonCount(code, count) for code, count in ranked],
    )


def _merchant_volumes(
    loans: list[BookedLoan], merchants: Mapping[str, MerchantTerms]
) -> list[MerchantVolume]:
    grouped: dict[str, list[BookedLoan]] = defaultdict(list)
    for booked in loans:
        if booked.loan.captured_on is not None:
            grouped[booked.merchant_id].append(booked)
    volumes = []
    for merchant_id in sorted(grouped):
        terms = merchants.get(merchant_id) or MerchantTerms(merchant_id, merchant_id, 0)
        booked_loans = grouped[merchant_id]
        volumes.append(
            MerchantVolume(
                merchant=merchant_id,
                name=terms.name,
                mdr_bps=terms.mdr_bps,
                loans=len(booked_loans),
                captured=sum(b.loan.captured_amount for b in booked_loans),
                refunded=sum(b.loan.refunded_amount for b in booked_loans),
                discount_revenue=sum(
                    discount_fee(b.loan.captured_amount, terms.mdr_bps) for b in booked_loans
                ),
            )
        )
    return volumes
