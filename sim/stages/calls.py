"""Stage 7, calls: consultations (questions, not problems) and duplicate calls about shared
problems already known, both at each group's hotline access, by people who know the hotline;
a topic wave (`shocks.topic_wave`) multiplies consultations while it lasts. A few people are
frequent callers (高频来电人, a trait drawn as they take their place): they consult
`frequent_caller_call_multiplier` times as often as others and always call again after an
unsatisfied callback (`closing.record`); more calls, not more needs.

The draws do not depend on the policy (common random numbers): consultations take one
uniform per group and day (frequent callers' one more each, from `frequent_calls`),
turned into a Poisson count by the inverse CDF; a shared problem's duplicate calls come where
its accumulated expected count crosses k + u (k = 0, 1, ...), u its own uniform drawn when the
need arose, so equal exposure gives identical calls.
"""

from __future__ import annotations

import numba
import numpy as np
from scipy import special

from sim import fmath
from sim.clock import DAYS_PER_YEAR
from sim.population import GROUPS
from sim.state import D, DistrictState


def calls(state: DistrictState, t0: float, t1: float) -> None:
    dispatch, access = state.scenario.dispatch, state.mech.access.channel_share
    people, aware, willing_by_group = state.hotline_reach  # counted as awareness spread
    u = state.streams["calls"].random(len(GROUPS))  # a fixed number of draws a day
    u_frequent = state.streams["frequent_calls"].random(len(GROUPS))
    willing_frequent = _frequent_willing(state)
    wave = 1.0 if state.shocks is None else state.shocks.consultation_multiplier(state.day)
    counters = state.counters
    rate = dispatch.consultation_rate_per_person_year / DAYS_PER_YEAR
    for group, name in enumerate(GROUPS):
        hotline = access[name]["hotline"]
        others = willing_by_group[group] - willing_frequent[group]
        expected = others * hotline * rate * wave
        if expected > 0:
            counters.consultations += int(poisson_quantile(u[group], expected))
        frequent = willing_frequent[group] * dispatch.frequent_caller_call_multiplier
        expected = frequent * hotline * rate * wave
        if expected > 0:
            n = int(poisson_quantile(u_frequent[group], expected))
            counters.consultations += n
            counters.frequent_consultations += n
    duplicate_calls(state, t0, t1, aware / np.maximum(people, 1))


def take_places(state: DistrictState, slots: np.ndarray) -> None:
    """Who among the people taking these places is a frequent caller: one uniform each
    from the `callers` stream, below `frequent_caller_share`."""
    pop = state.world.population
    frequent = state.streams["callers"].random(len(slots)) < (
        state.scenario.dispatch.frequent_caller_share
    )
    if (pop.frequent_caller[slots] != frequent).any():  # the index changes only then
        pop.frequent_caller[slots] = frequent
        state.frequent_slots = np.flatnonzero(pop.frequent_caller)


def _frequent_willing(state: DistrictState) -> np.ndarray:
    """By group, the sum of today's willingness of the frequent callers present who know the
    hotline (a part of `hotline_reach`'s sum: a look at the few, not a pass over all)."""
    pop, slots = state.world.population, state.frequent_slots
    reach = slots[pop.present[slots] & pop.aware[slots]]
    return np.bincount(pop.group[reach], weights=state.willing[reach], minlength=len(GROUPS))


def poisson_quantile(u: float, mean: float) -> float:
    """`scipy.stats.poisson.ppf(u, mean)` for 0 <= u < 1 and mean > 0, without its checks
    of the arguments (the smallest k whose CDF reaches u; -1 at u = 0)."""
    k = np.ceil(special.pdtrik(u, mean))
    below = max(k - 1.0, 0.0)
    k = below if special.pdtr(below, mean) >= u else k
    return -1.0 if u == 0 else k


def duplicate_calls(state: DistrictState, t0: float, t1: float, aware_share) -> None:
    """Other affected people call about a shared problem already known (`aware_share`: of
    each group's present people, those who know the hotline)."""
    log, dispatch = state.log, state.scenario.dispatch
    access = state.mech.access.channel_share
    ids = state.open_ids[log.shared[state.open_ids]]
    if len(ids) == 0 or dispatch.duplicate_call_rate_per_day == 0:
        return
    hotline_access = np.array([access[name]["hotline"] for name in GROUPS])
    hotline_access = hotline_access * aware_share
    who, when = _crossings(
        ids, (float(t0), float(t1)), (log.known_h, log.n_affected, log.group),
        log.cols["duplicates_expected"], log.draws[:, D["u_duplicate"]],
        float(dispatch.duplicate_call_rate_per_day), hotline_access, log.cols["n_calls"],
    )  # fmt: skip
    state.calls.add(who, when, 1)


@numba.njit(cache=True, nogil=True)
def _crossings(ids, day_h, problems, so_far, u_duplicate, rate_per_day, hotline_access, calls):
    """Each shared problem's duplicate calls today, in one pass: its expected count grows by
    (n_affected − 1) × rate × the part of the day it was known × its group's hotline access,
    and a call comes where the count so far crosses k + u (k = 0, 1, ..., u its draw), at
    the hour interpolated in the day. Adds the expected counts and the calls to the log's
    columns; returns (problem, hour) of each call, problem by problem. The floating-point
    operations are numpy's of the vector form, in its order."""
    known_h, n_affected, group = problems
    m = len(ids)
    start, span_h, expected = np.empty(m), np.empty(m), np.empty(m)
    before, u, first = np.empty(m), np.empty(m), np.empty(m)
    n = np.empty(m, np.int64)
    for i in range(m):
        p = ids[i]
        start[i] = fmath.maximum(day_h[0], known_h[p])
        span_h[i] = fmath.maximum(0.0, day_h[1] - start[i])
        grown = float(n_affected[p] - 1) * rate_per_day * span_h[i] / 24.0
        expected[i] = grown * hotline_access[group[p]]
        before[i] = so_far[p]
        after = before[i] + expected[i]
        so_far[p] = after
        u[i] = u_duplicate[p]  # the float32 draw widened, as numpy did in its float64 sums
        first[i] = np.floor(before[i] - u[i]) + 1.0  # the first crossing k + u above before
        n[i] = np.int64(fmath.maximum(0.0, np.floor(after - u[i]) - first[i] + 1.0))
    who, when = np.empty(n.sum(), np.int64), np.empty(n.sum())
    c = 0
    for i in range(m):
        calls[ids[i]] += n[i]
        for j in range(n[i]):
            crossing = (first[i] + float(j) + u[i] - before[i]) / expected[i]
            who[c], when[c] = ids[i], start[i] + crossing * span_h[i]
            c += 1
    return who, when
