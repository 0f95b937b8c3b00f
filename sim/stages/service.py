"""Stage 4, service: every pool's servers take their queue up to the end of the day.

Local handlers run first; cases they refer reach departments the same day, where they queue
with the departments' own workload. Whoever starts a case has contacted its owner by then.
Finished cases go on to referral (beyond local authority) or to closure.
"""

from __future__ import annotations

import math

import numba
import numpy as np

from sim import clock
from sim.records import ABANDONED, OPEN, REASONS
from sim.stages import closure, referral
from sim.state import (
    PRIORITY_NORMAL,
    TAG_BACKGROUND,
    TAG_DEPARTMENT,
    TAG_PRIMARY,
    DistrictState,
    RunState,
)


def serve(state: DistrictState, t0: float, t1: float) -> None:
    """Local pools, their finished cases; departments' own work; departments, theirs."""
    is_department = state.clocks.is_department
    for departments in (False, True):
        if departments:
            _background(state, t0, t1)
        gone = run_pools(state, is_department == departments, t1)
        if len(gone):  # owners gave up before service could start
            closure.terminate(
                state, gone, state.log.abandon_at_h[gone], ABANDONED, REASONS.index("gave_up")
            )
        _complete(state, t1, departments)


def run_pools(state: RunState, which: np.ndarray, t1: float) -> np.ndarray:
    """Run the queues of the pools in `which` up to `t1` and record the starts; returns the
    problems whose owners gave up before service could start."""
    pools, log = state.world.handlers.pools, state.log
    started, gone = pools.run(state.clocks.horizon_b(which, t1))
    if len(started.problem) == 0:
        return gone
    finish = _record_starts(
        (started.problem, started.pool, started.tag, started.start_b, started.finish_b),
        state.clocks.columns, (log.responded_h, log.department_start_h),
    )  # fmt: skip
    state.in_service.add(started.problem, started.pool, started.tag, finish)
    return gone


@numba.njit(cache=True, nogil=True)
def _record_starts(started, columns, log_columns):
    """Record the starts of `started` (problem, pool, tag, start and finish on the pool's
    clock) and return their finishes on the wall clock (`PoolClocks.to_wall`, at closing;
    `columns` are the pools' clocks). Whoever starts handling a case has contacted its
    owner by then (`responded_h`, the earlier of the two; in the textbook queue, the start
    of service is the response); a department's start is its `department_start_h`. Reads
    come before writes, as numpy's."""
    problem, pool, tag, start_b, finish_b = started
    responded_h, department_start_h = log_columns
    n = len(problem)
    finish, start = np.empty(n), np.empty(n)
    responded = np.empty(n)
    for i in range(n):
        open_h, close_h, days = columns[0, pool[i]], columns[1, pool[i]], columns[2, pool[i]]
        finish[i] = clock.wall_of(float(finish_b[i]), open_h, close_h, days, True)
        start[i] = clock.wall_of(float(start_b[i]), open_h, close_h, days, False)
        if tag[i] == TAG_PRIMARY and problem[i] >= 0:
            before = responded_h[problem[i]]  # np.fmin: the other where one is NaN
            earlier = before if before <= start[i] or math.isnan(start[i]) else start[i]
            responded[i] = start[i] if math.isnan(before) else earlier
    for i in range(n):
        if tag[i] == TAG_PRIMARY and problem[i] >= 0:
            responded_h[problem[i]] = responded[i]
    for i in range(n):
        if tag[i] == TAG_DEPARTMENT:
            department_start_h[problem[i]] = start[i]
    return finish


def finished_today(state: RunState, t1: float, departments: bool):
    """Take the jobs finished by `t1` at local pools or departments: those of open problems
    (None if none finished)."""
    jobs = state.in_service
    any_due, kept, taken = _take_finished(
        (jobs.problem, jobs.pool, jobs.tag, jobs.finish_h), state.clocks.is_department,
        (t1, departments), state.log.status, OPEN,
    )  # fmt: skip
    if not any_due:
        return None
    jobs.problem, jobs.pool, jobs.tag, jobs.finish_h = kept
    return taken


@numba.njit(cache=True, nogil=True)
def _take_finished(jobs, is_department, when, status, open_code):
    """Of the jobs in service (problem, pool, tag, finish; problem -1: not a problem),
    those finished by `when` = (t1, at departments or local pools): whether any, the jobs
    left in service, and those finished of problems still open (`status` `open_code`), each
    in order."""
    problem, pool, tag, finish_h = jobs
    t1, departments = when
    n = len(problem)
    due, live = np.empty(n, np.bool_), np.zeros(n, np.bool_)
    for i in range(n):
        due[i] = finish_h[i] <= t1 and is_department[pool[i]] == departments
        if due[i] and problem[i] >= 0:
            live[i] = status[problem[i]] == open_code
    kept, taken = np.flatnonzero(~due), np.flatnonzero(live)
    left = (problem[kept], pool[kept], tag[kept], finish_h[kept])
    return due.any(), left, (problem[taken], pool[taken], tag[taken], finish_h[taken])


def _complete(state: DistrictState, t1: float, departments: bool) -> None:
    """Finished cases beyond local authority go to a department; the rest to closure."""
    finished = finished_today(state, t1, departments)
    if finished is None or len(finished[0]) == 0:
        return
    problem, pool, tag, finish = finished
    refer = (
        (tag == TAG_PRIMARY)
        & state.log.needs_department[problem]
        & ~state.clocks.is_department[pool]
    )
    referral.refer(state, problem[refer], finish[refer])
    done = ~refer
    closure.finish_handled(state, problem[done], pool[done], finish[done], t1)


def _background(state: DistrictState, t0: float, t1: float) -> None:
    """Departments' own workload: Poisson arrivals over their open hours today."""
    handlers, rng, clocks = state.world.handlers, state.streams["background"], state.clocks
    rates, service_h = handlers.background_rate_per_h.tolist(), handlers.background_service_h
    load = 1.0 if state.shocks is None else state.shocks.department_load_multiplier(state.day)
    opened, closed = clocks.business_by_clock(t0), clocks.business_by_clock(t1)
    clock_id = clocks.clock_id.tolist()
    pool_of_job, arrivals, works = [], [], []
    for pool in clocks.departments:
        rate = rates[pool] * load  # x 1.0: the same double
        b0, b1 = opened[clock_id[pool]], closed[clock_id[pool]]
        n = rng.poisson(rate * (b1 - b0)) if rate > 0 and b1 > b0 else 0
        if n:
            arrival = rng.uniform(b0, b1, n)
            arrival.sort()
            arrivals.append(arrival)
            works.append(rng.exponential(service_h[pool], n))
            pool_of_job.append(np.full(n, pool))
    if pool_of_job:  # one batch for all departments, in the order drawn
        pool = np.concatenate(pool_of_job)
        handlers.pools.add(
            pool, np.full(len(pool), -1), TAG_BACKGROUND, np.concatenate(arrivals),
            np.concatenate(works), PRIORITY_NORMAL, np.inf,
        )  # fmt: skip
