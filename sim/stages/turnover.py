"""Stage 0, people come and go: migrants' stays end and places are re-let; an arrival wave
fills reserve places. A problem whose owner left before it ended ends with them."""

from __future__ import annotations

import numba
import numpy as np

from sim.records import ABANDONED, REASONS
from sim.stages import calls, closure
from sim.state import DistrictState


def people_come_and_go(state: DistrictState, t0: float, t1: float) -> None:
    pop = state.world.population
    departed, departed_h, arrived = pop.turnover(t0, t1)
    if state.shocks is not None:
        wave, wave_h = state.shocks.arrivals(state.day, pop)
        pop.arrive(wave, wave_h, state.shocks.rng)
        arrived = np.concatenate([arrived, wave])
    state.departed_today, state.arrived_today = departed, arrived
    if len(arrived):
        calls.take_places(state, arrived)
    behaviour = state.scenario.behaviour
    pop.expectation_ratio[arrived] = behaviour.initial_expectation_deadline_ratio
    if len(departed) == 0:
        return
    log = state.log
    gone, left_h = _left_with(
        state.latent_ids, state.open_ids, (log.slot, log.arisen_h), (departed, departed_h)
    )
    if len(gone):
        closure.terminate(state, gone, left_h, ABANDONED, REASONS.index("left_city"))
        closure.purge_pools(state)


@numba.njit(cache=True, nogil=True)
def _left_with(latent, open_, problems, departures):
    """The problems still active (latent, then open, each in order) whose owner left today
    and which arose before they left, and that hour (a slot left twice: its last
    departure): a look-up among today's departures (slots, hours), not a column over the
    population. `problems` is the log's (slot, arisen_h)."""
    departed, departed_h = departures
    order = np.argsort(departed, kind="mergesort")  # stable: a slot's last departure last
    by_slot = (departed[order], departed_h[order])
    # which slots someone left today, a flag each: most owners did not leave, and a flag
    # read is cheaper than the search that finds the hour of those who did
    left_today = np.zeros(departed.max() + 1 if len(departed) else 0, np.bool_)
    left_today[departed] = True
    gone, hours = np.empty(len(latent) + len(open_), np.int64), np.empty(len(latent) + len(open_))
    n = _left(latent, problems, (by_slot, left_today), gone, hours, 0)
    n = _left(open_, problems, (by_slot, left_today), gone, hours, n)
    return gone[:n].copy(), hours[:n].copy()


@numba.njit(cache=True, nogil=True, inline="always")
def _left(ids, problems, departures, gone, hours, n):
    slot, arisen_h = problems
    (departed, departed_h), left_today = departures  # sorted by slot; a flag by slot
    for p in ids:
        s = slot[p]
        if not (0 <= s < len(left_today) and left_today[s]):
            continue
        last = np.searchsorted(departed, s, side="right") - 1
        left = departed_h[last] if last >= 0 and departed[last] == s else np.nan
        if arisen_h[p] <= left:  # (False where it was not left: NaN)
            gone[n], hours[n] = p, left
            n += 1
    return n
