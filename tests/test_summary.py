"""Kaplan-Meier quantiles and the equity gaps on hand-checked cases."""

from __future__ import annotations

import numpy as np
import pytest

from sim.summary import km_quantiles


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
