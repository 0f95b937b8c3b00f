"""Calibration of the pre-reform baseline (experiments/calibrate.py)."""

from __future__ import annotations

import json
import subprocess
import sys

import numpy as np
import pytest
from conftest import run

from experiments.calibrate import Objective, measures
from sim import load_params


def test_measures_are_recounted_from_the_run_tables():
    model = run(days=40, seed=3)
    got = measures(model)
    calls = model.calls()
    daily = model.daily()
    consultations = daily["consultations_total"].iloc[-1]
    people = (daily["people_resident"] + daily["people_migrant"]).mean()
    assert got["calls_per_person_year"] == pytest.approx(
        (len(calls) + consultations) / people / (40 / 365)
    )
    assert got["consultation_share_of_calls"] == pytest.approx(
        consultations / (len(calls) + consultations)
    )
    callbacks = model.problems()[["rated_resolved", "rated_satisfied"]].dropna().to_numpy(int)
    resolved = callbacks[callbacks[:, 0] == 1]
    assert len(resolved) > 50 and 0 < resolved[:, 1].mean() < 1
    assert got["satisfaction_of_resolved"] == pytest.approx(resolved[:, 1].mean())


def test_residuals_weigh_misses_by_their_sd_and_an_upper_bound_only_above_it():
    spec = {
        "seeds": [0],
        "parameters": {"a.b": {"range": [0, 1], "prior_sd": 0.5}},
        "targets": {
            "x": {"value": 0.3, "sd": 0.1},
            "y": {"value": 0.5, "sd": 0.05, "at_most": True},
        },
    }
    objective = Objective({"a": {"b": 0.2}}, spec, pool=None)
    below = objective.residuals(np.array([0.7]), {"x": 0.5, "y": 0.4})
    np.testing.assert_allclose(below, [2.0, 0.0, 1.0])
    above = objective.residuals(np.array([0.2]), {"x": 0.3, "y": 0.6})
    np.testing.assert_allclose(above, [0.0, 2.0, 0.0])


def test_govsim_run_experiment_calibrate_writes_the_fit(tmp_path):
    out = tmp_path / "cal"
    args = [
        sys.executable, "-m", "sim.cli", "run", "experiment=calibrate",
        "calibration.days=15", "calibration.burn_in_days=0", "calibration.max_evaluations=1",
        "calibration.seeds=[0]", "calibration.workers=1", "scenario.population.people=3000",
        f"hydra.run.dir={out}",
    ]  # fmt: skip
    done = subprocess.run(args, capture_output=True, text=True, timeout=300)
    assert done.returncode == 0, done.stderr[-2000:]
    result = json.loads((out / "calibration.json").read_text())
    assert set(result["targets"]) >= {"calls_per_person_year", "resolution_rate"}
    for p in result["parameters"].values():
        assert {"prior", "fitted", "sd"} <= set(p) and np.isfinite(p["fitted"])
    assert result["evaluations"] == len(result["history"]) >= 8  # start + one Jacobian
    assert "calibration of the pre-reform baseline" in done.stdout
    # the pull is the declared assumption (calibrate.yaml), the start the scenario's value
    key = "scenario.behaviour.publicity_rate_per_year"
    publicity = result["parameters"][key]
    assert publicity["prior"] == 0.03
    start = result["history"][0]["theta"][key]
    default = load_params().scenario.behaviour.publicity_rate_per_year  # the committed fit
    assert start == pytest.approx(default) and start != publicity["prior"]


def test_a_ratio_parameter_is_fitted_relative_to_its_partner():
    """Migrants' awareness fitted as a share of residents': never above it in [0, 1]."""
    spec = {
        "seeds": [0],
        "parameters": {
            "r": {"range": [0, 1], "prior_sd": 0.5},
            "m": {"range": [0, 1], "prior_sd": 0.3, "ratio_of": "r"},
        },
        "targets": {},
    }
    objective = Objective({"r": 0.8, "m": 0.4}, spec, pool=None)
    np.testing.assert_allclose(objective.prior, [0.8, 0.5])  # m's prior is the ratio 0.4/0.8
    assert objective.values(np.array([0.6, 0.5])) == {"r": 0.6, "m": 0.3}


def test_a_declared_prior_is_the_pull_whatever_the_scenario_now_holds():
    """Re-running the calibration on fitted defaults pulls towards the documented assumption,
    not towards the last fit, and starts from the scenario's values."""
    spec = {
        "seeds": [0],
        "parameters": {
            "r": {"range": [0, 1], "prior_sd": 0.5, "prior": 0.5},
            "m": {"range": [0, 1], "prior_sd": 0.3},
        },
        "targets": {},
    }
    objective = Objective({"r": 0.22, "m": 0.4}, spec, pool=None)
    np.testing.assert_allclose(objective.prior, [0.5, 0.4])
    np.testing.assert_allclose(objective.start, [0.22, 0.4])
