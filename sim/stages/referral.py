"""Stage 5, referral: beyond local authority, the street office refers a case to a department.

Without a whistle a department may decline (closed as beyond the street's authority), and
coordination drags on; with the whistle (街乡吹哨、部门报到) a summoned department must report
within a deadline and is prioritised, up to a monthly cap of whistles per street office,
each costing the street office staff time.
"""

from __future__ import annotations

import numba
import numpy as np

from sim import fmath
from sim.handlers import H_DEPARTMENT
from sim.records import REASONS
from sim.stages import closure, dispatch
from sim.state import (
    PRIORITY_NORMAL,
    PRIORITY_PRESSED,
    PRIORITY_URGENT,
    TAG_DEPARTMENT,
    D,
    DistrictState,
)


def refer(state: DistrictState, ids: np.ndarray, when_h: np.ndarray) -> None:
    """Refer (or whistle for) the department of each case; refusals close unsolved."""
    if len(ids) == 0:
        return
    log, kinds, mech = state.log, state.world.kinds, state.mech
    whistled = _whistles(state, ids) if mech.referral.whistle else np.zeros(len(ids), bool)
    refusal_prob = float(state.scenario.dispatch.department_refusal_prob)
    refused = _escalated(
        np.asarray(ids, np.int64), np.asarray(when_h, float), whistled, log.draws, refusal_prob,
        (log.escalated, log.escalated_h),
    )  # fmt: skip
    closure.close(
        state,
        ids[refused],
        when_h[refused],
        np.zeros(refused.sum(), bool),
        reason=REASONS.index("outside_authority"),
    )
    ids, when_h, whistled = ids[~refused], when_h[~refused], whistled[~refused]
    # a summoned department reports within its deadline; otherwise coordination drags on
    summoned = PRIORITY_URGENT if mech.referral.street_evaluates_departments else PRIORITY_PRESSED
    rates = (
        float(mech.referral.report_deadline_h), float(mech.referral.coordination_delay_h), summoned,
    )  # fmt: skip
    pool, delay_h, priority = _to_departments(
        np.asarray(ids, np.int64), whistled, log.draws, rates, kinds.department_pool,
        (log.kind, log.whistled, log.pool, log.handler),
    )  # fmt: skip
    dispatch.requeue(state, ids, pool, (when_h, when_h + delay_h), TAG_DEPARTMENT, priority)


@numba.njit(cache=True, nogil=True)
def _escalated(ids, when_h, whistled, draws, refusal_prob, columns):
    """Log the escalations (`columns`: escalated, escalated_h) and return which referrals
    the department refuses: not whistled, `u_refuse` below the refusal prob (compared in
    float32, as numpy compared the float32 draw with a Python float: the cast is here)."""
    escalated, escalated_h = columns
    refusal32 = np.float32(refusal_prob)
    refused = np.empty(len(ids), np.bool_)
    for i in range(len(ids)):
        p = ids[i]
        escalated[p], escalated_h[p] = True, when_h[i]
        refused[i] = not whistled[i] and draws[p, REFUSE_DRAW] < refusal32
    return refused


@numba.njit(cache=True, nogil=True)
def _to_departments(ids, whistled, draws, rates, department_pool, columns):
    """Each accepted referral's department pool, delay and priority, logged (`columns`:
    the log's kind, whistled, pool, handler). A whistle's department reports within the
    deadline × `u_coordination` (a float32 product, as numpy's of a Python float and the
    float32 draw: the cast is here; then widened) and goes ahead (`summoned`); otherwise
    coordination takes the mean delay × Exp(1). `rates` is (report deadline, mean
    coordination delay, summoned)."""
    deadline, coordination_h, summoned = rates
    deadline32 = np.float32(deadline)
    kind, whistled_column, pool_column, handler = columns
    n = len(ids)
    pool, delay_h, priority = np.empty(n, np.int64), np.empty(n), np.empty(n, np.int64)
    for i in range(n):
        p = ids[i]
        u = draws[p, COORDINATION_DRAW]
        if whistled[i]:
            delay_h[i], priority[i] = np.float64(deadline32 * u), summoned
        else:
            delay_h[i], priority[i] = coordination_h * fmath.exp1(u), PRIORITY_NORMAL
        pool[i] = department_pool[kind[p]]
        whistled_column[p], pool_column[p], handler[p] = whistled[i], pool[i], H_DEPARTMENT
    return pool, delay_h, priority


REFUSE_DRAW, COORDINATION_DRAW = D["u_refuse"], D["u_coordination"]


def _whistles(state: DistrictState, ids: np.ndarray) -> np.ndarray:
    """Which referrals are whistles: up to the monthly cap of each street office, in order.

    Each whistle costs the street office staff time (a job in its own queue).
    """
    mech, handlers = state.mech, state.world.handlers
    used = state.programmes.whistles_this_month
    street = state.log.street_office[ids]
    blown = np.zeros(len(ids), bool)
    for case, office in enumerate(street.tolist()):
        if used[office] < mech.referral.max_whistles_per_month:
            used[office] += 1
            blown[case] = True
    n = int(blown.sum())
    if n and mech.referral.whistle_staff_h > 0:
        pools = handlers.street_pool[street[blown]]
        day_end_h = np.full(n, 24.0 * (state.day + 1))  # the street's queue has run today
        dispatch.enqueue_staff_time(
            state, pools, day_end_h, np.full(n, mech.referral.whistle_staff_h)
        )
    return blown
