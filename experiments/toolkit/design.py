"""The designs the methods evaluate, reproducible from the problem, the settings and the
seed: Morris trajectories and Sobol (Saltelli) points for sensitivity (SALib), a Latin
hypercube for discovery. One row per design point; jobs take consecutive blocks."""

from __future__ import annotations

import math

import numpy as np
import pandas as pd
from scipy.stats import qmc

from experiments.toolkit.problem import Problem, Toolkit


def salib_problem(problem: Problem) -> dict:
    names = list(problem.uncertainties)
    bounds = [[u.low, u.high] for u in problem.uncertainties.values()]
    return {"num_vars": len(names), "names": names, "bounds": bounds}


def morris_size(settings: Toolkit) -> int:
    """Trajectories, times the scale."""
    return settings.morris.trajectories * settings.scale


def sobol_size(settings: Toolkit) -> int:
    """Sobol's N (a power of two), times the scale rounded up to a power of two."""
    return settings.sobol.base_samples * 2 ** math.ceil(math.log2(settings.scale))


def points(problem: Problem, settings: Toolkit) -> int:
    """How many design points the method evaluates (without building the design)."""
    k = len(problem.uncertainties)
    if settings.method == "sensitivity":
        return morris_size(settings) * (k + 1) + sobol_size(settings) * (k + 2)
    if settings.method == "discovery":
        return settings.discovery.samples * settings.scale
    return 0


def jobs(problem: Problem, settings: Toolkit) -> int:
    return math.ceil(points(problem, settings) / settings.points_per_job)


def sensitivity_design(problem: Problem, settings: Toolkit, seed: int) -> pd.DataFrame:
    """Morris points, then Sobol points (first and total order, no second order)."""
    from SALib.sample import morris as morris_sample
    from SALib.sample import sobol as sobol_sample

    spec = salib_problem(problem)
    morris = morris_sample.sample(
        spec, morris_size(settings), num_levels=settings.morris.levels, seed=seed
    )
    sobol = sobol_sample.sample(spec, sobol_size(settings), calc_second_order=False, seed=seed)
    frames = [
        pd.DataFrame(values, columns=spec["names"]).assign(design=name)
        for name, values in (("morris", morris), ("sobol", sobol))
    ]
    return _numbered(pd.concat(frames, ignore_index=True))


def discovery_design(problem: Problem, settings: Toolkit, seed: int) -> pd.DataFrame:
    """A Latin hypercube over the uncertainties' ranges."""
    spec = salib_problem(problem)
    n = settings.discovery.samples * settings.scale
    unit = qmc.LatinHypercube(d=spec["num_vars"], seed=np.random.default_rng(seed)).random(n)
    bounds = np.array(spec["bounds"])
    values = qmc.scale(unit, bounds[:, 0], bounds[:, 1])
    return _numbered(pd.DataFrame(values, columns=spec["names"]).assign(design="lhs"))


def _numbered(frame: pd.DataFrame) -> pd.DataFrame:
    return frame.rename_axis("point").reset_index()


def design(problem: Problem, settings: Toolkit, seed: int) -> pd.DataFrame:
    build = sensitivity_design if settings.method == "sensitivity" else discovery_design
    frame = build(problem, settings, seed)
    assert len(frame) == points(problem, settings), "design size formula out of date"
    return frame


def block(frame: pd.DataFrame, job: int, per_job: int) -> pd.DataFrame:
    """The design points job `job` evaluates."""
    return frame.iloc[job * per_job : (job + 1) * per_job]
