"""`arise.new_needs` (thinning and ordering in one pass) is the numpy form it replaced."""

from __future__ import annotations

import numpy as np
from hypothesis import given, settings
from hypothesis import strategies as st

from sim.stages.arise import accepted, in_hour_order, new_needs, owned_in_hour_order
from sim.state import DRAWS, D


def _numpy_form(own, shared, fixes, people, cells, affected_share):
    """The rows to log as `needs_arise` built them: each part thinned, ordered and gathered,
    then concatenated (people affected: np.maximum(1, np.round(...)))."""
    slot, kind, hour, accept_u, draws, envelope, rate_h, shock = own
    group, age_band, present, cell_of, migrant, elderly = people
    person = (slot, group, age_band, present, migrant, elderly)
    keep = accepted(kind, cell_of[slot], accept_u, envelope, rate_h, fixes, shock, person)
    rows = in_hour_order(np.flatnonzero(keep), hour)
    parts = [(slot[rows], kind[rows], hour[rows], draws[rows], np.ones(len(rows)))]
    cell, c_kind, c_hour, c_accept_u, c_draws, c_envelope, c_rate_h, c_shock = shared
    nobody = (np.empty(0, np.int64), group, age_band, present, migrant, elderly)
    keep = accepted(c_kind, cell, c_accept_u, c_envelope, c_rate_h, fixes, c_shock, nobody)
    rows, owner = owned_in_hour_order(keep, cell, c_draws[:, D["u_owner"]], cells, c_hour)
    present_in_cell = cells[2][cell_of[owner]]
    n_affected = np.maximum(1, np.round(affected_share[c_kind[rows]] * present_in_cell))
    parts.append((owner, c_kind[rows], c_hour[rows], c_draws[rows], n_affected))
    slot, kind, hour, draws, n_affected = (np.concatenate(c) for c in zip(*parts, strict=True))
    shared_rows = np.zeros(len(slot), np.bool_)
    shared_rows[len(parts[0][0]) :] = True
    return slot, kind, hour, draws, shared_rows, n_affected


def _candidates(rng, n, n_kinds, where, shocked):
    """n candidates at random `where` (slots or cells): (where, kind, hour with ties,
    accept_u, draws, envelope, rate by kind, shock)."""
    rate_h = rng.random(n_kinds) * (rng.random(n_kinds) < 0.8)
    envelope = rate_h * 2.0 + 1e-3
    shock = rng.random(n) * 2.0 if shocked else np.empty(0)
    hour = np.round(rng.random(n) * 24.0, 1)
    return (where, rng.integers(0, n_kinds, n), hour, rng.random(n),
            rng.random((n, len(DRAWS))), envelope, rate_h, shock)  # fmt: skip


@settings(max_examples=80, deadline=None)
@given(st.integers(0, 80), st.integers(0, 40), st.integers(0, 2**32 - 1), st.booleans())
def test_new_needs_is_the_numpy_form(n_own, n_shared, seed, shocked):
    rng = np.random.default_rng(seed)
    n_kinds, n_cells, n_slots = 6, 9, 60
    cell_of = rng.integers(0, n_cells, n_slots)
    slots_by_cell = np.argsort(cell_of, kind="stable")
    cell_start = np.searchsorted(cell_of[slots_by_cell], np.arange(n_cells))
    present = rng.random(n_slots) < 0.7
    present_by_cell = np.bincount(cell_of[present], minlength=n_cells)
    cells = (slots_by_cell, cell_start, present_by_cell, present)
    people = (rng.integers(0, 2, n_slots).astype(np.int8),
              rng.integers(0, 3, n_slots).astype(np.int8), present, cell_of,
              rng.random(n_kinds) * 2.0, rng.random(n_kinds) * 2.0)  # fmt: skip
    community = rng.integers(0, 3, n_cells).astype(np.int16)
    fixes = (rng.integers(0, 14, (n_kinds, 3)), 7, 0.7, community)
    own = _candidates(rng, n_own, n_kinds, rng.integers(0, n_slots, n_own), shocked)
    shared = _candidates(rng, n_shared, n_kinds, rng.integers(0, n_cells, n_shared), shocked)
    affected_share = rng.choice([0.5, 0.25, 0.1, 0.0, 1.0 / 3.0], n_kinds)  # halves: ties
    slot, kind, hour, draws, (is_shared, n_affected) = new_needs(
        own, shared, fixes, people, cells, affected_share
    )
    expected = _numpy_form(own, shared, fixes, people, cells, affected_share)
    for got, want in zip((slot, kind, hour, draws, is_shared, n_affected), expected, strict=True):
        assert got.dtype == want.dtype
        assert np.array_equal(got, want)
