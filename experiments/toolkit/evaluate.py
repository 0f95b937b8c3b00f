"""Evaluate design points: each point is run under baseline and under the policy, paired by
seed (common random numbers), over the method's replications; one row per run with the
problem's outcomes. A run that fails is a row with status "failed" and its error."""

from __future__ import annotations

from collections.abc import Callable

import pandas as pd

from experiments.toolkit.problem import Problem, with_values
from sim import outcomes
from sim.config.params import validate
from sim.runner import run_summary, simulate

ARMS = ("baseline", "policy")  # the two arms of every design point


def run_outcomes(tree: dict, columns: list[str]) -> dict[str, float]:
    """One run's outcomes (the register's columns asked for); an outcome a run has no value
    for (a median not reached within the horizon) is NaN, which the analyses skip."""
    model = simulate(validate(tree))
    row = outcomes.from_summary(run_summary(model, {}))
    return {column: float("nan") if row[column] is None else row[column] for column in columns}


def arm_trees(base: dict) -> dict[str, dict]:
    """The run's policy mix as the policy arm; no reform as the baseline arm."""
    return {"baseline": {**base, "policies": {"baseline": {}}}, "policy": base}


def _row(tree: dict, columns: list[str], key: dict) -> dict:
    try:
        return {**key, "status": "ok", "error": None, **run_outcomes(tree, columns)}
    except Exception as exc:  # one failed run must not lose a job's other runs
        return {**key, "status": "failed", "error": f"{type(exc).__name__}: {exc}"}


def evaluate(
    base: dict,
    problem: Problem,
    points: pd.DataFrame,
    seeds: list[int],
    tick: Callable[[], None] | None = None,
) -> pd.DataFrame:
    """Runs of every point × seed × arm; `tick()` after each point."""
    keys = {name: u.key for name, u in problem.uncertainties.items()}
    trees = arm_trees(base)
    rows = []
    for point in points.to_dict("records"):
        values = {keys[name]: float(point[name]) for name in keys}
        for seed in seeds:
            for arm in ARMS:
                tree = with_values(trees[arm], values)
                tree["seed"] = seed
                key = {"point": int(point["point"]), "seed": seed, "arm": arm}
                rows.append(_row(tree, problem.outcomes, key))
        if tick is not None:
            tick()
    frame = pd.DataFrame(rows)
    for column in problem.outcomes:
        frame[column] = frame[column].astype(float) if column in frame else float("nan")
    return frame


def paired(runs: pd.DataFrame, design: pd.DataFrame, columns: list[str]) -> pd.DataFrame:
    """Per design point: each outcome under baseline, under the policy, and the policy's
    paired effect (policy − baseline with the same seed), averaged over seeds."""
    ok = runs[runs["status"] == "ok"]
    wide = ok.pivot_table(index=["point", "seed"], columns="arm", values=columns)
    parts = {}
    for column in columns:
        parts[f"{column}:baseline"] = wide[(column, "baseline")]
        parts[f"{column}:policy"] = wide[(column, "policy")]
        parts[f"{column}:effect"] = wide[(column, "policy")] - wide[(column, "baseline")]
    per_seed = pd.DataFrame(parts)
    means = per_seed.groupby(level="point").mean()
    return design.set_index("point").join(means, how="left").reset_index()
