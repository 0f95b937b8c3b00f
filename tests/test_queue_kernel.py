"""The compiled queue kernel against a brute-force queue: same starts, same give-ups, on
varied pools (fractional capacity, priority classes, impatience, a horizon)."""

from __future__ import annotations

import math

import numpy as np
from hypothesis import given, settings
from hypothesis import strategies as st

from sim.clock import OfficeClock
from sim.queueing import PoolSet, servers_of


def brute_force(jobs, capacity: float, horizon: float):
    """One pool, no heaps: at each decision time, the first waiting job in (priority,
    arrival, index) order starts on the server that frees first, unless it gave up."""
    servers = servers_of(capacity)
    speed = capacity / servers
    free = [0.0] * servers
    todo, start, gone, now = set(range(len(jobs))), {}, set(), -math.inf
    while todo:
        t = max(min(free), now, min(jobs[j][0] for j in todo))
        if t > horizon:
            break
        j = min((j for j in todo if jobs[j][0] <= t), key=lambda j: (jobs[j][2], jobs[j][0], j))
        todo.discard(j)
        now = t
        if jobs[j][3] < t:
            gone.add(j)
            continue
        start[j] = t
        free[free.index(min(free))] = t + jobs[j][1] / speed
    return start, gone


JOB = st.tuples(
    st.integers(0, 2),  # pool
    st.floats(0, 40).map(lambda x: round(x, 1)),  # arrival: ties happen
    st.floats(0.05, 6),  # work
    st.integers(0, 2),  # priority
    st.one_of(st.just(math.inf), st.floats(0, 30)),  # patience
)


@settings(max_examples=80, deadline=None)
@given(
    st.lists(JOB, min_size=1, max_size=60),
    st.lists(st.floats(0.3, 4.0), min_size=3, max_size=3),
    st.floats(5, 80),
)
def test_the_kernel_starts_what_a_brute_force_queue_starts(jobs, capacity, horizon):
    pools = PoolSet(["a", "b", "c"], capacity, [OfficeClock()] * 3)
    pool, arrival, work, priority, patience = (np.array(c) for c in zip(*jobs, strict=True))
    abandon = arrival + patience
    pools.add(pool, np.arange(len(jobs)), 0, arrival, work, priority, abandon)
    started, gone = pools.run(np.full(3, horizon))
    got = dict(zip(started.problem.tolist(), started.start_b.tolist(), strict=True))
    expected_start, expected_gone = {}, set()
    for p in range(3):
        mine = np.flatnonzero(pool == p)
        rows = [(arrival[i], work[i], priority[i], abandon[i]) for i in mine]
        start, left = brute_force(rows, capacity[p], horizon)
        expected_start.update({int(mine[j]): t for j, t in start.items()})
        expected_gone.update(int(mine[j]) for j in left)
    assert got == expected_start
    assert set(gone.tolist()) == expected_gone
    assert np.all(np.diff(started.start_b) >= 0)  # reported in order of start
