"""Stage 3, dispatch and first contact: a known problem goes to the pool that owns it first.

The route follows the problem's kind and the property regime of its block. Travel to the
handler takes a delay by channel (a hotline relay, a referral, or none for a walk-in), plus a
return trip when misrouted. The owner's patience clock starts; the job joins the pool's
queue with its priority; the duty rota contacts the owner within office hours, every day.
"""

from __future__ import annotations

import numpy as np

from sim.handlers import pools_by_place
from sim.stages import dispatching
from sim.state import (
    PRIORITY_PRESSED,
    TAG_PRIMARY,
    TAG_STAFF_TIME,
    DistrictState,
    RunState,
)


def dispatch(state: DistrictState, ids: np.ndarray) -> None:
    """Route, delay, prioritise and queue known problems; schedule their first contact."""
    if len(ids) == 0:
        return
    ids = np.asarray(ids, np.int64)
    log, kinds, handlers = state.log, state.world.kinds, state.world.handlers
    # the first pool; travel (a hotline order of an urgent kind at its own mean delay;
    # misrouted cases travel back and again), patience, work, priority and first contact
    # (a call or visit by the duty rota, in office hours but every day): one pass, which
    # writes the log's columns and puts the times on the pools' clocks
    case = (
        log.columns(dispatching.DISPATCH_COLUMNS), log.draws,
        dispatching.DRAW_COLUMNS, _tables(state), _work_columns(state),
        (_dispatch_rates(state), _work_rates(state)),
    )  # fmt: skip
    routing = (
        kinds.route, kinds.department_pool, state.world.population.regime,
        pools_by_place(handlers),
    )  # fmt: skip
    written = log.columns(DISPATCH_WRITES)
    pool, arrival_b, work, priority, abandon_b = dispatching.dispatch_pass(
        ids, case, routing, written, state.clocks.columns,
    )  # fmt: skip
    _accountability(state, ids)
    handlers.pools.add(pool, ids, TAG_PRIMARY, arrival_b, work, priority, abandon_b)


DISPATCH_WRITES = ("returned", "abandon_at_h", "pool", "handler", "responded_h")


def _tables(state: DistrictState) -> tuple:
    """`dispatching.dispatching`'s look-ups by pool, kind, group and street office."""
    handlers, columns = state.world.handlers, state.clocks.columns
    return (
        handlers.kind, handlers.contact_lag_h, columns[0], columns[1],
        state.world.kinds.contact_deadline_h, state.traits.patience_h, state.pressure,
        state.world.kinds.stationed_share,
    )  # fmt: skip


def _dispatch_rates(state: DistrictState) -> tuple:
    """Urgent deadline; urgent and ordinary hotline delays; referral delay; whether 12345
    reaches service centres via the community; misrouting; return delay; contact rota."""
    spec, mech = state.scenario.dispatch, state.mech.dispatch
    rates = (
        spec.urgent_contact_deadline_h, mech.urgent_hotline_delay_h, mech.hotline_delay_h,
        spec.community_referral_delay_h, not mech.social_org_hotline_dispatch,
        mech.misroute_prob, mech.return_delay_h, spec.contact_rota_days_per_week,
    )  # fmt: skip
    return tuple(map(float, rates))


def _accountability(state: DistrictState, ids: np.ndarray) -> None:
    """责任下沉: the street office answers for the kinds pushed down to it. Whoever fixes the
    case (物业, village collective, department) still does; the street's staff inspect it and
    keep its ledger, `extra_assessment_h` per case, ahead of their own cases."""
    hours = state.mech.dispatch.extra_assessment_h
    if hours <= 0:  # no inspection (baseline): nothing to look up
        return
    answerable = ids[state.accountable[state.log.kind[ids]]]
    if len(answerable) == 0:
        return
    street = state.world.handlers.street_pool[state.log.street_office[answerable]]
    enqueue_staff_time(state, street, state.log.known_h[answerable], hours)


def _work_columns(state: DistrictState) -> tuple:
    """Kinds' mean service hours and specialists, cells' (x, y), pools' base, speed and
    specialists moved down (资源下沉)."""
    kinds, handlers = state.world.kinds, state.world.handlers
    return (
        kinds.mean_service_h, state.specialist, state.world.layout.xy, handlers.site,
        handlers.speed_kmh, handlers.moved_staff,
    )  # fmt: skip


def _work_rates(state: DistrictState) -> tuple:
    """The lognormal's sigma and sigma² / 2, cell size, specialists' work share (a unit
    holding m < 1 of them has a specialist on a share m of those cases), data entry."""
    sigma, mech = state.scenario.dispatch.service_time_log_sd, state.mech.dispatch
    rates = (
        sigma, sigma**2 / 2, state.world.layout.cell_size_km, mech.specialist_work_share,
        mech.data_entry_h_per_case,
    )  # fmt: skip
    return tuple(map(float, rates))


def requeue(state: DistrictState, ids, pool, times_h, tag: int, priority, work_share=1.0) -> None:
    """Cases go (back) to a pool's queue: the owner's patience restarts at `times_h`[0] (each
    wait has its own patience clock: an owner never gives up on a case in hand), the case
    arrives at `times_h`[1], its work drawn as at dispatch (× `work_share`). One compiled
    pass (`dispatching.requeued`), then the queue."""
    if len(ids) == 0:
        return
    log, ids = state.log, np.asarray(ids, np.int64)
    since_h, arrive_h = (np.asarray(t, float) for t in times_h)
    arrival_b, work, abandon_b = dispatching.requeued(
        ids, np.asarray(pool, np.int64), (since_h, arrive_h), (log.group, log.kind, log.cell),
        log.draws,
        log.abandon_at_h, state.traits.patience_h,
        (_work_columns(state), _work_rates(state), float(work_share)),
        state.clocks.columns,
    )  # fmt: skip
    state.world.handlers.pools.add(pool, ids, tag, arrival_b, work, priority, abandon_b)


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
