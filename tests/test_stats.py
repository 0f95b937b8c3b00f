"""Paired statistics (experiments/stats.py) against scipy and hand-worked cases."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from scipy import stats

from experiments.stats import compare_to_baseline, holm, mean_ci, paired_test


def test_mean_ci_is_scipys_t_interval():
    values = np.array([3.1, 4.7, 2.2, 5.9, 4.4, 3.8])
    mean, low, high = mean_ci(values)
    expected = stats.t.interval(0.95, len(values) - 1, values.mean(), stats.sem(values))
    assert mean == pytest.approx(values.mean())
    assert (low, high) == pytest.approx(expected)
    assert np.isnan(mean_ci(np.array([5.0]))[1])  # no interval from one value
    assert mean_ci(np.array([np.nan, 2.0, 4.0]))[0] == 3.0  # NaNs are left out


def test_paired_test_is_scipys_paired_t_test():
    rng = np.random.default_rng(3)
    base = rng.normal(10, 2, 8)
    policy = base + rng.normal(0.7, 1.0, 8)
    assert paired_test(policy - base) == pytest.approx(stats.ttest_rel(policy, base).pvalue)


@settings(max_examples=60, deadline=None)
@given(
    st.lists(st.floats(-1e3, 1e3, allow_nan=False), min_size=2, max_size=40),
    st.floats(0.5, 0.99),
)
def test_t_test_and_interval_agree_with_scipy_on_any_sample(values, level):
    values = np.array(values)
    if np.ptp(values) < 1e-6 * max(1.0, np.abs(values).max()):
        return  # (near) zero variance: undefined, tested below
    expected = stats.ttest_1samp(values, 0.0).pvalue
    assert paired_test(values) == pytest.approx(expected, rel=1e-9, abs=1e-12)
    _, low, high = mean_ci(values, level)
    scale = stats.sem(values)
    assert (low, high) == pytest.approx(
        stats.t.interval(level, len(values) - 1, values.mean(), scale)
    )


def test_paired_test_is_undefined_when_every_difference_is_the_same():
    # a fixed cost adds the same amount in every seed: zero variance, no t statistic
    assert np.isnan(paired_test(np.array([4109.6, 4109.6, 4109.6])))
    assert paired_test(np.zeros(3)) == 1.0  # no difference at all
    assert np.isnan(paired_test(np.array([2.0])))  # one pair
    assert np.isnan(paired_test(np.array([2.0, np.nan])))


def test_holm_by_hand():
    # sorted p: 0.01, 0.02, 0.03, 0.5 -> 0.04, 0.06, 0.06 (monotone), 0.5
    assert np.allclose(holm(np.array([0.03, 0.01, 0.5, 0.02])), [0.06, 0.04, 0.5, 0.06])
    adjusted = holm(np.array([np.nan, 0.2, np.nan]))
    assert np.isnan(adjusted[0]) and adjusted[1] == 0.2  # NaNs neither adjusted nor counted


def _runs(reform_y, reform_cost):
    return pd.DataFrame(
        {
            "policy": ["baseline"] * 3 + ["reform"] * 3,
            "seed": [0, 1, 2] * 2,
            "status": "ok",
            "y": [10.0, 12.0, 14.0, *reform_y],
            "cost": [100.0] * 3 + list(reform_cost),
        }
    )


def test_paired_difference_by_hand():
    runs = _runs([12.0, 15.0, 16.0], [200_100.0] * 3)  # differences 2, 3, 2
    table = compare_to_baseline(runs, ["y", "cost"], ["policy"], "cost", min_spend_yuan=1000)
    row = table[(table["policy"] == "reform") & (table["metric"] == "y")].iloc[0]
    d = np.array([2.0, 3.0, 2.0])
    half = stats.t.ppf(0.975, 2) * d.std(ddof=1) / np.sqrt(3)
    assert row["diff_mean"] == pytest.approx(7 / 3)
    assert row["diff_ci_low"] == pytest.approx(7 / 3 - half)
    assert row["relative_change"] == pytest.approx((7 / 3) / 12)
    assert row["p_value"] == pytest.approx(stats.ttest_rel([12, 15, 16], [10, 12, 14]).pvalue)
    assert row["per_10k_yuan"] == pytest.approx((7 / 3) / 20)  # per 10,000 of 200,000 yuan
    cost = table[(table["policy"] == "reform") & (table["metric"] == "cost")].iloc[0]
    assert np.isnan(cost["p_value"]) and np.isnan(cost["p_holm"])  # the same in every seed
    assert cost["diff_mean"] == 200_000.0


def test_small_spending_gets_no_cost_effectiveness_ratio():
    runs = _runs([12.0, 15.0, 16.0], [50_100.0] * 3)
    table = compare_to_baseline(runs, ["y"], ["policy"], "cost", min_spend_yuan=100_000)
    assert np.isnan(table[table["policy"] == "reform"]["per_10k_yuan"].iloc[0])


def test_pairs_only_with_the_baseline_of_the_same_other_keys():
    runs = pd.concat([_runs([12.0, 15.0, 16.0], [100.0] * 3).assign(shock=s) for s in "ab"])
    runs.loc[(runs["shock"] == "b") & (runs["policy"] == "reform"), "y"] += 100.0
    table = compare_to_baseline(runs, ["y"], ["policy", "shock"], "cost", min_spend_yuan=1)
    changes = table[table["policy"] == "reform"].set_index("shock")["diff_mean"]
    assert changes["a"] == pytest.approx(7 / 3) and changes["b"] == pytest.approx(307 / 3)


def test_each_value_of_a_lever_baseline_does_not_run_pairs_with_baseline():
    """`policy=baseline,x policies.x.k=1,2`: baseline's runs have no value of the lever."""
    lever = "policies.x.k"
    runs = pd.DataFrame(
        {
            "policy": ["baseline"] * 2 + ["x"] * 4,
            lever: [np.nan, np.nan, 1, 1, 2, 2],
            "seed": [0, 1] * 3,
            "status": "ok",
            "y": [1.0, 2.0, 4.0, 4.0, 10.0, 8.0],
            "cost": 0.0,
        }
    )
    table = compare_to_baseline(runs, ["y"], ["policy", lever], "cost", min_spend_yuan=1)
    by_value = table[table["policy"] == "x"].set_index(lever)
    assert by_value.loc[1, "diff_mean"] == pytest.approx(((4 - 1) + (4 - 2)) / 2)
    assert by_value.loc[2, "diff_mean"] == pytest.approx(((10 - 1) + (8 - 2)) / 2)
    assert (by_value["reference"] == "baseline").all() and (by_value["n_pairs"] == 2).all()


def test_a_shocks_setting_leaves_the_other_shocks_paired_with_baseline():
    """`shock=epidemic,flood shocks.flood.radius_cells=5`: the epidemic arms have no radius."""
    radius = "shocks.flood.radius_cells"
    runs = pd.DataFrame({
        "policy": ["baseline", "x"] * 4, "shock": ["epidemic"] * 4 + ["flood"] * 4,
        radius: [np.nan] * 4 + [5.0] * 4, "seed": [0, 0, 1, 1] * 2, "status": "ok",
        "y": [1.0, 2.0, 1.5, 2.5, 1.0, 4.0, 1.0, 4.0], "cost": 0.0,
    })  # fmt: skip
    table = compare_to_baseline(runs, ["y"], ["policy", "shock", radius], "cost", 1.0)
    x = table[table["policy"] == "x"].set_index("shock")
    assert (x["reference"] == "baseline").all()
    assert x.loc["epidemic", "diff_mean"] == 1.0 and x.loc["flood", "diff_mean"] == 3.0


def test_a_sweep_without_baseline_compares_with_its_first_value_paired_by_seed():
    runs = pd.DataFrame(
        {
            "policy": "volunteer_pay",
            "stipend": [10, 10, 0, 0, 3, 3],  # not in order: the first value is the smallest
            "seed": [0, 1] * 3,
            "status": "ok",
            "y": [5.0, 9.0, 1.0, 2.0, 2.0, 2.5],
            "cost": 0.0,
        }
    )
    table = compare_to_baseline(runs, ["y"], ["policy", "stipend"], "cost", min_spend_yuan=1)
    by_value = table.set_index("stipend")
    assert by_value.loc[10, "diff_mean"] == pytest.approx(((5 - 1) + (9 - 2)) / 2)
    assert by_value.loc[3, "diff_mean"] == pytest.approx(((2 - 1) + (2.5 - 2)) / 2)
    assert by_value.loc[3, "reference"] == "stipend=0" and by_value.loc[10, "n_pairs"] == 2
    assert np.isnan(by_value.loc[0, "diff_mean"])  # the reference itself
