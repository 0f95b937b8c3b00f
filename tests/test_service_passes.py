"""The service stage's compiled passes give what the numpy expressions they replaced give,
bit for bit: the starts recorded (wall-clock times, the earlier response) and the jobs
finished taken out of service."""

from __future__ import annotations

import numpy as np
from hypothesis import given, settings
from hypothesis import strategies as st

from sim import clock
from sim.records import OPEN
from sim.stages.service import _record_starts, _take_finished
from sim.state import TAG_DEPARTMENT, TAG_PRIMARY

SIZES = st.integers(min_value=0, max_value=50)
SEEDS = st.integers(min_value=0, max_value=2**32 - 1)
N_PROBLEMS, N_POOLS = 30, 4
COLUMNS = np.array([[0.0, 24.0, 7], [9.0, 17.0, 5], [8.5, 18.0, 6], [9.0, 12.0, 7]]).T


def _to_wall(pool, business_h, at_closing):
    """The numpy form: each time on its pool's clock, the clock's ufunc over gathered columns."""
    return clock.to_wall(business_h, *COLUMNS[:, pool], at_closing=at_closing)


@settings(max_examples=60, deadline=None)
@given(SIZES, SEEDS)
def test_starts_are_recorded_as_the_numpy_form(n, seed):
    rng = np.random.default_rng(seed)
    problem = np.where(rng.random(n) < 0.2, -1, rng.integers(0, N_PROBLEMS, n))
    pool, tag = rng.integers(0, N_POOLS, n), rng.integers(0, 5, n).astype(np.int8)
    start_b = np.round(rng.random(n) * 200.0, 1)
    finish_b = start_b + np.round(rng.random(n) * 10.0, 1)
    responded_h = np.where(rng.random(N_PROBLEMS) < 0.4, np.nan, rng.random(N_PROBLEMS) * 300)
    department_start_h = np.full(N_PROBLEMS, np.nan)
    want_responded, want_department = responded_h.copy(), department_start_h.copy()
    first = (tag == TAG_PRIMARY) & (problem >= 0)
    start = _to_wall(pool[first], start_b[first], False)
    want_responded[problem[first]] = np.fmin(want_responded[problem[first]], start)
    at = tag == TAG_DEPARTMENT
    want_department[problem[at]] = _to_wall(pool[at], start_b[at], False)
    finish = _record_starts(
        (problem, pool, tag, start_b, finish_b), COLUMNS, (responded_h, department_start_h)
    )
    assert np.array_equal(finish, _to_wall(pool, finish_b, True))
    assert np.array_equal(responded_h, want_responded, equal_nan=True)
    assert np.array_equal(department_start_h, want_department, equal_nan=True)


@settings(max_examples=60, deadline=None)
@given(SIZES, SEEDS, st.booleans())
def test_finished_jobs_are_taken_as_the_numpy_form(n, seed, departments):
    rng = np.random.default_rng(seed)
    problem = np.where(rng.random(n) < 0.2, -1, rng.integers(0, N_PROBLEMS, n))
    pool, tag = rng.integers(0, N_POOLS, n), rng.integers(0, 5, n).astype(np.int8)
    finish_h = rng.random(n) * 48.0
    is_department = np.array([False, True, False, True])
    status = rng.integers(0, 4, N_PROBLEMS).astype(np.int8)
    due = (finish_h <= 24.0) & (is_department[pool] == departments)
    real = due & (problem >= 0)
    live = np.zeros(n, bool)
    live[real] = status[problem[real]] == OPEN
    any_due, kept, taken = _take_finished(
        (problem, pool, tag, finish_h), is_department, (24.0, departments), status, OPEN
    )
    assert any_due == due.any()
    for got, column in zip(kept, (problem, pool, tag, finish_h), strict=True):
        assert np.array_equal(got, column[~due])
    for got, column in zip(taken, (problem, pool, tag, finish_h), strict=True):
        assert np.array_equal(got, column[live])
