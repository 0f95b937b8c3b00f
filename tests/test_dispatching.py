"""The compiled pass of dispatch (`sim.stages.dispatching`) gives what the numpy
expressions of `dispatch.dispatch` and `dispatch.requeue` it replaced give, bit for bit, on
varied inputs: arrival, patience, work, priority, misrouting and first contact."""

from __future__ import annotations

import numpy as np
from conftest import EDGE
from hypothesis import given, settings
from hypothesis import strategies as st

from sim import clock, fmath
from sim.handlers import ROUTES, _first_pools
from sim.records import COMMUNITY, HOTLINE, SOCIAL_ORG
from sim.stages import dispatching
from sim.state import DRAWS, PRIORITY_NORMAL, PRIORITY_PRESSED, PRIORITY_URGENT, D, exp1

N_KINDS, N_POOLS, N_CELLS = 5, 6, 12


def _numpy_form(ids, pool, z, problems, draws, tables, work_columns, rates):
    """`dispatch`'s expressions before they were one pass."""
    kind, channel, known_h, street, group, cell = (c[ids] for c in problems)
    handler, lag_h, open_h, close_h, deadline_h, patience_h, pressure, stationed_share = tables
    urgent_by, urgent_h, hotline_h, referral_h, via_community, misroute, back_h, rota = rates[0]
    draws = draws[ids]
    urgent = deadline_h[kind] <= urgent_by
    walk_in = (
        ((channel == COMMUNITY) & (handler[pool] == 0))
        | ((channel == SOCIAL_ORG) & (handler[pool] == 2))
        | (
            (channel != HOTLINE)  # 派驻: a department's case found locally, as a walk-in
            & (handler[pool] == 5)
            & (draws[:, D["u_department"]] < stationed_share[kind])
        )
    )
    delay = np.where(
        channel == HOTLINE, np.where(urgent, urgent_h, hotline_h),
        np.where(walk_in, 0.0, referral_h),
    ) * exp1(draws[:, D["u_dispatch"]])  # fmt: skip
    if via_community:
        delay = delay + ((channel == HOTLINE) & (handler[pool] == 2)) * referral_h
    misrouted = (~walk_in) & (draws[:, D["u_misroute"]] < misroute)
    arrival = known_h + (delay + misrouted * back_h)
    abandon = known_h + patience_h[group] * exp1(draws[:, D["u_patience"]])
    mean_h, specialist, xy, site, speed, moved = work_columns
    sigma, half, cell_km, share, entry_h = rates[1]
    work = mean_h[kind] * fmath.exp(sigma * z - half)
    travel = 2.0 * (np.abs(xy[cell] - xy[site[pool]]).sum(axis=1) * cell_km) / speed[pool]
    reach = np.minimum(moved[pool], 1.0) * specialist[kind]
    work = work * (1.0 - reach * (1.0 - share)) + travel + entry_h
    pressed = (channel == HOTLINE) & (draws[:, D["u_priority"]] < pressure[street])
    priority = np.where(
        urgent, PRIORITY_URGENT, np.where(pressed, PRIORITY_PRESSED, PRIORITY_NORMAL)
    )
    lag = lag_h[pool] * exp1(draws[:, D["u_contact"]])
    duty = (open_h[pool], close_h[pool], np.full(len(ids), rota))
    contact = clock.to_wall(clock.to_business(arrival, *duty) + lag, *duty)
    return arrival, abandon, work, priority, misrouted, contact


def _inputs(n: int, rng):
    size = n + 3
    problems = (
        rng.integers(0, N_KINDS, size).astype(np.int16), rng.integers(0, 3, size).astype(np.int8),
        rng.random(size) * 500.0, rng.integers(0, 2, size).astype(np.int16),
        rng.integers(0, 2, size).astype(np.int8), rng.integers(0, N_CELLS, size).astype(np.int32),
    )  # fmt: skip
    draws = rng.random((size, len(DRAWS))).astype(np.float32)
    draws[rng.random(size) < 0.05, D["u_contact"]] = 1.0  # a float32 uniform rounded up
    opening = rng.choice([0.0, 8.0, 9.0], N_POOLS)
    deadline_h = rng.random(N_KINDS) * 72.0
    deadline_h[rng.random(N_KINDS) < 0.3] = 24.0  # at the urgent limit, as the default's 2 h
    tables = (
        rng.integers(0, 6, N_POOLS), rng.random(N_POOLS) * 10.0, opening,
        opening + rng.choice([8.0, 9.0, 16.0], N_POOLS), deadline_h,
        rng.random(2) * 100.0, rng.random(2), rng.random(N_KINDS) * (rng.random() < 0.7),
    )  # fmt: skip
    work_columns = (
        rng.random(N_KINDS) * 5.0, rng.random(N_KINDS) < 0.5,
        rng.integers(0, 4, (N_CELLS, 2)).astype(float), rng.integers(0, N_CELLS, N_POOLS),
        1.0 + rng.random(N_POOLS) * 10.0, rng.random(N_POOLS) * 2.0,
    )  # fmt: skip
    misroute = float(rng.choice([EDGE, rng.random()]))
    draws[rng.random(size) < 0.3, D["u_misroute"]] = np.float32(misroute)  # compared in float32
    rates = (
        (24.0, *(rng.random(3) * 10.0), float(rng.random() < 0.5), misroute,
         float(rng.random() * 20.0), float(rng.choice([5.0, 6.0, 7.0]))),
        (0.8, 0.32, 0.25, float(rng.random()), float(rng.random())),
    )  # fmt: skip
    return problems, draws, tables, work_columns, rates


@settings(max_examples=80, deadline=None)
@given(st.integers(0, 30), st.integers(0, 2**32 - 1))
def test_dispatching_is_the_numpy_form(n, seed):
    rng = np.random.default_rng(seed)
    problems, draws, tables, work_columns, rates = _inputs(n, rng)
    ids, pool = rng.integers(0, n + 3, n), rng.integers(0, N_POOLS, n)
    z = rng.normal(0.0, 1.0, n)
    args = (ids, pool, z, problems, draws)
    want = _numpy_form(*args, tables, work_columns, rates)
    got = dispatching.dispatching(*args, dispatching.DRAW_COLUMNS, tables, work_columns, rates)
    names = ("arrival", "abandon", "work", "priority", "misrouted", "contact")
    for name, a, b in zip(names, got, want, strict=True):
        assert np.array_equal(a, b), name
    work = dispatching.work_hours(ids, pool, z, problems[0], problems[5], work_columns, rates[1])
    assert np.array_equal(work, want[2])


@settings(max_examples=60, deadline=None)
@given(st.integers(0, 30), st.integers(0, 2**32 - 1))
def test_dispatch_pass_is_its_parts(n, seed):
    """`dispatch_pass` is the first pool, `dispatching`, the log's writes (returned counted
    as numpy's `+=` does, repeated ids included) and the pools' clocks, as `dispatch` did
    them one call at a time."""
    rng = np.random.default_rng(seed)
    problems, draws, tables, work_columns, rates = _inputs(n, rng)
    size, n_communities, n_slots = n + 3, 4, 9
    problems = (*problems, rng.integers(0, n_slots, size), rng.integers(0, n_communities, size))
    ids = rng.integers(0, size, n)
    z = dispatching.work_quantiles(ids, draws)  # the pass takes them from the work draws
    routing = (
        rng.integers(0, len(ROUTES), N_KINDS).astype(np.int8), rng.integers(-1, N_POOLS, N_KINDS),
        rng.integers(0, 3, n_slots).astype(np.int8),
        (rng.integers(0, N_POOLS, n_communities), rng.integers(0, N_POOLS, 2),
         rng.integers(0, N_POOLS, 2), np.full(n_communities, -1), rng.integers(0, N_POOLS, 4)),
    )  # fmt: skip
    columns = np.array([tables[2], tables[3], rng.choice([5.0, 7.0], N_POOLS)])
    written = (rng.integers(0, 2, size).astype(np.int8), np.zeros(size), np.zeros(size, np.int32),
               np.zeros(size, np.int8), np.zeros(size))  # fmt: skip
    want = tuple(column.copy() for column in written)
    kind, street, slot, community = problems[0], problems[3], problems[6], problems[7]
    pool = _first_pools(
        routing[0][kind[ids]], routing[1][kind[ids]], street[ids], community[ids],
        routing[2][slot[ids]], routing[3],
    )  # fmt: skip
    arrival, abandon, work, priority, misrouted, contact = dispatching.dispatching(
        ids, pool, z, problems[:6], draws, dispatching.DRAW_COLUMNS, tables, work_columns, rates
    )
    want[0][ids] += misrouted
    want[1][ids], want[2][ids], want[3][ids], want[4][ids] = abandon, pool, tables[0][pool], contact
    got = dispatching.dispatch_pass(
        ids, (problems, draws, dispatching.DRAW_COLUMNS, tables, work_columns, rates),
        routing, written, columns,
    )  # fmt: skip
    expected = (
        pool, clock.pools_to_business(pool, arrival, columns), work, priority,
        clock.pools_to_business(pool, abandon, columns),
    )  # fmt: skip
    for a, b in zip(got, expected, strict=True):
        assert np.array_equal(a, b)
    for a, b in zip(written, want, strict=True):
        assert np.array_equal(a, b)


@settings(max_examples=60, deadline=None)
@given(st.integers(0, 30), st.integers(0, 2**32 - 1), st.floats(0.1, 1.0))
def test_requeued_is_the_numpy_form(n, seed, share):
    """`requeued` is what restarting patience (Exp(1) of `u_patience` × the group's hours
    from `since`), `work_hours` × the share and `PoolClocks.to_business` of the arrival and
    the end of patience (read after every write) gave, repeated ids included."""
    rng = np.random.default_rng(seed)
    problems, draws, tables, work_columns, rates = _inputs(n, rng)
    ids, pool = rng.integers(0, n + 3, n), rng.integers(0, N_POOLS, n)
    z, since_h = dispatching.work_quantiles(ids, draws), rng.random(n) * 300.0
    arrive_h = since_h + rng.random(n) * 30.0
    patience_h, columns = rng.random(2) * 100.0, np.array([tables[2], tables[3], np.full(6, 5.0)])
    abandon_at_h = np.zeros(n + 3)
    group, kind, cell = problems[4], problems[0], problems[5]
    want_abandon = abandon_at_h.copy()
    want_abandon[ids] = since_h + patience_h[group[ids]] * exp1(draws[ids, D["u_patience"]])
    work = dispatching.work_hours(ids, pool, z, kind, cell, work_columns, rates[1]) * share
    got = dispatching.requeued(
        ids, pool, (since_h, arrive_h), (group, kind, cell), draws, abandon_at_h, patience_h,
        (work_columns, rates[1], share), columns,
    )  # fmt: skip
    expected = (
        clock.pools_to_business(pool, arrive_h, columns), work,
        clock.pools_to_business(pool, want_abandon[ids], columns),
    )  # fmt: skip
    for a, b in zip(got, expected, strict=True):
        assert np.array_equal(a, b)
    assert np.array_equal(abandon_at_h, want_abandon)
