"""Handlers learn by doing and forget (ODD §7.27): a pool that works more cases than it did
before the reform fails fewer of them, one that works fewer fails more.

Each pool's experience is the cases it worked per day (every handled attempt, reworks
included), averaged over the past with weights that halve every
`dispatch.experience_half_life_days`: knowledge depreciates as staff leave and practice fades
(Argote, Beckman & Epple 1990). Relative to the average the warm start's burn-in left (the
pre-reform reference), an attempt's chance of failing is multiplied by
(experience / reference)^−b, b = `dispatch.failure_learning_exponent`, the ratio held within
[1/4, 4]: a learning curve in the failure (waste) rate (Lapré, Mukherjee & Van Wassenhove
2000). A run without a burn-in has no reference and learns nothing; nor does a pool that
worked no case in the burn-in.
"""

from __future__ import annotations

import numba
import numpy as np

from sim import fmath
from sim.state import DistrictState, Experience

RATIO_BOUNDS = (0.25, 4.0)  # experience relative to the reference, as far as it counts


def new(n_pools: int) -> Experience:
    return Experience(worked_today=np.zeros(n_pools), weighted_sum=np.zeros(n_pools))


def record(state: DistrictState, pool: np.ndarray) -> None:
    """Count the attempts each pool finished."""
    worked = state.experience.worked_today
    worked += np.bincount(pool, minlength=len(worked))


def end_day(state: DistrictState) -> None:
    """Today's cases join the average; older days weigh less by the day's retention."""
    exp = state.experience
    retention = _retention_per_day(state)
    exp.weighted_sum = retention * exp.weighted_sum + exp.worked_today
    exp.weight = retention * exp.weight + 1.0
    exp.worked_today[:] = 0.0


def worked_per_day(exp: Experience) -> np.ndarray:
    """Each pool's weighted average of cases worked a day (0 before the first day)."""
    return exp.weighted_sum / exp.weight if exp.weight > 0 else exp.weighted_sum.copy()


def start_from_burn_in(state: DistrictState) -> None:
    """The average so far (the burn-in's) becomes the pre-reform reference, and the run
    goes on from it weighted as a long past (a burn-in shorter than many half-lives would
    otherwise let a new workload move experience faster than a district's long history)."""
    exp = state.experience
    reference_per_day = worked_per_day(exp)
    exp.weight = 1.0 / (1.0 - _retention_per_day(state))
    exp.weighted_sum = reference_per_day * exp.weight
    exp.reference_per_day = reference_per_day


def failure_factor(state: DistrictState, pool: np.ndarray) -> np.ndarray | None:
    """What each attempt's chance of failing is multiplied by at its pool's experience (None:
    no learning in this run)."""
    exp, exponent = state.experience, state.scenario.dispatch.failure_learning_exponent
    if exp.reference_per_day is None or exponent == 0:
        return None
    learning = (exp.reference_per_day, exp.weighted_sum, float(exp.weight))
    return _factors(np.asarray(pool, np.int64), learning, RATIO_BOUNDS, float(-exponent))


@numba.njit(cache=True, nogil=True)
def _factors(pool, learning, bounds, power):
    """`failure_factor` of each attempt in one pass: (experience / reference) held within
    `bounds` (np.clip's operations), to the `power`; 1 where the pool has no reference.
    `learning` is (reference by pool, weighted sum by pool, weight); the numpy form's
    operations (`worked_per_day`, then the ratio, then `fmath.power`'s C pow)."""
    reference, weighted_sum, weight = learning
    out = np.empty(len(pool))
    for i in range(len(pool)):
        q = pool[i]
        worked = weighted_sum[q] / weight if weight > 0 else weighted_sum[q]
        ratio = worked / fmath.maximum(reference[q], 1e-12) if reference[q] > 0 else 1.0
        out[i] = fmath.minimum(fmath.maximum(ratio, bounds[0]), bounds[1]) ** power
    return out


def _retention_per_day(state: DistrictState) -> float:
    return 0.5 ** (1.0 / state.scenario.dispatch.experience_half_life_days)
