"""Stage 3, dispatch and first contact: a known problem goes to the pool that owns it first.

The route follows the problem's kind and the property regime of its block. Travel to the
handler takes a delay by channel (a hotline relay, a referral, or none for a walk-in), plus a
return trip when misrouted. The owner's patience clock starts; the job joins the pool's
queue with its priority; the duty rota contacts the owner within office hours, every day.
"""

from __future__ import annotations

import numpy as np
from scipy.special import ndtri

from sim import clock, fmath
from sim.handlers import H_COMMUNITY, H_DEPARTMENT, H_SOCIAL, first_handler
from sim.records import COMMUNITY, HANDLERS, HOTLINE, SOCIAL_ORG
from sim.state import (
    PRIORITY_NORMAL,
    PRIORITY_PRESSED,
    PRIORITY_URGENT,
    TAG_PRIMARY,
    TAG_STAFF_TIME,
    D,
    DistrictState,
    RunState,
    exp1,
)


def dispatch(state: DistrictState, ids: np.ndarray) -> None:
    """Route, delay, prioritise and queue known problems; schedule their first contact."""
    if len(ids) == 0:
        return
    log, kinds, handlers = state.log, state.world.kinds, state.world.handlers
    kind = log.kind[ids]
    pool = first_handler(
        handlers,
        kinds.route[kind],
        kinds.department_pool[kind],
        log.street_office[ids],
        log.community[ids],
        state.world.population.regime[log.slot[ids]],
    )
    urgent = kinds.contact_deadline_h[kind] <= state.scenario.dispatch.urgent_contact_deadline_h
    arrival = log.known_h[ids] + _travel_delay_h(state, ids, pool, urgent)
    restart_patience(state, ids, log.known_h[ids])
    abandon_at = log.abandon_at_h[ids]
    work = work_h(state, ids, pool)
    _accountability(state, ids, kind)
    log.cols["pool"][ids] = pool
    log.cols["handler"][ids] = handlers.kind[pool]
    log.cols["abandon_at_h"][ids] = abandon_at
    priority = _priority(state, ids, urgent)
    enqueue(state, ids, pool, TAG_PRIMARY, arrival, work, priority, abandon_at)
    # first contact: a call or visit by the duty rota, in office hours but every day
    lag = handlers.contact_lag_h[pool] * exp1(log.draws[ids, D["u_contact"]])
    duty = state.clocks.columns[:, pool].copy()
    duty[2] = state.scenario.dispatch.contact_rota_days_per_week
    contact_b = clock.to_business(arrival, *duty) + lag
    log.cols["responded_h"][ids] = clock.to_wall(contact_b, *duty)


def _accountability(state: DistrictState, ids: np.ndarray, kind: np.ndarray) -> None:
    """责任下沉: the street office answers for the kinds pushed down to it. Whoever fixes the
    case (物业, village collective, department) still does; the street's staff inspect it and
    keep its ledger, `extra_assessment_h` per case, ahead of their own cases."""
    answerable = ids[state.accountable[kind]]
    hours = state.mech.dispatch.extra_assessment_h
    if len(answerable) == 0 or hours <= 0:
        return
    street = state.world.handlers.street_pool[state.log.street_office[answerable]]
    enqueue_staff_time(state, street, state.log.known_h[answerable], hours)


def _travel_delay_h(state: DistrictState, ids: np.ndarray, pool: np.ndarray, urgent) -> np.ndarray:
    """Hours from known to arrival at the handler (a hotline order of an `urgent` kind at its
    own mean delay); misrouted cases travel back and again."""
    log, handlers, mech = state.log, state.world.handlers, state.mech
    referral_delay_h = state.scenario.dispatch.community_referral_delay_h
    channel = log.channel[ids]
    draws = log.draws[ids]
    walk_in = ((channel == COMMUNITY) & (handlers.kind[pool] == H_COMMUNITY)) | (
        (channel == SOCIAL_ORG) & (handlers.kind[pool] == HANDLERS.index("social_org"))
    )
    # 派驻: an officer of the department stationed in the street takes a case found there
    # at once, instead of its going up community -> street -> department. `u_department`
    # is free here: a department's own kind never needs a department referral.
    stationed = (
        (channel != HOTLINE)
        & (handlers.kind[pool] == H_DEPARTMENT)
        & (draws[:, D["u_department"]] < state.world.kinds.stationed_share[log.kind[ids]])
    )
    walk_in = walk_in | stationed
    hotline_h = np.where(
        urgent, mech.dispatch.urgent_hotline_delay_h, mech.dispatch.hotline_delay_h
    )
    delay = np.where(
        channel == HOTLINE,
        hotline_h,
        np.where(walk_in, 0.0, referral_delay_h),
    ) * exp1(draws[:, D["u_dispatch"]])
    if not mech.dispatch.social_org_hotline_dispatch:  # 12345 reaches a centre via the community
        via_community = (channel == HOTLINE) & (handlers.kind[pool] == H_SOCIAL)
        delay = delay + via_community * referral_delay_h
    misrouted = (~walk_in) & (draws[:, D["u_misroute"]] < mech.dispatch.misroute_prob)
    log.cols["returned"][ids] += misrouted
    return delay + misrouted * mech.dispatch.return_delay_h


def _priority(state: DistrictState, ids: np.ndarray, urgent: np.ndarray) -> np.ndarray:
    """Urgent kinds first; hotline orders pressed by 考核 pressure next; the rest in order."""
    log = state.log
    pressed = (log.channel[ids] == HOTLINE) & (
        log.draws[ids, D["u_priority"]] < state.pressure[log.street_office[ids]]
    )
    return np.where(urgent, PRIORITY_URGENT, np.where(pressed, PRIORITY_PRESSED, PRIORITY_NORMAL))


def work_h(state: DistrictState, ids: np.ndarray, pool: np.ndarray) -> np.ndarray:
    """Service time: drawn work content plus the round trip from the handler's base."""
    log, kinds, handlers = state.log, state.world.kinds, state.world.handlers
    sigma = state.scenario.dispatch.service_time_log_sd
    z = ndtri(np.clip(log.draws[ids, D["u_work"]].astype(float), 1e-12, 1 - 1e-12))
    work = kinds.mean_service_h[log.kind[ids]] * fmath.exp(sigma * z - sigma**2 / 2)
    distance_km = state.world.layout.distance_km(log.cell[ids], handlers.site[pool])
    travel = 2.0 * distance_km / handlers.speed_kmh[pool]
    # specialists moved down do their own department's kinds faster, others no better; a
    # unit holding m < 1 of them has a specialist on a share m of those cases (expected work)
    reach = np.minimum(handlers.moved_staff[pool], 1.0) * state.specialist[log.kind[ids]]
    work = work * (1.0 - reach * (1.0 - state.mech.dispatch.specialist_work_share))
    return work + travel + state.mech.dispatch.data_entry_h_per_case


def restart_patience(state: DistrictState, ids: np.ndarray, when_h: np.ndarray) -> None:
    """Each wait has its own patience clock: an owner never gives up on a case in hand."""
    log = state.log
    patience_h = state.traits.patience_h[log.group[ids]] * exp1(log.draws[ids, D["u_patience"]])
    log.cols["abandon_at_h"][ids] = when_h + patience_h


def enqueue(run: RunState, ids, pool, tag, arrival_h, work_h, priority, abandon_at_h) -> None:
    """Jobs join their pools' queues; times move to each pool's business clock."""
    if len(ids) == 0:
        return
    run.world.handlers.pools.add(
        pool,
        ids,
        tag,
        run.clocks.to_business(pool, arrival_h),
        work_h,
        priority,
        run.clocks.to_business(pool, abandon_at_h),
    )


def enqueue_staff_time(state: RunState, pools: np.ndarray, when_h, work_h) -> None:
    """Work that is not a problem (persuasion calls, whistles, quota reports) takes its turn
    in a pool's queue ahead of ordinary cases."""
    n = len(pools)
    enqueue(
        state, np.full(n, -1), pools, TAG_STAFF_TIME, when_h, work_h, PRIORITY_PRESSED,
        np.full(n, np.inf),
    )  # fmt: skip
