"""Experiments end to end: `govsim compare` on shrunk settings, the presets as composed
configs, and budget scaling. The analysis itself is tested as functions in test_analysis.py."""

from __future__ import annotations

import pandas as pd
import pytest
from hydra import compose, initialize_config_module
from hydra.core.global_hydra import GlobalHydra
from test_cli import govsim

from sim import outcomes

TINY = ["scenario.population.people=2000", "sim.days=6"]
PRESETS = ("compare_policies", "sweep", "equal_budget", "shock_resilience")


def test_compare_writes_runs_summary_and_report(tmp_path):
    sweep = tmp_path / "cmp"
    result = govsim(
        "compare",
        *TINY,
        "policy=baseline,hotline,whistle",
        "seed=range(0,2)",
        f"hydra.sweep.dir={sweep}",
        cwd=tmp_path,
    )
    assert result.returncode == 0, result.stderr
    for name in ("report.html", "runs.parquet", "summary.csv"):
        assert f"{sweep / name}" in result.stderr.replace("\n", "")
    runs = pd.read_parquet(sweep / "runs.parquet")
    assert len(runs) == 6 and (runs["status"] == "ok").all()
    assert sorted(runs["policy"].unique()) == ["baseline", "hotline", "whistle"]
    summary = pd.read_csv(sweep / "summary.csv")
    hotline = summary[(summary["policy"] == "hotline") & (summary["metric"] == "response_rate")]
    assert hotline["diff_mean"].iloc[0] > 0 and hotline["n_pairs"].iloc[0] == 2
    assert set(summary["metric"]) <= set(outcomes.columns())
    report = (sweep / "report.html").read_text()
    assert "<b>hotline</b>" in report and "<b>whistle</b>" in report
    assert "seed: range(0,2)" in report  # the configuration block shows what ran
    before = {p: p.stat().st_mtime_ns for p in sweep.rglob("*") if p.is_file()}
    rerendered = govsim("report", str(sweep), "--lang", "zh", cwd=tmp_path)
    assert rerendered.returncode == 0, rerendered.stderr
    chinese = (sweep / "report.zh.html").read_text()
    assert "<b>接诉即办</b> 与基线相比" in chinese and "<b>街乡吹哨、部门报到</b>" in chinese
    unchanged = [p for p in before if p.suffix == ".json" or p.name == "report.html"]
    assert all(p.stat().st_mtime_ns == before[p] for p in unchanged)  # nothing was run
    wrong = govsim("report", str(tmp_path / "nowhere"), cwd=tmp_path)
    assert wrong.returncode == 2 and len(wrong.stderr.strip().splitlines()) == 1


def _composed(*overrides: str):
    """The config `govsim run` would compose, Hydra's own node included."""
    GlobalHydra.instance().clear()
    with initialize_config_module(config_module="scenarios", version_base="1.3"):
        return compose("config", overrides=list(overrides), return_hydra_config=True)


@pytest.mark.parametrize("preset", PRESETS)
def test_every_preset_registers_the_experiment_callback(preset):
    cfg = _composed(f"experiment={preset}")
    assert cfg.hydra.callbacks.govsim._target_ == "experiments.callbacks.GovsimMultirun"
    assert cfg.hydra.mode.name == "MULTIRUN" and cfg.sim.progress is False
    assert "seed" in cfg.hydra.sweeper.params


def test_a_single_run_composes_without_the_experiment_layer():
    cfg = _composed()
    assert not cfg.hydra.callbacks  # scenarios/config.yaml names no experiment code


def test_presets_sweep_what_they_promise(tmp_path):
    assert _composed("experiment=shock_resilience").sim.days == 240
    assert "budget_yuan_per_year" in _composed("experiment=equal_budget").hydra.sweeper.params
    wrong = govsim("run", "experiment=nope", cwd=tmp_path)
    assert wrong.returncode != 0 and "compare_policies" in wrong.stderr


def test_equal_budget_scales_priced_policies_to_the_same_planned_spend():
    from sim import load_params
    from sim.policies import mechanisms

    budget = 2_000_000.0
    for policy, check in (
        ("purchase_services", lambda p: p.contract_yuan_per_year),
        ("hotline_merge", lambda p: p.operating_yuan_per_year),
        ("smart_platform", lambda p: p.capital_yuan / p.life_years + p.operating_yuan_per_year),
    ):
        params = load_params(policy=[policy], overrides=[f"budget_yuan_per_year={budget}"])
        assert check(getattr(params.policies, policy)) == pytest.approx(budget)
    both = load_params(
        policy=["purchase_services", "hotline_merge"],
        overrides=[f"budget_yuan_per_year={budget}"],
    )
    assert both.policies.purchase_services.contract_yuan_per_year == pytest.approx(budget / 2)
    grid = load_params(policy=["grid_management"], overrides=[f"budget_yuan_per_year={budget}"])
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
        load_params(policy=["grid_management"], overrides=["budget_yuan_per_year=1e9"])
    message = str(err.value)
    assert "\n" not in message
    for part in ("grid_management", "households_per_grid", "1.12", "10–100000"):
        assert part in message
    within = load_params(policy=["grid_management"], overrides=["budget_yuan_per_year=1e6"])
    assert 10 <= within.policies.grid_management.households_per_grid <= 100_000


def test_budget_levels_trace_a_cost_effectiveness_curve():
    from sim import load_params
    from sim.runner import run_summary, simulate

    def spending_yuan(policy: str, budget: float | None = None) -> float:
        extra = [] if budget is None else [f"budget_yuan_per_year={budget}"]
        params = load_params(policy=[policy], overrides=[*TINY, "sim.progress=false", *extra])
        return run_summary(simulate(params), {})["cost_yuan"]["total"]

    base = spending_yuan("baseline")
    low, high = (spending_yuan("purchase_services", b) - base for b in (1_000_000, 4_000_000))
    assert low > 0 and high > 2 * low  # more budget, more contracts
