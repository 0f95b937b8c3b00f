"""The compiled passes over people's columns give what the numpy expressions they replace
give, bit for bit, on varied inputs (sums in slot order, as `np.bincount` adds them); so
does the consultations' Poisson quantile, against scipy's."""

from __future__ import annotations

import numpy as np
from hypothesis import given, settings
from hypothesis import strategies as st

from sim import passes
from sim.behaviour import report_willingness

SLOTS = st.integers(min_value=0, max_value=300)
SEEDS = st.integers(min_value=0, max_value=2**32 - 1)


def _people(n: int, seed: int):
    rng = np.random.default_rng(seed)
    group = rng.integers(0, 2, n).astype(np.int8)
    return rng, group, rng.random(n) < 0.9, rng.random(n) < 0.7


@settings(max_examples=60, deadline=None)
@given(SLOTS, SEEDS, st.floats(0.0, 1.5), st.floats(-2.0, 3.0))
def test_willingness_is_the_numpy_form(n, seed, renter_multiplier, effect):
    rng, group, owner, _ = _people(n, seed)
    trust, base, initial = rng.random(n), rng.random(2), rng.random(2)
    expected = base[group] * (1.0 + effect * (trust - initial[group]))
    expected = np.clip(np.where(owner, expected, expected * renter_multiplier), 0.0, 1.0)
    got = report_willingness(trust, group, owner, base, initial, renter_multiplier, effect)
    assert np.array_equal(got, expected)


@settings(max_examples=60, deadline=None)
@given(SLOTS, SEEDS)
def test_group_sums_are_bincounts(n, seed):
    rng, group, present, aware = _people(n, seed)
    satisfaction, trust, willing = rng.random(n), rng.random(n), rng.random(n)
    expected = np.bincount(group, weights=np.where(present & aware, willing, 0.0), minlength=2)
    assert np.array_equal(passes.sum_by_group(group, present, aware, willing), expected)
    count, satisfied, trusting, aware_n = passes.people_by_group(
        group, present, satisfaction, trust, aware
    )
    here = np.where(present, group, 2)
    people, aware_people = passes.aware_by_group(group, present, aware)
    assert np.array_equal(people, np.bincount(group[present], minlength=2))
    assert np.array_equal(aware_people, np.bincount(group[present & aware], minlength=2))
    assert np.array_equal(count, np.bincount(here, minlength=3)[:2])
    assert np.array_equal(satisfied, np.bincount(here, satisfaction, minlength=3)[:2])
    assert np.array_equal(trusting, np.bincount(here, trust, minlength=3)[:2])
    assert np.array_equal(aware_n, np.bincount(here, aware, minlength=3)[:2])


@settings(max_examples=60, deadline=None)
@given(SLOTS, SEEDS, st.floats(0.0, 30.0), st.floats(0.0, 30.0))
def test_due_slots_are_those_in_the_half_open_day(n, seed, t0_h, span_h):
    rng = np.random.default_rng(seed)
    times_h = np.where(rng.random(n) < 0.2, np.inf, np.round(40.0 * rng.random(n), 1))
    t1_h = t0_h + span_h
    expected = np.flatnonzero((times_h > t0_h) & (times_h <= t1_h))
    assert np.array_equal(passes.due_between(times_h, t0_h, t1_h), expected)


@settings(max_examples=100, deadline=None)
@given(st.floats(0.0, 1.0, exclude_max=True), st.floats(1e-6, 500.0))
def test_poisson_quantile_is_scipys(u, mean):
    from scipy.stats import poisson

    from sim.stages.calls import poisson_quantile

    assert poisson_quantile(u, mean) == poisson.ppf(u, mean)
