"""Stage 5, referral: beyond local authority, the street office refers a case to a department.

Without a whistle a department may decline (closed as beyond the street's authority), and
coordination drags on; with the whistle (街乡吹哨、部门报到) a summoned department must report
within a deadline and is prioritised, up to a monthly cap of whistles per street office,
each costing the street office staff time.
"""

from __future__ import annotations

import numpy as np

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
    exp1,
)


def refer(state: DistrictState, ids: np.ndarray, when_h: np.ndarray) -> None:
    """Refer (or whistle for) the department of each case; refusals close unsolved."""
    if len(ids) == 0:
        return
    log, kinds, mech = state.log, state.world.kinds, state.mech
    log.cols["escalated"][ids] = True
    log.cols["escalated_h"][ids] = when_h
    whistled = _whistles(state, ids) if mech.referral.whistle else np.zeros(len(ids), bool)
    refusal_prob = state.scenario.dispatch.department_refusal_prob
    refused = ~whistled & (log.draws[ids, D["u_refuse"]] < refusal_prob)
    closure.close(
        state,
        ids[refused],
        when_h[refused],
        np.zeros(refused.sum(), bool),
        reason=REASONS.index("outside_authority"),
    )
    ids, when_h, whistled = ids[~refused], when_h[~refused], whistled[~refused]
    u = log.draws[ids, D["u_coordination"]]
    # a summoned department reports within its deadline; otherwise coordination drags on
    delay_h = np.where(
        whistled, mech.referral.report_deadline_h * u, mech.referral.coordination_delay_h * exp1(u)
    )
    summoned = PRIORITY_URGENT if mech.referral.street_evaluates_departments else PRIORITY_PRESSED
    priority = np.where(whistled, summoned, PRIORITY_NORMAL)
    pool = kinds.department_pool[log.kind[ids]]
    log.cols["whistled"][ids] = whistled
    log.cols["pool"][ids] = pool
    log.cols["handler"][ids] = H_DEPARTMENT
    dispatch.requeue(state, ids, pool, (when_h, when_h + delay_h), TAG_DEPARTMENT, priority)


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
