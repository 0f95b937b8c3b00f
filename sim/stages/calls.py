"""Stage 7, calls: consultations (questions, not problems) and duplicate calls about shared
problems already known, both at each group's hotline access."""

from __future__ import annotations

import numpy as np

from sim.clock import DAYS_PER_YEAR
from sim.population import GROUPS
from sim.state import DistrictState


def calls(state: DistrictState, t0: float, t1: float) -> None:
    rng, pop, log = state.streams["calls"], state.world.population, state.log
    dispatch, access = state.scenario.dispatch, state.mech.access.channel_share
    willing_by_group = np.bincount(
        pop.group, weights=np.where(pop.present, state.willing, 0.0), minlength=2
    )
    for group, name in enumerate(GROUPS):
        expected = (
            willing_by_group[group]
            * access[name]["hotline"]
            * (dispatch.consultation_rate_per_person_year / DAYS_PER_YEAR)
        )
        state.counters.consultations += int(rng.poisson(expected))
    # duplicate calls: other affected people call about a shared problem already known
    ids = state.open_ids[log.shared[state.open_ids]]
    if len(ids) == 0 or dispatch.duplicate_call_rate_per_day == 0:
        return
    start = np.maximum(t0, log.known_h[ids])
    span_h = np.maximum(0.0, t1 - start)
    hotline_access = np.array([access[name]["hotline"] for name in GROUPS])
    expected = (log.n_affected[ids] - 1) * dispatch.duplicate_call_rate_per_day * span_h / 24.0
    expected = expected * hotline_access[log.group[ids]]
    n = rng.poisson(expected)
    if n.sum() == 0:
        return
    who = np.repeat(ids, n)
    when = np.repeat(start, n) + rng.random(n.sum()) * np.repeat(span_h, n)
    np.add.at(log.cols["n_calls"], who, 1)
    state.calls.add(who, when, 1)
