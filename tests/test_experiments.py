"""Experiments: paired statistics by hand, and multiruns aggregated end to end."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
import yaml
from test_cli import govsim

from experiments.stats import compare_to_baseline, holm, mean_ci, paired_test

TINY = ["scenario.population.people=2000", "sim.days=6"]


def test_holm_by_hand():
    # sorted p: 0.01, 0.02, 0.03, 0.5 -> 0.04, 0.06, 0.06 (monotone), 0.5
    assert np.allclose(holm(np.array([0.03, 0.01, 0.5, 0.02])), [0.06, 0.04, 0.5, 0.06])
    assert np.isnan(holm(np.array([np.nan, 0.2]))[0]) and holm(np.array([np.nan, 0.2]))[1] == 0.2


def test_paired_difference_by_hand():
    runs = pd.DataFrame(
        {
            "policy": ["baseline"] * 3 + ["reform"] * 3,
            "seed": [0, 1, 2] * 2,
            "status": "ok",
            "y": [10.0, 12.0, 14.0, 12.0, 15.0, 16.0],  # differences 2, 3, 2
            "cost": [100.0, 100.0, 100.0, 200_100.0, 200_100.0, 200_100.0],
        }
    )
    table = compare_to_baseline(runs, ["y"], ["policy"], "cost", min_spend_yuan=1000)
    row = table[table["policy"] == "reform"].iloc[0]
    d = np.array([2.0, 3.0, 2.0])
    half = 4.302652729911275 * d.std(ddof=1) / np.sqrt(3)  # t(0.975, 2)
    assert row["diff_mean"] == pytest.approx(7 / 3)
    assert row["diff_ci_low"] == pytest.approx(7 / 3 - half)
    assert row["relative_change"] == pytest.approx((7 / 3) / 12)
    assert row["p_value"] == pytest.approx(paired_test(d))
    assert row["per_10k_yuan"] == pytest.approx((7 / 3) / 20)  # per 10,000 yuan of 200,000
    assert mean_ci(np.array([5.0]))[1] != mean_ci(np.array([5.0]))[1]  # NaN for one value


def test_compare_runs_every_pair_and_writes_runs_and_summary(tmp_path):
    sweep = tmp_path / "cmp"
    result = govsim(
        "compare",
        *TINY,
        "policy=baseline,hotline,whistle",
        "seed=range(0,3)",
        f"hydra.sweep.dir={sweep}",
        cwd=tmp_path,
    )
    assert result.returncode == 0, result.stderr
    runs = pd.read_parquet(sweep / "runs.parquet")
    assert len(runs) == 9 and (runs["status"] == "ok").all()
    assert sorted(runs["policy"].unique()) == ["baseline", "hotline", "whistle"]
    summary = pd.read_csv(sweep / "summary.csv")
    hotline = summary[(summary["policy"] == "hotline") & (summary["metric"] == "response_rate")]
    assert (
        len(hotline) == 1 and hotline["diff_mean"].iloc[0] > 0 and hotline["n_pairs"].iloc[0] == 3
    )
    assert "p_holm" in summary
    report = (sweep / "report.html").read_text()
    assert report.count("plotly.js v") == 1  # embedded once, self-contained
    assert "<b>hotline</b>: cut median time to close" in report and "<b>whistle</b>" in report
    figures = sorted(p.name for p in (sweep / "figures").glob("*.html"))
    assert figures == [
        "backlog.html",
        "close_times.html",
        "contact_times.html",
        "cost_frontier.html",
        "forest_close.html",
        "forest_solved.html",
        "satisfaction.html",
        "satisfaction_over_time.html",
    ]
    assert "http" not in report.split("<body>")[1].split("<script")[0]


def test_report_in_chinese(tmp_path):
    sweep = tmp_path / "zh"
    result = govsim(
        "compare",
        *TINY,
        "policy=baseline,hotline",
        "seed=range(0,2)",
        "lang=zh",
        f"hydra.sweep.dir={sweep}",
        cwd=tmp_path,
    )
    assert result.returncode == 0, result.stderr
    report = (sweep / "report.html").read_text()
    assert "政策比较报告" in report and "办结时间中位数" in report and "流动人口" in report


def test_serial_and_parallel_multiruns_give_identical_runs(tmp_path):
    frames = {}
    for launcher in ("basic", "local"):
        sweep = tmp_path / launcher
        result = govsim(
            "compare",
            *TINY,
            "policy=baseline,hotline",
            "seed=range(0,2)",
            f"hydra/launcher={launcher}",
            f"hydra.sweep.dir={sweep}",
            cwd=tmp_path,
        )
        assert result.returncode == 0, result.stderr
        frames[launcher] = pd.read_parquet(sweep / "runs.parquet")
    pd.testing.assert_frame_equal(frames["basic"], frames["local"])


def test_a_failed_run_is_recorded_and_does_not_stop_the_others(tmp_path):
    sweep = tmp_path / "sw"
    result = govsim(
        "sweep",
        "sim.days=4",
        "scenario.population.people=0,2000",
        "seed=0",
        f"hydra.sweep.dir={sweep}",
        cwd=tmp_path,
    )
    assert result.returncode != 0
    assert "1 of 2 runs failed" in result.stderr
    runs = pd.read_parquet(sweep / "runs.parquet")
    failed = runs[runs["status"] == "failed"]
    assert len(failed) == 1 and "people" in failed["error"].iloc[0]
    assert (runs["status"] == "ok").sum() == 1


def test_experiment_configs_compose(tmp_path):
    for name in ("compare_policies", "sweep"):
        result = govsim("run", "--cfg", "job", f"experiment={name}", cwd=tmp_path)
        assert result.returncode == 0, result.stderr
        assert yaml.safe_load(result.stdout)["sim"]["progress"] is False
    wrong = govsim("run", "experiment=nope", cwd=tmp_path)
    assert wrong.returncode != 0 and "compare_policies" in wrong.stderr
    shocks = govsim("run", "--cfg", "job", "experiment=shock_resilience", cwd=tmp_path)
    assert shocks.returncode == 0 and yaml.safe_load(shocks.stdout)["sim"]["days"] == 240


def test_report_renders_offline_in_headless_chromium(tmp_path):
    import shutil
    import subprocess

    chromium = shutil.which("chromium") or shutil.which("chromium-browser")
    if chromium is None:
        pytest.skip("Debian's chromium is not installed (.ci/run installs it)")
    sweep = tmp_path / "r"
    result = govsim(
        "compare",
        *TINY,
        "policy=baseline,whistle",
        "seed=range(0,2)",
        f"hydra.sweep.dir={sweep}",
        cwd=tmp_path,
    )
    assert result.returncode == 0, result.stderr
    for name in ("forest_close", "backlog"):
        png = sweep / "figures" / f"{name}.png"
        assert png.exists() and png.stat().st_size > 10_000
    dom = subprocess.run(
        [
            chromium,
            "--headless",
            "--no-sandbox",
            "--disable-gpu",
            "--no-first-run",
            "--disable-background-networking",
            "--disable-component-update",
            "--host-resolver-rules=MAP * ~NOTFOUND",
            "--virtual-time-budget=10000",
            "--dump-dom",
            (sweep / "report.html").as_uri(),
        ],
        capture_output=True,
        text=True,
        timeout=120,
    ).stdout
    assert dom.count('class="main-svg"') >= 6  # every figure drawn, with no network
    assert "Policy comparison" in dom


def test_shock_resilience_measures_peak_recovery_and_dip(tmp_path):
    sweep = tmp_path / "shock"
    result = govsim(
        "run",
        "experiment=shock_resilience",
        "scenario.population.people=3000",
        "sim.days=200",
        "policy=baseline,reform_2019",
        "shock=epidemic,flood",
        "seed=range(0,2)",
        f"hydra.sweep.dir={sweep}",
        cwd=tmp_path,
    )
    assert result.returncode == 0, result.stderr
    assert "HYDRA" not in result.stdout
    runs = pd.read_parquet(sweep / "runs.parquet")
    assert len(runs) == 8 and set(runs["shock"]) == {"epidemic", "flood"}
    assert (runs["peak_open_ratio"] > 1).all() and runs["satisfaction_dip"].notna().all()
    summary = pd.read_csv(sweep / "summary.csv")
    paired = summary[(summary["metric"] == "peak_open") & summary["diff_mean"].notna()]
    assert set(paired["shock"]) == {"epidemic", "flood"}  # paired within each shock


def test_sweep_over_two_keys_draws_a_heat_map_without_baseline(tmp_path):
    sweep = tmp_path / "grid"
    result = govsim(
        "sweep",
        *TINY,
        "policy=grid_management",
        "policies.grid_management.households_per_grid=200,400",
        "scenario.dispatch.misroute_prob=0.1,0.3",
        "seed=range(0,2)",
        f"hydra.sweep.dir={sweep}",
        cwd=tmp_path,
    )
    assert result.returncode == 0, result.stderr
    assert len(pd.read_parquet(sweep / "runs.parquet")) == 8
    assert (sweep / "figures" / "sweep_heatmap.html").exists()
    assert (sweep / "report.html").exists()


def test_equal_budget_scales_priced_policies_to_the_same_planned_spend():
    from sim import load_params
    from sim.policies import mechanisms

    budget = 2_000_000.0
    for policy, check in (
        ("purchase_services", lambda p: p.contract_yuan_per_year),
        ("hotline_merge", lambda p: p.operating_yuan_per_year),
        ("smart_platform", lambda p: p.capital_yuan / p.life_years + p.operating_yuan_per_year),
    ):
        params = load_params(policies=[policy], overrides=[f"budget_yuan_per_year={budget}"])
        assert check(getattr(params.policies, policy)) == pytest.approx(budget)
    both = load_params(
        policies=["purchase_services", "hotline_merge"],
        overrides=[f"budget_yuan_per_year={budget}"],
    )
    assert both.policies.purchase_services.contract_yuan_per_year == pytest.approx(budget / 2)
    grid = load_params(policies=["grid_management"], overrides=[f"budget_yuan_per_year={budget}"])
    base = mechanisms(grid.scenario, load_params().policies)
    scaled = mechanisms(grid.scenario, grid.policies)
    households = grid.scenario.population.people / grid.scenario.population.people_per_household
    extra_workers = (
        households / scaled.grid.households_per_grid - households / base.grid.households_per_grid
    )
    assert extra_workers * grid.scenario.grid.wage_yuan_per_staff_day * 365 == pytest.approx(budget)


def test_a_budget_beyond_a_levers_range_is_one_line_naming_policy_key_value_and_range():
    from sim import ConfigError, load_params

    with pytest.raises(ConfigError) as err:
        load_params(policies=["grid_management"], overrides=["budget_yuan_per_year=1e9"])
    message = str(err.value)
    assert "\n" not in message
    for part in ("grid_management", "households_per_grid", "1.12", "10–100000"):
        assert part in message
    within = load_params(policies=["grid_management"], overrides=["budget_yuan_per_year=1e6"])
    assert 10 <= within.policies.grid_management.households_per_grid <= 100_000


def test_equal_budget_experiment_composes(tmp_path):
    result = govsim("run", "--cfg", "job", "experiment=equal_budget", cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    assert "budget_yuan_per_year" in result.stdout  # swept: 1, 2 and 4 M yuan a year


def test_budget_levels_trace_a_cost_effectiveness_curve(tmp_path):
    sweep = tmp_path / "eb"
    result = govsim(
        "run",
        "experiment=equal_budget",
        *TINY,
        "policy=baseline,purchase_services",
        "budget_yuan_per_year=1000000,4000000",
        "seed=range(0,2)",
        f"hydra.sweep.dir={sweep}",
        cwd=tmp_path,
    )
    assert result.returncode == 0, result.stderr
    summary = pd.read_csv(sweep / "summary.csv")
    cost = summary[
        (summary["policy"] == "purchase_services") & (summary["metric"] == "cost_total_yuan")
    ].sort_values("budget_yuan_per_year")
    assert len(cost) == 2 and cost["diff_mean"].iloc[1] > 2 * cost["diff_mean"].iloc[0]
