"""Kaplan-Meier quantiles and the equity gaps on hand-checked cases."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from conftest import run

from sim.summary import km_quantiles, mean_satisfaction, resilience


def test_without_censoring_km_is_the_empirical_quantile():
    d = np.arange(1.0, 11.0)
    median, p90 = km_quantiles(d, np.ones(10, bool))
    assert median == 5.0 and p90 == 9.0


def test_censoring_by_hand():
    # times 1, 2(censored), 3, 4: S(1)=3/4, S(3)=3/4*1/2=3/8, S(4)=0
    d = np.array([1.0, 2.0, 3.0, 4.0])
    observed = np.array([True, False, True, True])
    median, p90 = km_quantiles(d, observed)
    assert median == 3.0 and p90 == 4.0


def test_a_curve_that_never_reaches_the_quantile_gives_none():
    d = np.array([1.0, 5.0, 6.0, 7.0])
    observed = np.array([True, False, False, False])
    assert km_quantiles(d, observed) == [None, None]


def test_equity_gaps_have_migrants_worse_positive(baseline_run):
    from sim.runner import run_summary

    summary = run_summary(baseline_run, {})
    gaps = summary["equity_gaps"]
    assert gaps["reporting_gap"] == pytest.approx(
        summary["by_group"]["resident"]["known_share_arisen"]
        - summary["by_group"]["migrant"]["known_share_arisen"]
    )
    assert gaps["reporting_gap"] > 0  # migrants report less in the default scenario
    for key in (
        "median_contact_h",
        "median_close_h",
        "response_rate",
        "resolution_rate",
        "satisfaction_rate",
        "solved_share_known",
        "solved_share_arisen",
    ):
        assert summary[key] is not None, key


def _daily(open_counts: list[float]) -> pd.DataFrame:
    days = len(open_counts)
    return pd.DataFrame(
        {
            "day": range(days),
            "open": open_counts,
            "people_resident": [300] * days,
            "people_migrant": [100] * days,
            "satisfaction_resident": [0.6] * days,
            "satisfaction_migrant": [0.2] * (days - 1) + [0.0],  # the last day dips
        }
    )


def test_resilience_by_hand():
    # normal 10 open; a shock on days 3-4 (start 3, 2 days): peak 40, calm again on day 6
    daily = _daily([10, 10, 10, 30, 40, 20, 11, 10])
    shocks = [{"start_day": 3, "duration_days": 2}]
    result = resilience(daily, shocks)
    assert result["peak_open"] == 40.0 and result["peak_open_ratio"] == 4.0
    assert result["recovery_days"] == 1.0  # day 6 (first with open <= 11) - end day 5
    # satisfaction: 0.5 everyone (0.6 x 300 + 0.2 x 100) / 400, then 0.45 on the last day
    assert mean_satisfaction(daily).iloc[0] == pytest.approx(0.5)
    assert result["satisfaction_dip"] == pytest.approx(0.05)
    never = resilience(_daily([10, 10, 10, 30, 40, 30, 30, 30]), shocks)
    assert np.isnan(never["recovery_days"])
    assert (
        resilience(daily, []) == {}
        and resilience(daily, [{"start_day": 0, "duration_days": 2}]) == {}
    )


def _problems(rows: list[dict]) -> pd.DataFrame:
    base = {
        "known_h": np.nan, "responded_h": np.nan, "closed_h": np.nan, "status": "latent",
        "handler": "community", "contact_deadline_h": 24.0, "closure_deadline_h": 48.0,
        "rated_resolved": None, "rated_satisfied": None,
    }  # fmt: skip
    return pd.DataFrame([{**base, **row} for row in rows])


def test_a_contact_scheduled_after_the_horizon_is_censored_not_observed():
    from sim.summary import group_metrics

    end_h = 100.0
    p = _problems(
        [
            {"arisen_h": 0.0, "known_h": 10.0, "responded_h": 12.0, "status": "open"},
            {"arisen_h": 0.0, "known_h": 10.0, "responded_h": 14.0, "status": "open"},
            # contact scheduled at 130 h, after T = 100 h: not yet happened
            {"arisen_h": 90.0, "known_h": 95.0, "responded_h": 130.0, "status": "open"},
        ]
    )
    metrics = group_metrics(p, end_h)
    # KM with 2 h, 4 h observed and 5 h censored: the median is 4 h, not a 35 h contact
    assert metrics["median_contact_h"] == 4.0
    assert metrics["p90_contact_h"] is None


def test_shares_of_needs_count_only_needs_due_by_the_horizon():
    from sim.summary import group_metrics

    end_h = 100.0
    p = _problems(
        [
            {"arisen_h": 0.0, "known_h": 1.0, "closed_h": 5.0, "status": "solved"},
            {"arisen_h": 10.0, "status": "latent"},
            # arose 20 h before T with a 48 h limit: not yet due, not counted either way
            {"arisen_h": 80.0, "status": "latent"},
        ]
    )
    metrics = group_metrics(p, end_h)
    assert metrics["solved_share_arisen"] == 0.5
    assert metrics["known_share_arisen"] == 0.5
    assert metrics["problems"] == 3


def test_time_from_need_to_close_and_unmet_needs_by_hand():
    from sim.summary import group_metrics

    end_h = 100.0
    p = _problems(
        [
            {"arisen_h": 0.0, "known_h": 1.0, "closed_h": 5.0, "status": "solved"},  # 5 h
            {"arisen_h": 0.0, "known_h": 20.0, "closed_h": 30.0, "status": "closed_unsolved"},
            {"arisen_h": 0.0, "closed_h": 2.0, "status": "self_resolved"},  # censored at 2 h
            {"arisen_h": 10.0, "status": "latent"},  # censored at T: 90 h
            {"arisen_h": 80.0, "status": "latent"},  # not yet due: not unmet
        ]
    )
    metrics = group_metrics(p, end_h)
    # KM: 2 h censored (4 at risk), 5 h event of 4 -> S = 3/4, 20 h censored, 30 h event of 2
    # at risk -> S = 3/8: the median is 30 h (known -> closed would say 4 h and 10 h)
    assert metrics["median_arise_to_close_h"] == 30.0
    assert metrics["unmet_needs"] == 3  # due and not solved: unsolved, self-resolved, latent


def test_call_counts_add_up_from_the_call_log():
    """summary.json's calls by type recount the call log: with consultations they make the
    daily counter's total; every work order began with a report call."""
    from sim.runner import run_summary

    model = run(days=90, seed=3)
    calls = run_summary(model, {})["calls"]
    log = model.calls()["call_type"].astype(str).value_counts()
    daily = model.daily()
    assert calls["reports"] == log.get("report", 0) and calls["repeats"] == log.get("repeat", 0)
    logged = calls["reports"] + calls["duplicates"] + calls["repeats"]
    assert logged + calls["consultations"] == daily["calls_total"].iloc[-1]
    assert 0 < calls["work_orders"] <= calls["reports"]
    share = calls["non_consultation_share"]
    assert share == pytest.approx(logged / daily["calls_total"].iloc[-1])


def test_needs_a_warm_start_carried_in_count_as_handled_not_as_arisen():
    """A need from before day 0 (arisen_h < 0), solved in the run: its case counts in the
    known → closed times, not in the shares of needs nor the time from arising to closing."""
    from sim.summary import group_metrics

    end_h = 100.0
    run = [
        {"arisen_h": 0.0, "known_h": 1.0, "closed_h": 5.0, "status": "solved"},
        {"arisen_h": 10.0, "status": "latent"},
    ]
    carried = {"arisen_h": -500.0, "known_h": -2.0, "closed_h": 60.0, "status": "solved"}
    alone, with_carried = (
        group_metrics(_problems(run), end_h),
        group_metrics(_problems([*run, carried]), end_h),
    )
    for share in ("solved_share_arisen", "known_share_arisen", "unmet_needs"):
        assert with_carried[share] == alone[share], share
    assert with_carried["median_arise_to_close_h"] == alone["median_arise_to_close_h"]
    assert with_carried["known"] == alone["known"] + 1  # handled in the run: counted
    assert with_carried["p90_close_h"] == 62.0 != alone["p90_close_h"]  # its 62 h case
