"""Duplicate calls about shared problems (one compiled pass) are the numpy form it replaced,
bit for bit: the expected counts, which calls come and at what hour."""

from __future__ import annotations

import numpy as np
from hypothesis import given, settings
from hypothesis import strategies as st

from sim.stages.calls import _crossings


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
