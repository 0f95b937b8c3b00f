"""Duplicate calls about shared problems (one compiled pass) are the numpy form it replaced,
bit for bit: the expected counts, which calls come and at what hour. Frequent callers
(高频来电人) add calls, not needs."""

from __future__ import annotations

from types import SimpleNamespace

import numpy as np
import pandas as pd
import pytest
from conftest import SMALL, run
from hypothesis import given, settings
from hypothesis import strategies as st

from sim import load_params
from sim.runner import simulate
from sim.stages.calls import _crossings, take_places
from sim.streams import spawn_streams


def _numpy_form(ids, t0, t1, known_h, n_affected, group, so_far, u_dup, rate, access, n_calls):
    start = np.maximum(t0, known_h[ids])
    span_h = np.maximum(0.0, t1 - start)
    expected = (n_affected[ids] - 1) * rate * span_h / 24.0
    expected = expected * access[group[ids]]
    before = so_far[ids]
    after = before + expected
    so_far[ids] = after
    u = u_dup[ids].astype(float)
    first = np.floor(before - u) + 1.0
    n = np.maximum(0, np.floor(after - u) - first + 1.0).astype(np.int64)
    who = np.repeat(ids, n)
    k = np.repeat(first, n) + (np.arange(n.sum()) - np.repeat(np.cumsum(n) - n, n))
    crossing = (k + np.repeat(u, n) - np.repeat(before, n)) / np.repeat(expected, n)
    np.add.at(n_calls, who, 1)
    return who, np.repeat(start, n) + crossing * np.repeat(span_h, n)


@settings(max_examples=80, deadline=None)
@given(st.integers(0, 30), st.integers(0, 2**32 - 1), st.floats(0.0, 5.0))
def test_duplicate_calls_are_the_numpy_form(m, seed, rate):
    rng = np.random.default_rng(seed)
    size = 40
    ids = rng.permutation(size)[:m]
    known_h = np.round(rng.random(size) * 60.0, 1)  # some known before today, some during
    n_affected = rng.integers(1, 400, size).astype(np.int32)
    group = rng.integers(0, 2, size).astype(np.int8)
    so_far = np.where(rng.random(size) < 0.5, 0.0, rng.random(size) * 5.0)
    u_dup = rng.random(size).astype(np.float32)
    access, n_calls = rng.random(2), rng.integers(0, 3, size).astype(np.int32)
    want_so_far, want_calls = so_far.copy(), n_calls.copy()
    want = _numpy_form(
        ids, 24.0, 48.0, known_h, n_affected, group, want_so_far, u_dup, rate, access, want_calls
    )
    got = _crossings(
        ids, (24.0, 48.0), (known_h, n_affected, group), so_far, u_dup, rate, access, n_calls
    )
    assert np.array_equal(got[0], want[0]) and np.array_equal(got[1], want[1])
    assert np.array_equal(so_far, want_so_far) and np.array_equal(n_calls, want_calls)


@pytest.fixture(scope="module")
def frequent_runs():
    """The same district and seed with no frequent callers and with 5 % of people calling
    20 times as often as others."""
    none = run(days=150, seed=4, overrides=["scenario.dispatch.frequent_caller_share=0.0"])
    many = run(days=150, seed=4, overrides=["scenario.dispatch.frequent_caller_share=0.05"])
    return none, many


def test_frequent_callers_add_calls_not_needs(frequent_runs):
    none, many = frequent_runs
    a, b = none.problems(), many.problems()
    same = [c for c in a.columns if c not in ("frequent_caller", "n_calls")]
    pd.testing.assert_frame_equal(a[same], b[same])  # the same needs, handled the same way
    assert not a["frequent_caller"].any()
    # owners are drawn whatever their trait: about 5 % of problems are a frequent caller's
    share, n = b["frequent_caller"].mean(), len(b)
    assert abs(share - 0.05) < 4 * np.sqrt(0.05 * 0.95 / n)
    daily_a, daily_b = none.daily().iloc[-1], many.daily().iloc[-1]
    assert daily_a["consultations_frequent_total"] == 0
    # 5 % of the reach at 20 times the rate: consultations × (0.95 + 0.05 × 20) ≈ 1.95
    ratio = daily_b["consultations_total"] / daily_a["consultations_total"]
    assert 1.7 < ratio < 2.2
    assert daily_b["consultations_frequent_total"] / daily_b["consultations_total"] > 0.4


def test_a_frequent_caller_left_unsatisfied_always_calls_again(frequent_runs):
    _, many = frequent_runs
    problems, calls = many.problems(), many.calls()
    repeats = calls.loc[calls["call_type"] == "repeat", "problem_id"].value_counts()
    unsatisfied = problems[(problems["rated_satisfied"] == False) & problems["frequent_caller"]]  # noqa: E712
    assert len(unsatisfied) >= 10  # all calling again by chance at 0.3: below 1e-5
    # each closing rated unsatisfied (a first attempt sent back and rated again counts twice)
    ratings = unsatisfied["first_rated_satisfied"].eq(False).astype(int) + 1
    got = repeats.reindex(unsatisfied["problem_id"], fill_value=0).to_numpy()
    assert (got >= 1).all() and (got <= ratings.to_numpy()).all()
    others = problems[(problems["rated_satisfied"] == False) & ~problems["frequent_caller"]]  # noqa: E712
    share_others = (repeats.reindex(others["problem_id"], fill_value=0) > 0).mean()
    assert share_others < 0.6  # `repeat_call_prob` of 0.3 for everyone else


def test_frequent_callers_are_counted_once():
    """Half the people frequent callers at 1× the rate consult as everyone did: their
    willingness is taken out of the others' sum (counted twice, consultations would be 1.5×)."""
    key = "scenario.dispatch.frequent_caller"
    none = run(days=90, seed=6, overrides=[f"{key}_share=0.0"])
    half = run(days=90, seed=6, overrides=[f"{key}_share=0.5", f"{key}_call_multiplier=1"])
    consulted = [m.daily()["consultations_total"].iloc[-1] for m in (half, none)]
    ratio = consulted[0] / consulted[1]
    assert 0.9 < ratio < 1.1


def test_streams_draw_what_they_should_and_the_index_follows_arrivals():
    """Over the burn-in and the run: `calls` and `frequent_calls` take two uniforms a day,
    `callers` one per place at the start and one per arrival (re-lets and a wave), so no
    policy shifts them; the frequent callers' index is the trait's, arrivals included."""
    params = load_params(policy=["baseline"], overrides=[*SMALL, "sim.days=120"], seed=3,
                         shock=["arrival_wave"])  # fmt: skip
    model = simulate(params)
    state, pop = model.state, model.state.world.population
    days = state.origin_day + 120
    fresh = spawn_streams(3)
    fresh["calls"].random(2 * days)
    fresh["frequent_calls"].random(2 * days)
    fresh["callers"].random(pop.capacity + pop.next_id - params.scenario.population.people)
    for name in ("calls", "frequent_calls", "callers"):
        assert state.streams[name].bit_generator.state == fresh[name].bit_generator.state, name
    assert np.array_equal(state.frequent_slots, np.flatnonzero(pop.frequent_caller))


def test_taking_places_keeps_the_index_of_frequent_callers():
    """Re-let places that change the trait either way, and a place taken twice in a day (its
    last draw counts), leave the trait as drawn and the index equal to the trait's slots."""
    pop = SimpleNamespace(frequent_caller=np.array([True, False, True, False, False]))
    state = SimpleNamespace(
        world=SimpleNamespace(population=pop),
        streams={"callers": np.random.default_rng(0)},
        scenario=SimpleNamespace(dispatch=SimpleNamespace(frequent_caller_share=0.5)),
        frequent_slots=np.array([0, 2]),
    )
    same_draws = np.random.default_rng(0)
    for slots in ([0, 1], [2, 2, 3], [4], [0, 1, 2, 3, 4]):
        want = pop.frequent_caller.copy()
        for slot, u in zip(slots, same_draws.random(len(slots)), strict=True):
            want[slot] = u < 0.5
        take_places(state, np.array(slots))
        assert np.array_equal(pop.frequent_caller, want)
        assert np.array_equal(state.frequent_slots, np.flatnonzero(want))
