"""Where a policy fails: PRIM (EMA Workbench) on the sampled assumptions, the cases of
interest being the points where the policy's paired effect is not an improvement of at
least `min_improvement` on the chosen outcome. The box chosen on the peeling trajectory is
the one with the highest coverage among those with density ≥ `min_density` (else the
densest); coverage = share of all failures inside the box, density = share of failures
among the points inside it."""

from __future__ import annotations

import logging
import warnings

import numpy as np
import pandas as pd

from experiments.toolkit.problem import Discovery
from sim import outcomes


def failures(per_point: pd.DataFrame, settings: Discovery) -> np.ndarray:
    """Whether the policy failed at each point (its effect is no improvement)."""
    effect = per_point[f"{settings.outcome}:effect"].to_numpy()
    better = outcomes.of_column(settings.outcome)[0].better
    if better is outcomes.Better.LOWER:
        return ~(effect <= -settings.min_improvement)
    if better is outcomes.Better.ZERO:
        base = per_point[f"{settings.outcome}:baseline"].to_numpy()
        return ~(np.abs(base + effect) <= np.abs(base) - settings.min_improvement)
    return ~(effect >= settings.min_improvement)  # higher is better (NaN: failed)


def find_box(x: pd.DataFrame, failed: np.ndarray, settings: Discovery):
    """PRIM's first box: its peeling trajectory, the chosen step and the box's limits."""
    logging.getLogger("EMA").setLevel(logging.WARNING)
    with warnings.catch_warnings():  # ema_workbench 3.0 warns of ipyparallel and pandas' drop
        warnings.simplefilter("ignore")
        from ema_workbench.analysis import prim

        finder = prim.Prim(
            x.reset_index(drop=True), failed.astype(int),
            peel_alpha=settings.peel_alpha, mass_min=settings.mass_min,
        )  # fmt: skip
        box = finder.find_box()
    trajectory = box.peeling_trajectory.reset_index(drop=True)
    dense = trajectory[trajectory["density"] >= settings.min_density]
    chosen = int(dense["coverage"].idxmax() if not dense.empty else trajectory["density"].idxmax())
    limits = box.box_lims[chosen]
    restricted = [c for c in x.columns if not limits[c].equals(box.box_lims[0][c])]
    return trajectory, chosen, limits[restricted]


def analyse(per_point: pd.DataFrame, names: list[str], settings: Discovery) -> dict:
    """The failure share, PRIM's trajectory and the chosen box with its coverage/density."""
    failed = failures(per_point, settings)
    result = {"points": len(failed), "failures": int(failed.sum()), "box": None}
    if failed.all() or not failed.any():
        return {**result, "trajectory": pd.DataFrame(), "chosen": None}
    trajectory, chosen, limits = find_box(per_point[names], failed, settings)
    step = trajectory.iloc[chosen]
    box = {
        "coverage": float(step["coverage"]),
        "density": float(step["density"]),
        "mass": float(step["mass"]),
        "limits": {name: [float(limits[name].iloc[0]), float(limits[name].iloc[1])]
                   for name in limits.columns},
    }  # fmt: skip
    return {**result, "trajectory": trajectory, "chosen": chosen, "box": box}
