"""EMA Workbench drives govsim through the adapter: `perform_experiments` on a small design
gives one row per experiment and the problem's outcomes, each the mean over its seeds, equal
to running govsim directly at the same values."""

from __future__ import annotations

import warnings

import numpy as np
import pytest

from experiments.toolkit.ema import govsim_model
from experiments.toolkit.evaluate import run_outcomes
from experiments.toolkit.problem import with_values

TINY = ["scenario.population.people=1000", "sim.days=10"]


def test_perform_experiments_runs_govsim_over_a_seeded_design():
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # ema_workbench 3.0: ipyparallel, pandas' inplace drop
        from ema_workbench import SequentialEvaluator, perform_experiments

        model = govsim_model("volunteer_pay", TINY, seeds=(0, 1))
        with SequentialEvaluator(model) as evaluator:
            experiments, found = perform_experiments(
                model, scenarios=2, policies=1, evaluator=evaluator,
                uncertainty_sampling_kwargs={"rng": 5}, lever_sampling_kwargs={"rng": 6},
            )  # fmt: skip
    assert len(experiments) == 2 and set(found) == {o.name for o in model.outcomes}
    assert "volunteer_stipend" in experiments  # the policy's lever from the problem
    first = experiments.iloc[0]
    function = model.function
    values = {
        key: float(first[name])
        for name, key in [(n, u.key) for n, u in function.spec.uncertainties.items()]
        + [(n, lever.key) for n, lever in function.spec.levers.items()]
    }
    direct = [
        run_outcomes({**with_values(function.base, values), "seed": seed}, ["median_close_h"])
        for seed in (0, 1)
    ]
    expected = np.mean([d["median_close_h"] for d in direct])
    assert found["median_close_h"][0] == pytest.approx(expected)
