"""The compiled passes over people's columns give what the numpy expressions they replace
give, bit for bit, on varied inputs (sums in slot order, as `np.bincount` adds them); so
does the consultations' Poisson quantile, against scipy's."""

from __future__ import annotations

from types import SimpleNamespace

import numpy as np
from hypothesis import given, settings
from hypothesis import strategies as st

from sim import passes
from sim.behaviour import report_willingness
from sim.population import Population
from sim.state import N_HAZARDS, RunState

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
    satisfaction, trust = rng.random(n), rng.random(n)
    count, satisfied, trusting, aware_n = passes.people_by_group(
        group, present, satisfaction, trust, aware
    )
    here = np.where(present, group, 2)
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


@settings(max_examples=60, deadline=None)
@given(st.integers(1, 200), SEEDS, st.floats(0.0, 1.0))
def test_moves_are_sequential_adds_then_clips(n, seed, share):
    rng = np.random.default_rng(seed)
    values = rng.random(50)
    slot = rng.integers(0, 50, n)  # the same person may move twice
    score = rng.random(n) * 1.4 - 0.2
    expected_values = values.copy()
    expected_change = share * (score - expected_values[slot])
    np.add.at(expected_values, slot, expected_change)
    expected_values[slot] = np.clip(expected_values[slot], 0.0, 1.0)
    change = passes.move_toward(values, slot, score, share)
    assert np.array_equal(change, expected_change) and np.array_equal(values, expected_values)


@settings(max_examples=60, deadline=None)
@given(st.integers(1, 40), st.integers(1, 30), SEEDS)
def test_neighbours_are_the_next_present_people_of_the_cell(n_cells, n_problems, seed):
    rng = np.random.default_rng(seed)
    cell_of_slot = np.sort(rng.integers(0, n_cells, 8 * n_cells))
    present = rng.random(len(cell_of_slot)) < 0.7
    slots_by_cell = np.argsort(cell_of_slot, kind="stable")
    cell_start = np.searchsorted(cell_of_slot[slots_by_cell], np.arange(n_cells))
    cell = rng.choice(np.unique(cell_of_slot), n_problems)  # a problem's cell has homes
    here = [slots_by_cell[cell_of_slot[slots_by_cell] == c] for c in cell]
    people = [s[present[s]] for s in here]
    n_present = np.array([len(p) for p in people])
    owner = np.array([rng.choice(s) for s in here])
    others = np.maximum(np.minimum(rng.integers(1, 12, n_problems) - 1, n_present - 1), 0)
    first = (rng.random(n_problems) * n_present).astype(np.int64)
    expected = []
    for i, p in enumerate(people):
        ring = [p[(first[i] + j) % len(p)] for j in range(len(p))] if len(p) else []
        expected += [(i, s) for s in [s for s in ring if s != owner[i]][: others[i]]]
    start = cell_start[cell]
    which, slot = passes.neighbours(slots_by_cell, present, start, n_present, others, first, owner)
    assert list(zip(which.tolist(), slot.tolist(), strict=True)) == expected


def _spread_numpy(
    community, group, present, aware, satisfaction, hazard, threshold, ratio, rates, group_gain
):  # fmt: skip
    """The awareness day as numpy expressions over the present slots (fancy indexing)."""
    n, publicity, word_of_mouth_rate, kept, pull, promised = rates
    here = np.flatnonzero(present)
    people = np.maximum(np.bincount(community[here], minlength=n), 1)
    aware_share = np.bincount(community[here], weights=aware[here], minlength=n) / people
    satisfied = np.bincount(community[here], weights=satisfaction[here], minlength=n)
    word_of_mouth = aware_share * satisfied / people
    gain = (publicity + word_of_mouth_rate * word_of_mouth[community[here]]) / 365
    hazard[here] = hazard[here] * kept + gain + group_gain[group[here]]
    aware[here] = hazard[here] >= threshold[here]
    knows = here[aware[here]]
    ratio[knows] += pull * (promised - ratio[knows])


@settings(max_examples=60, deadline=None)
@given(
    SLOTS, SEEDS, st.integers(1, 12), st.floats(0.0, 2.0), st.floats(0.0, 3.0),
    st.floats(0.0, 0.01),
)  # fmt: skip
def test_awareness_spreads_as_the_numpy_form(
    n, seed, n_communities, publicity, word_of_mouth, visits_per_day
):
    rng, group, present, aware = _people(n, seed)
    group_gain = np.array([0.0, visits_per_day])
    community = rng.integers(0, n_communities, n).astype(np.int16)
    satisfaction, threshold = rng.random(n), rng.exponential(1.0, n)
    hazard = np.where(rng.random(n) < 0.1, np.inf, rng.exponential(1.0, n))
    ratio = rng.random(n) * 2.0
    rates = (n_communities, publicity, word_of_mouth, float(rng.random()), 0.01, 0.5)
    want = {"aware": aware.copy(), "hazard": hazard.copy(), "ratio": ratio.copy()}
    _spread_numpy(
        community, group, present, want["aware"], satisfaction, want["hazard"], threshold,
        want["ratio"], rates, group_gain,
    )  # fmt: skip
    willing = rng.random(n)
    people, aware_people, willing_sum = passes.spread_awareness(
        community, group, present, aware, satisfaction, hazard, threshold, ratio, willing, rates,
        group_gain,
    )  # fmt: skip
    for name, got in (("aware", aware), ("hazard", hazard), ("ratio", ratio)):
        assert np.array_equal(got, want[name]), name
    # the calls stage's hotline reach, from the awareness after today's spread
    reach = present & want["aware"]
    expected = np.bincount(group, weights=np.where(reach, willing, 0.0), minlength=2)
    assert np.array_equal(willing_sum, expected)
    assert np.array_equal(people, np.bincount(group[present], minlength=2))
    assert np.array_equal(aware_people, np.bincount(group[reach], minlength=2))


@settings(max_examples=60, deadline=None)
@given(SLOTS, SEEDS, st.integers(1, 12))
def test_cells_and_notes_are_the_numpy_forms(n, seed, n_cells):
    rng, _, present, _ = _people(n, seed)
    cell_of_slot = rng.integers(0, n_cells, n)
    slots_by_cell = np.argsort(cell_of_slot, kind="stable")
    cell_start = np.searchsorted(cell_of_slot[slots_by_cell], np.arange(n_cells))
    cell_end = np.append(cell_start[1:], n)
    cum = np.concatenate([[0], np.cumsum(present[slots_by_cell])])  # the running count it replaced
    cell = rng.integers(0, n_cells, 20)
    present_by_cell = np.zeros(n_cells, np.int64)  # kept as people come (`set_present`)
    passes.set_present(
        np.zeros(n, np.bool_), present_by_cell, cell_of_slot, np.flatnonzero(present), True
    )
    start, n_present = cell_start[cell], present_by_cell[cell]
    assert np.array_equal(n_present, cum[cell_end[cell]] - cum[start])  # recounted
    k = np.minimum((rng.random(20) * n_present).astype(np.int64), np.maximum(n_present - 1, 0))
    pos = np.clip(np.searchsorted(cum, cum[start] + k + 1) - 1, 0, max(n - 1, 0))
    expected = np.where(n_present > 0, slots_by_cell[pos] if n else -1, -1)
    got = [passes.kth_present(slots_by_cell, present, s, j) if m > 0 else -1
           for s, j, m in zip(start, k, n_present, strict=True)]  # fmt: skip
    assert np.array_equal(got, expected)
    community, values = cell_of_slot.astype(np.int16), rng.random(n)
    here = present
    mean = np.bincount(community[here], values[here], n_cells) / np.maximum(
        np.bincount(community[here], minlength=n_cells), 1
    )
    expected_values = values.copy()
    expected_values[here] += 0.3 * (mean[community[here]] - values[here])
    passes.pull_to_community_mean(community, present, values, n_cells, 0.3)
    assert np.array_equal(values, expected_values)


@settings(max_examples=60, deadline=None)
@given(SLOTS, SEEDS)
def test_volunteering_is_the_numpy_form(n, seed):
    rng, _, present, employed = _people(n, seed)
    community, age_band = rng.integers(0, 5, n).astype(np.int16), rng.integers(0, 3, n)
    u_volunteer, u_party, propensity = rng.random(n), rng.random(n), rng.random(n)
    rates = (5, 0, 3.0, 5.0, 0.2, 0.4)
    got = passes.volunteering(
        community, present, age_band, employed, (u_volunteer, u_party), propensity, rates
    )
    volunteer = present & (age_band != 0) & (u_volunteer < propensity)
    hours = np.where(volunteer, np.where(employed, 3.0, 5.0) / 7.0, 0.0)
    party = np.where(present & employed & (u_party < 0.2), 0.4, 0.0)
    counts = [np.bincount(community[who], minlength=5) for who in (volunteer, present)]
    expected = (volunteer, hours, party, np.bincount(community, hours + party, 5), *counts)
    assert all(np.array_equal(a, b) for a, b in zip(got, expected, strict=True))


@settings(max_examples=60, deadline=None)
@given(SLOTS, SEEDS)
def test_adding_in_order_is_add_at(n, seed):
    rng = np.random.default_rng(seed)
    values, slot = rng.random(7), rng.integers(0, 7, n)  # slots repeat
    change = rng.normal(0.0, 1e3, n)
    expected = values.copy()
    np.add.at(expected, slot, change)
    passes.add_in_order(values, slot, change)
    assert np.array_equal(values, expected)


@settings(max_examples=40, deadline=None)
@given(SLOTS, SEEDS)
def test_places_due_are_found_from_the_list_of_those_due_soon(n, seed):
    """`Population._due` (a list kept for a month) gives `due_between` over everyone, day
    after day, as times change (some into the window, some out of it)."""
    rng = np.random.default_rng(seed)
    pop = Population.__new__(Population)
    pop.next_change_h = np.where(rng.random(n) < 0.2, np.inf, rng.random(n) * 24.0 * 90)
    for day in range(80):
        t0_h, t1_h = 24.0 * day, 24.0 * (day + 1)
        expected = passes.due_between(pop.next_change_h, t0_h, t1_h)
        assert np.array_equal(pop._due(t0_h, t1_h), expected)
        changed = rng.integers(0, max(n, 1), 3 if n else 0)
        pop.next_change_h[changed] = t1_h + np.round(rng.random(len(changed)) * 24.0 * 60, 1)
        pop._changed(changed)


@settings(max_examples=40, deadline=None)
@given(SEEDS, st.lists(st.integers(0, 700), min_size=1, max_size=12))
def test_latent_rows_kept_and_added_in_place_are_the_numpy_forms(seed, added):
    """`RunState.keep_latent` (rows moved up in place) and `add_latent` (into spare rows)
    give, day after day, what `x[keep]` and `np.concatenate` gave."""
    rng = np.random.default_rng(seed)
    state = SimpleNamespace(
        latent_ids=np.empty(0, np.int64),
        latent_thresholds=np.empty((0, N_HAZARDS)),
        latent_hazards=np.empty((0, N_HAZARDS)),
    )
    ids, thresholds, hazards = state.latent_ids, state.latent_thresholds, state.latent_hazards
    for m in added:
        new_ids, new_thresholds = rng.integers(0, 10**6, m), rng.random((m, N_HAZARDS))
        RunState.add_latent(state, new_ids, new_thresholds)
        ids, thresholds = (
            np.concatenate([ids, new_ids]),
            np.concatenate([thresholds, new_thresholds]),
        )
        hazards = np.concatenate([hazards, np.zeros((m, N_HAZARDS))])
        state.latent_hazards += rng.random(state.latent_hazards.shape)  # the race's
        hazards = state.latent_hazards.copy()
        keep = rng.random(len(ids)) < 0.8
        RunState.keep_latent(state, keep)
        ids, thresholds, hazards = ids[keep], thresholds[keep], hazards[keep]
        for got, want in zip(
            (state.latent_ids, state.latent_thresholds, state.latent_hazards),
            (ids, thresholds, hazards),
            strict=True,
        ):
            assert np.array_equal(got, want)


@settings(max_examples=60, deadline=None)
@given(st.integers(0, 200), SEEDS)
def test_due_among_is_the_numpy_form(n, seed):
    """`due_among` is `np.unique` of the listed slots whose time is in (t0, t1] (slots
    listed twice, NaN and infinite times among them)."""
    rng = np.random.default_rng(seed)
    times = np.round(rng.random(50) * 72.0, 0)
    times[rng.random(50) < 0.1] = np.nan
    times[rng.random(50) < 0.1] = np.inf
    slots = rng.integers(0, 50, n)
    t0_h, t1_h = 24.0, 48.0
    expected = np.unique(slots[(times[slots] > t0_h) & (times[slots] <= t1_h)])
    got = passes.due_among(slots, times, t0_h, t1_h)
    assert got.dtype == expected.dtype and np.array_equal(got, expected)


@settings(max_examples=60, deadline=None)
@given(st.integers(0, 120), SEEDS, st.one_of(st.sampled_from([0.0, 1.0]), st.floats(0.0, 1.0)))
def test_take_places_is_the_numpy_form(n, seed, a0):
    """`take_places` writes what `awareness._take_places`' numpy form wrote (slots taken
    twice among them), its start hazard −log1p(−a0) in Python as fmath's."""
    from sim import fmath
    from sim.stages.awareness import _start_hazard

    rng = np.random.default_rng(seed)
    group = rng.integers(0, 2, 40).astype(np.int8)
    initial = np.array([0.2, a0])
    with np.errstate(divide="ignore"):
        numpy_start = -fmath.log1p(-initial)
    start = np.array([_start_hazard(SimpleNamespace(initial_hotline_awareness_share=a))
                      for a in initial])  # fmt: skip
    assert np.array_equal(start, numpy_start)
    slots, draws = rng.integers(0, 40, n), rng.exponential(1.0, n)
    columns = (group, rng.random(40), rng.random(40), rng.random(40) < 0.5)
    expected = tuple(c.copy() for c in columns)
    _, threshold, hazard, aware = expected
    threshold[slots] = draws
    hazard[slots] = numpy_start[group[slots]]
    aware[slots] = hazard[slots] >= threshold[slots]
    passes.take_places(slots, draws, start, columns)
    for got, want in zip(columns, expected, strict=True):
        assert np.array_equal(got, want)
