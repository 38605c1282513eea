"""Every portfolio figure, recomputed independently after a clock-driven run, equals the API's.

A few hundred shoppers of every tier and payer behaviour check out in three months; the lender
approves most reviews by hand (so defaulters and partial payers get loans too); the merchant
captures (some partly), voids, refunds and takes early payments; the clock then runs month-end by
month-end for most of a year, and charged-off loans see recoveries. At each month-end the test
copies every stored loan ledger. From those raw ledgers (plain JSON, never through the analytics
or the loan aggregate) and the checkouts it recomputes each figure and compares it, to the minor
unit, with `GET /v1/portfolio` and `GET /v1/admin/portfolio`.
"""

from __future__ import annotations

import calendar
import copy
from collections import Counter, defaultdict
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import UTC, date, datetime
from fractions import Fraction
from itertools import pairwise
from typing import Any

import pytest
from installo import ConflictError, Installo
from installo.testing.sandbox import in_process_client
from sqlalchemy import select

from mock_server.app import build_sandbox, create_app
from mock_server.services.context import Sandbox
from mock_server.settings import Settings
from mock_server.storage.models import LoanRow, MerchantRow

Json = dict[str, Any]
START = datetime(2026, 1, 5, 9, 30, tzinfo=UTC)
BATCHES = (date(2026, 1, 5), date(2026, 2, 10), date(2026, 3, 12))
SHOPPERS_PER_BATCH = 80
AS_OF = date(2026, 11, 16)
SERVICED = {"active", "late", "delinquent"}
OWING = SERVICED | {"charged_off"}
STATUSES = (
    "authorized",
    "active",
    "late",
    "delinquent",
    "charged_off",
    "paid_off",
    "voided",
    "expired",
    "refunded",
)
BUCKETS = ("current", "1-29", "30-59", "60-89", "90-119", "120+")


def identity(i: int) -> Json:
    """A distinct shopper; every third asks for a human review (`+review`)."""
    tag = "+review" if i % 3 == 0 else ""
    return {
        "email": f"shopper.{i}{tag}@example.com",
        "name": f"Sam Shopper{i}",
        "phone": f"+1 415 555 {i:04d}",
        "date_of_birth": f"{1960 + i % 40}-0{1 + i % 9}-1{i % 9}",
        "national_id_last4": f"{i:04d}",
        "locale": "en_US",
        "address": {
            "line1": f"{i} Market St",
            "city": "San Francisco",
            "region": "CA",
            "postal_code": "94105",
            "country": "US",
        },
    }


def month_ends(first: date, last: date) -> list[date]:
    """Every month-end from ``first``'s month up to (not including) ``last``."""
    ends: list[date] = []
    year, month = first.year, first.month
    while True:
        end = date(year, month, calendar.monthrange(year, month)[1])
        if end >= last:
            return ends
        ends.append(end)
        year, month = (year + 1, 1) if month == 12 else (year, month + 1)


@dataclass
class Run:
    """What the run did and saw."""

    portfolio: Json
    lender: Json
    mdr_bps: int
    applied_on: dict[str, date] = field(default_factory=dict)
    checkouts: dict[str, Json] = field(default_factory=dict)
    reviewed: int = 0
    snapshots: dict[str, tuple[date, dict[str, Json]]] = field(default_factory=dict)
    recovered: dict[str, tuple[int, int]] = field(default_factory=dict)

    @property
    def final(self) -> dict[str, Json]:
        return self.snapshots[key(AS_OF)][1]


def key(day: date) -> str:
    return f"{day.year:04d}-{day.month:02d}"


def ledgers(sandbox: Sandbox) -> dict[str, Json]:
    """A copy of every stored loan ledger, as raw JSON."""
    with sandbox.db.reader() as session:
        return {row.id: copy.deepcopy(row.data) for row in session.scalars(select(LoanRow))}


def apply(client: Installo, i: int, day: date, run: Run) -> None:
    """One shopper checks out; the merchant does what it does with an approval."""
    amount = 24_000 + (i * 7_919) % 180_000
    checkout = client.checkouts.create(
        items=[{"sku": f"sku-{i}", "name": "Goods", "unit_amount": amount, "quantity": 1}],
        amount=amount,
        currency="USD",
        customer=identity(i),
    )
    offer = checkout.offers[i % len(checkout.offers)]
    decided = client.checkouts.confirm(checkout.id, offer=offer.id, consent=True)
    run.applied_on[decided.id] = day
    if decided.loan is None:
        return
    if i % 11 == 0:
        client.loans.void(decided.loan)
    elif i % 13 != 0:  # the rest of the 13s are never captured and expire
        captured = amount * 4 // 5 if i % 6 == 0 else None
        client.loans.capture(decided.loan, amount=captured)


def settle_reviews(client: Installo, run: Run) -> None:
    """The lender approves nine in ten waiting applications; the tenth stays in the queue."""
    pending = list(client.admin.reviews.list(status="pending").auto_paging_iter())
    for n, review in enumerate(pending):
        if n % 10 == 9:
            continue
        client.admin.reviews.approve(review.id)
        assert review.checkout is not None
        checkout = client.checkouts.retrieve(review.checkout)
        if checkout.loan is not None:
            client.loans.capture(checkout.loan)


def merchant_actions(client: Installo, loans: dict[str, Json]) -> None:
    """Refunds on some loans, early payments on others (refused ones are fine: the ledger says)."""
    for n, (loan_id, data) in enumerate(sorted(loans.items())):
        if data["status"] not in SERVICED:
            continue
        try:
            if n % 9 == 0:
                client.loans.refund(loan_id, amount=data["captured_amount"] // 3)
            elif n % 10 == 0:
                client.loans.pay(loan_id, amount=5_000)
        except ConflictError:
            pass


def recoveries(client: Installo, sandbox: Sandbox, run: Run) -> None:
    """A payment on a few charged-off loans: the principal it collected is remembered."""
    charged = [i for i, data in sorted(ledgers(sandbox).items()) if data["status"] == "charged_off"]
    for loan_id in charged[:3]:
        before = client.loans.retrieve(loan_id)
        after = client.loans.pay(loan_id, amount=3_000)
        run.recovered[loan_id] = (3_000, before.principal_balance - after.principal_balance)


@pytest.fixture(scope="module")
def run() -> Iterator[Run]:
    sandbox = build_sandbox(Settings(seed=11, webhook_worker=False))
    sandbox.wall = lambda: START
    result = Run({}, {}, 0)
    with sandbox.db.reader() as session:
        result.mdr_bps = session.scalars(select(MerchantRow.mdr_bps)).one()
    with in_process_client(create_app(sandbox=sandbox)) as client:
        shopper = 0  # a multiple of 3 after each batch
        stops = sorted({*BATCHES, *month_ends(START.date(), AS_OF), AS_OF})
        for day in stops:
            if day > START.date():
                client.sandbox.advance_clock(to=day)
            if day in BATCHES:
                for _ in range(SHOPPERS_PER_BATCH):
                    apply(client, shopper, day, result)
                    shopper += 1
                settle_reviews(client, result)
            if day == BATCHES[-1]:
                merchant_actions(client, ledgers(sandbox))
            if day == AS_OF:
                recoveries(client, sandbox, result)
                for extra in range(shopper, shopper + 9, 3):  # +review: left in the queue
                    apply(client, extra, day, result)
            if day not in BATCHES or day == AS_OF:
                result.snapshots[key(day)] = (day, ledgers(sandbox))
        result.checkouts = {
            c.id: c.model_dump(mode="json")
            for c in client.checkouts.list(limit=100).auto_paging_iter()
        }
        result.reviewed = sum(1 for _ in client.admin.reviews.list().auto_paging_iter())
        result.portfolio = client.portfolio.retrieve().model_dump(mode="json")
        result.lender = client.admin.portfolio.retrieve().model_dump(mode="json")
    sandbox.close()
    yield result


# Independent arithmetic over raw ledgers ----------------------------------------------------------


def owed_principal(data: Json) -> int:
    if data["captured_on"] is None:
        return 0
    return sum(e["principal"] - e["paid_principal"] for e in data["schedule"])


def dpd(data: Json, day: date) -> int:
    unpaid = [
        date.fromisoformat(e["due_date"])
        for e in data["schedule"]
        if e["amount"] > e["paid_amount"] and date.fromisoformat(e["due_date"]) <= day
    ]
    return (day - min(unpaid)).days if unpaid else 0


def bucket(days: int) -> str:
    if days == 0:
        return "current"
    if days >= 120:
        return "120+"
    low = 1 if days < 30 else days // 30 * 30
    return f"{low}-{29 if low == 1 else low + 29}"


def bps(part: int, whole: int) -> int:
    return round(Fraction(part * 10_000, whole)) if whole else 0


def captured_by(data: Json, day: date) -> bool:
    return data["captured_on"] is not None and date.fromisoformat(data["captured_on"]) <= day


def charge_off_principal(run: Run, loan_id: str) -> int:
    return owed_principal(run.final[loan_id]) + run.recovered.get(loan_id, (0, 0))[1]


def observations(run: Run) -> dict[str, dict[str, tuple[str, int, int]]]:
    """Loan -> month -> (status, principal owed, days past due) at each month-end."""
    seen: dict[str, dict[str, tuple[str, int, int]]] = defaultdict(dict)
    for month, (day, loans) in sorted(run.snapshots.items()):
        for loan_id, data in loans.items():
            if captured_by(data, day):
                seen[loan_id][month] = (data["status"], owed_principal(data), dpd(data, day))
    return seen


@pytest.fixture(scope="module")
def section(run: Run) -> Json:
    (usd,) = run.portfolio["currencies"]
    assert usd["currency"] == "USD"
    section: Json = usd
    return section


# The figures --------------------------------------------------------------------------------------


def test_the_run_books_a_few_hundred_loans_of_every_payer_behaviour(run: Run) -> None:
    captured = [d for d in run.final.values() if d["captured_on"] is not None]
    statuses = Counter(d["status"] for d in captured)
    assert len(captured) >= 150
    assert (
        statuses["paid_off"]
        and statuses["charged_off"]
        and statuses["delinquent"] | statuses["late"]
    )
    assert run.portfolio["as_of"] == AS_OF.isoformat()


def test_outstanding_principal_by_status(run: Run, section: Json) -> None:
    counts = Counter(d["status"] for d in run.final.values())
    owed: Counter[str] = Counter()
    for data in run.final.values():
        owed[data["status"]] += owed_principal(data)
    expected = [{"status": s, "count": counts[s], "principal": owed[s]} for s in STATUSES]
    assert section["by_status"] == expected
    assert section["loans"] == len(run.final)
    assert section["outstanding_principal"] == sum(owed[s] for s in SERVICED)


def test_delinquency_aging_buckets(run: Run, section: Json) -> None:
    counts: Counter[str] = Counter()
    owed: Counter[str] = Counter()
    for data in run.final.values():
        if data["status"] in OWING and owed_principal(data) > 0:
            counts[bucket(dpd(data, AS_OF))] += 1
            owed[bucket(dpd(data, AS_OF))] += owed_principal(data)
    assert section["aging"] == [
        {"bucket": b, "count": counts[b], "principal": owed[b]} for b in BUCKETS
    ]
    assert counts["120+"] > 0 and counts["1-29"] + counts["30-59"] > 0


def test_charge_offs_and_recoveries(run: Run, section: Json) -> None:
    charged = [i for i, d in run.final.items() if d["status"] == "charged_off"]
    principal = sum(charge_off_principal(run, i) for i in charged)
    recovered = sum(amount for amount, _ in run.recovered.values())
    assert len(run.recovered) == min(3, len(charged)) > 0
    assert section["charge_offs"] == {
        "count": len(charged),
        "principal": principal,
        "recoveries": len(run.recovered),
        "recovered": recovered,
        "net_loss": principal - recovered,
    }


def test_roll_rates_month_over_month(run: Run, section: Json) -> None:
    moves: Counter[tuple[str, str, str, str]] = Counter()
    weight: Counter[tuple[str, str, str, str]] = Counter()
    totals: Counter[tuple[str, str, str]] = Counter()
    for months in observations(run).values():
        keys = sorted(months)
        for first, second in pairwise(keys):
            (status, owed, days), (after, _, days_after) = months[first], months[second]
            if status not in SERVICED:
                continue
            to = bucket(days_after) if after in OWING else after
            moves[(first, second, bucket(days), to)] += 1
            weight[(first, second, bucket(days), to)] += owed
            totals[(first, second, bucket(days))] += owed
    expected = {
        move: (count, weight[move], bps(weight[move], totals[move[:3]]))
        for move, count in moves.items()
    }
    got = {
        (r["from_month"], r["to_month"], r["from_bucket"], r["to_bucket"]): (
            r["count"], r["principal"], r["rate_bps"]
        )
        for r in section["roll_rates"]
    }  # fmt: skip
    assert got == expected
    assert len(section["roll_rates"]) == len(got)
    assert any(src == "1-29" and dst == "30-59" for _, _, src, dst in got)


def test_vintage_curves(run: Run, section: Json) -> None:
    seen = observations(run)
    vintages: dict[str, list[str]] = defaultdict(list)
    for loan_id in seen:
        vintages[run.final[loan_id]["captured_on"][:7]].append(loan_id)
    expected = []
    for vintage in sorted(vintages):
        loans = vintages[vintage]
        originated = sum(run.final[i]["captured_amount"] for i in loans)
        curve = []
        months = sorted(m for m in run.snapshots if m >= vintage)
        for mob, month in enumerate(months):
            delinquent = sum(
                run.final[i]["captured_amount"]
                for i in loans
                if any(days >= 30 for m, (_, _, days) in seen[i].items() if m <= month)
            )
            charged = sum(
                charge_off_principal(run, i) for i in loans if seen[i][month][0] == "charged_off"
            )
            curve.append(
                {
                    "months_on_book": mob,
                    "on": run.snapshots[month][0].isoformat(),
                    "delinquent": delinquent,
                    "delinquent_bps": bps(delinquent, originated),
                    "charged_off": charged,
                    "loss_bps": bps(charged, originated),
                }
            )
        expected.append(
            {"vintage": vintage, "loans": len(loans), "originated": originated, "curve": curve}
        )
    assert section["vintages"] == expected
    assert [v["vintage"] for v in expected] == ["2026-01", "2026-02", "2026-03"]
    assert any(v["curve"][-1]["loss_bps"] > 0 for v in expected)


def test_monthly_figures(run: Run, section: Json) -> None:
    seen = observations(run)
    charge_month = {
        i: min(m for m, (status, _, _) in months.items() if status == "charged_off")
        for i, months in seen.items()
        if any(status == "charged_off" for status, _, _ in months.values())
    }
    expected = []
    for month, (day, _) in sorted(run.snapshots.items()):
        apps = [c for c in run.checkouts.values() if key(run.applied_on[c["id"]]) == month]
        states = [months[month] for months in seen.values() if month in months]
        expected.append(
            {
                "month": month,
                "on": day.isoformat(),
                "applications": len(apps),
                "approved": sum(1 for c in apps if c["status"] == "approved"),
                "declined": sum(1 for c in apps if c["status"] == "declined"),
                "originated": sum(
                    d["captured_amount"]
                    for d in run.final.values()
                    if d["captured_on"] and d["captured_on"][:7] == month
                ),
                "outstanding": sum(owed for status, owed, _ in states if status in SERVICED),
                "delinquent": sum(
                    owed for status, owed, days in states if status in SERVICED and days >= 30
                ),
                "charged_off": sum(
                    charge_off_principal(run, i) for i, m in charge_month.items() if m == month
                ),
            }
        )
    assert section["months"] == expected


def test_approval_funnel_with_decline_reasons(run: Run, section: Json) -> None:
    statuses = Counter(c["status"] for c in run.checkouts.values())
    reasons: Counter[str] = Counter()
    for checkout in run.checkouts.values():
        if checkout["status"] == "declined":
            reasons.update(checkout["decision"]["reason_codes"])
    captured = [d for d in run.final.values() if d["captured_on"] is not None]
    assert section["funnel"] == {
        "applications": len(run.checkouts),
        "approved": statuses["approved"],
        "declined": statuses["declined"],
        "in_review": statuses["in_review"],
        "reviewed": run.reviewed,
        "captured": len(captured),
        "paid_off": sum(1 for d in run.final.values() if d["status"] == "paid_off"),
        "decline_reasons": [
            {"code": code, "count": n}
            for code, n in sorted(reasons.items(), key=lambda r: (-r[1], r[0]))
        ],
    }
    assert statuses["declined"] and statuses["in_review"] and reasons


def test_interest_and_fee_income(run: Run, section: Json) -> None:
    entries = [e for d in run.final.values() for e in d["schedule"]]
    interest = sum(e["paid_interest"] for e in entries)
    fees = sum(e["paid_fees"] for e in entries)
    assert section["income"] == {"interest": interest, "fees": fees}
    assert interest > 0 and fees > 0


def test_merchant_volume_and_discount_revenue(run: Run, section: Json) -> None:
    captured = [d for d in run.final.values() if d["captured_on"] is not None]
    discount = sum(round(Fraction(d["captured_amount"] * run.mdr_bps, 10_000)) for d in captured)
    (line,) = section["merchants"]
    assert {k: v for k, v in line.items() if k not in {"merchant", "name"}} == {
        "mdr_bps": run.mdr_bps,
        "loans": len(captured),
        "captured": sum(d["captured_amount"] for d in captured),
        "refunded": sum(d["refunded_amount"] for d in captured),
        "discount_revenue": discount,
    }
    assert section["discount_revenue"] == discount > 0


def test_the_lender_wide_portfolio_holds_the_same_figures(run: Run) -> None:
    assert run.lender == run.portfolio
