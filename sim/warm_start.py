"""A warm start: a run's people begin as a burn-in under baseline left them (ODD §7.25).

Before day 0 the district runs `sim.burn_in_days` days under baseline (no policy, no
shock), unreported and not counted in `sim.days`; the run then starts from its people's
state at the end of it: trust, satisfaction, expectations, awareness of the hotline (with
their thresholds), and so who volunteers and how willing each is to report. The burn-in
depends on the scenario and the seed, never on the policy, so it is computed once per
scenario, seed and length in a process and every arm of a comparison starts from the same
people (common random numbers). Problems and queues start empty: the latent and open
stocks settle within about a month (measured on the default district).
"""

from __future__ import annotations

from collections.abc import Callable

import numpy as np

from sim.config.params import Params, validate

CARRIED = (
    "trust",
    "satisfaction",
    "expectation_ratio",
    "awareness_hazard",
    "awareness_threshold",
    "aware",
)


def burn_in_params(params: Params) -> Params:
    """The burn-in's params: the same scenario and seed, baseline, no shock, not warm-started."""
    tree = params.model_dump(mode="json")
    tree.update(
        policies={"baseline": {}},
        shocks={},
        policy_start_day={},
        budget_yuan_per_year=None,
        sim={**tree["sim"], "days": params.sim.burn_in_days, "burn_in_days": 0, "progress": False},
    )
    return validate(tree)


def people_after_burn_in(params: Params, run: Callable[[Params], object]) -> dict:
    """The carried columns of the population after the burn-in (`run` steps a model through
    the params' days and returns it); cached per scenario, seed and length."""
    key = (params.scenario.model_dump_json(), params.seed, params.sim.burn_in_days)
    if key not in _CACHE:
        population = run(burn_in_params(params)).population
        while len(_CACHE) >= _CACHE_SIZE:
            _CACHE.pop(next(iter(_CACHE)))  # the oldest goes first
        _CACHE[key] = {name: getattr(population, name).copy() for name in CARRIED}
    return _CACHE[key]


_CACHE: dict[tuple, dict] = {}
_CACHE_SIZE = 8  # scenarios × seeds a process keeps (a few MB each at district size)


def apply(population, carried: dict) -> None:
    """Give the day-0 population the burnt-in columns (slot by slot: the layout and places
    are the same for a scenario and seed)."""
    for name, values in carried.items():
        np.copyto(getattr(population, name), values)
