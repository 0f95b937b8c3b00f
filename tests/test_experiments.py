"""Experiments: paired statistics by hand, and multiruns aggregated end to end."""

from __future__ import annotations

import pandas as pd
import pytest
import yaml
from test_cli import govsim

TINY = ["scenario.population.people=2000", "sim.days=6"]


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
        "forest_median_close_h.html",
        "forest_reporting_gap.html",
        "forest_resolution_rate.html",
        "forest_response_rate.html",
        "forest_satisfaction_rate.html",
        "forest_solved_share_arisen.html",
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
    for name in ("forest_median_close_h", "backlog"):
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
        ("purchase_services", lambda m: m.contract_yuan_per_year),
        ("hotline_merge", lambda m: m.hotline_operating_yuan_per_year),
        (
            "smart_platform",
            lambda m: m.platform_capital_yuan_per_year + m.platform_operating_yuan_per_year,
        ),
    ):
        params = load_params(policies=[policy], overrides=[f"budget_yuan_per_year={budget}"])
        mech = mechanisms(params.scenario, params.policies, params.budget_yuan_per_year)
        assert check(mech) == pytest.approx(budget)
    both = load_params(
        policies=["purchase_services", "hotline_merge"],
        overrides=[f"budget_yuan_per_year={budget}"],
    )
    mech = mechanisms(both.scenario, both.policies, both.budget_yuan_per_year)
    assert mech.contract_yuan_per_year == pytest.approx(budget / 2)
    grid = load_params(policies=["grid_management"], overrides=[f"budget_yuan_per_year={budget}"])
    base = mechanisms(grid.scenario, load_params().policies)
    scaled = mechanisms(grid.scenario, grid.policies, budget)
    households = grid.scenario.population.people / grid.scenario.population.people_per_household
    extra_workers = households / scaled.households_per_grid - households / base.households_per_grid
    assert extra_workers * grid.scenario.grid.wage_yuan_per_staff_day * 365 == pytest.approx(budget)


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
