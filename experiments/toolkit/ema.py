"""govsim as an EMA Workbench model: the problem's uncertainties and levers become the
model's parameters, its outcomes `ScalarOutcome`s averaged over replications (one per
seed), so `ema_workbench.perform_experiments` (and its samplers, evaluators and analysis)
drive govsim directly.

    from ema_workbench import perform_experiments
    from experiments.toolkit.ema import govsim_model

    model = govsim_model("migrant_inclusion", ["scenario.population.people=4000",
                                               "sim.days=120"], seeds=(0, 1))
    experiments, outcomes = perform_experiments(
        model, scenarios=20, uncertainty_sampling_kwargs={"rng": 42})

Designs are unseeded unless `uncertainty_sampling_kwargs={"rng": ...}` is passed (EMA
Workbench 3.0). docs/toolkit.md has the whole example.
"""

from __future__ import annotations

import warnings
from importlib import resources

import numpy as np
import yaml

from experiments.toolkit import problem
from experiments.toolkit.evaluate import run_outcomes
from sim.config.load import compose_config, job_tree


class GovsimRun:
    """The model's function: one run of govsim at the values EMA Workbench passes
    (parameter names are the problem's names; `seed` comes with each replication)."""

    def __init__(self, base: dict, spec: problem.Problem) -> None:
        self.base, self.spec = base, spec

    def __call__(self, seed: int = 0, **values: float) -> dict[str, float]:
        keys = {name: u.key for name, u in self.spec.uncertainties.items()}
        keys |= {name: lever.key for name, lever in self.spec.levers.items()}
        tree = problem.with_values(self.base, {keys[k]: v for k, v in values.items()})
        tree["seed"] = int(seed)
        return run_outcomes(tree, self.spec.outcomes)


def load_problem(name: str = "default") -> dict:
    """A problem file of experiments/problem/ as plain data."""
    text = (resources.files("experiments") / "problem" / f"{name}.yaml").read_text("utf-8")
    return yaml.safe_load(text)


def govsim_model(
    policy: str | list[str] = "baseline",
    overrides: list[str] = (),
    seeds: tuple[int, ...] = (0,),
    problem_name: str = "default",
    scenario: str = "default",
    name: str = "govsim",
):
    """A `ReplicatorModel` running govsim under `policy` (its levers from the problem where
    they belong to it) with `overrides`, one replication per seed."""
    with warnings.catch_warnings():  # ema_workbench 3.0 warns that ipyparallel is absent
        warnings.simplefilter("ignore")
        from ema_workbench import RealParameter, ReplicatorModel, ScalarOutcome

    policies = [policy] if isinstance(policy, str) else list(policy)
    base = job_tree(compose_config(scenario, policies, list(overrides)))
    data = load_problem(problem_name)
    data["levers"] = {k: v for k, v in data.get("levers", {}).items() if v["policy"] in policies}
    _, spec, _ = problem.check({**base, "toolkit": {"method": "policy_search"}, "problem": data})
    model = ReplicatorModel(name, function=GovsimRun(base, spec))
    model.uncertainties = [RealParameter(n, u.low, u.high) for n, u in spec.uncertainties.items()]
    model.levers = [RealParameter(n, lever.low, lever.high) for n, lever in spec.levers.items()]
    model.outcomes = [ScalarOutcome(column, function=np.mean) for column in spec.outcomes]
    model.replications = [{"seed": seed} for seed in seeds]
    return model
