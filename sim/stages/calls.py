"""Stage 7, calls: consultations (questions, not problems) and duplicate calls about shared
problems already known, both at each group's hotline access, by people who know the hotline;
a topic wave (`shocks.topic_wave`) multiplies consultations while it lasts.

The draws do not depend on the policy (common random numbers): consultations take one
uniform per group and day, turned into a Poisson count by the inverse CDF; a shared problem's
duplicate calls come where its accumulated expected count crosses k + u (k = 0, 1, ...), u
its own uniform drawn when the need arose, so equal exposure gives identical calls.
"""

from __future__ import annotations

import numpy as np
from scipy import special

from sim.clock import DAYS_PER_YEAR
from sim.population import GROUPS
from sim.state import D, DistrictState


def calls(state: DistrictState, t0: float, t1: float) -> None:
    rng = state.streams["calls"]
    dispatch, access = state.scenario.dispatch, state.mech.access.channel_share
    people, aware, willing_by_group = state.hotline_reach  # counted as awareness spread
    u = rng.random(len(GROUPS))  # a fixed number of draws a day, whatever the policy
    wave = 1.0 if state.shocks is None else state.shocks.consultation_multiplier(state.day)
    for group, name in enumerate(GROUPS):
        expected = (
            willing_by_group[group]
            * access[name]["hotline"]
            * (dispatch.consultation_rate_per_person_year / DAYS_PER_YEAR)
            * wave
        )
        if expected > 0:
            state.counters.consultations += int(poisson_quantile(u[group], expected))
    duplicate_calls(state, t0, t1, aware / np.maximum(people, 1))


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
    start = np.maximum(t0, log.known_h[ids])
    span_h = np.maximum(0.0, t1 - start)
    hotline_access = np.array([access[name]["hotline"] for name in GROUPS])
    hotline_access = hotline_access * aware_share
    expected = (log.n_affected[ids] - 1) * dispatch.duplicate_call_rate_per_day * span_h / 24.0
    expected = expected * hotline_access[log.group[ids]]
    before = log.duplicates_expected[ids]
    after = before + expected
    log.cols["duplicates_expected"][ids] = after
    u = log.draws[ids, D["u_duplicate"]].astype(float)
    first = np.floor(before - u) + 1.0  # the first crossing k + u above `before`
    n = np.maximum(0, np.floor(after - u) - first + 1.0).astype(np.int64)
    if n.sum() == 0:
        return
    who = np.repeat(ids, n)
    k = np.repeat(first, n) + (np.arange(n.sum()) - np.repeat(np.cumsum(n) - n, n))
    crossing = (k + np.repeat(u, n) - np.repeat(before, n)) / np.repeat(expected, n)
    when = np.repeat(start, n) + crossing * np.repeat(span_h, n)
    np.add.at(log.cols["n_calls"], who, 1)
    state.calls.add(who, when, 1)
