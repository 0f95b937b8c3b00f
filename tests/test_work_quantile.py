"""`dispatching.work_quantiles` (scipy's C ndtri from compiled code) is the numpy form."""

from __future__ import annotations

import numpy as np
from hypothesis import given, settings
from hypothesis import strategies as st
from scipy.special import ndtri

from sim.stages import dispatching
from sim.state import DRAWS, D


def _numpy_form(ids, draws):
    """The normal quantile of each case's work draw as `dispatch` computed it."""
    u = draws[ids, D["u_work"]].astype(float)
    return ndtri(np.minimum(np.maximum(u, 1e-12), 1 - 1e-12))  # np.clip's operations


@settings(max_examples=60, deadline=None)
@given(st.integers(0, 300), st.integers(0, 2**32 - 1))
def test_work_quantiles_are_the_numpy_form(n, seed):
    rng = np.random.default_rng(seed)
    draws = rng.random((max(n, 1), len(DRAWS))).astype(np.float32)
    edges = np.array([0.0, 1e-13, 1e-12, 0.5, np.nextafter(np.float32(1), 0), 1.0], np.float32)
    draws[: min(n, len(edges)), D["u_work"]] = edges[: min(n, len(edges))]
    ids = rng.integers(0, max(n, 1), n)
    got = dispatching.work_quantiles(ids, draws)
    assert np.array_equal(got, _numpy_form(ids, draws))
