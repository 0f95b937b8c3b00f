"""Calibration of the pre-reform (pre-2019) baseline (`govsim run experiment=calibrate`).

A declared few scenario parameters are fitted to published pre-reform targets by weighted
least squares (`scipy.optimize.least_squares`, trust-region reflective within bounds): each
target contributes (achieved − target) / sd (an "at most" target only when above it), and
each parameter a prior pull (θ − θ0) / prior_sd towards its documented assumption, so a
target set smaller than the parameter set still has one answer (a maximum a posteriori fit
under Gaussian errors). The fit's uncertainty is the Gauss–Newton covariance (JᵀJ)⁻¹ of the
whitened residuals at the optimum. Every evaluation runs the default district under
baseline over fixed seeds (common random numbers make the objective deterministic).
"""

from __future__ import annotations

import copy
import time
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path

import numpy as np
from rich.console import Console
from rich.table import Table
from scipy.optimize import least_squares

from sim.config.params import validate
from sim.records import write_json_atomic
from sim.runner import run_summary, simulate


def measures(model) -> dict[str, float]:
    """The calibration's measures of one run (definitions in ODD.md §8)."""
    daily, summary = model.daily(), run_summary(model, {})
    called = model.problems().dropna(subset=["rated_resolved"])
    satisfied = called.loc[called["rated_resolved"].astype(bool), "rated_satisfied"]
    people = (daily["people_resident"] + daily["people_migrant"]).mean()
    years = len(daily) / 365.0
    calls = float(daily["calls_total"].iloc[-1])
    aware = (
        daily["hotline_aware_share_resident"] * daily["people_resident"]
        + daily["hotline_aware_share_migrant"] * daily["people_migrant"]
    ) / (daily["people_resident"] + daily["people_migrant"])
    return {
        "aware_share_change_per_year": float(aware.iloc[-1] - aware.iloc[0]) / years,
        "calls_per_person_year": calls / people / years,
        "consultation_share_of_calls": float(daily["consultations_total"].iloc[-1]) / calls,
        "known_share_arisen": summary["known_share_arisen"],
        "resolution_rate": summary["resolution_rate"],
        "satisfaction_rate": summary["satisfaction_rate"],
        "satisfaction_of_resolved": float(satisfied.astype(bool).mean()),
    }


def _set(tree: dict, dotted: str, value: float) -> None:
    *path, leaf = dotted.split(".")
    node = tree
    for key in path:
        node = node[key]
    node[leaf] = value


def _get(tree: dict, dotted: str) -> float:
    node = tree
    for key in dotted.split("."):
        node = node[key]
    return float(node)


def _one_run(tree: dict) -> dict[str, float]:
    return measures(simulate(validate(tree)))


class Objective:
    """Whitened residuals of a parameter vector, with every evaluation kept. A parameter
    with `ratio_of: KEY` is fitted as a ratio to that parameter, so a range of [0, 1] keeps it
    at most the other. The prior is a parameter's declared `prior` (the documented assumption,
    so a calibration run on already-fitted defaults solves the same problem as the first),
    else the scenario's value; the fit starts from the scenario's values."""

    def __init__(self, tree: dict, spec: dict, pool: ProcessPoolExecutor):
        self.tree, self.spec, self.pool = tree, spec, pool
        self.keys = list(spec["parameters"])
        self.ratio_of = {k: p.get("ratio_of") for k, p in spec["parameters"].items()}
        self.start = np.array([self._current(k) for k in self.keys])
        declared = [spec["parameters"][k].get("prior") for k in self.keys]
        self.prior = np.array(
            [s if d is None else d for s, d in zip(self.start, declared, strict=True)]
        )
        self.history: list[dict] = []

    def _current(self, key: str) -> float:
        """The scenario's value now (a ratio for a `ratio_of` parameter)."""
        other = self.ratio_of[key]
        return _get(self.tree, key) / _get(self.tree, other) if other else _get(self.tree, key)

    def named(self, theta: np.ndarray) -> dict[str, float]:
        """A parameter vector by parameter name (ratios as fitted)."""
        return dict(zip(self.keys, map(float, theta), strict=True))

    def values(self, theta: np.ndarray) -> dict[str, float]:
        """The scenario values a parameter vector stands for (ratios resolved)."""
        fitted = self.named(theta)
        return {
            k: v * fitted[self.ratio_of[k]] if self.ratio_of[k] else v for k, v in fitted.items()
        }

    def achieved(self, theta: np.ndarray) -> dict[str, float]:
        trees = []
        for seed in self.spec["seeds"]:
            tree = copy.deepcopy(self.tree)
            tree["seed"] = seed
            for key, value in self.values(theta).items():
                _set(tree, key, value)
            trees.append(tree)
        runs = list(self.pool.map(_one_run, trees))
        return {name: float(np.mean([r[name] for r in runs])) for name in runs[0]}

    def __call__(self, theta: np.ndarray) -> np.ndarray:
        achieved = self.achieved(theta)
        self.history.append({"theta": self.named(theta), "achieved": achieved})
        return self.residuals(theta, achieved)

    def residuals(self, theta: np.ndarray, achieved: dict[str, float]) -> np.ndarray:
        out = []
        for name, target in self.spec["targets"].items():
            gap = achieved[name] - target["value"]
            if target.get("at_most"):
                gap = max(gap, 0.0)
            out.append(gap / target["sd"])
        prior_sd = np.array([self.spec["parameters"][k]["prior_sd"] for k in self.keys])
        return np.concatenate([out, (theta - self.prior) / prior_sd])


def calibrate(tree: dict) -> dict:
    """Fit the declared parameters; returns fitted values, their sd, targets and achieved."""
    spec = tree.pop("calibration")
    tree["sim"].update(days=spec["days"], burn_in_days=spec["burn_in_days"], progress=False)
    started = time.time()
    with ProcessPoolExecutor(spec["workers"]) as pool:
        objective = Objective(tree, spec, pool)
        keys = objective.keys
        bounds = np.array([spec["parameters"][k]["range"] for k in keys]).T
        start = np.clip(objective.start, bounds[0], bounds[1])
        fit = least_squares(
            objective, start, bounds=bounds, diff_step=spec["diff_step"],
            max_nfev=spec["max_evaluations"], x_scale="jac",
        )  # fmt: skip
        achieved = objective.achieved(fit.x)
    jac = fit.jac
    covariance = np.linalg.pinv(jac.T @ jac)
    values = objective.values(fit.x)
    return {
        "parameters": {
            k: {
                "prior": float(p),
                "fitted": float(x),
                "sd": float(np.sqrt(c)),
                "value": values[k],
                "ratio_of": objective.ratio_of[k],
            }
            for k, p, x, c in zip(keys, objective.prior, fit.x, np.diag(covariance), strict=True)
        },
        "targets": {name: {**t, "achieved": achieved[name]} for name, t in spec["targets"].items()},
        "cost": float(fit.cost),
        "evaluations": len(objective.history),
        "status": fit.message,
        "seeds": list(spec["seeds"]),
        "days": spec["days"],
        "burn_in_days": spec["burn_in_days"],
        "wall_s": round(time.time() - started, 1),
        "history": objective.history,
    }


def run(tree: dict, out_dir: Path) -> dict:
    """`govsim run experiment=calibrate`: fit, write calibration.json, print the fit."""
    result = calibrate(tree)
    out_dir.mkdir(parents=True, exist_ok=True)
    write_json_atomic(result, out_dir / "calibration.json")
    console = Console()
    table = Table(title="calibration of the pre-reform baseline")
    for column in ("target", "value", "achieved", "source"):
        table.add_column(column)
    for name, t in result["targets"].items():
        bound = "≤ " if t.get("at_most") else ""
        table.add_row(name, f"{bound}{t['value']:.3g}", f"{t['achieved']:.3g}", t["source"])
    console.print(table)
    fitted = Table(title=f"fitted ({result['evaluations']} evaluations, {result['wall_s']} s)")
    for column in ("parameter", "assumption", "fitted", "sd", "value"):
        fitted.add_column(column)
    for key, p in result["parameters"].items():
        name = f"{key} (÷ {p['ratio_of'].rsplit('.', 2)[-2]})" if p["ratio_of"] else key
        fitted.add_row(
            name, f"{p['prior']:.4g}", f"{p['fitted']:.4g}", f"{p['sd']:.2g}", f"{p['value']:.4g}"
        )
    console.print(fitted)
    console.print(f"calibration: {out_dir / 'calibration.json'}")
    return result
