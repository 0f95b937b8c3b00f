"""`govsim validate`: the command as a user types it, and each check failing on a table
where the law it tests is broken (no check passes by construction)."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from sim.validation import beijing_checks, command, people_checks, queue_checks, report
from sim.validation.references import STIPENDS_YUAN_PER_H

GOVSIM = str(Path(sys.executable).parent / "govsim")
KEYS = {"name", "value", "reference", "source", "passed", "fails_if", "informed_by"}


def test_validate_writes_checks_and_exits_by_their_result(tmp_path):
    out = tmp_path / "v"
    result = subprocess.run(
        [GOVSIM, "validate", "--tiny", "--jobs", "2", "--out", str(out)],
        capture_output=True, text=True, cwd=tmp_path, timeout=300,
    )  # fmt: skip
    assert result.returncode in (0, 1), result.stderr
    document = json.loads((out / "validation.json").read_text())
    checks = document["checks"]
    assert len(checks) >= 20
    for check in checks:
        assert set(check) >= KEYS, check["name"]
        assert isinstance(check["passed"], bool)
    assert result.returncode == (0 if all(c["passed"] for c in checks) else 1)
    assert result.stdout.count("PASS") + result.stdout.count("FAIL") == len(checks)
    page = (out / "validation.html").read_text()
    assert "Plotly.newPlot" in page and "<script src=" not in page  # plotly.js inline, offline
    # checks sharing data with the calibration are marked *n, with a note per n
    marks = list(dict.fromkeys(c["informed_by"] for c in checks if c["informed_by"]))
    assert len(marks) >= 4
    for n in range(1, len(marks) + 1):
        assert f" *{n}</td>" in page and f"*{n} not independent of" in page
        assert f"*{n} not independent of" in result.stdout


def test_validate_refuses_bad_seeds_in_one_line():
    with pytest.raises(SystemExit, match="--seeds takes integers"):
        command.main(["--seeds", "one"])


def test_erlang_check_fails_on_waits_that_are_not_erlang_c():
    rng = np.random.default_rng(0)
    p_wait, rate = queue_checks.erlang_c(4.0, 1.0, 5)
    waits = np.where(rng.random(200_000) < p_wait, rng.exponential(1 / rate, 200_000), 0.0)
    assert all(c["passed"] for c in queue_checks.erlang_checks(waits, 4.0, 1.0, 5))
    assert not any(c["passed"] for c in queue_checks.erlang_checks(1.5 * waits, 4.0, 1.0, 5))


def _queue_tables(open_scale: float) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Problems known at random hours, each open 10 h, and the daily open count (scaled)."""
    rng = np.random.default_rng(1)
    known_h = np.sort(rng.uniform(0, 24 * 200, 40_000))
    problems = pd.DataFrame({"known_h": known_h, "closed_h": known_h + 10.0})
    day_end_h = 24.0 * (np.arange(200) + 1)
    open_now = np.searchsorted(known_h, day_end_h) - np.searchsorted(known_h + 10.0, day_end_h)
    return problems, pd.DataFrame({"day": np.arange(200), "open": open_scale * open_now})


def test_littles_law_fails_when_the_open_count_disagrees_with_the_log():
    assert queue_checks.little_check([_queue_tables(1.0)], "synthetic")["passed"]
    assert not queue_checks.little_check([_queue_tables(1.2)], "synthetic")["passed"]


def _ledger():
    costs = pd.DataFrame({
        "day": [0, 0, 1], "category": ["wages", "stipends", "wages"],
        "payer": ["district", "street", "district"], "item": ["a", "b", "a"],
        "quantity": [2.0, 3.0, 2.0], "unit_cost_yuan": [10.0, 5.0, 10.0],
        "yuan": [20.0, 15.0, 20.0],
    })  # fmt: skip
    daily = pd.DataFrame({
        "day": [0, 1], "spend_wages_yuan": [20.0, 20.0], "spend_stipends_yuan": [15.0, 0.0],
        "spend_district_yuan": [20.0, 20.0], "spend_street_yuan": [15.0, 0.0],
        "spend_total_yuan": [35.0, 20.0],
    })  # fmt: skip
    return costs, daily, {"total": 55.0}


def test_ledger_checks_fail_on_a_wrong_row_or_a_wrong_total():
    costs, daily, summary = _ledger()
    assert all(c["passed"] for c in queue_checks.ledger_checks(costs, daily, summary))
    wrong_row = costs.assign(yuan=[20.0, 16.0, 20.0])
    assert not queue_checks.ledger_checks(wrong_row, daily, summary)[0]["passed"]
    wrong_total = daily.assign(spend_total_yuan=[35.0, 21.0])
    assert not queue_checks.ledger_checks(costs, wrong_total, summary)[1]["passed"]


def _yearly(rates, calls) -> pd.DataFrame:
    n = len(rates)
    return pd.DataFrame({
        "rated_resolution": rates, "rated_satisfaction": [r + 0.05 for r in rates],
        "real_resolution": [r - 0.05 for r in rates], "calls_report": [0.2 * c for c in calls],
        "calls_duplicate": [0.15 * c for c in calls], "calls_repeat": [0.05 * c for c in calls],
        "consultations": [0.6 * c for c in calls], "calls": calls, "needs_arisen": [100.0] * n,
    }, index=pd.RangeIndex(1, n + 1, name="year"))  # fmt: skip


SPREAD = pd.DataFrame(
    {f"{rate}{end}": [0.01] * 4 for rate in beijing_checks.RATES for end in ("_se", "_rise_se")},
    index=pd.RangeIndex(1, 5, name="year"),
)


def test_the_spread_of_yearly_rates_over_seeds_is_their_standard_error():
    """Three seeds, two years: satisfied shares 0.5 → 0.6, 0.5 → 0.7, 0.6 → 0.6."""
    shares = {0: (0.5, 0.6), 1: (0.5, 0.7), 2: (0.6, 0.6)}
    rows = [
        {"seed": seed, "closed_h": 24.0 * (365 * year + 1), "status": "solved",
         "rated_resolved": True, "rated_satisfied": i < round(10 * share)}
        for seed, pair in shares.items() for year, share in enumerate(pair) for i in range(10)
    ]  # fmt: skip
    spread = beijing_checks.seed_spread(pd.DataFrame(rows), 2)
    rises = np.array([0.1, 0.2, 0.0])
    expected = rises.std(ddof=1) / np.sqrt(3)
    assert spread["rated_satisfaction_rise_se"].iloc[1] == pytest.approx(expected)
    assert np.isnan(spread["rated_satisfaction_rise_se"].iloc[0])  # no year before the first
    first = np.array([0.5, 0.5, 0.6])
    assert spread["rated_satisfaction_se"].iloc[0] == pytest.approx(first.std(ddof=1) / np.sqrt(3))
    assert (spread["rated_resolution_se"] == 0).all()  # every callback rated resolved


def test_the_rises_detail_is_each_years_change_and_its_standard_error():
    base = _yearly([0.5] * 4, [100.0] * 4).assign(real_resolution=0.5)
    good = _yearly([0.55, 0.7, 0.8, 0.9], [150.0, 200.0, 230.0, 250.0])
    spread = SPREAD.assign(rated_resolution_rise_se=[np.nan, 0.02, 0.03, 0.04])
    checks = beijing_checks.beijing_checks(base, good, 0.99, spread)
    rises = next(c for c in checks if c["name"].startswith("rated resolution rises"))
    assert rises["detail"]["rise_by_year"][1:] == pytest.approx([0.15, 0.1, 0.1])
    assert rises["detail"]["rise_se_by_year"][1:] == [0.02, 0.03, 0.04]


def test_the_yearly_figure_bars_are_1_96_standard_errors():
    table = _yearly([0.5, 0.6], [1.0, 1.0])
    se = pd.DataFrame({f"{rate}_se": [0.01, 0.02] for rate in beijing_checks.RATES},
                      index=table.index)  # fmt: skip
    fig = report._yearly({"reform_2019": table}, {"reform_2019": se})
    trace = next(d for d in fig.data if d.name == "reform_2019: rated_resolution")
    assert list(trace.error_y.array) == pytest.approx([0.0196, 0.0392])


def test_beijing_checks_pass_on_the_pattern_and_fail_off_it():
    base = _yearly([0.5, 0.5, 0.5, 0.5], [100.0] * 4).assign(real_resolution=0.5)
    good = _yearly([0.55, 0.7, 0.8, 0.9], [150.0, 200.0, 230.0, 250.0])
    assert all(c["passed"] for c in beijing_checks.beijing_checks(base, good, 0.99, SPREAD))
    flat = _yearly([0.6, 0.59, 0.6, 0.6], [100.0, 101.0, 102.0, 103.0])
    checks = beijing_checks.beijing_checks(base, flat, 0.9, SPREAD)
    failed = {c["name"] for c in checks if not c["passed"]}
    assert {
        "response within limit, reform year 1 H2",
        "rated resolution rises every year (smallest rise)",
        "calls: reform year 1 / baseline year 1",
        "calls: reform year 4 / baseline year 1",
    } <= failed
    jump = _yearly([0.55, 0.7, 0.8, 0.9], [230.0, 240.0, 245.0, 250.0])  # all in year 1
    checks = beijing_checks.beijing_checks(base, jump, 0.99, SPREAD)
    failed = {c["name"] for c in checks if not c["passed"]}
    assert failed == {"calls: reform year 1 / baseline year 1"}


def test_satisfaction_checks_say_the_calibration_used_their_data(tmp_path, capsys):
    base = _yearly([0.5, 0.5, 0.5, 0.5], [100.0] * 4).assign(real_resolution=0.5)
    good = _yearly([0.55, 0.7, 0.8, 0.9], [150.0, 200.0, 230.0, 250.0])
    checks = beijing_checks.beijing_checks(base, good, 0.99, SPREAD)
    informed = {c["name"]: c["informed_by"] for c in checks if c["informed_by"]}
    split = informed.pop("rated satisfaction rises every year (smallest rise)")
    assert informed.pop("satisfaction ≥ resolution every year (smallest margin)") == split
    assert "satisfaction among resolved callers" in split
    assert "resolution in January 2019" in informed.pop(
        "rated resolution rises every year (smallest rise)"
    )
    assert "consultations' share" in informed.pop("non-consultation share of calls (reform)")
    assert not informed  # the calls, needs, response and gap checks use other data
    report.print_table(checks, tmp_path, 1.0)
    printed = capsys.readouterr().out
    assert printed.count(" *1") >= 1 and printed.count(" *2") >= 2  # the split marks two
    assert "*2 not independent of the calibration's targets for satisfaction" in printed


def _cases(n: int, migrant_slowdown: float, migrant_known: float) -> pd.DataFrame:
    """Hotline repair cases of both groups: hours to contact and close, some never known."""
    rng = np.random.default_rng(2)
    migrant = rng.random(n) < 0.5
    known = rng.random(n) < np.where(migrant, migrant_known, 0.9)
    slow = np.where(migrant, migrant_slowdown, 1.0)
    return pd.DataFrame({
        "kind": "rep", "channel": "hotline", "handler": "community", "status": "solved",
        "group": np.where(migrant, "migrant", "resident"), "arisen_h": 0.0,
        "known_h": np.where(known, 1.0, np.nan), "closure_deadline_h": 48.0,
        "responded_h": 1.0 + slow * rng.exponential(5.0, n),
        "closed_h": 1.0 + slow * rng.exponential(30.0, n),
    })  # fmt: skip


def test_equity_checks_fail_when_migrants_are_served_slower_or_report_as_often():
    assert all(c["passed"] for c in people_checks.equity_checks(_cases(4000, 1.0, 0.7), 1e6))
    slower = people_checks.equity_checks(_cases(4000, 1.6, 0.7), 1e6)
    assert [c["passed"] for c in slower] == [True, False, False]
    same_reporting = people_checks.equity_checks(_cases(4000, 1.0, 0.9), 1e6)
    assert not same_reporting[0]["passed"]


def test_pay_checks_fail_without_the_dip_or_the_rise():
    unpaid, small, wage = STIPENDS_YUAN_PER_H
    dip = {unpaid: np.array([100.0]), small: np.array([70.0]), wage: np.array([120.0])}
    assert all(c["passed"] for c in people_checks.pay_checks(dip))
    monotone = {unpaid: np.array([100.0]), small: np.array([90.0]), wage: np.array([80.0])}
    assert [c["passed"] for c in people_checks.pay_checks(monotone)] == [True, False]


@pytest.mark.parametrize("tied", [True, False])
def test_disconfirmation_checks_need_ratings_that_follow_the_case(tied):
    rng = np.random.default_rng(3)
    n = 20_000
    cases = pd.DataFrame({
        "known_h": 0.0, "responded_h": 1.0, "contact_deadline_h": 24.0,
        "expected_h": 48.0, "closed_h": rng.uniform(0.0, 96.0, n),
        "status": np.where(rng.random(n) < 0.6, "solved", "closed_unsolved"),
    })  # fmt: skip
    d = ((48.0 - cases["closed_h"]) / 48.0).clip(-1, 1)
    score = 1 / (1 + np.exp(-(-0.5 + d + 1.5 * (cases["status"] == "solved")))) if tied else 0.6
    cases["rated_satisfied"] = rng.random(n) < score
    assert [c["passed"] for c in people_checks.edt_checks(cases)] == [tied, tied]
