"""Stage 4, service: every pool's servers take their queue up to the end of the day.

Local handlers run first; cases they refer reach departments the same day, where they queue
with the departments' own workload. Whoever starts a case has contacted its owner by then.
Finished cases go on to referral (beyond local authority) or to closure.
"""

from __future__ import annotations

import numpy as np

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
    finish = state.clocks.to_wall(started.pool, started.finish_b, at_closing=True)
    # whoever starts handling a case has contacted its owner by then (in the textbook
    # queue, the start of service is the response)
    first = (started.tag == TAG_PRIMARY) & (started.problem >= 0)
    ids = started.problem[first]
    start = state.clocks.to_wall(started.pool[first], started.start_b[first])
    log.cols["responded_h"][ids] = np.fmin(log.cols["responded_h"][ids], start)
    at_department = started.tag == TAG_DEPARTMENT
    ids = started.problem[at_department]
    start = state.clocks.to_wall(started.pool[at_department], started.start_b[at_department])
    log.cols["department_start_h"][ids] = start
    state.in_service.add(started.problem, started.pool, started.tag, finish)
    return gone


def finished_today(state: RunState, t1: float, departments: bool):
    """Take the jobs finished by `t1` at local pools or departments: those of open problems."""
    in_service = state.in_service
    is_department = state.clocks.is_department[in_service.pool]
    due = (in_service.finish_h <= t1) & (is_department == departments)
    if not due.any():
        return None
    problem, pool, tag, finish = in_service.take(due)
    real = problem >= 0
    problem, pool, tag, finish = problem[real], pool[real], tag[real], finish[real]
    live = state.log.status[problem] == OPEN
    return problem[live], pool[live], tag[live], finish[live]


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
    pool_of_job, arrivals, works = [], [], []
    for pool in clocks.departments:
        rate = handlers.background_rate_per_h[pool]
        if state.shocks is not None:
            rate *= state.shocks.department_load_multiplier(state.day)
        b0, b1 = clocks.business_at(pool, t0), clocks.business_at(pool, t1)
        n = rng.poisson(rate * (b1 - b0)) if rate > 0 and b1 > b0 else 0
        if n:
            arrivals.append(np.sort(rng.uniform(b0, b1, n)))
            works.append(rng.exponential(handlers.background_service_h[pool], n))
            pool_of_job.append(np.full(n, pool))
    if pool_of_job:  # one batch for all departments, in the order drawn
        pool = np.concatenate(pool_of_job)
        handlers.pools.add(
            pool, np.full(len(pool), -1), TAG_BACKGROUND, np.concatenate(arrivals),
            np.concatenate(works), PRIORITY_NORMAL, np.inf,
        )  # fmt: skip
