"""The queue kernel against hand-worked cases."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from sim import clock
from sim.clock import OfficeClock
from sim.queueing import PoolSet


def serve(arrival, work, servers, priority=None, abandon=None, horizon=1e9):
    n = len(arrival)
    pool = PoolSet(["t"], [servers], [OfficeClock()])
    pool.add(
        0,
        np.arange(n),
        0,
        arrival,
        work,
        np.zeros(n) if priority is None else priority,
        np.full(n, np.inf) if abandon is None else abandon,
    )
    started, gone = pool.run(np.array([horizon]))
    start = np.full(n, np.nan)
    start[started.problem] = started.start_b
    return start, set(gone.tolist()), pool


def test_simultaneous_arrivals_never_start_before_they_arrive():
    start, _, _ = serve([5.0, 5.0, 5.0], [1.0, 1.0, 1.0], servers=2)
    assert list(start) == [5.0, 5.0, 6.0]


def test_priority_class_overtakes_but_never_preempts():
    # one server busy until 2; a normal job waits from 1, an urgent one arrives at 1.5
    start, _, _ = serve([0.0, 1.0, 1.5], [2.0, 1.0, 1.0], servers=1, priority=[2, 2, 0])
    assert list(start) == [0.0, 3.0, 2.0]


def test_abandoned_jobs_use_no_server():
    start, gone, _ = serve(
        [0.0, 0.5, 0.6], [2.0, 1.0, 1.0], servers=1, abandon=[np.inf, 1.0, np.inf]
    )
    assert gone == {1}
    assert list(start[[0, 2]]) == [0.0, 2.0]


def test_jobs_not_started_by_the_horizon_wait_for_the_next_run():
    start, _, pool = serve([0.0, 1.0], [5.0, 1.0], servers=1, horizon=3.0)
    assert start[0] == 0.0 and np.isnan(start[1]) and pool.waiting(0) == 1
    started, _ = pool.run(np.array([10.0]))
    assert list(started.start_b) == [5.0]


@settings(max_examples=60, deadline=None)
@given(
    st.lists(st.tuples(st.floats(0, 50), st.floats(0.01, 5)), min_size=1, max_size=40),
    st.integers(1, 4),
)
def test_fcfs_invariants(jobs, servers):
    arrival = np.array([a for a, _ in jobs])
    work = np.array([w for _, w in jobs])
    start, _, _ = serve(arrival, work, servers)
    assert np.all(start >= arrival - 1e-12)
    # never more than `servers` jobs in service at any start time
    for t in start:
        busy = np.sum((start <= t + 1e-12) & (start + work > t + 1e-12))
        assert busy <= servers
    # first come, first served: a later arrival never starts before an earlier one
    order = np.argsort(arrival, kind="stable")
    assert np.all(np.diff(start[order]) >= -1e-9)
    # one more server never delays any job
    more, _, _ = serve(arrival, work, servers + 1)
    assert np.all(more <= start + 1e-9)


def test_office_clock_round_trip_and_closed_hours():
    clock = OfficeClock(8.5, 17.5, 5)
    wall = np.array([9.0, 17.5, 20.0, 24 * 5 + 10.0, 24 * 7 + 8.5, np.inf])
    business = clock.to_business(wall)
    # Friday 20:00 and Saturday both sit at Friday's close; the next Monday opens after
    assert list(business[:5]) == [0.5, 9.0, 9.0, 45.0, 45.0] and np.isinf(business[5])
    assert clock.to_wall(45.0) == 24 * 7 + 8.5  # a start: Monday's opening
    assert clock.to_wall(45.0, at_closing=True) == 24 * 4 + 17.5  # a finish: Friday's close
    t = np.random.default_rng(0).uniform(0, 24 * 60, 500)
    b = clock.to_business(t)
    assert np.allclose(clock.to_business(clock.to_wall(b)), b)
    assert np.allclose([clock.business_at(x) for x in t], b)


def test_fractional_capacity_runs_ceil_servers_at_reduced_speed():
    # capacity 2.5: three servers at speed 5/6, so one hour of work takes 1.2 h
    start, _, pool = serve([0.0, 0.0, 0.0, 0.0], [1.0, 1.0, 1.0, 1.0], servers=2.5)
    assert pool.servers(0) == 3 and abs(pool.capacity(0) - 2.5) < 1e-12
    assert np.allclose(start, [0.0, 0.0, 0.0, 1.2])


def test_capacity_has_no_rounding_cliff():
    # the last job's start falls smoothly as capacity grows past an integer
    work = [3.0] * 6
    last = [serve([0.0] * 6, work, servers=c)[0].max() for c in (1.9, 2.0, 2.1)]
    assert last[0] > last[1] > last[2]
    pool = PoolSet(["t"], [2.0], [OfficeClock()])
    pool.set_capacity(0, 0.4, now_b=0.0)
    assert pool.servers(0) == 1 and abs(pool.speed[0] - 0.4) < 1e-12


def test_reclocking_keeps_wall_clock_times_of_waiting_jobs_and_servers():
    """A duty rota adopted mid-run (5 days 8.5–17.5 → 7 days until 20): a waiting job's
    arrival and patience and a server's free time keep their wall-clock hours."""
    office = OfficeClock(8.5, 17.5, 5)
    duty = OfficeClock(8.5, 20.0, 7)
    pools = PoolSet(["street"], [1.0], [office])
    arrival_wall, abandon_wall, free_wall = 24.0 * 3 + 10.0, 24.0 * 8 + 12.0, 24.0 * 2 + 17.5
    pools.set_free_times(0, [float(office.to_business(free_wall))])
    pools.add(0, [7], 0, office.to_business(arrival_wall), 2.0, 1, office.to_business(abandon_wall))
    pools.add(0, [8], 0, office.to_business(arrival_wall), 2.0, 1, np.inf)
    pools.reclock([duty])
    assert pools.clocks == [duty]
    np.testing.assert_allclose(duty.to_wall(pools.arrival_b), [arrival_wall, arrival_wall])
    assert duty.to_wall(pools.abandon_b[:1]) == pytest.approx(abandon_wall)
    assert np.isinf(pools.abandon_b[1])
    assert duty.to_wall(pools.free_times(0), at_closing=True) == pytest.approx(free_wall)


def _to_business_numpy(wall_h, open_h, close_h, days_per_week):
    """The numpy form the compiled clock replaced (finite hours)."""
    per_day = close_h - open_h
    day = np.floor(wall_h / 24.0)
    week, weekday = np.divmod(day, 7.0)
    open_days_before = week * days_per_week + np.minimum(weekday, days_per_week)
    into_day = np.where(
        weekday < days_per_week, np.clip(wall_h - 24.0 * day - open_h, 0.0, per_day), 0.0
    )
    return open_days_before * per_day + into_day


def _to_wall_numpy(business_h, open_h, close_h, days_per_week, at_closing):
    per_day = close_h - open_h
    open_day, into_day = np.divmod(business_h, per_day)
    if at_closing:
        boundary = (into_day == 0.0) & (business_h > 0.0)
        open_day, into_day = (
            np.where(boundary, open_day - 1.0, open_day),
            np.where(boundary, per_day, into_day),
        )
    week, weekday = np.divmod(open_day, days_per_week)
    return 24.0 * (7.0 * week + weekday) + open_h + into_day


def test_compiled_clock_is_the_numpy_form_bit_for_bit():
    rng = np.random.default_rng(1)
    for office in (OfficeClock(8.5, 17.5, 5), OfficeClock(9.0, 17.0, 6), OfficeClock()):
        on_hours = np.floor(rng.random(2000) * 900) * 24.0 + office.open_h  # openings
        wall = np.concatenate([rng.random(5000) * 24 * 900, on_hours, on_hours - office.open_h])
        args = (office.open_h, office.close_h, float(office.days_per_week))
        business = _to_business_numpy(wall, *args)
        assert np.array_equal(office.to_business(wall), business)
        for at_closing in (False, True):
            expected = _to_wall_numpy(business, *args, at_closing)
            assert np.array_equal(office.to_wall(business, at_closing=at_closing), expected)


@settings(max_examples=60, deadline=None)
@given(st.integers(0, 40), st.integers(0, 2**32 - 1), st.booleans())
def test_pools_clocks_are_the_ufuncs(n, seed, at_closing):
    """Times moved on each pool's clock in one pass: the ufuncs over gathered columns."""
    rng = np.random.default_rng(seed)
    offices = [OfficeClock(), OfficeClock(8.5, 17.5, 5), OfficeClock(9.0, 18.0, 6)]
    columns = np.array([[c.open_h, c.close_h, c.days_per_week] for c in offices]).T
    pool = rng.integers(0, len(offices), n)
    times = np.where(rng.random(n) < 0.1, np.inf, np.round(rng.random(n) * 400.0, 1))
    gathered = columns[:, pool]
    assert np.array_equal(
        clock.pools_to_business(pool, times, columns), clock.to_business(times, *gathered)
    )
    finite = np.isfinite(times)
    assert np.array_equal(
        [
            clock.wall_of(t, *columns[:, p], at_closing)
            for p, t in zip(pool[finite], times[finite], strict=True)
        ],
        clock.to_wall(times[finite], *gathered[:, finite], at_closing=at_closing),
    )
