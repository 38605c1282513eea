"""The engines demo that `python -m mock_server.demo` prints."""

from __future__ import annotations

import pytest

from mock_server import demo
from mock_server.risk import Tier


def test_demo_shows_every_tier_with_a_decision_and_offers(
    capsys: pytest.CaptureFixture[str],
) -> None:
    assert demo.main(["--per-tier", "1", "--seed", "7"]) == 0
    out = capsys.readouterr().out
    for tier in Tier:
        assert f"\n{tier.value:<11} " in out
    assert out.count("  decision      ") == len(Tier)
    assert "DECLINE by consumer_credit" in out
    assert "FILE_FROZEN" in out
    assert "APPROVE by consumer_credit" in out
    assert "schedule of monthly_36" in out


def test_demo_schedule_rows_add_up_to_the_total_of_payments(
    capsys: pytest.CaptureFixture[str],
) -> None:
    demo.main(["--per-tier", "1", "--amount", "100000"])
    lines = capsys.readouterr().out.splitlines()
    start = next(i for i, line in enumerate(lines) if line.startswith("  schedule of monthly_36"))
    rows = lines[start + 2 : start + 2 + 36]
    payments = [int(row.split()[2].lstrip("$").replace(",", "").replace(".", "")) for row in rows]
    offer = next(line for line in lines if line.strip().startswith("monthly_36"))
    total = offer.split("total ")[1].split()[0]
    assert sum(payments) == int(total.lstrip("$").replace(",", "").replace(".", ""))
