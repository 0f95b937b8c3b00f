"""Dispatch's numbers in one compiled pass (numba): travel to the handler, patience, work,
priority and the first contact (`dispatch.dispatch`'s and `dispatch.requeue`'s arithmetic).

Per case the loops do the floating-point operations of the numpy expressions they replaced
(kept in tests/test_dispatching.py), in the same order, so results are bit for bit the same:
Exp(1) and the lognormal's exp by the C library (as `sim.fmath`), office hours by the same
compiled clock (`clock.business_of`, `clock.wall_of`). The normal quantile of the work draw
is scipy's `ndtri` (`work_quantiles`). Compiled once and cached on disk (`cache=True`).
"""

from __future__ import annotations

import math

import numba
import numpy as np

from sim import fmath
from sim.clock import business_of, wall_of
from sim.handlers import H_COMMUNITY, H_DEPARTMENT, H_SOCIAL, _first_pools
from sim.records import COMMUNITY, HOTLINE, SOCIAL_ORG
from sim.state import PRIORITY_NORMAL, PRIORITY_PRESSED, PRIORITY_URGENT, D

# the log's columns the pass reads, in the order of its `problems` tuple
PROBLEM_COLUMNS = ("kind", "channel", "known_h", "street_office", "group", "cell")
# its draws: dispatch delay, misrouting, patience, priority, contact lag, and whether a
# stationed officer takes the case (`u_department`: a department's own kind never needs a
# department referral, so the draw is free there)
DRAWS_READ = ("u_dispatch", "u_misroute", "u_patience", "u_priority", "u_contact", "u_department")
DRAW_COLUMNS = np.array([D[name] for name in DRAWS_READ], np.int64)
DISPATCH_COLUMNS = (*PROBLEM_COLUMNS, "slot", "community")  # `dispatch_pass`'s problems


@numba.njit(cache=True, nogil=True, inline="always")
def case_work_h(z, kind, cell, pool, work_columns, rates):
    """The service time of one case: the lognormal work content (z its normal quantile)
    plus the round trip from the handler's base. `work_columns`: kinds' mean service
    hours, kinds' specialist flag, cells' (x, y), pools' site, speed and moved staff;
    `rates`: sigma, sigma² / 2, cell size (km), specialists' work share, data entry hours."""
    mean_service_h, specialist, xy, site, speed_kmh, moved_staff = work_columns
    sigma, half_variance, cell_km, specialist_share, data_entry_h = rates
    mean_h, is_specialist, base = mean_service_h[kind], specialist[kind], site[pool]
    x0, y0, x1, y1 = xy[cell, 0], xy[cell, 1], xy[base, 0], xy[base, 1]
    speed, moved = speed_kmh[pool], moved_staff[pool]
    work = mean_h * math.exp(sigma * z - half_variance)
    distance_km = (abs(x0 - x1) + abs(y0 - y1)) * cell_km  # Manhattan, along the streets
    travel = 2.0 * distance_km / speed
    reach = min(moved, 1.0) * is_specialist
    work = work * (1.0 - reach * (1.0 - specialist_share))
    return work + travel + data_entry_h


@numba.njit(cache=True, nogil=True)
def work_hours(ids, pool, z, kind, cell, work_columns, rates):
    """`case_work_h` of each case."""
    work = np.empty(len(ids))
    for i in range(len(ids)):
        work[i] = case_work_h(z[i], kind[ids[i]], cell[ids[i]], pool[i], work_columns, rates)
    return work


@numba.njit(cache=True, nogil=True)
def dispatching(ids, pool, z, problems, draws, columns, tables, work_columns, rates):
    """For each case sent to `pool`: (arrival hour, patience's end, work hours, priority,
    misrouted, first contact hour). 派驻: a department's case found locally (not through
    the hotline) reaches an officer stationed in the street, as a walk-in does, in the
    kind's stationed share of cases. `tables`: handler kind, contact lag, opening and
    closing hour by pool; contact deadline by kind; patience hours by group; pressure by
    street office. `rates`: (urgent contact deadline, urgent and ordinary hotline delay,
    referral delay, 1 if 12345 reaches centres only via the community, misroute prob,
    return delay, contact rota days a week) and `case_work_h`'s. Draws are compared in
    float64 with the tables' shares (as numpy compared float32 and float64 arrays) and in
    float32 with the misroute prob (as numpy compared them with a Python float: the cast is
    here)."""
    kind, channel, known_h, street, group, cell = problems
    handler, lag_h, open_h, close_h, deadline_h, patience_by_group, pressure, stationed = tables
    urgent_by, urgent_h, hotline_h, referral_h, via_community, misroute, back_h, rota = rates[0]
    n, misroute32 = len(ids), np.float32(misroute)
    arrival, abandon, work = np.empty(n), np.empty(n), np.empty(n)
    priority, misrouted, contact = np.empty(n, np.int8), np.empty(n, np.bool_), np.empty(n)
    for i in range(n):
        p, h = ids[i], pool[i]
        k, c, known = kind[p], channel[p], known_h[p]
        urgent, to = deadline_h[k] <= urgent_by, handler[h]
        u_dispatch, u_misroute = draws[p, columns[0]], draws[p, columns[1]]
        u_patience, u_priority = draws[p, columns[2]], draws[p, columns[3]]
        u_contact, patience, pressed_by = (
            draws[p, columns[4]],
            patience_by_group[group[p]],
            pressure[street[p]],
        )
        lag, opens, closes = lag_h[h], open_h[h], close_h[h]
        walk_in = (c == COMMUNITY and to == H_COMMUNITY) or (c == SOCIAL_ORG and to == H_SOCIAL)
        local = c != HOTLINE and to == H_DEPARTMENT
        walk_in = walk_in or (local and np.float64(draws[p, columns[5]]) < stationed[k])
        mean_h = (
            (urgent_h if urgent else hotline_h)
            if c == HOTLINE
            else (0.0 if walk_in else referral_h)
        )
        delay = mean_h * fmath.exp1(u_dispatch)
        if via_community:
            delay = delay + (referral_h if (c == HOTLINE and to == H_SOCIAL) else 0.0)
        misrouted[i] = (not walk_in) and u_misroute < misroute32
        arrival[i] = known + (delay + (back_h if misrouted[i] else 0.0))
        abandon[i] = known + patience * fmath.exp1(u_patience)
        work[i] = case_work_h(z[i], k, cell[p], h, work_columns, rates[1])
        pressed = c == HOTLINE and np.float64(u_priority) < pressed_by
        priority[i] = (
            PRIORITY_URGENT if urgent else (PRIORITY_PRESSED if pressed else PRIORITY_NORMAL)
        )
        contact_b = business_of(arrival[i], opens, closes, rota) + lag * fmath.exp1(u_contact)
        contact[i] = wall_of(contact_b, opens, closes, rota, False)
    return arrival, abandon, work, priority, misrouted, contact


@numba.njit(cache=True, nogil=True)
def dispatch_pass(ids, case, routing, log_columns, clock_columns):
    """`dispatch.dispatch`'s pass: each case's first pool (`handlers._first_pools`: by its
    kind's route and department and its place; `routing` is kinds' (route, department
    pool), people's regime and `handlers.pools_by_place`), the work draws' quantiles z
    (`work_quantiles`), then `dispatching` (`case` its arguments after the pools and z,
    the log's columns `DISPATCH_COLUMNS`: its own and the owner's slot and community),
    the log's writes (`log_columns`: returned, abandon hour, pool, handler, first
    contact; returned counted from the values before any write, as numpy's `+=`), and the
    arrival and patience's end on each pool's clock (`clock_columns`, as
    `PoolClocks.to_business`). Returns (pool, arrival, work, priority, patience's end) of
    the jobs to queue."""
    problems, draws, columns, tables, work_columns, rates = case
    route_of_kind, department_of_kind, regime, pools = routing
    returned, abandon_at_h, pool_column, handler_column, responded_h = log_columns
    kind, street, slot, community = problems[0], problems[3], problems[6], problems[7]
    n = len(ids)
    route, department = np.empty(n, route_of_kind.dtype), np.empty(n, np.int64)
    streets, communities = np.empty(n, street.dtype), np.empty(n, community.dtype)
    regimes = np.empty(n, regime.dtype)
    for i in range(n):
        p = ids[i]
        route[i], department[i] = route_of_kind[kind[p]], department_of_kind[kind[p]]
        streets[i], communities[i], regimes[i] = street[p], community[p], regime[slot[p]]
    pool = _first_pools(route, department, streets, communities, regimes, pools)
    arrival, abandon, work, priority, misrouted, contact = dispatching(
        ids, pool, work_quantiles(ids, draws), problems[:6], draws, columns, tables,
        work_columns, rates,
    )  # fmt: skip
    handler = tables[0]
    count = np.empty(n, returned.dtype)
    for i in range(n):
        count[i] = returned[ids[i]] + misrouted[i]
    arrival_b, abandon_b = np.empty(n), np.empty(n)
    for i in range(n):
        p, h = ids[i], pool[i]
        returned[p], abandon_at_h[p] = count[i], abandon[i]
        pool_column[p], handler_column[p], responded_h[p] = h, handler[h], contact[i]
        opens, closes, days = clock_columns[0, h], clock_columns[1, h], clock_columns[2, h]
        arrival_b[i] = business_of(float(arrival[i]), opens, closes, days)
        abandon_b[i] = business_of(float(abandon[i]), opens, closes, days)
    return pool, arrival_b, work, priority, abandon_b


PATIENCE_DRAW = D["u_patience"]
WORK_DRAW = D["u_work"]


@numba.njit(cache=True, nogil=True)
def work_quantiles(ids, draws):
    """The normal quantile (scipy's `ndtri`, `fmath.ndtri`) of each case's work draw, clipped
    to [1e-12, 1 − 1e-12] in float64 (numpy's `minimum(maximum(...))` of the draws widened)."""
    z = np.empty(len(ids))
    for i in range(len(ids)):
        u = fmath.minimum(fmath.maximum(np.float64(draws[ids[i], WORK_DRAW]), 1e-12), 1 - 1e-12)
        z[i] = fmath.ndtri(u)
    return z


@numba.njit(cache=True, nogil=True)
def requeued(ids, pool, times_h, problems, draws, abandon_at_h, patience_h, work, columns):
    """`dispatch.requeue`'s pass: each owner's patience restarts at `times_h`[0] (group's
    patience × Exp(1) of `u_patience`, written to `abandon_at_h`), the work drawn as at
    dispatch (`work_hours` of `work_quantiles`; `work` is its columns and rates and the
    share of it to do), and the arrival (`times_h`[1]) and patience's end on each pool's
    clock (`columns`, as `PoolClocks.to_business`, the end read after every write).
    `problems` is the log's (group, kind, cell). Returns (arrival, work, patience's end)
    of the jobs to queue."""
    since_h, arrive_h = times_h
    group, kind, cell = problems
    work_columns, rates, share = work
    n = len(ids)
    work_h = work_hours(ids, pool, work_quantiles(ids, draws), kind, cell, work_columns, rates)
    for i in range(n):
        p = ids[i]
        abandon_at_h[p] = since_h[i] + patience_h[group[p]] * fmath.exp1(draws[p, PATIENCE_DRAW])
    arrival_b, abandon_b = np.empty(n), np.empty(n)
    for i in range(n):
        opens, closes, days = columns[0, pool[i]], columns[1, pool[i]], columns[2, pool[i]]
        work_h[i] = work_h[i] * share
        arrival_b[i] = business_of(float(arrive_h[i]), opens, closes, days)
        abandon_b[i] = business_of(float(abandon_at_h[ids[i]]), opens, closes, days)
    return arrival_b, work_h, abandon_b
