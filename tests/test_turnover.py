"""People coming and going, with its compiled passes, does what the numpy form it replaced
did, bit for bit: the same departures, arrivals, draws from the migration stream and
columns, day after day (several changes of a place in a day included)."""

from __future__ import annotations

import copy

import numpy as np
from hypothesis import given, settings
from hypothesis import strategies as st

from sim import CityModel, load_params
from sim.population import ADULT, CHILD, ELDERLY, _still_due
from sim.stages.turnover import _left_with

COLUMNS = (
    "present", "present_by_cell", "volunteer", "next_change_h", "person_id", "arrived_h",
    "expectation_ratio", "age_band", "employed", "owner", "trust", "satisfaction",
    "u_volunteer", "u_party",
)  # fmt: skip


def _draw_numpy(pop, idx, gspec, rng):
    """`_draw_attributes` before it was compiled."""
    k = len(idx)
    u_age = rng.random(k)
    age = np.full(k, ADULT, np.int8)
    age[u_age < gspec.child_share] = CHILD
    age[u_age >= 1.0 - gspec.elderly_share] = ELDERLY
    pop.age_band[idx] = age
    pop.employed[idx] = (age == ADULT) & (rng.random(k) < gspec.employed_share)
    pop.owner[idx] = rng.random(k) < gspec.owner_share
    pop.trust[idx] = gspec.initial_trust_prob
    pop.satisfaction[idx] = gspec.initial_satisfaction_share
    pop.u_volunteer[idx] = rng.random(k)
    pop.u_party[idx] = rng.random(k)


def _turnover_numpy(pop, t0_h, t1_h):
    """`Population.turnover` before its passes were compiled."""
    departed, departed_h, arrived = [], [], []
    due = pop._due(t0_h, t1_h)
    while len(due):
        leaving, coming = due[pop.present[due]], due[~pop.present[due]]
        if len(leaving):
            when = pop.next_change_h[leaving]
            pop._set_present(leaving, False)
            pop.volunteer[leaving] = False
            departed.append(leaving)
            departed_h.append(when)
            vacancy = pop._migration.exponential(pop.spec.refill_mean_days * 24.0, len(leaving))
            pop.next_change_h[leaving] = when + vacancy
            pop._changed(leaving)
        if len(coming):
            when = pop.next_change_h[coming]
            pop.person_id[coming] = pop.next_id + np.arange(len(coming))
            pop.next_id += len(coming)
            pop._set_present(coming, True)
            pop.arrived_h[coming] = when
            pop.expectation_ratio[coming] = np.nan
            for g, gspec in enumerate((pop.spec.resident, pop.spec.migrant)):
                same = coming[pop.group[coming] == g]
                if len(same):
                    _draw_numpy(pop, same, gspec, pop._migration)
            pop.next_change_h[coming] = when + pop._stay_h(pop.group[coming])
            pop._changed(coming)
            arrived.append(coming)
        next_h = pop.next_change_h[due]
        due = due[(next_h > t0_h) & (next_h <= t1_h)]
    join = lambda parts, dt: np.concatenate(parts).astype(dt) if parts else np.empty(0, dt)  # noqa: E731
    return join(departed, np.int64), join(departed_h, float), join(arrived, np.int64)


@settings(max_examples=8, deadline=None)
@given(st.integers(0, 2**16), st.floats(2.0, 40.0))
def test_turnover_is_the_numpy_form(seed, refill_days):
    overrides = [
        "scenario.population.people=2000", "scenario.city.width_cells=6",
        "scenario.city.height_cells=6", "sim.burn_in_days=0", "sim.days=1",
        f"scenario.population.refill_mean_days={refill_days}",
        "scenario.population.migrant.departure_rate_per_year=4.0",
    ]  # fmt: skip
    model = CityModel(load_params(overrides=overrides, seed=seed), people_agents=False)
    ours, theirs = model.population, copy.deepcopy(model.population)
    moves = 0
    for day in range(40):
        t0_h, t1_h = 24.0 * day, 24.0 * (day + 1)
        got, want = ours.turnover(t0_h, t1_h), _turnover_numpy(theirs, t0_h, t1_h)
        for a, b in zip(got, want, strict=True):
            assert np.array_equal(a, b)
        moves += len(got[0]) + len(got[2])
        for name in COLUMNS:
            assert np.array_equal(getattr(ours, name), getattr(theirs, name), equal_nan=True)
        assert ours.next_id == theirs.next_id
        assert ours._migration.random() == theirs._migration.random()
    assert moves > 0


@settings(max_examples=60, deadline=None)
@given(st.integers(0, 2**32 - 1), st.integers(0, 30), st.integers(0, 20))
def test_problems_left_with_their_owners_are_the_numpy_form(seed, n_active, n_departed):
    """`turnover._left_with` is the look-up it replaced (a stable sort of today's
    departures, the last one of a slot left twice), then the problems arisen by then."""
    rng = np.random.default_rng(seed)
    slot, arisen_h = rng.integers(0, 12, 60), rng.integers(0, 9, 60) * 6.0
    latent, open_ = rng.permutation(60)[:n_active], rng.permutation(60)[: n_active // 2]
    departed = rng.integers(0, 12, n_departed)
    departed_h = 24.0 + rng.integers(0, 5, n_departed) * 6.0  # a grid: some arose then (gone)
    active = np.concatenate([latent, open_])
    order = np.argsort(departed, kind="stable")
    pos = np.searchsorted(departed[order], slot[active], side="right") - 1
    last = order[np.maximum(pos, 0)] if n_departed else np.zeros(len(active), np.int64)
    found = (pos >= 0) & (departed[last] == slot[active]) if n_departed else pos >= 0
    left_h = np.where(found, departed_h[last] if n_departed else 0.0, np.nan)
    gone = ~np.isnan(left_h)
    gone[gone] = arisen_h[active[gone]] <= left_h[gone]
    got = _left_with(latent, open_, (slot, arisen_h), (departed, departed_h))
    assert np.array_equal(got[0], active[gone]) and np.array_equal(got[1], left_h[gone])


@settings(max_examples=40, deadline=None)
@given(st.integers(0, 2**32 - 1), st.integers(0, 40))
def test_still_due_is_the_numpy_form(seed, n):
    """`population._still_due` keeps the slots whose next change is in (t0, t1], as the
    numpy form did (some changes exactly at t0, out, and at t1, in)."""
    rng = np.random.default_rng(seed)
    due, next_change_h = rng.permutation(50)[:n], rng.integers(0, 6, 50) * 12.0
    want = due[(next_change_h[due] > 24.0) & (next_change_h[due] <= 48.0)]
    assert np.array_equal(_still_due(due, next_change_h, 24.0, 48.0), want)
