"""Needs arise: the kinds of candidates are numpy's `Generator.choice`, draw for draw."""

from __future__ import annotations

import numpy as np
from hypothesis import given, settings
from hypothesis import strategies as st

from sim.population import ELDERLY, MIGRANT
from sim.stages.arise import accepted, choose, in_hour_order, owned_in_hour_order


@settings(max_examples=80, deadline=None)
@given(st.integers(1, 40), st.integers(0, 300), st.integers(0, 2**32 - 1))
def test_choose_is_generators_choice(n_kinds, n, seed):
    weights = np.random.default_rng(seed).random(n_kinds)
    weights[weights < 0.2] = 0.0  # kinds that never arise
    weights[0] += 1e-3
    p = weights / weights.sum()
    ours, numpys = np.random.default_rng(seed + 1), np.random.default_rng(seed + 1)
    assert np.array_equal(choose(ours, p, n), numpys.choice(n_kinds, size=n, p=p))
    assert ours.random() == numpys.random()  # the stream is left where choice leaves it


class _TopUniform:
    """A generator whose uniforms are all the largest float below 1."""

    def random(self, n):
        return np.full(n, np.nextafter(1.0, 0.0))


def test_choose_never_picks_past_the_last_kind():
    """Ten weights of 0.1 sum to a hair under 1: without normalising the cumulative sum, the
    top uniform would pick kind 10 of 10."""
    assert choose(_TopUniform(), np.full(10, 0.1), 3).max() == 9


@settings(max_examples=60, deadline=None)
@given(st.integers(0, 200), st.integers(0, 2**32 - 1), st.booleans(), st.booleans())
def test_thinning_is_the_numpy_form(n, seed, by_person, shocked):
    """`accepted` keeps what the numpy expressions it replaced kept, bit for bit."""
    rng = np.random.default_rng(seed)
    n_kinds, n_cells, n_slots, day = 5, 12, 30, 7
    kind, cell = rng.integers(0, n_kinds, n), rng.integers(0, n_cells, n)
    community = rng.integers(0, 3, n_cells).astype(np.int16)
    fix_until_day = rng.integers(0, 14, (n_kinds, 3))
    rate_h, envelope = rng.random(n_kinds), 2.5 * rng.random(n_kinds)
    accept_u = rng.random(n)
    shock = rng.random(n) * 3.0 if shocked else np.empty(0)
    group, age_band = rng.integers(0, 2, n_slots).astype(np.int8), rng.integers(0, 3, n_slots)
    present = rng.random(n_slots) < 0.8
    migrant, elderly = rng.random(n_kinds) * 2.0, rng.random(n_kinds) * 2.0
    slot = rng.integers(0, n_slots, n) if by_person else np.empty(0, np.int64)
    got = accepted(
        kind, cell, accept_u, envelope, rate_h, (fix_until_day, day, 0.7, community), shock,
        (slot, group, age_band.astype(np.int8), present, migrant, elderly),
    )  # fmt: skip
    rate = rate_h[kind]
    if by_person:
        rate = (
            rate
            * np.where(group[slot] == MIGRANT, migrant[kind], 1.0)
            * np.where(age_band[slot] == ELDERLY, elderly[kind], 1.0)
        )
    multiplier = np.where(fix_until_day[kind, community[cell]] > day, 0.7, 1.0)
    if shocked:
        multiplier = multiplier * shock
    expected = accept_u * envelope[kind] < rate * multiplier
    if by_person:
        expected &= present[slot]
    assert np.array_equal(got, expected)


def _kth_present(slots_by_cell, present, start, n_present, k):
    """The numpy form: the k-th present person counting from `start` (-1 where none)."""
    cum = np.concatenate([[0], np.cumsum(present[slots_by_cell])])
    pos = np.clip(np.searchsorted(cum, cum[start] + k + 1) - 1, 0, len(slots_by_cell) - 1)
    return np.where(n_present > 0, slots_by_cell[pos], -1)


@settings(max_examples=60, deadline=None)
@given(st.integers(0, 120), st.integers(0, 2**32 - 1))
def test_kept_needs_in_hour_order_are_the_numpy_form(n, seed):
    """The kept candidates in order of the hour (ties: drawn order), and a cell's need's
    owner, as `np.argsort(kind="stable")` and `_owner_in_cell` gave them."""
    rng = np.random.default_rng(seed)
    keep, hour = rng.random(n) < 0.6, np.round(rng.random(n) * 24.0, 1)  # some ties
    rows = np.flatnonzero(keep)
    expected = rows[np.argsort(hour[rows], kind="stable")]
    assert np.array_equal(in_hour_order(rows, hour), expected)
    n_cells, n_slots = 8, 50
    cell_of_slot = rng.integers(0, n_cells, n_slots)
    slots_by_cell = np.argsort(cell_of_slot, kind="stable")
    cell_start = np.searchsorted(cell_of_slot[slots_by_cell], np.arange(n_cells))
    present = rng.random(n_slots) < 0.7
    present_by_cell = np.bincount(cell_of_slot[present], minlength=n_cells)
    cell, u_owner = rng.integers(0, n_cells, n), rng.random(n)
    start, n_present = cell_start[cell[keep]], present_by_cell[cell[keep]]
    k = np.minimum((u_owner[keep] * n_present).astype(np.int64), np.maximum(n_present - 1, 0))
    owner = _kth_present(slots_by_cell, present, start, n_present, k)
    ok = owner >= 0
    order = np.argsort(hour[keep][ok], kind="stable")
    cells = (slots_by_cell, cell_start, present_by_cell, present)
    got_rows, got_owner = owned_in_hour_order(keep, cell, u_owner, cells, hour)
    assert np.array_equal(got_rows, rows[ok][order])
    assert np.array_equal(got_owner, owner[ok][order])
