"""Stage 2, latent needs: each races five competing hazards until one fires.

The owner (or, for a shared need, any affected neighbour) reports it through a channel; a
grid worker or a volunteer finds it on patrol or a home visit (and may fix it on the spot);
the owner solves it privately; or it lapses. Each hazard's threshold is an Exp(1) drawn when
the need arose; the hazard accumulated so far is kept, so rates may change day by day.
"""

from __future__ import annotations

import numpy as np

from sim import fmath
from sim.city import LAND_USES
from sim.population import ELDERLY
from sim.records import (
    ABANDONED,
    COMMUNITY,
    GRID_WORKER,
    HANDLERS,
    HOTLINE,
    OPEN,
    REASONS,
    SELF_RESOLVED,
    SOCIAL_ORG,
    VOLUNTEER,
)
from sim.stages import closure, dispatch
from sim.state import (
    N_HAZARDS,
    R_GRID,
    R_LAPSE,
    R_REPORT,
    R_SELF,
    R_VOLUNTEER,
    D,
    DistrictState,
    RunState,
    exp1,
)

REPORT_CHANNELS = ("hotline", "community", "social_org")


def latent_needs(state: DistrictState, t0: float, t1: float) -> None:
    """Advance every latent need's hazards through today; act on those that fire."""
    ids = state.latent_ids
    if len(ids) == 0:
        return
    log = state.log
    rates, per_channel = _hazard_rates_per_h(state, ids)
    start = np.maximum(t0, log.arisen_h[ids])
    span = t1 - start
    threshold = exp1(log.draws[ids, :N_HAZARDS])
    before = log.hazard[ids]
    with np.errstate(divide="ignore", invalid="ignore"):
        wait = np.where(rates > 0, (threshold - before) / rates, np.inf)
    wait = np.where(wait < 0, 0.0, wait)
    first = np.argmin(wait, axis=1)
    first_wait = wait[np.arange(len(ids)), first]
    happens = first_wait <= span
    log.hazard[ids[~happens]] = before[~happens] + rates[~happens] * span[~happens, None]
    hit, when, which = ids[happens], (start + first_wait)[happens], first[happens]
    state.latent_ids = ids[~happens]
    if len(hit) == 0:
        return
    reported = which == R_REPORT
    if reported.any():
        _reported(state, hit[reported], when[reported], per_channel[happens][reported])
    for code, channel in ((R_GRID, GRID_WORKER), (R_VOLUNTEER, VOLUNTEER)):
        found = which == code
        if found.any():
            _found(state, hit[found], when[found], channel)
    solved = which == R_SELF
    closure.terminate(state, hit[solved], when[solved], SELF_RESOLVED, -1)
    lapsed = which == R_LAPSE
    closure.terminate(state, hit[lapsed], when[lapsed], ABANDONED, REASONS.index("lapsed"))


def _hazard_rates_per_h(state: DistrictState, ids: np.ndarray):
    """(n x 5) hazard rates per hour, and the report hazard's part per channel (n x 3)."""
    kinds, cov = state.world.kinds, state.coverage
    cell, kind = state.log.cell[ids], state.log.kind[ids]
    report, per_channel = _report_hazard_per_h(state, ids)
    rates = np.empty((len(ids), N_HAZARDS))
    rates[:, R_REPORT] = report
    visible = kinds.patrol_discovery_prob[kind] > kinds.home_visit_discovery_prob[kind]
    grid_factor = 1.0 if state.shocks is None else state.shocks.grid_patrol_factor(state.day)
    rates[:, R_GRID] = (
        cov.grid_patrol_h_per_cell[cell] * kinds.patrol_discovery_prob[kind] * grid_factor
        + cov.grid_visit_share_per_cell[cell] * kinds.home_visit_discovery_prob[kind]
        + visible * state.mech.grid.detection_rate_per_day  # the platform's cameras and sensors
    ) / 24.0
    spec = state.scenario.volunteers
    # a volunteer on patrol sees visible problems; a volunteer neighbour (信息员) hears of
    # private ones and brings them to the community
    informants = spec.informant_neighbours * cov.volunteer_share_per_cell[cell]
    rates[:, R_VOLUNTEER] = (
        cov.volunteer_patrol_h_per_cell[cell]
        * spec.patrol_effectiveness_share
        * kinds.patrol_discovery_prob[kind]
        + informants * spec.informant_pass_on_rate_per_day * kinds.home_visit_discovery_prob[kind]
    ) / 24.0
    rates[:, R_SELF] = kinds.self_resolve_rate_per_h[kind]
    rates[:, R_LAPSE] = kinds.lapse_rate_per_h[kind]
    return rates, per_channel


def _report_hazard_per_h(state: DistrictState, ids: np.ndarray):
    """Total report hazard per hour, and each channel's part (n x 3)."""
    log, kinds, mech = state.log, state.world.kinds, state.mech
    dispatch_spec, behaviour = state.scenario.dispatch, state.scenario.behaviour
    slot, kind, group = log.slot[ids], log.kind[ids], log.group[ids]
    willing = state.willing[slot]
    risky = kinds.enforcement_sensitive[kind] & (
        log.land_use[ids] == LAND_USES.index("urban_village")
    )
    willing = np.where(risky, willing * (1.0 - behaviour.report_enforcement_risk_prob), willing)
    reporters = np.where(
        log.shared[ids],
        fmath.power(log.n_affected[ids], dispatch_spec.shared_reporters_exponent),
        1.0,
    )
    base = willing * kinds.report_multiplier[kind] * reporters / 24.0
    access = np.array(
        [
            [mech.access.channel_share[g][c] for c in REPORT_CHANNELS]
            for g in ("resident", "migrant")
        ]
    )[group]
    elderly = state.world.population.age_band[slot] == ELDERLY
    access[:, 0] *= np.where(elderly, 1.0 - mech.access.elderly_hotline_loss_share, 1.0)
    access[:, 0] *= state.world.population.aware[slot]  # who does not know 12345 cannot call it
    rates = np.array(
        [
            dispatch_spec.hotline_report_rate_per_day,
            dispatch_spec.community_report_rate_per_day,
            dispatch_spec.social_org_report_rate_per_day,
        ]
    )
    per_channel = base[:, None] * access * rates[None, :]
    per_channel[:, 2] *= kinds.social_org_channel[kind]
    return per_channel.sum(axis=1), per_channel


def _reported(state: DistrictState, ids, when, per_channel) -> None:
    """A report's channel is picked in proportion to each channel's hazard."""
    cum = np.cumsum(per_channel, axis=1) / per_channel.sum(axis=1, keepdims=True)
    u = state.log.draws[ids, D["u_channel"]][:, None]
    channel = np.array([HOTLINE, COMMUNITY, SOCIAL_ORG])[(u >= cum).sum(axis=1).clip(0, 2)]
    make_known(state, ids, when, channel)
    dispatch.dispatch(state, ids)


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
    log.cols["status"][ids] = OPEN
    log.cols["known_h"][ids] = when
    log.cols["channel"][ids] = channel
    hotline = channel == HOTLINE
    log.cols["n_calls"][ids[hotline]] += 1
    run.calls.add(ids[hotline], when[hotline], 0)
    run.counters.known += len(ids)
    run.open_ids = np.concatenate([run.open_ids, ids])
