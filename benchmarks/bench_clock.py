"""Sandbox clock throughput: a year of servicing over thousands of loans, in loans*days per second.

    .venv/bin/python -m benchmarks.bench_clock [--loans 10000] [--days 365]

Builds an in-memory sandbox, authorizes and captures loans through the API (in process, over
httpx's ASGI transport) for 120 personas of every tier (reviews approved, so every repayment
behaviour is present), then copies those loans in the database up to `--loans` (10,000 by
default; fewer for a quick look). Two paths service the same loans over the same days, side by
side:

- floor: the pure domain walk (`service_loan`, key date to key date) over the loans in memory:
  each loan read from its stored data, walked, and every event's loan snapshot taken; no
  database, no event rows; with the cyclic garbage collector paused as the advance pauses it
  (`services.servicing.collector_paused`), so that the two are compared on equal terms;
- server: `POST /v1/sandbox/clock/advance` (reads, walks and stores the loans, records every
  event and its webhook deliveries, and runs the month-end Metro 2 furnishing and the merchant's
  daily work, in one transaction).

Both must end with the same loan states; then each prints its seconds and loans*days per second,
the server's rate as a share of the floor's, and the floor against the 205,000 loans*days/s the
day-by-day walk managed before (issue 9). A last line says where the server's seconds went
(`phases_of_advance`: reading the loans; walking them with their events' objects, which is the
floor's work plus presenting each event's loan; storing loans and events; each periodic work,
month-end Metro 2 furnishing and the merchant's day, with what it writes at the advance's end),
so that the share of the floor is read beside what the server does that the floor does not.

How it was profiled (py-spy and pyinstrument installed into the venv only, not dependencies):

    .venv/bin/py-spy record -r 250 --format raw -o clock.raw -- .venv/bin/python -m \
        benchmarks.bench_clock --loans 1000      # every thread: the advance runs in a worker
    # or, for the floor (one thread): pyinstrument around `floor(...)` in a small script

What the profiles showed, and what was cut:
- floor: snapshots (`Loan.to_dict` per event) and assessment days with nothing owed were most
  of the walk; an assessment day is now skipped once the installments it was for are paid,
  snapshots sum balances in one pass and reuse unchanged schedule and history entries, a payment
  computes its lines once, accrued interest needs no Fraction, `Loan.from_dict` has a fast path;
- server: autoflushes of thousands of ORM loan rows, JSON decoding through the standard library,
  a loan store at every month-end and day, month-end furnishing (Loan.from_dict again per loan,
  strptime per Metro 2 date, an ORM row per bureau account); now the loans are read as core rows
  and written once by one executemany UPDATE, events go in by one core INSERT per stop, JSON
  columns go through orjson both ways, furnishing reads the loans the advance holds and writes
  furnished records and bureau accounts with executemany statements;
- then (py-spy over `--loans 2000` and `10000`, and cProfile/process-time micro-benchmarks of
  one loan's walk, a Metro 2 record and one executemany; the machine was shared, so figures
  were compared side by side): in the walk, every snapshot rebuilt a ten-field state key per
  installment to find its unchanged wire entry, and payments, cures and the delinquency ladder
  scanned the installments through properties several times per key date; in the server,
  month-end furnishing was ~45% (each 426-character record encoded field by field through the
  generic encoder, ~23 us, then the bureau parsing all 47 fields of every record back, ~18 us,
  rebuilding account objects only to score them, sorting each loan's ratings), and the bulk
  writes ~20% (SQLAlchemy's per-row parameter construction was most of each executemany,
  ~70% of the bureau accounts' UPDATE). Cut: an installment keeps its wire entry until a ledger
  write drops it (`LoanInstallment.changed`), the loan keeps its history's wire entries, the hot
  loan methods read the installments in one pass; the Metro 2 writer reuses a field's encoding
  of a repeated value within a file, the bureau reads the twelve fields it uses, digests each
  consumer once and scores from the stored data; events, bureau accounts, furnished records
  and loans go to the driver's executemany in one call with each column's values processed once
  per distinct value (`storage.bulk.execute_many`); a clock event formats its loan's creation
  time and expiry once, each event date's instant once. Python calls per loan at `--loans 1000`
  (cProfile around `floor` and around `services.servicing.advance` called in the main thread;
  a count, so stable on a busy machine): floor 2,269 -> 1,332, server 13,645 -> 6,475. Wall
  figures on the shared machine (load 5-8) moved too much to quote beyond the side by side
  ratio, which stayed ~0.12x: floor and server got faster together.
- then (issue 9 stop 22; cProfile around `services.servicing.advance` in the main thread,
  py-spy raw over `--loans 1000`, `gc.callbacks` timing the collector's pauses inside the
  advance, and process CPU time of the advance beside wall time, since the shared machine ran
  at load 3-5 on its 2 cores and wall time doubled from run to run): of an advance over 1,000
  loans, month-end furnishing was ~45%, the events' JSON ~8% (each event serialized its loan's
  whole schedule and history, ~5-8 KB, though one or two entries had changed since the loan's
  last event), and the cyclic collector ~14% (0.9 s of 6.3 s: 336 young and 2 full
  collections over the hundreds of thousands of objects an advance holds until it ends,
  attributed by py-spy to whatever frame allocated, e.g. an autoflush's `UOWTransaction`).
  Cut: an advance (sandbox clock and test clocks) runs with the collector paused
  (`collector_paused`; reference counting still frees everything acyclic); a loan's history
  goes into its events and its stored data as one `orjson.Fragment` that serializes only the
  entries added since the loan's last event (`storage.bulk.GrowingJsonList`: 2.2 us instead of
  7.5 us for a 50-entry history grown by one; the events' JSON, timed inside `json_text` over
  an advance of 1,000 loans, 0.80 s -> 0.39 s plus 0.11 s building the fragments. Tried
  first: the same per schedule entry, by identity; orjson writes a dozen small dicts as fast
  as Python can look them up, so that was no faster and was dropped); the bureau keys consumers
  from the Consumer the file was written from, not by reading each customer again; a file's
  `reported_at` is formatted once. A golden run (400 loans, a webhook endpoint, three advances
  of 45, 40 and 300 days around disputes opened and resolved verified / corrected / deleted;
  every table dumped, ids drawn from a seeded generator, wall clock fixed) stored exactly the
  same rows before and after. Figures, f68504d against this change, alternating, the
  machine shared (load 2-4): an advance over 10,000 loans called in the main thread, process
  CPU time 72.5 s -> 54.9 s (of which the collector 26.3 s, 18 full collections, -> 0.01 s);
  `python -m benchmarks.bench_clock` (10,000 loans) server 69.7 s -> 51.4 s and 68.1 s ->
  62.5 s in two pairs, floor 8.3 s -> 7.6 s and 9.4 s -> 8.6 s (the collector paused in both
  paths now), server/floor 0.12x -> 0.15x and 0.14x -> 0.14x; Python calls per loan at
  `--loans 1000` (cProfile) server 6,468 -> 6,378 (what was cut runs in C: the collector,
  orjson), floor 1,323 -> 1,328. Still far from the targets (0.5x, 10x): furnishing is ~40% of
  the advance (~170 us of CPU per account and month-end: base segment, record written, read
  back by the bureau, folded, two JSON UPDATEs), and the walk's stops at each loan's key dates
  list its key dates again each time (`_key_dates` and `next_key_date`, ~8%).
- then (issue 9 stop 23; py-spy raw over the advance at `--loans 1000` and `10000`, cProfile
  of the floor's walk, and, the machine being shared at load 4-6, instruction counts from
  cachegrind: the floor's walk of 500 loans, and one 365-day advance over 300 loans read from
  a seeded database file, each minus the same run without the work). At 10,000 loans the
  advance was furnishing 39%, the driver's executemany 10%, the events' JSON 10%, the walk
  23%, and per stop (15 a loan) its key dates listed again (5%), `next_key_date` over every
  installment (3.6%) and an assessment of the stop's date (3%). Cut: a loan's key dates are
  listed once per advance (`services.loan_walk.LoanWalk`), its next stop is read from them
  (`LoanWalk.next_stop`, equal to `next_key_date`, which a test checks at every stop), and a
  stop that is no assessment day only brings the loan's date forward; in the domain, a
  snapshot copies a template of the loan's fixed fields, a payer's day pays what is due in the
  payment's own pass (`Loan.pay_due`, no `owed_on` pass first), accrued interest from the
  index that pass found; the Metro 2 writer lists each layout's fields once. Events, balances,
  statuses, webhooks and Metro 2 files are unchanged: a golden run (400 loans of every tier, a
  webhook endpoint, advances of 45, 40 and 300 days around disputes opened and resolved
  verified / corrected / deleted; ids from a seeded generator, wall clock fixed) stored the
  same rows table by table as main (only fields that differ between two runs of main
  differed: workflow timings, hosted page tokens, wall-clock times, a sealed secret).
  Figures, main against this change: instructions of the floor's walk 1,422 M -> 1,184 M
  (-17%), of the advance 4,940 M -> 4,362 M (-12%); Python calls per loan at `--loans 1000`
  floor 1,322 -> 1,177, server 6,385 -> 6,191. Wall time moved by up to 2x between runs of
  the same tree (load 2.4-4.5): `--loans 10000`, main then this change, alternating, twice:
  floor 10.69 / 7.50 s -> 4.72 / 6.55 s, server 55.1 / 45.6 s -> 40.0 / 41.2 s (66,246 /
  80,137 -> 91,331 / 88,573 loans*days/s); server/floor 0.19x / 0.16x -> 0.12x / 0.16x (both
  paths got faster); floor 1.7x / 2.4x -> 3.8x / 2.7x of 205,000. Still far from the targets:
  py-spy over the advance at 10,000 loans now shows furnishing 43% (the bureau's fold 14%,
  base segments 10%, writing the file 8%), storing the events 21% (their JSON 10%, each a
  ~4.4 KB loan object, and the driver's executemany 9%), the walk 20%: furnishing and the
  events alone cost several times the whole floor walk.
- then (s24-clock; cProfile and process CPU time around `services.servicing.advance` called in
  the main thread, py-spy raw at 1,000 Hz over it, and each SQL statement's process time from
  the engine's before/after_cursor_execute, all at `--loans 1000`; the machine shared at load
  1-4). Of the advance (on a8c30b9): month-end furnishing 43% (the bureau's fold 13%, base
  segments 11%, writing the file 6%, the month-end UPDATE of every reported loan's `furnished`
  column ~3%: 12,000 rewrites of ~6 KB loan rows, though the advance stores each loan at its
  end anyway), storing the events 18% (their JSON 8%, the driver 5%), the walk 21%; the
  driver's own time, every statement, was 0.17 s of 1.9 s: the rest is Python and orjson.
  Cut: a Metro 2 record's values are looked up in the file's memo field by field in C (`map`
  over the layout; a value of a type that could equal another's, a bool or float, is encoded
  every time), the reader lists each field's slice once per file, a profile's months per
  month-end and opening month once, a consumer's fields once, a base segment reads the
  history in one pass; the bureau folds a base segment straight into its stored data (no
  `FurnishedAccount` between), `account_points` is memoized (pure, two short strings), the
  profile translation calls no `__missing__`; `last_furnished` copies the record rather than
  rebuilding it twice; a loan the advance holds gets its `furnished` record written with the
  loan at the end of the advance (`Occasion.keep_furnished`; before any work that reads stored
  loans, if one ever runs), not at every month-end. Golden run (400 loans of every tier, a
  webhook endpoint, advances of 45, 40 and 300 days around disputes opened and resolved
  verified / corrected / deleted; ids from a seeded generator, the wall clock fixed; every
  table dumped): the same rows as a8c30b9 cell by cell, but for what differs between two runs
  of a8c30b9 itself (the seeding's checkouts and workflow timings, their 148 events, a webhook
  secret). Python calls per loan 6,191 -> 4,156; process CPU of the advance, a8c30b9 then
  this, alternating: 2.03 / 2.00 / 2.15 s -> 1.83 / 1.92 / 1.90 s (-8%), at `--loans 3000`
  6.21 -> 5.65 s (-9%). Now furnishing is 36% of the advance, the events 20%, the walk 23%.
  `python -m benchmarks.bench_clock` (10,000 loans), load ~2.5, twice (the second on the
  last commit): floor 3.79 / 3.67 s, server 19.96 / 18.78 s, 0.19x / 0.20x (main as the lead
  measured it: floor 3.62 s, server 20.64 s, 0.18x). Still far from 0.5x: what is left is
  spread thin (no Python function above 3% of the advance); the big items are C (orjson for
  the events' ~5 KB loan objects, 9%; the driver's INSERT of them, 7%) and the walk, which
  the floor does too.
- then (the floor's walk; its instructions by cachegrind over 500 stored loans, minus the
  same run without the walk: 1,160 M at the start; a function's share from callgrind with
  that function called through a C builtin of its own (map, starmap, reduce, ...) whose
  inclusive cost is the function's; single operations by the same difference). The loops
  over the installments were not the cost (a plain bytecode is ~20 instructions): what they
  called was: `date.isoformat` ~3.5k instructions (PyUnicode_FromFormat), a frozen
  dataclass's generated `__init__` ~10k (object.__setattr__ per field), `timedelta(days=n)`
  ~3.8k, `min`/`max` of two values ~2k, an Enum's `.value` ~1.7k, a property ~0.6k. Cut: a
  payment's cure looks among the installments it paid; key dates are day ordinals (ints add,
  compare, hash and sort for a fraction of dates); a day's ISO text is formatted once
  (an lru_cache by day, now `ledger.ISO_DATES`, a `CalendarMemo`; first written as three
  per-object caches, which the review replaced: 805 -> 779 M); `pay_due`
  answers the amount paid (no `PaymentAllocation`); `HistoryEntry` sets its slots through
  their descriptors; comparisons instead of `min`/`max`; the date read as `as_of or
  authorized_on`, not through `today`; the policy's grace period is one timedelta; a snapshot
  builds its schedule on the last one's (`Loan._schedule`: only the installments changed or
  fallen due since); reads check their fields inline. Every event and final loan over 600
  loans at 365, 40 and 200 days hashes the same as before (sha256 of each event's date, type
  and snapshot); the unit tests and the clock, loan, servicing, ledger and furnishing tests
  pass. The floor's walk over 500 loans: 1,160 M -> 796 M instructions (-31%). A 300-loan
  server run (advances of 45, 40 and 280 days through the API) stored the same loan events,
  loans and bureau accounts before and after (ids and wall-clock times masked). This file at
  10,000 loans, 6a52ff2 then the merge, back to back on a quiet machine: floor 3.79 -> 2.87 s
  (4.7x -> 6.2x of 205,000; at the session's start, in a faster phase, 6a52ff2's floor took
  2.52 s), server 22.8 / 23.7 s, so the server's share of the floor's rate fell 0.17x -> 0.12x:
  the walk is ~20% of an advance, the rest (furnishing, the events' JSON and INSERT) is the
  server's own. A caveat on the floor's figure: this file copies 68 seeded loans up to
  `--loans`, and the wire entries of installments nothing was paid against are shared between
  loans of the same terms and day (`ledger._unpaid_entry`, an lru_cache by value), so copies
  find them built; without that cache the walk over 500 loans costs 875 M instructions
  instead of 802 M (+9%). Loans bought on one day with the same terms share them in real use
  too, but fewer than here.
- then (floor3; the same cachegrind difference over 500 stored loans, with a fixed hash seed,
  and bytecodes counted per line by a tracer to find where): 790 M -> 634 M instructions
  (-20%; with Python's hash seed left random: main 785 M, this 624 M), every event and final
  loan hashing the same. What was cut was work, not loops: an
  installment's ladder is listed a day at a time as the walk climbs it (`LoanWalk._climb`;
  an on-time payer pays before the first, so its later days were listed, sorted and skipped
  for nothing: -34 M); a paid installment is told part by part before any sum is built (each
  sum a new int: -30 M); a payment below what is due plus the principal to come works out no
  accrued interest (it cannot be the payoff: -18 M); stored dates, visited days and ISO texts
  are read from dicts by text, ordinal and day (`ledger.DATES`, `loan_walk._DAYS`,
  `ledger.ISO_DATES`: one `ledger.CalendarMemo` each, ~0.4k instructions a hit against
  ~1.2k, ~1.6k and ~0.9k: -24 M); an
  assessment day is one pass (`Loan.assess`: -9 M); `Loan.from_dict` builds the loan by
  position (by keyword ~8k more); fewer helper calls (~0.5k each) and tuples taken apart.
  Tried and dropped: finding a snapshot's changed installments in C (`map`/`attrgetter`/
  `compress`: +31 M, a C call per element costs more than the bytecodes), reading an
  installment's fields with one `itemgetter` and checking their types with `map(type, ...)`
  (+9 M), listing the future installments only for a payoff or prepayment (no gain).
- then (branch `advance`, merged beside floor3; instructions of a 365-day advance by
  cachegrind, minus the same run without the advance): every month-end read again what the
  one before had read or written (each customer, its Metro 2 consumer, bureau key and
  generated score; every bureau account of those consumers, ~1,000 JSON rows a month per
  1,000 loans) and wrote each account again.
  Cut: periodic work keeps what it read across an advance's dates (`Occasion.scratch`, one
  dict per advance); the bureau's accounts are kept as folded and written once, when the
  advance's periodic work is done (`Occasion.finishing`), a file that deletes an account
  (status DA) written at once after what came before, so the same rows get the same `seq`.
  Not done, as it would not store the same: folding only the last file of an advance (a
  closed account is reported once, a deleted one is gone, and each month-end's scores go into
  that month's `furnished` record and the events after it). Tried and dropped: reading a
  file's records field by field in C (`itemgetter` of the slices, per-field memos, or `map`
  by kind), slower than the plain loop (5-6 us a record either way). Same loans, events,
  bureau accounts, furnishing files, disputes and webhook deliveries as main (300 loans, a
  webhook endpoint, advances of 45, 40, 100 and 180 days around disputes opened and resolved
  verified / corrected / deleted; ids and times of day masked). Instructions, main -> this:
  300 loans 3,174 M -> 2,784 M (-12%), 1,000 loans 9,254 M -> 8,578 M (-7%), 3,000 loans
  26,827 M -> 26,217 M (-2%): what was cut is mostly per customer and month-end, and this
  file's loans are copies of 68 customers' (one loan per customer would save more); Python
  calls at 3,000 loans 9.23 M -> 8.35 M. This file at 10,000 loans, main then this, load
  ~1.7: floor 2.49 / 2.48 s, server 22.3 / 22.5 s (0.11x both; the difference is noise).
- then (stop 30; branches floor4 and adv2, cachegrind as above, fixed hash seed): the walk over
  500 loans 635 M -> 615 M (-3%): an on-time payer's first ladder day is listed after that due
  date's payment, and only if the installment is still owed then (`LoanWalk` rungs); an
  installment as scheduled builds its wire entry first and apart; `Loan.from_dict` checks
  JSON's own types inline. The advance over 300 loans 2,630 M -> 2,439 M (-7.3%), 1,000 loans
  8,071 M -> 7,400 M (-8.3%): a base segment reads the installments in one pass, the bureau's
  fold takes its ISO dates from `ledger.ISO_DATES`, furnishing reads plain values rather than
  ORM attributes per account, and its reportable loans' keys run on the driver's cursor. Tried
  and dropped: a Metro 2 record's values picked by position (-0.5%), a consumer's fields
  encoded once (-3% of the writer), the payment pass in C (+7%), memos of history entries
  (this file's loans share their terms; real ones would not). This file now prints where the
  server's seconds go (`phases_of_advance`). At 10,000 loans, three runs (a slow phase of the
  machine: `python -c pass` 35 ms): floor 1.72 / 1.79 / 1.68 s (10.3x / 10.0x / 10.6x of
  205,000), server 15.4 / 16.9 / 16.0 s (0.11x / 0.11x / 0.10x), of which furnishing 38-39%,
  storing loans and events 27-28%, the walk with each event's loan 26-27%, reading the loans
  5-7%. Reading and walking alone take ~3x the floor's time (the advance stops each loan at
  every key date in date order, so that month-end work sees every loan as of its date, and
  presents each event's loan); furnishing alone takes ~3.5x.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import dataclasses
import functools
import time
from collections import Counter, defaultdict
from collections.abc import Callable, Iterator
from datetime import date, timedelta
from typing import Any, ParamSpec, TypeVar
from unittest import mock

import httpx
from sqlalchemy import select

from mock_server.app import create_app
from mock_server.domain import Loan
from mock_server.ids import new_id
from mock_server.risk.identity import Identity
from mock_server.risk.personas import person_for_identity
from mock_server.services.context import Sandbox
from mock_server.services.furnishing import FURNISHING_NAME
from mock_server.services.loan_book import LoanBook
from mock_server.services.merchant_clock import MERCHANT_DAY
from mock_server.services.periodic import Occasion
from mock_server.services.servicing import collector_paused, service_loan
from mock_server.settings import Settings
from mock_server.storage.models import CustomerRow, LoanRow

BEFORE_FLOOR = 205_000  # loans*days/s of the day-by-day walk on this machine (issue 9)
AUTH = {"Authorization": "Bearer sk_test_demo"}
ADMIN = {"Authorization": "Bearer admin_test_demo"}
_P = ParamSpec("_P")
_R = TypeVar("_R")
IDENTITY_KEYS = (
    "name",
    "email",
    "phone",
    "date_of_birth",
    "address",
    "national_id_last4",
    "locale",
)


async def seed_loans(client: httpx.AsyncClient, count: int) -> int:
    """Apply for `count` personas (every tier), approve those sent to review, capture every
    approved loan; answer how many loans there are."""
    people: list[dict[str, Any]] = []
    params: dict[str, Any] = {"limit": 100}
    while len(people) < count:
        page = (await client.get("/v1/sandbox/personas", params=params)).json()["data"]
        people.extend(page)
        params["starting_after"] = page[-1]["id"]
    made = 0
    for n, persona in enumerate(people[:count]):
        body = {
            "items": [{"sku": f"b{n}", "name": "Bench", "unit_amount": 60_000, "quantity": 1}],
            "amount": 60_000,
            "currency": "USD",
            "customer": {key: persona[key] for key in IDENTITY_KEYS},
        }
        checkout = (await client.post("/v1/checkouts", json=body)).json()
        offer = next(o["id"] for o in checkout["offers"] if o["plan"] == "monthly_12")
        path = f"/v1/checkouts/{checkout['id']}"
        confirm = {"offer": offer, "consent": True}
        decided = (await client.post(f"{path}/confirm", json=confirm)).json()
        if decided["status"] == "in_review":
            pending = {"status": "pending"}
            queue = await client.get("/v1/admin/reviews", params=pending, headers=ADMIN)
            review = next(r for r in queue.json()["data"] if r["checkout"] == checkout["id"])
            await client.post(f"/v1/admin/reviews/{review['id']}/approve", headers=ADMIN)
            decided = (await client.get(path)).json()
        if decided["status"] != "approved":
            continue
        await client.post(f"/v1/loans/{decided['loan']}/capture", json={})
        made += 1
    return made


def copy_loans(sandbox: Sandbox, target: int) -> None:
    """Copy the stored loans (new ids, same customers) until there are `target` of them."""
    with sandbox.db.transaction() as session:
        originals = list(session.scalars(select(LoanRow).order_by(LoanRow.seq)))
        count = len(originals)
        while count < target:
            row = originals[count % len(originals)]
            loan_id = new_id("loan")
            session.add(
                LoanRow(
                    id=loan_id,
                    merchant_id=row.merchant_id,
                    checkout_id=row.checkout_id,
                    customer_id=row.customer_id,
                    created=row.created,
                    status=row.status,
                    data={**row.data, "id": loan_id},
                )
            )
            count += 1


def floor(sandbox: Sandbox, start: date, days: int) -> tuple[float, Counter[str]]:
    """The pure domain walk over every stored loan; answer seconds and the final states."""
    with sandbox.db.reader() as session:
        rows = [(r.customer_id, dict(r.data)) for r in session.scalars(select(LoanRow))]
        customers = {r.id: dict(r.data) for r in session.scalars(select(CustomerRow))}
    seed = sandbox.settings.seed
    behaviour = {
        cid: person_for_identity(seed, Identity.from_dict(data)).behaviour
        for cid, data in customers.items()
    }
    states: Counter[str] = Counter()
    with collector_paused():  # as the advance runs (see the module docstring)
        began = time.perf_counter()
        for customer_id, data in rows:
            loan = Loan.from_dict(data)
            service_loan(loan, behaviour[customer_id], start, start + timedelta(days=days))
            states[loan.status.value] += 1
        elapsed = time.perf_counter() - began
    return elapsed, states


class Phases:
    """Seconds an advance spends in each of its phases, read by timing the loan book's and the
    periodic works' entry points (`timing`): a year's advance makes about a thousand such calls,
    against hundreds of thousands of the walk's, so the timers cost nothing measurable."""

    def __init__(self) -> None:
        self.seconds: defaultdict[str, float] = defaultdict(float)

    def timing(self, phase: str, call: Callable[_P, _R]) -> Callable[_P, _R]:
        """`call`, adding its wall time to `phase`."""

        @functools.wraps(call)
        def timed(*args: _P.args, **kwargs: _P.kwargs) -> _R:
            began = time.perf_counter()
            try:
                return call(*args, **kwargs)
            finally:
                self.seconds[phase] += time.perf_counter() - began

        return timed

    def periodic(self, name: str, run: Callable[[Occasion], None]) -> Callable[[Occasion], None]:
        """A periodic work's run, timed with what it leaves to the advance's end
        (`Occasion.finishing`: e.g. furnishing's bureau accounts, written once)."""

        def timed(occasion: Occasion) -> None:
            finishing = occasion.finishing
            left = len(finishing) if finishing is not None else 0
            self.timing(name, run)(occasion)
            if finishing is not None:
                finishing[left:] = [self.timing(name, later) for later in finishing[left:]]

        return timed


@contextlib.contextmanager
def phases_of_advance(sandbox: Sandbox) -> Iterator[Phases]:
    """Time the phases of the advances run in this block: reading the loans, walking them
    with their events' objects (`LoanBook.service_due` and `service_all`, less their stores),
    storing loans and events (`LoanBook.store`), and each periodic work by name."""
    phases = Phases()
    service_due, service_all, store = LoanBook.service_due, LoanBook.service_all, LoanBook.store

    def minus_store(call: Callable[..., None]) -> Callable[..., None]:
        def walked(*args: Any, **kwargs: Any) -> None:
            stored = phases.seconds["store"]
            began = time.perf_counter()
            call(*args, **kwargs)
            phases.seconds["walk"] += (
                time.perf_counter() - began - (phases.seconds["store"] - stored)
            )

        return walked

    works = sandbox.periodic[:]
    sandbox.periodic[:] = [
        dataclasses.replace(work, run=phases.periodic(work.name, work.run)) for work in works
    ]
    try:
        with (
            mock.patch.object(LoanBook, "load", phases.timing("load", LoanBook.load)),
            mock.patch.object(LoanBook, "store", phases.timing("store", store)),
            mock.patch.object(LoanBook, "service_due", minus_store(service_due)),
            mock.patch.object(LoanBook, "service_all", minus_store(service_all)),
        ):
            yield phases
    finally:
        sandbox.periodic[:] = works


async def server(
    client: httpx.AsyncClient, sandbox: Sandbox, days: int
) -> tuple[float, Counter[str], Phases]:
    """One clock advance through the API; answer seconds, the final states and the phases."""
    with phases_of_advance(sandbox) as phases:
        began = time.perf_counter()
        response = await client.post("/v1/sandbox/clock/advance", json={"days": days})
        elapsed = time.perf_counter() - began
    response.raise_for_status()
    with sandbox.db.reader() as session:
        states = Counter(str(r.status) for r in session.scalars(select(LoanRow)))
    return elapsed, states, phases


def main(argv: list[str] | None = None) -> int:
    """Run the benchmark and print the rates and their ratio."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--loans", type=int, default=10_000)
    parser.add_argument("--days", type=int, default=365)
    args = parser.parse_args(argv)
    return asyncio.run(run(args.loans, args.days))


async def run(loans: int, days: int) -> int:
    """Seed, run both paths side by side, print the figures; answer the exit status."""
    app = create_app(Settings(db="sqlite://", seed=0, webhook_worker=False))
    sandbox: Sandbox = app.state.sandbox
    # In process over httpx's ASGI transport (Starlette's TestClient warns that it wants the
    # httpx2 fork, which this project does not use); like the TestClient used without `with`,
    # it runs no lifespan, so the sandbox is closed here.
    async with httpx.AsyncClient(
        transport=httpx.ASGITransport(app=app), base_url="http://sandbox.test", headers=AUTH
    ) as client:
        seeded = await seed_loans(client, count=120)
        copy_loans(sandbox, loans)
        created = (await client.get("/v1/merchants/me")).json()["created"]
        today = date.fromisoformat(created[:10])
        floor_seconds, floor_states = floor(sandbox, today, days)
        server_seconds, server_states, phases = await server(client, sandbox, days)
    sandbox.close()
    if floor_states != server_states:
        print(f"MISMATCH: floor {dict(floor_states)} != server {dict(server_states)}")
        return 1
    work = loans * days
    floor_rate, server_rate = work / floor_seconds, work / server_seconds
    details: dict[str, Any] = dict(sorted(server_states.items()))
    print(f"{loans} loans ({seeded} through the API) over {days} days -> {details}")
    print(
        f"floor  (domain walk, memory)   {floor_seconds:7.2f} s {floor_rate:>12,.0f} loans*days/s"
    )
    print(
        f"server (clock advance, SQLite) {server_seconds:7.2f} s {server_rate:>12,.0f} loans*days/s"
    )
    print(f"server runs at {server_rate / floor_rate:.2f}x the floor's rate (target 0.5x)")
    print(phase_lines(server_seconds, phases))
    print(
        f"floor is {floor_rate / BEFORE_FLOOR:.1f}x the {BEFORE_FLOOR:,} loans*days/s "
        "measured before the event-driven walk (target 10x)"
    )
    return 0


PHASE_NAMES = {
    "load": "reading the open loans",
    "walk": "walking the loans stop by stop, each event's loan presented",
    "store": "storing loans and events",
    FURNISHING_NAME: "month-end Metro 2 furnishing and the bureau's fold",
    MERCHANT_DAY: "the merchant's daily work",
}


def phase_lines(total: float, phases: Phases) -> str:
    """Where the server's seconds went: a phase a line, the largest first, with its share;
    what no phase timed (the request, the commit, expiring checkouts) last."""
    rows = sorted(phases.seconds.items(), key=lambda item: -item[1])
    rows.append(("the rest", total - sum(phases.seconds.values())))
    width = max(len(PHASE_NAMES.get(name, name)) for name, _ in rows)
    lines = [
        f"    {PHASE_NAMES.get(name, name):<{width}} {seconds:7.2f} s {seconds / total:4.0%}"
        for name, seconds in rows
    ]
    return "\n".join([f"  where the server's {total:.2f} s went:", *lines])


if __name__ == "__main__":
    raise SystemExit(main())
