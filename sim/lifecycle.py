"""A problem's closed loop, one simulated day at a time.

问题收集 → 街道号召 → 部门响应 → 处理反馈 → 核实结项 → 综合评价. Within a day, times are
hours as floats: needs arise at drawn hours; latent needs race competing hazards (report,
discovery by grid workers or volunteers, private solution, lapse); known problems are
dispatched to a handler pool, contacted, queued and served; some are referred to a
department (or, with the whistle, summoned); closures are verified, called back and
felt by their owners. Every per-problem random number is drawn when the need arises.
"""

from __future__ import annotations

import numpy as np
from scipy.special import ndtri

from sim import behaviour, clock
from sim.city import LAND_USES
from sim.config.params import Params
from sim.config.scenario import CityScenario, ShockMix
from sim.handlers import H_COMMUNITY, H_DEPARTMENT, H_SOCIAL, H_STREET, first_handler
from sim.mechanisms import Mechanisms
from sim.policies import start_of_day
from sim.population import ELDERLY, MIGRANT, RESIDENT
from sim.records import (
    ABANDONED,
    CLOSED_UNSOLVED,
    COMMUNITY,
    GRID_WORKER,
    HANDLERS,
    HOTLINE,
    LATENT,
    OPEN,
    REASONS,
    SELF_RESOLVED,
    SOCIAL_ORG,
    SOLVED,
    VOLUNTEER,
    CallLog,
    ProblemLog,
)
from sim.shocks import Shocks
from sim.world import World

# Per-problem draws, one row each, drawn when the need arises (common random numbers).
DRAWS = (
    "e_report", "e_grid", "e_volunteer", "e_self", "e_lapse",  # hazard thresholds, Exp(1)
    "u_channel", "u_work", "u_solve", "u_department", "u_misroute", "u_dispatch", "u_contact",
    "u_patience", "u_explain", "u_rated", "u_lift", "u_exempt", "u_verify", "u_repeat",
    "u_refuse", "u_closable", "u_priority", "u_owner", "u_coordination", "u_entitlement",
    "u_consent",
)  # fmt: skip
D = {name: i for i, name in enumerate(DRAWS)}
N_HAZARDS = 5
R_REPORT, R_GRID, R_VOLUNTEER, R_SELF, R_LAPSE = range(N_HAZARDS)
TAG_PRIMARY, TAG_DEPARTMENT, TAG_REWORK, TAG_STAFF_TIME, TAG_BACKGROUND = range(5)
PRIORITY_URGENT, PRIORITY_PRESSED, PRIORITY_NORMAL = 0, 1, 2
SERVICE_SIGMA = 0.75  # spread of city service times (lognormal, mean 1 x mean_service_h)
REASON = {name: i for i, name in enumerate(REASONS)}


def exp1(u: np.ndarray) -> np.ndarray:
    """Exp(1) from uniforms on [0, 1), stored as float32 (which can round up to 1.0)."""
    return -np.log1p(-np.minimum(np.asarray(u, float), 1.0 - 2.0**-24))


class Counters:
    """Running totals of transitions, for the daily table (recomputable from the log)."""

    def __init__(self):
        self.arisen = self.known = self.terminal_from_latent = self.terminal_from_open = 0
        self.by_status = {SOLVED: 0, CLOSED_UNSOLVED: 0, SELF_RESOLVED: 0, ABANDONED: 0}
        self.consultations = 0


class District:
    """The state of one run and its daily step (no Mesa here; `CityModel` wraps it)."""

    def __init__(self, params: Params, world: World, mech: Mechanisms | None, streams):
        self.params = params
        self.world = world
        self.mech = mech
        self.streams = streams
        self.textbook = world.textbook
        self.scenario: CityScenario | None = None if self.textbook else params.scenario
        self.log = ProblemLog(len(DRAWS), N_HAZARDS)
        self.calls = CallLog()
        self.counters = Counters()
        self.latent_ids = np.empty(0, np.int64)
        self.open_ids = np.empty(0, np.int64)
        h = world.handlers
        self.in_service = {  # started jobs whose completion is still ahead
            "problem": np.empty(0, np.int64),
            "pool": np.empty(0, np.int64),
            "tag": np.empty(0, np.int8),
            "finish_h": np.empty(0),
        }
        self.pressure = np.zeros(len(world.layout.street_site))
        self.volunteer_hours_today = 0.0
        self.volunteer_patrol_h_per_cell = np.zeros(world.layout.n_cells)
        self.grid_patrol_h_per_cell = np.zeros(world.layout.n_cells)
        self.grid_visit_share_per_cell = np.zeros(world.layout.n_cells)
        self.persuasion_contacts = 0
        self.whistles_this_month = np.zeros(len(world.layout.street_site), np.int64)
        self.entitlement_slots = np.zeros(3, np.int64)  # by entitlement code: -, school, housing
        self.entitlements_used = np.zeros(3, np.int64)
        self.entitlements_used_today = np.zeros(3, np.int64)
        self.fix_until_day = np.zeros((world.kinds.n, len(world.layout.community_site)), np.int64)
        self.fixes_today = self.fixes_total = self.trivial_reports_total = 0
        self.social_workers_today = 0.0
        self.awaiting_deliberation: list[int] = []  # consent cases, oldest first
        self.deliberation_would_solve: list[bool] = []  # whether handling would solve each
        self.meetings_total = 0
        self.draw_index = D
        self.meeting_hours_total = 0.0
        self.shocks = None
        if not self.textbook and params.shocks != ShockMix():
            self.shocks = Shocks(params.shocks, world.kinds.names, world.layout, streams["shocks"])
        self.party_hours_today = 0.0
        self.base_servers = np.array([h.pools.servers(p) for p in range(len(h.pools))])
        self.planned_servers = self.base_servers.copy()  # before sickness; see _apply_servers
        self.day = 0
        self.departed_today = self.arrived_today = np.empty(0, np.int64)
        self.clocks = sorted(set(h.pools.clocks), key=repr)
        self.clock_id = np.array([self.clocks.index(c) for c in h.pools.clocks])
        self.clock_columns = np.array(
            [[c.open_h, c.close_h, c.days_per_week] for c in h.pools.clocks]
        ).T  # 3 x pools: open_h, close_h, days_per_week
        self.pool_is_department = h.kind == H_DEPARTMENT
        self._cell_order()
        if not self.textbook:
            self._grid_coverage()
            pop = world.population
            groups = (self.scenario.population.resident, self.scenario.population.migrant)
            self.initial_trust = np.array([g.initial_trust_prob for g in groups])
            self.base_willingness = np.array([g.report_willingness_prob for g in groups])
            self.patience_h = np.array([g.patience_mean_days * 24.0 for g in groups])
            self.entitlement_barrier = np.array([g.entitlement_barrier_prob for g in groups])
            self.street_first = np.isin(
                np.array(world.kinds.names), mech.dispatch.street_first_kinds
            )
            share = self.scenario.behaviour.initial_expectation_deadline_ratio
            pop.expectation_ratio[:] = share  # expectation as a share of the closure deadline
            self._update_volunteers()

    # ------------------------------------------------------------------ set-up helpers
    def _cell_order(self) -> None:
        pop = self.world.population
        self.slots_by_cell = np.argsort(pop.cell, kind="stable")
        self.cell_start = np.searchsorted(
            pop.cell[self.slots_by_cell], np.arange(self.world.layout.n_cells)
        )

    def _grid_coverage(self) -> None:
        """Patrol hours and home-visit coverage per cell from grid workers (per street office)."""
        mech, spec, layout = self.mech, self.scenario.grid, self.world.layout
        pop = self.world.population
        households = pop.households_per_cell
        residential = layout.residential
        # filing quota reports takes grid time from patrol
        quota_h = mech.grid.report_quota_per_month * mech.grid.trivial_report_h / 30.0
        for s in range(len(layout.street_site)):
            cells = residential & (layout.street_office == s)
            n_workers = households[cells].sum() / mech.grid.households_per_grid
            hours = n_workers * spec.hours_per_day
            n_cells = max(1, int(cells.sum()))
            patrol = max(0.0, hours * mech.grid.patrol_time_share - n_workers * quota_h)
            self.grid_patrol_h_per_cell[cells] = patrol / n_cells
            visits = hours * mech.grid.home_visit_time_share / spec.hours_per_home_visit
            self.grid_visit_share_per_cell[cells] = np.minimum(
                1.0, visits / max(households[cells].sum(), 1.0)
            )
        self.grid_workers = households[residential].sum() / mech.grid.households_per_grid

    # ------------------------------------------------------------------ the day
    def step(self, day: int) -> None:
        self.day = day
        self.fixes_today = 0
        self.entitlements_used_today[:] = 0
        t0, t1 = 24.0 * day, 24.0 * (day + 1)
        if not self.textbook:
            start_of_day(self, day)  # the policies' calendar hooks
            if self.shocks is not None and self.shocks.changes_on(day):
                self._update_volunteers()
            self._apply_servers()
            self._turnover(t0, t1)
            self.willing = self._willingness_all()
        self._arise(t0, t1)
        self._latent_events(t0, t1)
        self._serve(t0, t1)
        self._sweep_abandoned(t1)
        if not self.textbook:
            self._calls(t0, t1)
            if day % 7 == 6:  # weekly: volunteering is a standing commitment, notes are compared
                self._update_volunteers()
                self._share_expectations()

    # ------------------------------------------------------------------ people
    def _turnover(self, t0: float, t1: float) -> None:
        pop = self.world.population
        departed, departed_h, arrived = pop.turnover(t0, t1)
        if self.shocks is not None:
            wave, wave_h = self.shocks.arrivals(self.day, pop)
            pop.arrive(wave, wave_h, self.shocks.rng)
            arrived = np.concatenate([arrived, wave])
        self.departed_today, self.arrived_today = departed, arrived
        pop.expectation_ratio[arrived] = self.scenario.behaviour.initial_expectation_deadline_ratio
        if len(departed) == 0:
            return
        when = np.full(pop.capacity, np.nan)
        when[departed] = departed_h
        active = np.concatenate([self.latent_ids, self.open_ids])
        gone = active[~np.isnan(when[self.log.slot[active]])]
        # a problem is the departed person's only if it arose before they left
        gone = gone[self.log.arisen_h[gone] <= when[self.log.slot[gone]]]
        if len(gone):
            self._terminate(gone, when[self.log.slot[gone]], ABANDONED, REASON["left_city"])
            self._purge_pools()

    # ------------------------------------------------------------------ arising
    def _arise(self, t0: float, t1: float) -> None:
        kinds, pop, rng = self.world.kinds, self.world.population, self.streams["needs"]
        ceiling = 1.0 if self.textbook else self.scenario.surge_ceiling
        # individual needs: candidates for every slot at an envelope rate, then thinning
        top = np.maximum(kinds.migrant_multiplier, 1.0) * np.maximum(kinds.elderly_multiplier, 1.0)
        envelope = kinds.rate_per_person_h * top * ceiling
        n = rng.poisson(pop.capacity * envelope.sum() * 24.0) if envelope.sum() > 0 else 0
        slot = rng.integers(0, pop.capacity, n)
        kind = rng.choice(kinds.n, size=n, p=envelope / envelope.sum()) if n else np.empty(0, int)
        hour = t0 + 24.0 * rng.random(n)
        accept_u = rng.random(n)
        draws = rng.random((n, len(DRAWS)))
        rate = (
            kinds.rate_per_person_h[kind]
            * np.where(pop.group[slot] == MIGRANT, kinds.migrant_multiplier[kind], 1.0)
            * np.where(pop.age_band[slot] == ELDERLY, kinds.elderly_multiplier[kind], 1.0)
            * self._need_multiplier(kind, pop.cell[slot])
        )
        keep = pop.present[slot] & (accept_u * envelope[kind] < rate)
        self._add_problems(slot[keep], kind[keep], hour[keep], draws[keep], shared=False)
        # shared needs: candidates per residential cell, owned by a present person there
        if self.textbook or kinds.rate_per_cell_h.sum() == 0:
            return
        cells = np.flatnonzero(self.world.layout.residential)
        cell_env = kinds.rate_per_cell_h * ceiling
        n = rng.poisson(len(cells) * cell_env.sum() * 24.0)
        cell = cells[rng.integers(0, len(cells), n)]
        kind = rng.choice(kinds.n, size=n, p=cell_env / cell_env.sum())
        hour = t0 + 24.0 * rng.random(n)
        accept_u = rng.random(n)
        draws = rng.random((n, len(DRAWS)))
        rate = kinds.rate_per_cell_h[kind] * self._need_multiplier(kind, cell)
        keep = accept_u * cell_env[kind] < rate
        cell, kind, hour, draws = cell[keep], kind[keep], hour[keep], draws[keep]
        owner = self._owner_in_cell(cell, draws[:, D["u_owner"]])
        ok = owner >= 0
        self._add_problems(owner[ok], kind[ok], hour[ok], draws[ok], shared=True)

    def _need_multiplier(self, kind: np.ndarray, cell: np.ndarray) -> np.ndarray:
        """Mechanisms that change how often needs arise: root-cause fixes and shocks.

        Thinning keeps common random numbers: a lower rate rejects a subset of the same
        candidates; a shock may raise a rate up to `surge_ceiling`.
        """
        if self.textbook:
            return np.ones(len(kind))
        community = self.world.layout.community[cell]
        fixed = self.fix_until_day[kind, community] > self.day  # a root-cause fix in effect
        multiplier = np.where(fixed, 1.0 - self.mech.services.fix_rate_cut_share, 1.0)
        if self.shocks is not None:
            multiplier = multiplier * self.shocks.need_multiplier(self.day, kind, cell)
        return multiplier

    def _owner_in_cell(self, cell: np.ndarray, u: np.ndarray) -> np.ndarray:
        """A present person of each cell, picked by `u`; -1 where the cell is empty."""
        pop = self.world.population
        present_sorted = pop.present[self.slots_by_cell].astype(np.int64)
        cum = np.concatenate([[0], np.cumsum(present_sorted)])
        start = self.cell_start[cell]
        end = np.append(self.cell_start, len(self.slots_by_cell))[cell + 1]
        n_present = cum[end] - cum[start]
        k = np.minimum((u * n_present).astype(np.int64), np.maximum(n_present - 1, 0))
        pos = np.searchsorted(cum, cum[start] + k + 1, side="left") - 1
        pos = np.clip(pos, 0, len(self.slots_by_cell) - 1)
        return np.where(n_present > 0, self.slots_by_cell[pos], -1)

    def _present_in_cell(self, cell: np.ndarray) -> np.ndarray:
        pop = self.world.population
        return np.bincount(pop.cell[pop.present], minlength=self.world.layout.n_cells)[cell]

    def _add_problems(self, slot, kind, hour, draws, shared: bool) -> None:
        if len(slot) == 0:
            return
        order = np.argsort(hour, kind="stable")
        slot, kind, hour, draws = slot[order], kind[order], hour[order], draws[order]
        pop, kinds = self.world.population, self.world.kinds
        cell = pop.cell[slot]
        if shared:
            n_affected = np.maximum(
                1, np.round(kinds.affected_share[kind] * self._present_in_cell(cell))
            )
        else:
            n_affected = np.ones(len(slot))
        needs_department = draws[:, D["u_department"]] < kinds.needs_department_prob[kind]
        ids = self.log.append(
            len(slot),
            draws,
            person_id=pop.person_id[slot],
            slot=slot,
            cell=cell,
            kind=kind,
            shared=shared,
            n_affected=n_affected,
            category=kinds.category[kind],
            group=pop.group[slot],
            community=pop.community[slot],
            street_office=pop.street_office[slot],
            land_use=pop.land_use[slot],
            arisen_h=hour,
            contact_deadline_h=kinds.contact_deadline_h[kind],
            closure_deadline_h=kinds.closure_deadline_h[kind],
            needs_department=needs_department,
            expected_h=pop.expectation_ratio[slot] * kinds.closure_deadline_h[kind],
        )
        self.counters.arisen += len(ids)
        if self.textbook:  # known at once, through the one channel
            self._make_known(ids, hour, np.full(len(ids), HOTLINE))
            self._dispatch(ids)
        else:
            self.latent_ids = np.concatenate([self.latent_ids, ids])

    # ------------------------------------------------------------------ latent needs
    def _report_hazard_per_h(self, ids: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        """Total report hazard per hour, and each channel's part (n x 3)."""
        log, _pop, kinds, mech = self.log, self.world.population, self.world.kinds, self.mech
        dispatch, spec = self.scenario.dispatch, self.scenario.behaviour
        slot, kind, group = log.slot[ids], log.kind[ids], log.group[ids]
        willing = self.willing[slot]
        risky = kinds.enforcement_sensitive[kind] & (
            log.land_use[ids] == LAND_USES.index("urban_village")
        )
        willing = np.where(risky, willing * (1.0 - spec.report_enforcement_risk_prob), willing)
        reporters = np.where(
            log.shared[ids], log.n_affected[ids] ** dispatch.shared_reporters_exponent, 1.0
        )
        base = willing * kinds.report_multiplier[kind] * reporters / 24.0
        access = np.array(
            [
                [mech.access.channel_share[g][c] for c in ("hotline", "community", "social_org")]
                for g in ("resident", "migrant")
            ]
        )[group]
        elderly = self.world.population.age_band[slot] == ELDERLY
        access[:, 0] *= np.where(elderly, 1.0 - mech.access.elderly_hotline_loss_share, 1.0)
        rates = np.array(
            [
                dispatch.hotline_report_rate_per_day,
                dispatch.community_report_rate_per_day,
                dispatch.social_org_report_rate_per_day,
            ]
        )
        per_channel = base[:, None] * access * rates[None, :]
        per_channel[:, 2] *= kinds.social_org_channel[kind]
        return per_channel.sum(axis=1), per_channel

    def _latent_events(self, t0: float, t1: float) -> None:
        ids = self.latent_ids
        if self.textbook or len(ids) == 0:
            return
        log, kinds = self.log, self.world.kinds
        kind, cell = log.kind[ids], log.cell[ids]
        report, per_channel = self._report_hazard_per_h(ids)
        vol_eff = self.scenario.volunteers.patrol_effectiveness_share
        rates = np.empty((len(ids), N_HAZARDS))
        rates[:, R_REPORT] = report
        visible = kinds.patrol_discovery_prob[kind] > kinds.home_visit_discovery_prob[kind]
        grid_factor = 1.0 if self.shocks is None else self.shocks.grid_patrol_factor(self.day)
        rates[:, R_GRID] = (
            self.grid_patrol_h_per_cell[cell] * kinds.patrol_discovery_prob[kind] * grid_factor
            + self.grid_visit_share_per_cell[cell] * kinds.home_visit_discovery_prob[kind]
            + visible * self.mech.grid.detection_rate_per_day  # the platform's cameras and sensors
        ) / 24.0
        rates[:, R_VOLUNTEER] = (
            self.volunteer_patrol_h_per_cell[cell]
            * vol_eff
            * kinds.patrol_discovery_prob[kind]
            / 24.0
        )
        rates[:, R_SELF] = kinds.self_resolve_rate_per_h[kind]
        rates[:, R_LAPSE] = kinds.lapse_rate_per_h[kind]
        start = np.maximum(t0, log.arisen_h[ids])
        span = t1 - start
        threshold = exp1(self.log.draws[ids, :N_HAZARDS])
        before = self.log.hazard[ids]
        with np.errstate(divide="ignore", invalid="ignore"):
            wait = np.where(rates > 0, (threshold - before) / rates, np.inf)
        wait = np.where(wait < 0, 0.0, wait)
        first = np.argmin(wait, axis=1)
        first_wait = wait[np.arange(len(ids)), first]
        happens = first_wait <= span
        self.log.hazard[ids[~happens]] = before[~happens] + rates[~happens] * span[~happens, None]
        hit, when, which = ids[happens], (start + first_wait)[happens], first[happens]
        self.latent_ids = ids[~happens]
        if len(hit) == 0:
            return
        # reports: channel picked in proportion to each channel's hazard
        rep = which == R_REPORT
        if rep.any():
            share = per_channel[happens][rep]
            cum = np.cumsum(share, axis=1) / share.sum(axis=1, keepdims=True)
            u = self.log.draws[hit[rep], D["u_channel"]][:, None]
            channel = np.array([HOTLINE, COMMUNITY, SOCIAL_ORG])[(u >= cum).sum(axis=1).clip(0, 2)]
            self._make_known(hit[rep], when[rep], channel)
            self._dispatch(hit[rep])
        for code, channel in ((R_GRID, GRID_WORKER), (R_VOLUNTEER, VOLUNTEER)):
            found = which == code
            if not found.any():
                continue
            ids_found = hit[found]
            self._make_known(ids_found, when[found], np.full(found.sum(), channel))
            closable = (
                self.log.draws[ids_found, D["u_closable"]]
                < kinds.closable_on_discovery_prob[self.log.kind[ids_found]]
            )
            handler = HANDLERS.index("grid_worker" if channel == GRID_WORKER else "volunteer")
            self.log.cols["handler"][ids_found[closable]] = handler
            self.log.cols["responded_h"][ids_found[closable]] = when[found][closable]
            self._close(
                ids_found[closable], when[found][closable], np.ones(closable.sum(), bool), reason=-1
            )
            self._dispatch(ids_found[~closable])
        self_ = which == R_SELF
        self._terminate(hit[self_], when[self_], SELF_RESOLVED, -1)
        lapse = which == R_LAPSE
        self._terminate(hit[lapse], when[lapse], ABANDONED, REASON["lapsed"])

    def _make_known(self, ids: np.ndarray, when: np.ndarray, channel: np.ndarray) -> None:
        log = self.log
        log.cols["status"][ids] = OPEN
        log.cols["known_h"][ids] = when
        log.cols["channel"][ids] = channel
        hotline = channel == HOTLINE
        log.cols["n_calls"][ids[hotline]] += 1
        self.calls.add(ids[hotline], when[hotline], 0)
        self.counters.known += len(ids)
        self.open_ids = np.concatenate([self.open_ids, ids])

    # ------------------------------------------------------------------ dispatch
    def _dispatch(self, ids: np.ndarray) -> None:
        if len(ids) == 0:
            return
        log, kinds, h = self.log, self.world.kinds, self.world.handlers
        kind, known = log.kind[ids], log.known_h[ids]
        draws = log.draws[ids]
        if self.textbook:
            pool = np.zeros(len(ids), np.int64)
            arrival = known.copy()
            abandon_at = np.full(len(ids), np.inf)
            work = kinds.mean_service_h[kind] * exp1(draws[:, D["u_work"]])
            priority = np.full(len(ids), PRIORITY_NORMAL)
        else:
            pop, mech, dispatch = self.world.population, self.mech, self.scenario.dispatch
            slot = log.slot[ids]
            pool = first_handler(
                h,
                kinds.route[kind],
                kinds.department_pool[kind],
                log.street_office[ids],
                log.community[ids],
                pop.regime[slot],
            )
            channel = log.channel[ids]
            e_dispatch = exp1(draws[:, D["u_dispatch"]])
            walk_in = ((channel == COMMUNITY) & (h.kind[pool] == H_COMMUNITY)) | (
                (channel == SOCIAL_ORG) & (h.kind[pool] == HANDLERS.index("social_org"))
            )
            delay = (
                np.where(
                    channel == HOTLINE,
                    mech.dispatch.hotline_delay_h,
                    np.where(walk_in, 0.0, dispatch.community_referral_delay_h),
                )
                * e_dispatch
            )
            # without direct dispatch, 12345 reaches a centre via the community
            if not mech.dispatch.social_org_hotline_dispatch:
                via_community = (channel == HOTLINE) & (h.kind[pool] == H_SOCIAL)
                delay = delay + via_community * dispatch.community_referral_delay_h
            misrouted = (~walk_in) & (draws[:, D["u_misroute"]] < mech.dispatch.misroute_prob)
            delay = delay + misrouted * mech.dispatch.return_delay_h
            log.cols["returned"][ids] += misrouted
            arrival = known + delay
            self._restart_patience(ids, known)
            abandon_at = log.abandon_at_h[ids]
            work = self._work_h(ids, pool)
            # responsibility pushed down: the street office must first assess these itself
            first = self.street_first[kind] & (h.kind[pool] == H_STREET)
            work = work + first * mech.dispatch.extra_assessment_h
            urgent = kinds.contact_deadline_h[kind] <= 2.0
            pressed = (channel == HOTLINE) & (
                draws[:, D["u_priority"]] < self.pressure[log.street_office[ids]]
            )
            priority = np.where(
                urgent, PRIORITY_URGENT, np.where(pressed, PRIORITY_PRESSED, PRIORITY_NORMAL)
            )
        log.cols["pool"][ids] = pool
        log.cols["handler"][ids] = h.kind[pool]
        log.cols["abandon_at_h"][ids] = abandon_at
        self._enqueue(ids, pool, TAG_PRIMARY, arrival, work, priority, abandon_at)
        if not self.textbook:
            # first contact: a call or visit by the duty rota, in office hours but every day
            lag = h.contact_lag_h[pool] * exp1(draws[:, D["u_contact"]])
            duty = self.clock_columns[:, pool].copy()
            duty[2] = 7
            contact_b = clock.to_business(arrival, *duty) + lag
            log.cols["responded_h"][ids] = clock.to_wall(contact_b, *duty)

    def _work_h(self, ids: np.ndarray, pool: np.ndarray) -> np.ndarray:
        """Service time: drawn work content plus the round trip from the handler's base."""
        log, kinds, h = self.log, self.world.kinds, self.world.handlers
        z = ndtri(np.clip(log.draws[ids, D["u_work"]].astype(float), 1e-12, 1 - 1e-12))
        work = kinds.mean_service_h[log.kind[ids]] * np.exp(
            SERVICE_SIGMA * z - SERVICE_SIGMA**2 / 2
        )
        travel = (
            2.0 * self.world.layout.distance_km(log.cell[ids], h.site[pool]) / h.speed_kmh[pool]
        )
        data_entry = 0.0 if self.textbook else self.mech.dispatch.data_entry_h_per_case
        return work + travel + data_entry

    def _enqueue(self, ids, pool, tag, arrival_h, work_h, priority, abandon_at_h) -> None:
        if len(ids) == 0:
            return
        h = self.world.handlers
        tags = np.full(len(ids), tag, np.int8)
        priority = np.broadcast_to(priority, len(ids))
        h.pools.add(
            pool,
            ids,
            tags,
            self._to_business(pool, arrival_h),
            work_h,
            priority,
            self._to_business(pool, abandon_at_h),
        )

    def _to_business(self, pool: np.ndarray, wall_h: np.ndarray) -> np.ndarray:
        """Each time on the clock of its pool."""
        return clock.to_business(wall_h, *self.clock_columns[:, pool])

    def _to_wall(self, pool: np.ndarray, business_h: np.ndarray, at_closing=False) -> np.ndarray:
        return clock.to_wall(business_h, *self.clock_columns[:, pool], at_closing=at_closing)

    # ------------------------------------------------------------------ service
    def _serve(self, t0: float, t1: float) -> None:
        """Local handlers first; their referrals reach departments the same day."""
        self._run_pools(~self.pool_is_department, t1)
        self._complete(t1, departments=False)
        self._background(t0, t1)
        self._run_pools(self.pool_is_department, t1)
        self._complete(t1, departments=True)

    def _run_pools(self, which: np.ndarray, t1: float) -> None:
        pools = self.world.handlers.pools
        horizon = np.full(len(pools), np.nan)
        for c, office in enumerate(self.clocks):
            horizon[which & (self.clock_id == c)] = office.business_at(t1)
        started, gone = pools.run(horizon)
        if len(gone):  # owners gave up before service could start
            self._terminate(gone, self.log.abandon_at_h[gone], ABANDONED, REASON["gave_up"])
        if len(started.problem) == 0:
            return
        finish = self._to_wall(started.pool, started.finish_b, at_closing=True)
        # whoever starts handling a case has contacted its owner by then (in the textbook
        # queue, the start of service is the response)
        first = (started.tag == TAG_PRIMARY) & (started.problem >= 0)
        ids = started.problem[first]
        start = self._to_wall(started.pool[first], started.start_b[first])
        self.log.cols["responded_h"][ids] = np.fmin(self.log.cols["responded_h"][ids], start)
        at_department = started.tag == TAG_DEPARTMENT
        ids = started.problem[at_department]
        start = self._to_wall(started.pool[at_department], started.start_b[at_department])
        self.log.cols["department_start_h"][ids] = start
        for key, value in (
            ("problem", started.problem),
            ("pool", started.pool),
            ("tag", started.tag),
            ("finish_h", finish),
        ):
            self.in_service[key] = np.concatenate([self.in_service[key], value])

    def _background(self, t0: float, t1: float) -> None:
        """Departments' own workload: Poisson arrivals over their open hours today."""
        h, rng = self.world.handlers, self.streams["background"]
        for p in np.flatnonzero(self.pool_is_department):
            rate = h.background_rate_per_h[p]
            if self.shocks is not None:
                rate *= self.shocks.department_load_multiplier(self.day)
            office = h.pools.clocks[p]
            b0, b1 = office.business_at(t0), office.business_at(t1)
            n = rng.poisson(rate * (b1 - b0)) if rate > 0 and b1 > b0 else 0
            if n:
                arrival = np.sort(rng.uniform(b0, b1, n))
                work = rng.exponential(h.background_service_h[p], n)
                h.pools.add(
                    p, np.full(n, -1), TAG_BACKGROUND, arrival, work, PRIORITY_NORMAL, np.inf
                )

    def _complete(self, t1: float, departments: bool) -> None:
        s = self.in_service
        is_dept = self.pool_is_department[s["pool"]]
        due = (s["finish_h"] <= t1) & (is_dept == departments)
        if not due.any():
            return
        problem, pool, tag, finish = (s[k][due] for k in ("problem", "pool", "tag", "finish_h"))
        for key in s:
            s[key] = s[key][~due]
        real = problem >= 0
        problem, pool, tag, finish = problem[real], pool[real], tag[real], finish[real]
        live = self.log.status[problem] == OPEN
        problem, pool, tag, finish = problem[live], pool[live], tag[live], finish[live]
        if len(problem) == 0:
            return
        if self.textbook:
            self._close(problem, finish, np.ones(len(problem), bool), reason=-1)
            return
        log, kinds, draws = self.log, self.world.kinds, self.log.draws
        refer = (
            (tag == TAG_PRIMARY) & log.needs_department[problem] & ~self.pool_is_department[pool]
        )
        self._refer(problem[refer], finish[refer])
        done = ~refer
        problem, pool, finish = problem[done], pool[done], finish[done]
        # verification: a failed check sends the case back for rework the next day
        rework = (log.reworks[problem] == 0) & (
            draws[problem, D["u_verify"]] < self.scenario.dispatch.verification_fail_prob
        )
        if rework.any():
            ids = problem[rework]
            log.cols["reworks"][ids] += 1
            self._restart_patience(ids, np.full(len(ids), t1))
            work = self._work_h(ids, pool[rework]) * self.scenario.dispatch.rework_work_share
            self._enqueue(
                ids,
                pool[rework],
                TAG_REWORK,
                np.full(len(ids), t1),
                work,
                PRIORITY_NORMAL,
                log.abandon_at_h[ids],
            )
        problem, pool, finish = problem[~rework], pool[~rework], finish[~rework]
        h = self.world.handlers
        effort = np.where(
            h.kind[pool] == H_SOCIAL, 1.0 + self.mech.services.social_org_solve_gain_share, 1.0
        )
        solve_prob = np.clip(
            kinds.solve_prob[log.kind[problem]] * h.solve_multiplier[pool] * effort, 0, 1
        )
        solved = draws[problem, D["u_solve"]] < solve_prob
        solved = self._entitlements(problem, solved)
        # shared facilities need the owners' consent (lifts, parking, fees)
        blocked = kinds.needs_consent[log.kind[problem]] & (
            draws[problem, D["u_consent"]] < self.scenario.dispatch.consent_block_prob
        )
        if self.mech.services.consent_cases_to_meetings and blocked.any():
            self.awaiting_deliberation.extend(problem[blocked].tolist())
            self.deliberation_would_solve.extend(solved[blocked].tolist())
            problem, finish, solved = problem[~blocked], finish[~blocked], solved[~blocked]
        else:
            solved = solved & ~blocked
        self._close(problem, finish, solved, reason=REASON["outside_policy"])

    def _entitlements(self, ids: np.ndarray, solved: np.ndarray) -> np.ndarray:
        """户籍 barriers: a migrant's school-place or housing case fails unless a slot is free.

        Slots (from `migrant_entitlement`) are given in order of closing, each once, and
        their pools refill every 365 days.
        """
        log, kinds = self.log, self.world.kinds
        kind_code = kinds.entitlement[log.kind[ids]]
        barrier = self.entitlement_barrier[log.group[ids]]
        blocked = (kind_code > 0) & (log.draws[ids, D["u_entitlement"]] < barrier)
        solved = solved.copy()
        for k in np.flatnonzero(blocked).tolist():
            pool = kind_code[k]
            if solved[k] and self.entitlement_slots[pool] > 0:
                self.entitlement_slots[pool] -= 1
                self.entitlements_used[pool] += 1
                self.entitlements_used_today[pool] += 1
            else:
                solved[k] = False
        return solved

    def _refer(self, ids: np.ndarray, when: np.ndarray) -> None:
        """Beyond local authority: the street office refers (or whistles for) a department."""
        if len(ids) == 0:
            return
        log, kinds, mech, dispatch = self.log, self.world.kinds, self.mech, self.scenario.dispatch
        log.cols["escalated"][ids] = True
        log.cols["escalated_h"][ids] = when
        whistled = self._whistles(ids) if mech.referral.whistle else np.zeros(len(ids), bool)
        # without a whistle a department may decline: closed as beyond the street's authority
        refused = ~whistled & (log.draws[ids, D["u_refuse"]] < dispatch.department_refusal_prob)
        self._close(
            ids[refused],
            when[refused],
            np.zeros(refused.sum(), bool),
            reason=REASON["outside_authority"],
        )
        ids, when, whistled = ids[~refused], when[~refused], whistled[~refused]
        u = log.draws[ids, D["u_coordination"]]
        # a summoned department reports within its deadline; otherwise coordination drags on
        delay = np.where(
            whistled,
            mech.referral.report_deadline_h * u,
            mech.referral.coordination_delay_h * exp1(u),
        )
        summoned = (
            PRIORITY_URGENT if mech.referral.street_evaluates_departments else PRIORITY_PRESSED
        )
        priority = np.where(whistled, summoned, PRIORITY_NORMAL)
        pool = kinds.department_pool[log.kind[ids]]
        log.cols["whistled"][ids] = whistled
        log.cols["pool"][ids] = pool
        log.cols["handler"][ids] = H_DEPARTMENT
        self._restart_patience(ids, when)
        self._enqueue(
            ids,
            pool,
            TAG_DEPARTMENT,
            when + delay,
            self._work_h(ids, pool),
            priority,
            log.abandon_at_h[ids],
        )

    def _whistles(self, ids: np.ndarray) -> np.ndarray:
        """Which referrals are whistles: up to the monthly cap of each street office, in order.

        Each whistle costs the street office staff time (a job in its own queue).
        """
        mech, h = self.mech, self.world.handlers
        street = self.log.street_office[ids]
        blown = np.zeros(len(ids), bool)
        for k, s in enumerate(street.tolist()):
            if self.whistles_this_month[s] < mech.referral.max_whistles_per_month:
                self.whistles_this_month[s] += 1
                blown[k] = True
        n = int(blown.sum())
        if n and mech.referral.whistle_staff_h > 0:
            pools = h.street_pool[street[blown]]
            t1 = np.full(n, 24.0 * (self.day + 1))  # the street's queue has run today
            self.enqueue_staff_time(pools, t1, np.full(n, mech.referral.whistle_staff_h))
        return blown

    def enqueue_staff_time(self, pools: np.ndarray, when_h: np.ndarray, work_h: np.ndarray) -> None:
        """Work that is not a problem (persuasion calls, whistles, quota reports) takes its turn
        in a pool's queue ahead of ordinary cases."""
        n = len(pools)
        self._enqueue(
            np.full(n, -1),
            pools,
            TAG_STAFF_TIME,
            when_h,
            work_h,
            PRIORITY_PRESSED,
            np.full(n, np.inf),
        )

    def _restart_patience(self, ids: np.ndarray, when: np.ndarray) -> None:
        """Each wait has its own patience clock: an owner never gives up on a case in hand."""
        log = self.log
        patience = self.patience_h[log.group[ids]] * exp1(log.draws[ids, D["u_patience"]])
        log.cols["abandon_at_h"][ids] = when + patience

    # ------------------------------------------------------------------ endings
    def _terminate(self, ids: np.ndarray, when: np.ndarray, status: int, reason: int) -> None:
        """Record a terminal transition (no callback: self-resolved, lapsed, abandoned)."""
        if len(ids) == 0:
            return
        log = self.log
        was_latent = log.status[ids] == LATENT
        log.cols["status"][ids] = status
        log.cols["closed_h"][ids] = when
        log.cols["reason"][ids] = reason
        late_contact = log.responded_h[ids] > when
        log.cols["responded_h"][ids[late_contact]] = np.nan
        self.counters.by_status[status] += len(ids)
        self.counters.terminal_from_latent += int(was_latent.sum())
        self.counters.terminal_from_open += int((~was_latent).sum())
        if not self.textbook and reason != REASON["left_city"]:
            cost = self.scenario.behaviour.unmet_need_case_share
            self._feel(ids, np.full(len(ids), cost))

    def close(self, ids: np.ndarray, when: np.ndarray, solved: np.ndarray) -> None:
        """End handled problems (solved, else closed unsolved as outside policy)."""
        self._close(ids, when, solved, reason=REASON["outside_policy"])

    def _close(self, ids: np.ndarray, when: np.ndarray, solved: np.ndarray, reason: int) -> None:
        """A handled problem ends solved or closed unsolved; then verification and callback."""
        if len(ids) == 0:
            return
        log = self.log
        status = np.where(solved, SOLVED, CLOSED_UNSOLVED)
        log.cols["status"][ids] = status
        log.cols["closed_h"][ids] = when
        log.cols["reason"][ids] = np.where(solved, -1, reason)
        self.counters.by_status[SOLVED] += int(solved.sum())
        self.counters.by_status[CLOSED_UNSOLVED] += int((~solved).sum())
        self.counters.terminal_from_open += len(ids)
        if self.textbook:
            return
        draws = log.draws[ids]
        street = log.street_office[ids]
        pressure = self.pressure[street]
        exempt = (~solved) & (
            draws[:, D["u_exempt"]] < self.mech.accountability.exemption_share * pressure
        )
        log.cols["exempted"][ids] = exempt
        log.cols["reason"][ids[exempt]] = REASON["exempted"]
        kinds = self.world.kinds
        actual = when - log.known_h[ids]
        on_time = (log.responded_h[ids] - log.known_h[ids]) <= log.contact_deadline_h[ids]
        explained = draws[:, D["u_explain"]] < self.scenario.behaviour.explanation_prob
        score = behaviour.case_satisfaction(
            solved.astype(float),
            actual,
            log.expected_h[ids],
            on_time.astype(float),
            explained.astype(float),
            self.scenario.behaviour,
        )
        self._feel(ids, score)
        # expectations move toward the experienced share of the deadline
        pop = self.world.population
        slot = log.slot[ids]
        present = pop.present[slot]
        experienced = actual / kinds.closure_deadline_h[log.kind[ids]]
        share = self.scenario.behaviour.expectation_learning_share
        np.add.at(
            pop.expectation_ratio,
            slot[present],
            share * (experienced - pop.expectation_ratio[slot])[present],
        )
        # the 12345 callback: only hotline orders, not exempted ones
        called = (log.channel[ids] == HOTLINE) & ~exempt
        satisfied = draws[:, D["u_rated"]] < score
        # persuasion before the callback, only where the honest answer would be "no"
        lifted = (
            called
            & ~(solved & satisfied)
            & (draws[:, D["u_lift"]] < self.mech.accountability.rating_lift_share * pressure)
        )
        rated_solved = solved | lifted
        rated_satisfied = satisfied | lifted
        log.cols["rated_resolved"][ids[called]] = rated_solved[called]
        log.cols["rated_satisfied"][ids[called]] = rated_satisfied[called]
        if lifted.any():  # the persuasion contact costs the street office staff time
            self.persuasion_contacts += int(lifted.sum())
            h = self.world.handlers
            pools = h.street_pool[street[lifted]]
            n = int(lifted.sum())
            day_end = 24.0 * np.ceil(when[lifted] / 24.0)
            self.enqueue_staff_time(
                pools, day_end, np.full(n, self.mech.accountability.persuasion_contact_h)
            )
        unhappy = (
            called
            & ~rated_satisfied
            & (draws[:, D["u_repeat"]] < self.scenario.dispatch.repeat_call_prob)
        )
        log.cols["n_calls"][ids[unhappy]] += 1
        self.calls.add(ids[unhappy], when[unhappy], 2)

    def _feel(self, ids: np.ndarray, score: np.ndarray) -> None:
        """Owners' satisfaction and trust move toward the case's score."""
        spec = self.scenario.behaviour
        pop, log = self.world.population, self.log
        slot = log.slot[ids]
        present = pop.present[slot]
        if not spec.enabled:
            return
        before = pop.satisfaction[slot]
        d_sat = spec.satisfaction_learning_share * (score - before)
        d_trust = spec.trust_learning_share * (score - pop.trust[slot])
        np.add.at(pop.satisfaction, slot[present], d_sat[present])
        np.add.at(pop.trust, slot[present], d_trust[present])
        touched = slot[present]
        pop.satisfaction[touched] = np.clip(pop.satisfaction[touched], 0.0, 1.0)
        pop.trust[touched] = np.clip(pop.trust[touched], 0.0, 1.0)
        log.cols["satisfaction_change"][ids] = np.where(present, d_sat, np.nan)

    def _sweep_abandoned(self, t1: float) -> None:
        """Owners whose patience ran out while their case waited or travelled give up."""
        pools = self.world.handlers.pools
        problem = pools.problem
        real = problem >= 0
        gone = real & (self.log.abandon_at_h[np.where(real, problem, 0)] <= t1)
        if gone.any():
            ids = problem[gone]
            pools.drop(~gone)
            self._terminate(ids, self.log.abandon_at_h[ids], ABANDONED, REASON["gave_up"])
        self.open_ids = self.open_ids[self.log.status[self.open_ids] == OPEN]

    def _purge_pools(self) -> None:
        status = self.log.status
        pools = self.world.handlers.pools
        problem = pools.problem
        pools.drop((problem < 0) | (status[np.maximum(problem, 0)] == OPEN))
        self.open_ids = self.open_ids[status[self.open_ids] == OPEN]
        self.latent_ids = self.latent_ids[status[self.latent_ids] == LATENT]

    def _willingness_all(self) -> np.ndarray:
        """Everyone's willingness to report today (trust moves it day by day)."""
        pop = self.world.population
        return behaviour.report_willingness(
            pop.trust,
            self.base_willingness[pop.group],
            self.initial_trust[pop.group],
            pop.owner,
            self.scenario.population.renter_report_multiplier,
            self.scenario.behaviour.trust_report_effect,
        )

    # ------------------------------------------------------------------ calls
    def _calls(self, t0: float, t1: float) -> None:
        rng, pop, log = self.streams["calls"], self.world.population, self.log
        dispatch, mech = self.scenario.dispatch, self.mech
        willing_by_group = np.bincount(
            pop.group, weights=np.where(pop.present, self.willing, 0.0), minlength=2
        )
        for g, name in ((RESIDENT, "resident"), (MIGRANT, "migrant")):
            expected = (
                willing_by_group[g]
                * mech.access.channel_share[name]["hotline"]
                * (dispatch.consultation_rate_per_person_year / 365.0)
            )
            n = int(rng.poisson(expected))
            self.counters.consultations += n
        # duplicate calls: other affected people call about a shared problem already known
        ids = self.open_ids[log.shared[self.open_ids]]
        if len(ids) == 0 or dispatch.duplicate_call_rate_per_day == 0:
            return
        start = np.maximum(t0, log.known_h[ids])
        span_h = np.maximum(0.0, t1 - start)
        access = np.array(
            [mech.access.channel_share[g]["hotline"] for g in ("resident", "migrant")]
        )
        expected = (log.n_affected[ids] - 1) * dispatch.duplicate_call_rate_per_day * span_h / 24.0
        expected = expected * access[log.group[ids]]
        n = rng.poisson(expected)
        if n.sum() == 0:
            return
        who = np.repeat(ids, n)
        when = np.repeat(start, n) + rng.random(n.sum()) * np.repeat(span_h, n)
        np.add.at(log.cols["n_calls"], who, 1)
        self.calls.add(who, when, 1)

    # ------------------------------------------------------------------ volunteers and neighbours
    def _update_volunteers(self) -> None:
        """Who volunteers this week, and what their (and party members') hours do."""
        pop, spec, mech = self.world.population, self.scenario.volunteers, self.mech
        layout = self.world.layout
        p = behaviour.volunteer_prob(
            pop.trust,
            self.initial_trust[pop.group],
            spec,
            mech.volunteers.stipend_yuan_per_h,
            mech.volunteers.honour_share,
        )
        if self.shocks is not None:  # mass mobilisation, as in 2020
            p = np.minimum(1.0, p * self.shocks.volunteer_multiplier(self.day))
        pop.volunteer = pop.present & (pop.age_band != 0) & (pop.u_volunteer < p)
        weekly = np.where(
            pop.employed, spec.hours_per_week_employed, spec.hours_per_week_not_employed
        )
        hours = np.where(pop.volunteer, weekly / 7.0, 0.0)
        self.volunteer_hours_today = float(hours.sum())
        # 双报到: in-service party members give required hours, whatever the stipend
        members = pop.present & pop.employed & (pop.u_party < mech.volunteers.party_member_share)
        party = np.where(members, mech.volunteers.party_hours_per_member_month / 30.0, 0.0)
        self.party_hours_today = float(party.sum())
        n_communities = len(layout.community_site)
        by_community = np.bincount(pop.community, weights=hours + party, minlength=n_communities)
        residential = layout.residential
        cells = np.bincount(layout.community[residential], minlength=n_communities)
        per_cell = by_community * spec.patrol_time_share / np.maximum(cells, 1)
        self.volunteer_patrol_h_per_cell = np.where(residential, per_cell[layout.community], 0.0)
        # volunteers relieve community workers of routine tasks, never of casework
        h = self.world.handlers
        staff = h.staff[h.community_pool] + h.unpaid_staff[h.community_pool]
        admin_h = staff * h.community_admin_share * 8.0
        freed = np.minimum(by_community * spec.admin_relief_share, admin_h)
        servers = np.maximum(1, np.round(staff - (admin_h - freed) / 8.0)).astype(int)
        self.planned_servers[h.community_pool] = servers

    def _apply_servers(self) -> None:
        """Servers at work today: the planned ones, less any staff out sick."""
        h = self.world.handlers
        available = 1.0 if self.shocks is None else self.shocks.staff_available_share(self.day)
        servers = np.maximum(1, np.round(self.planned_servers * available)).astype(int)
        now = 24.0 * self.day
        current = np.array([h.pools.servers(p) for p in range(len(h.pools))])
        for pool in np.flatnonzero(servers != current):
            h.pools.set_servers(pool, servers[pool], h.pools.clocks[pool].business_at(now))

    def _share_expectations(self) -> None:
        """Expectations drift toward the community's: people compare notes with neighbours."""
        pop = self.world.population
        here = pop.present
        n = len(self.world.layout.community_site)
        total = np.bincount(pop.community[here], weights=pop.expectation_ratio[here], minlength=n)
        count = np.bincount(pop.community[here], minlength=n)
        mean = total / np.maximum(count, 1)
        share = self.scenario.behaviour.neighbour_expectation_share
        pop.expectation_ratio[here] += share * (
            mean[pop.community[here]] - pop.expectation_ratio[here]
        )

    # ------------------------------------------------------------------ views for agents
    def willingness(self, slot: int) -> float:
        """A person's current willingness to report (0..1)."""
        if self.textbook:
            return 1.0
        pop, g = self.world.population, self.world.population.group[slot]
        return float(
            behaviour.report_willingness(
                pop.trust[slot : slot + 1],
                self.base_willingness[g],
                self.initial_trust[g],
                pop.owner[slot : slot + 1],
                self.scenario.population.renter_report_multiplier,
                self.scenario.behaviour.trust_report_effect,
            )[0]
        )

    def volunteer_propensity(self, slot: int) -> float:
        """A person's current probability of volunteering (0..1)."""
        if self.textbook:
            return 0.0
        pop, g = self.world.population, self.world.population.group[slot]
        return float(
            behaviour.volunteer_prob(
                pop.trust[slot : slot + 1],
                self.initial_trust[g],
                self.scenario.volunteers,
                self.mech.volunteers.stipend_yuan_per_h,
                self.mech.volunteers.honour_share,
            )[0]
        )
