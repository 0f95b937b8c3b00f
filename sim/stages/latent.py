"""Stage 2, latent needs: each races five competing hazards until one fires.

The owner (or, for a shared need, any affected neighbour) reports it through a channel; a
grid worker or a volunteer finds it on patrol or a home visit (and may fix it on the spot);
the owner solves it privately; or it lapses. Each hazard's threshold is an Exp(1) drawn when
the need arose; the hazard accumulated so far is kept, so rates may change day by day.
"""

from __future__ import annotations

import numba
import numpy as np

from sim import race
from sim.population import GROUPS
from sim.records import (
    ABANDONED,
    GRID_WORKER,
    HANDLERS,
    HOTLINE,
    OPEN,
    REASONS,
    SELF_RESOLVED,
    VOLUNTEER,
)
from sim.stages import closure, dispatch
from sim.state import R_GRID, R_LAPSE, R_REPORT, R_SELF, R_VOLUNTEER, D, DistrictState, RunState

REPORT_CHANNELS = ("hotline", "community", "social_org")


def latent_needs(state: DistrictState, t0: float, t1: float) -> None:
    """Advance every latent need's hazards through today; act on those that fire (the race
    is one compiled pass, `sim.race`)."""
    ids = state.latent_ids
    if len(ids) == 0:
        return
    fired, first, fired_h, channel = race.race(
        ids, state.latent_thresholds, state.latent_hazards, (t0, t1), *_race_inputs(state)
    )
    hit, when, which, channel = ids[fired], fired_h[fired], first[fired], channel[fired]
    state.keep_latent(~fired)
    if len(hit) == 0:
        return
    reported = which == R_REPORT
    if reported.any():
        make_known(state, hit[reported], when[reported], channel[reported])
        dispatch.dispatch(state, hit[reported])
    for code, finder in ((R_GRID, GRID_WORKER), (R_VOLUNTEER, VOLUNTEER)):
        found = which == code
        if found.any():
            _found(state, hit[found], when[found], finder)
    solved = which == R_SELF
    closure.terminate(state, hit[solved], when[solved], SELF_RESOLVED, -1)
    lapsed = which == R_LAPSE
    closure.terminate(state, hit[lapsed], when[lapsed], ABANDONED, REASONS.index("lapsed"))


def _race_inputs(state: DistrictState) -> tuple:
    """The columns and constants `race.race` reads: the log's, people's, kinds' and cells'
    columns, and today's factors and report channels."""
    log, kinds, cov, mech = state.log, state.world.kinds, state.coverage, state.mech
    pop, spec = state.world.population, state.scenario
    problems = tuple(log.cols[name] for name in race.PROBLEM_COLUMNS)
    kind_columns = (
        kinds.patrol_discovery_prob, kinds.home_visit_discovery_prob,
        kinds.enforcement_sensitive, kinds.report_multiplier, kinds.social_org_channel,
        kinds.self_resolve_rate_per_h, kinds.lapse_rate_per_h,
    )  # fmt: skip
    cells = (
        cov.grid_patrol_h_per_cell, cov.grid_visit_share_per_cell,
        cov.volunteer_patrol_h_per_cell, cov.volunteer_share_per_cell,
    )  # fmt: skip
    factors = (
        1.0 if state.shocks is None else float(state.shocks.grid_patrol_factor(state.day)),
        float(mech.grid.detection_rate_per_day),  # the platform's cameras and sensors
        float(spec.volunteers.patrol_effectiveness_share),
        float(spec.volunteers.informant_neighbours),  # 信息员 hear of private problems
        float(spec.volunteers.informant_pass_on_rate_per_day),
        1.0 - spec.behaviour.report_enforcement_risk_prob,
        float(spec.dispatch.shared_reporters_exponent),
        1.0 - mech.access.elderly_hotline_loss_share,
    )
    access = np.array(
        [[mech.access.channel_share[g][c] for c in REPORT_CHANNELS] for g in GROUPS], float
    )
    dispatch_spec = spec.dispatch
    channel_rates = np.array(
        [
            dispatch_spec.hotline_report_rate_per_day,
            dispatch_spec.community_report_rate_per_day,
            dispatch_spec.social_org_report_rate_per_day,
        ],
        float,
    )
    people = (state.willing, pop.age_band, pop.aware)
    tables = (factors, access, channel_rates, D["u_channel"])
    return problems, log.draws, people, kind_columns, cells, tables


def _found(state: DistrictState, ids, when, channel: int) -> None:
    """Found on patrol or a home visit: fixed on the spot where it can be, else dispatched."""
    log = state.log
    make_known(state, ids, when, np.full(len(ids), channel))
    kinds = state.world.kinds
    fixable = kinds.closable_on_discovery_prob[log.kind[ids]]
    if channel == VOLUNTEER:  # 调解员: the volunteer who heard of a dispute mediates it
        mediated = kinds.mediable[log.kind[ids]] * state.scenario.volunteers.mediation_settle_prob
        fixable = np.maximum(fixable, mediated)
    # nobody fixes on the spot what no policy can meet (the same rule as for handlers)
    closable = (log.draws[ids, D["u_closable"]] < fixable) & ~closure.outside_any_policy(state, ids)
    finder = HANDLERS.index("grid_worker" if channel == GRID_WORKER else "volunteer")
    log.cols["handler"][ids[closable]] = finder
    log.cols["responded_h"][ids[closable]] = when[closable]
    closure.close(state, ids[closable], when[closable], np.ones(closable.sum(), bool), reason=-1)
    dispatch.dispatch(state, ids[~closable])


def make_known(run: RunState, ids: np.ndarray, when: np.ndarray, channel: np.ndarray) -> None:
    """The system learns of these problems now, through `channel` (a hotline call is logged)."""
    log = run.log
    hotline = _known(
        np.asarray(ids, np.int64), np.asarray(when, float), np.asarray(channel, np.int8),
        (log.status, log.known_h, log.channel, log.n_calls),
    )  # fmt: skip
    run.calls.add(ids[hotline], when[hotline], 0)
    run.counters.known += len(ids)
    run.open_ids = np.concatenate([run.open_ids, ids])


@numba.njit(cache=True, nogil=True)
def _known(ids, when, channel, columns):
    """`make_known`'s writes in one pass: status open, the hour and the channel, and one
    more call for a hotline report (counted from the values before any write, as numpy's
    `+=` through an index). `columns` is the log's (status, known_h, channel, n_calls).
    Returns which came through the hotline."""
    status, known_h, channel_column, n_calls = columns
    hotline = channel == HOTLINE
    calls = np.empty(len(ids), n_calls.dtype)
    for i in range(len(ids)):
        calls[i] = n_calls[ids[i]] + 1
    for i in range(len(ids)):
        p = ids[i]
        status[p], known_h[p], channel_column[p] = OPEN, when[i], channel[i]
        if hotline[i]:
            n_calls[p] = calls[i]
    return hotline
