"""Needs arise: the kinds of candidates are numpy's `Generator.choice`, draw for draw."""

from __future__ import annotations

import numpy as np
from hypothesis import given, settings
from hypothesis import strategies as st

from sim.population import ELDERLY, MIGRANT
from sim.stages.arise import (
    accepted,
    choose,
    cumulative_shares,
    in_hour_order,
    owned_in_hour_order,
)


@settings(max_examples=80, deadline=None)
@given(st.integers(1, 40), st.integers(0, 300), st.integers(0, 2**32 - 1))
def test_choose_is_generators_choice(n_kinds, n, seed):
    weights = np.random.default_rng(seed).random(n_kinds)
    weights[weights < 0.2] = 0.0  # kinds that never arise
    weights[0] += 1e-3
    p = weights / weights.sum()
    ours, numpys = np.random.default_rng(seed + 1), np.random.default_rng(seed + 1)
    assert np.array_equal(
        choose(ours, cumulative_shares(p), n), numpys.choice(n_kinds, size=n, p=p)
    )
    assert ours.random() == numpys.random()  # the stream is left where choice leaves it


class _TopUniform:
    """A generator whose uniforms are all the largest float below 1."""

    def random(self, n):
        return np.full(n, np.nextafter(1.0, 0.0))


def test_choose_never_picks_past_the_last_kind():
    """Ten weights of 0.1 sum to a hair under 1: without normalising the cumulative sum, the
    top uniform would pick kind 10 of 10."""
    assert choose(_TopUniform(), cumulative_shares(np.full(10, 0.1)), 3).max() == 9


def _candidates(rng, rows, by_person, shocked):
    """Random rates and fixes, and candidates (each of `rows` a random one): (kind, cell,
    rate by kind, fixes, shock, person), `accepted`'s arguments but the draws."""
    n_kinds, n_cells, n_slots, m = 5, 12, 30, len(rows)
    kind, cell = rng.integers(0, n_kinds, m)[rows], rng.integers(0, n_cells, m)[rows]
    community = rng.integers(0, 3, n_cells).astype(np.int16)
    fixes = (rng.integers(0, 14, (n_kinds, 3)), 7, 0.7, community)
    shock = (rng.random(m) * 3.0)[rows] if shocked else np.empty(0)
    group, age_band = rng.integers(0, 2, n_slots).astype(np.int8), rng.integers(0, 3, n_slots)
    slot = rng.integers(0, n_slots, m)[rows] if by_person else np.empty(0, np.int64)
    person = (slot, group, age_band.astype(np.int8), rng.random(n_slots) < 0.8,
              rng.random(n_kinds) * 2.0, rng.random(n_kinds) * 2.0)  # fmt: skip
    return kind, cell, rng.random(n_kinds), fixes, shock, person


def _numpy_threshold(kind, cell, rate_h, fixes, shock, person):
    """The numpy form's threshold of each candidate (rate × multiplier, in its order) and
    whether its person (if any) is present."""
    fix_until_day, day, fix_share, community = fixes
    slot, group, age_band, present, migrant, elderly = person
    rate, here = rate_h[kind], np.ones(len(kind), bool)
    if len(slot):
        rate = (
            rate
            * np.where(group[slot] == MIGRANT, migrant[kind], 1.0)
            * np.where(age_band[slot] == ELDERLY, elderly[kind], 1.0)
        )
        here = present[slot]
    multiplier = np.where(fix_until_day[kind, community[cell]] > day, fix_share, 1.0)
    if len(shock):
        multiplier = multiplier * shock
    return rate * multiplier, here


@settings(max_examples=60, deadline=None)
@given(st.integers(0, 200), st.integers(0, 2**32 - 1), st.booleans(), st.booleans())
def test_thinning_is_the_numpy_form(n, seed, by_person, shocked):
    """`accepted` keeps what the numpy expressions it replaced kept, bit for bit."""
    rng = np.random.default_rng(seed)
    kind, cell, rate_h, fixes, shock, person = _candidates(rng, np.arange(n), by_person, shocked)
    envelope, accept_u = 2.5 * rng.random(len(rate_h)), rng.random(n)
    got = accepted(kind, cell, accept_u, envelope, rate_h, fixes, shock, person)
    threshold, here = _numpy_threshold(kind, cell, rate_h, fixes, shock, person)
    assert np.array_equal(got, (accept_u * envelope[kind] < threshold) & here)


@settings(max_examples=40, deadline=None)
@given(st.integers(0, 100), st.integers(0, 2**32 - 1), st.booleans(), st.booleans())
def test_thinning_thresholds_are_the_numpy_forms_to_the_bit(n, seed, by_person, shocked):
    """Each candidate twice, its draw × envelope (a power of 2: exact) at the numpy form's
    threshold (rejected) and one float below it (kept if present): a threshold computed in
    another order, a bit off, flips one of them."""
    rng = np.random.default_rng(seed)
    rows = np.tile(np.arange(n), 2)
    kind, cell, rate_h, fixes, shock, person = _candidates(rng, rows, by_person, shocked)
    threshold, here = _numpy_threshold(kind, cell, rate_h, fixes, shock, person)
    envelope = 2.0 ** rng.integers(-1, 3, len(rate_h)).astype(float)
    at = np.concatenate([threshold[:n], np.nextafter(threshold[n:], 0.0)])
    got = accepted(kind, cell, at / envelope[kind], envelope, rate_h, fixes, shock, person)
    assert np.array_equal(got, here & (np.arange(2 * n) >= n) & (threshold > 0.0))


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
