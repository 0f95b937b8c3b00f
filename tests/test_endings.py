"""The compiled passes of a problem's becoming known, its ending without handling and its
owner's learning give what the numpy expressions they replaced give, bit for bit, on varied
inputs (repeated ids included, where numpy's reads come before its writes)."""

from __future__ import annotations

import numpy as np
from conftest import straddling
from hypothesis import given, settings
from hypothesis import strategies as st

from sim.records import HOTLINE, LATENT, OPEN
from sim.stages.closing import end_unhandled
from sim.stages.latent import _fixed_on_the_spot, _known
from sim.stages.people import learn
from sim.state import DRAWS, D

SIZES = st.integers(min_value=0, max_value=60)
SEEDS = st.integers(min_value=0, max_value=2**32 - 1)
N_PROBLEMS = 40


@settings(max_examples=60, deadline=None)
@given(SIZES, SEEDS)
def test_ending_unhandled_is_the_numpy_form(n, seed):
    rng = np.random.default_rng(seed)
    ids = rng.integers(0, N_PROBLEMS, n)
    when_h = rng.integers(0, 8, n) * 6.0  # a grid: some responses at the ending's hour (kept)
    status = rng.integers(0, 3, N_PROBLEMS).astype(np.int8)
    closed_h, reason = np.full(N_PROBLEMS, np.nan), np.full(N_PROBLEMS, -1, np.int8)
    grid_h = rng.integers(0, 8, N_PROBLEMS) * 6.0
    responded_h = np.where(rng.random(N_PROBLEMS) < 0.3, np.nan, grid_h)
    want = [status.copy(), closed_h.copy(), reason.copy(), responded_h.copy()]
    was_latent = want[0][ids] == LATENT
    want[0][ids], want[1][ids], want[2][ids] = 5, when_h, 3
    want[3][ids[want[3][ids] > when_h]] = np.nan
    got = [status, closed_h, reason, responded_h]
    n_latent = end_unhandled(ids, when_h, (5, 3, LATENT), tuple(got))
    assert n_latent == int(was_latent.sum())
    for expected, column in zip(want, got, strict=True):
        assert np.array_equal(column, expected, equal_nan=True)


@settings(max_examples=60, deadline=None)
@given(SIZES, SEEDS)
def test_becoming_known_is_the_numpy_form(n, seed):
    rng = np.random.default_rng(seed)
    ids = rng.integers(0, N_PROBLEMS, n)
    when, channel = rng.random(n) * 24.0, rng.integers(0, 5, n).astype(np.int8)
    n_calls = rng.integers(0, 3, N_PROBLEMS).astype(np.int32)
    columns = (np.zeros(N_PROBLEMS, np.int8), np.full(N_PROBLEMS, np.nan),
               np.full(N_PROBLEMS, -1, np.int8), n_calls)  # fmt: skip
    want = [column.copy() for column in columns]
    want[0][ids], want[1][ids], want[2][ids] = OPEN, when, channel
    want[3][ids[channel == HOTLINE]] += 1
    hotline = _known(ids, when, channel, columns)
    assert np.array_equal(hotline, channel == HOTLINE)
    for expected, column in zip(want, columns, strict=True):
        assert np.array_equal(column, expected, equal_nan=True)


@settings(max_examples=60, deadline=None)
@given(SIZES, SEEDS, st.floats(0.0, 1.0))
def test_learning_expectations_is_the_numpy_form(n, seed, share):
    rng = np.random.default_rng(seed)
    ids, actual_h = rng.integers(0, N_PROBLEMS, n), rng.random(n) * 200.0
    slot, kind = rng.integers(0, 15, N_PROBLEMS), rng.integers(0, 4, N_PROBLEMS)
    present, deadline_h = rng.random(15) < 0.8, 24.0 + rng.random(4) * 100.0
    ratio = np.where(rng.random(15) < 0.1, np.nan, rng.random(15) * 2.0)
    expected = ratio.copy()
    here = present[slot[ids]]
    change = share * (actual_h / deadline_h[kind[ids]] - expected[slot[ids]])
    np.add.at(expected, slot[ids][here], change[here])
    learn(ids, actual_h, (slot, kind), (present, ratio), deadline_h, share)
    assert np.array_equal(ratio, expected, equal_nan=True)


@settings(max_examples=60, deadline=None)
@given(SIZES, SEEDS, st.booleans())
def test_fixing_on_the_spot_is_the_numpy_form(n, seed, volunteer):
    """`latent._fixed_on_the_spot` gives `_found`'s numpy form: closable on discovery (or
    mediable, for a volunteer), not outside any policy (`u_outside` < share × gap, that
    form: some kinds' share and gap straddle a draw); the fixed get finder and hour."""
    rng = np.random.default_rng(seed)
    ids = rng.permutation(N_PROBLEMS)[:n]
    when = rng.random(len(ids)) * 24.0
    kind = rng.integers(0, 4, N_PROBLEMS).astype(np.int16)
    draws = rng.random((N_PROBLEMS, len(DRAWS))).astype(np.float32)
    closable_share, mediable = rng.random(4), rng.random(4) < 0.5
    outside_share, gap = rng.random(4) * 0.3, rng.random(4) * 1.5
    probe = ids[:4]  # of kinds 0, 1, ...: some kinds straddle their draws
    kind[probe], edge = np.arange(len(probe)), rng.random(len(probe)) < 0.5
    share_at, gap_at = straddling(draws[probe, D["u_outside"]], rng)
    outside_share[: len(probe)][edge], gap[: len(probe)][edge] = share_at[edge], gap_at[edge]
    settle = float(rng.random()) if volunteer else -1.0
    handler, responded_h = np.full(N_PROBLEMS, -1, np.int8), np.full(N_PROBLEMS, np.nan)
    fixable = closable_share[kind[ids]]
    if volunteer:
        fixable = np.maximum(fixable, mediable[kind[ids]] * settle)
    outside = draws[ids, D["u_outside"]] < outside_share[kind[ids]] * gap[kind[ids]]
    expected = (draws[ids, D["u_closable"]] < fixable) & ~outside
    want_handler, want_responded = handler.copy(), responded_h.copy()
    want_handler[ids[expected]], want_responded[ids[expected]] = 6, when[expected]
    got = _fixed_on_the_spot(
        ids, when, (kind, draws, handler, responded_h),
        (closable_share, mediable, outside_share, gap), (settle, 6),
    )  # fmt: skip
    assert np.array_equal(got, expected)
    assert np.array_equal(handler, want_handler)
    assert np.array_equal(responded_h, want_responded, equal_nan=True)
