"""Stage 0, people come and go: migrants' stays end and places are re-let; an arrival wave
fills reserve places. A problem whose owner left before it ended ends with them."""

from __future__ import annotations

import numpy as np

from sim.records import ABANDONED, REASONS
from sim.stages import closure
from sim.state import DistrictState


def people_come_and_go(state: DistrictState, t0: float, t1: float) -> None:
    pop = state.world.population
    departed, departed_h, arrived = pop.turnover(t0, t1)
    if state.shocks is not None:
        wave, wave_h = state.shocks.arrivals(state.day, pop)
        pop.arrive(wave, wave_h, state.shocks.rng)
        arrived = np.concatenate([arrived, wave])
    state.departed_today, state.arrived_today = departed, arrived
    behaviour = state.scenario.behaviour
    pop.expectation_ratio[arrived] = behaviour.initial_expectation_deadline_ratio
    if len(departed) == 0:
        return
    log = state.log
    active = np.concatenate([state.latent_ids, state.open_ids])
    left_h = _left_h(departed, departed_h, log.slot[active])
    # a problem is the departed person's only if it arose before they left
    gone = ~np.isnan(left_h)
    gone[gone] = log.arisen_h[active[gone]] <= left_h[gone]
    if gone.any():
        closure.terminate(state, active[gone], left_h[gone], ABANDONED, REASONS.index("left_city"))
        closure.purge_pools(state)


def _left_h(departed: np.ndarray, departed_h: np.ndarray, slots: np.ndarray) -> np.ndarray:
    """The hour each of `slots` was last left today (NaN if not): a look-up among today's
    departures, not a column over the whole population."""
    order = np.argsort(departed, kind="stable")  # a slot left twice: its last departure
    pos = np.searchsorted(departed[order], slots, side="right") - 1
    last = order[np.maximum(pos, 0)]
    return np.where((pos >= 0) & (departed[last] == slots), departed_h[last], np.nan)
