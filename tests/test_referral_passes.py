"""Referral's compiled passes give what the numpy expressions they replaced gave, bit for
bit: the escalations logged and the refusals (float32 comparisons, as numpy's of a float32
draw and a Python float: draws equal to a probability's float32 below it are not below
it), then each accepted referral's pool, delay and priority (a float32 product of the
deadline and the draw)."""

from __future__ import annotations

import numpy as np
from conftest import EDGE
from hypothesis import example, given, settings
from hypothesis import strategies as st

from sim.handlers import H_DEPARTMENT
from sim.stages.referral import _escalated, _to_departments
from sim.state import DRAWS, PRIORITY_NORMAL, PRIORITY_URGENT, D, exp1


@settings(max_examples=60, deadline=None)
@given(st.integers(0, 30), st.integers(0, 2**32 - 1), st.floats(0.0, 1.0), st.floats(1.0, 300.0))
@example(30, 0, EDGE, 48.0)
def test_referral_passes_are_the_numpy_form(n, seed, refusal_prob, deadline_h):
    rng = np.random.default_rng(seed)
    ids, when_h = rng.permutation(40)[:n], rng.random(min(n, 40)) * 100.0
    m = len(ids)
    whistled = rng.random(m) < 0.3
    draws = rng.random((40, len(DRAWS))).astype(np.float32)
    draws[rng.random(40) < 0.3, D["u_refuse"]] = np.float32(refusal_prob)
    escalated, escalated_h = np.zeros(40, bool), np.full(40, np.nan)
    refused = _escalated(ids, when_h, whistled, draws, refusal_prob, (escalated, escalated_h))
    assert np.array_equal(refused, ~whistled & (draws[ids, D["u_refuse"]] < refusal_prob))
    assert escalated[ids].all() and np.array_equal(escalated_h[ids], when_h)
    kind, department_pool = rng.integers(0, 5, 40).astype(np.int16), rng.integers(0, 9, 5)
    columns = (kind, np.zeros(40, bool), np.full(40, -1, np.int32), np.full(40, -1, np.int8))
    u = draws[ids, D["u_coordination"]]
    delay_h = np.where(whistled, deadline_h * u, 30.0 * exp1(u))
    rates = (deadline_h, 30.0, PRIORITY_URGENT)
    pool, got_delay, priority = _to_departments(ids, whistled, draws, rates, department_pool,
                                                columns)  # fmt: skip
    assert np.array_equal(got_delay, delay_h)
    assert np.array_equal(priority, np.where(whistled, PRIORITY_URGENT, PRIORITY_NORMAL))
    assert np.array_equal(pool, department_pool[kind[ids]])
    assert np.array_equal(columns[1][ids], whistled) and np.array_equal(columns[2][ids], pool)
    assert (columns[3][ids] == H_DEPARTMENT).all()
