"""Streams paired by seed: calls and shared problems' neighbours do not depend on the policy."""

from __future__ import annotations

import copy

import numpy as np
from conftest import run

from sim.stages import calls, people


def _calls_of(state, ids) -> set[tuple]:
    table = state.calls.table().to_pandas()
    table = table[table["problem_id"].isin(ids) & (table["call_type"] == "duplicate")]
    return set(zip(table["problem_id"], table["call_h"].round(9), strict=True))


def test_calls_under_two_policies_with_equal_exposure_are_identical():
    # duplicates ten times as often as the calibrated district's, so that the few aware
    # people of 20 days' shared problems make some to compare
    model = run(days=30, seed=2, overrides=["scenario.dispatch.duplicate_call_rate_per_day=0.2"])
    state, t0 = model.state, 24.0 * model.day
    shared = state.open_ids[state.log.shared[state.open_ids]]
    assert len(shared) > 10
    a, b = copy.deepcopy(state), copy.deepcopy(state)
    # under policy b, every other shared problem was closed sooner: the rest are exposed alike
    b.open_ids = np.setdiff1d(b.open_ids, shared[::2])
    for day in range(20):
        calls.calls(a, t0 + 24.0 * day, t0 + 24.0 * (day + 1))
        calls.calls(b, t0 + 24.0 * day, t0 + 24.0 * (day + 1))
    common = shared[1::2]
    assert _calls_of(a, common) and _calls_of(a, common) == _calls_of(b, common)
    assert a.counters.consultations == b.counters.consultations > 0
    assert a.streams["calls"].random() == b.streams["calls"].random()


def test_everyone_a_shared_problem_affected_is_a_present_neighbour_of_its_block():
    model = run(days=30, seed=1)
    state = model.state
    log, pop = state.log, state.world.population
    ids = np.flatnonzero(log.shared & (log.n_affected > 1))
    which, slot = people.affected_neighbours(state, ids)
    assert len(slot) > 0 and pop.present[slot].all()
    assert (pop.cell[slot] == log.cell[ids][which]).all()
    assert (slot != log.slot[ids][which]).all()
    counts = np.bincount(which, minlength=len(ids))
    assert (counts <= log.n_affected[ids] - 1).all()
    pairs = set(zip(which.tolist(), slot.tolist(), strict=True))
    assert len(pairs) == len(slot)  # nobody twice for one problem
    again = people.affected_neighbours(state, ids)
    assert np.array_equal(again[1], slot)
