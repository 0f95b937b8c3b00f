"""Stage 2, latent needs: each races five competing hazards until one fires.

The owner (or, for a shared need, any affected neighbour) reports it through a channel; a
grid worker or a volunteer finds it on patrol or a home visit (and may fix it on the spot);
the owner solves it privately; or it lapses. Each hazard's threshold is an Exp(1) drawn when
the need arose; the hazard accumulated so far is kept, so rates may change day by day.
"""

from __future__ import annotations

from itertools import pairwise

import numba
import numpy as np

from sim import fmath, race
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
    is one compiled call, `race.advance`)."""
    ids = state.latent_ids
    if len(ids) == 0:
        return
    (hit, when, channel, bounds), n_latent = race.advance(
        ids, state.latent_thresholds, state.latent_hazards, (t0, t1), *_race_inputs(state)
    )
    state.keep_first_latent(n_latent)
    if len(hit) == 0:
        return
    group = [slice(start, stop) for start, stop in pairwise(bounds.tolist())]
    reported = group[R_REPORT]
    if reported.stop > reported.start:
        make_known(state, hit[reported], when[reported], channel[reported])
        dispatch.dispatch(state, hit[reported])
    for code, finder in ((R_GRID, GRID_WORKER), (R_VOLUNTEER, VOLUNTEER)):
        found = group[code]
        if found.stop > found.start:
            _found(state, hit[found], when[found], finder)
    solved, lapsed = group[R_SELF], group[R_LAPSE]
    closure.terminate(state, hit[solved], when[solved], SELF_RESOLVED, -1)
    closure.terminate(state, hit[lapsed], when[lapsed], ABANDONED, REASONS.index("lapsed"))


def _race_inputs(state: DistrictState) -> tuple:
    """The columns and constants `race.race` reads: the log's, people's, kinds' and cells'
    columns, and today's factors and report channels."""
    log, kinds, cov, mech = state.log, state.world.kinds, state.coverage, state.mech
    pop, spec = state.world.population, state.scenario
    problems = log.columns(race.PROBLEM_COLUMNS)
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
    log, kinds = state.log, state.world.kinds
    make_known(state, ids, when, np.full(len(ids), channel))
    # 调解员: the volunteer who heard of a dispute mediates it (-1: not a volunteer)
    settle = state.scenario.volunteers.mediation_settle_prob if channel == VOLUNTEER else -1.0
    finder = HANDLERS.index("grid_worker" if channel == GRID_WORKER else "volunteer")
    closable = _fixed_on_the_spot(
        np.asarray(ids, np.int64), when, (log.kind, log.draws, log.handler, log.responded_h),
        (kinds.closable_on_discovery_prob, kinds.mediable, kinds.outside_policy_share,
         state.programmes.policy_gap_factor),
        (float(settle), finder),
    )  # fmt: skip
    fixed = ids[closable]
    closure.close(state, fixed, when[closable], np.ones(len(fixed), bool), reason=-1)
    dispatch.dispatch(state, ids[~closable])


@numba.njit(cache=True, nogil=True)
def _fixed_on_the_spot(ids, when, problems, kinds, finding):
    """Which found problems the finder fixes on the spot (`u_closable` below the kind's
    share closable on discovery, or for a volunteer (`finding` = (mediation settle prob, or
    -1 for a grid worker; the finder's handler code)) its mediable share, whichever is
    larger), except what no policy can meet (`closure.outside_any_policy`: the same rule as
    for handlers); those get the finder as handler and the hour as response. `problems` is
    the log's (kind, draws, handler, responded_h), `kinds` (closable share, mediable,
    outside-policy share, its policy gap factor). The numpy form's operations."""
    kind, draws, handler, responded_h = problems
    closable_share, mediable, outside_share, gap_factor = kinds
    settle, finder = finding
    closable = np.empty(len(ids), np.bool_)
    for i in range(len(ids)):
        p, k = ids[i], kind[ids[i]]
        fixable = closable_share[k]
        if settle >= 0.0:
            fixable = fmath.maximum(fixable, (1.0 if mediable[k] else 0.0) * settle)
        # widened: numpy compared these float32 draws with float64 arrays
        outside = np.float64(draws[p, OUTSIDE_DRAW]) < outside_share[k] * gap_factor[k]
        closable[i] = np.float64(draws[p, CLOSABLE_DRAW]) < fixable and not outside
    for i in range(len(ids)):
        if closable[i]:
            handler[ids[i]], responded_h[ids[i]] = finder, when[i]
    return closable


OUTSIDE_DRAW, CLOSABLE_DRAW = D["u_outside"], D["u_closable"]


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
