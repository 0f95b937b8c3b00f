"""Stage 9, staffing: who looks around (grid workers, volunteers, party members), and how
many servers each pool has at work today.

Grid workers are set per street office from households per grid worker and their time
split; volunteering is a weekly standing commitment (propensity from trust, honour and
stipend, with crowding out; mass mobilisation in an epidemic); volunteers relieve community
workers of routine tasks, never of casework; staff out sick lower today's servers.
"""

from __future__ import annotations

import numba
import numpy as np

from sim import fmath, passes
from sim.clock import DAYS_PER_MONTH
from sim.handlers import MIN_CAPACITY
from sim.population import CHILD
from sim.stages import people
from sim.state import DistrictState


def plan_grid_coverage(state: DistrictState) -> None:
    """Patrol hours and home-visit coverage per cell from grid workers (per street office)."""
    mech, spec, layout = state.mech, state.scenario.grid, state.world.layout
    coverage = state.coverage
    households = state.world.population.households_per_cell
    residential = layout.residential
    # filing quota reports takes grid time from patrol
    quota_h = mech.grid.report_quota_per_month * mech.grid.trivial_report_h / DAYS_PER_MONTH
    for street in range(len(layout.street_site)):
        cells = residential & (layout.street_office == street)
        n_workers = households[cells].sum() / mech.grid.households_per_grid
        hours = n_workers * spec.hours_per_day
        n_cells = max(1, int(cells.sum()))
        patrol = max(0.0, hours * mech.grid.patrol_time_share - n_workers * quota_h)
        coverage.grid_patrol_h_per_cell[cells] = patrol / n_cells
        visits = hours * mech.grid.home_visit_time_share / spec.hours_per_home_visit
        coverage.grid_visit_share_per_cell[cells] = np.minimum(
            1.0, visits / max(households[cells].sum(), 1.0)
        )
    coverage.grid_workers = households[residential].sum() / mech.grid.households_per_grid


def update_volunteers(state: DistrictState) -> None:
    """Who volunteers this week, and what their (and party members') hours do."""
    pop, spec, mech = state.world.population, state.scenario.volunteers, state.mech
    layout, coverage = state.world.layout, state.coverage
    propensity = people.volunteer_propensity(state)
    if state.shocks is not None:  # mass mobilisation, as in 2020
        propensity = np.minimum(1.0, propensity * state.shocks.volunteer_multiplier(state.day))
    n_communities = len(layout.community_site)
    # 双报到: in-service party members give required hours, whatever the stipend
    rates = (
        n_communities, CHILD, spec.hours_per_week_employed, spec.hours_per_week_not_employed,
        mech.volunteers.party_member_share,
        mech.volunteers.party_hours_per_member_month / DAYS_PER_MONTH,
    )  # fmt: skip
    pop.volunteer, hours, party, by_community, volunteers, present = passes.volunteering(
        pop.community, pop.present, pop.age_band, pop.employed, (pop.u_volunteer, pop.u_party),
        propensity, rates,
    )  # fmt: skip
    coverage.volunteer_hours_per_day = float(hours.sum())
    coverage.party_member_hours_per_day = float(party.sum())
    residential = layout.residential
    cells = np.bincount(layout.community[residential], minlength=n_communities)
    per_cell = by_community * spec.patrol_time_share / np.maximum(cells, 1)
    coverage.volunteer_patrol_h_per_cell = np.where(residential, per_cell[layout.community], 0.0)
    # 信息员: the share of a community's present people who volunteer (informants, mediators)
    share = volunteers / np.maximum(present, 1)
    coverage.volunteer_share_per_cell = np.where(residential, share[layout.community], 0.0)
    # volunteers relieve community workers of routine tasks, never of casework
    handlers = state.world.handlers
    pools = handlers.community_pool
    staff = handlers.staff[pools] - handlers.moved_staff[pools] + handlers.unpaid_staff[pools]
    day_h = spec.community_staff_day_h
    admin_h = staff * handlers.community_admin_share * day_h
    freed_h = np.minimum(by_community * spec.admin_relief_share, admin_h)
    own = np.maximum(MIN_CAPACITY, staff - (admin_h - freed_h) / day_h)
    state.staffing.planned_capacity[pools] = own + handlers.extra_capacity[pools]


def apply_servers(state: DistrictState) -> None:
    """Capacity at work today (fractional): the planned one and what 考核 pressure moved to
    casework, less any staff out sick; the other duties' hours it leaves are counted (one
    compiled pass, `servers_today`; the hours summed by numpy)."""
    pools, staffing = state.world.handlers.pools, state.staffing
    shocks = state.shocks
    available = 1.0 if shocks is None else shocks.staff_available_share(state.day)
    office_day_h = state.world.handlers.office_day_h  # other duties keep office hours
    capacity, staffing.pressed_today, away_h, changed = servers_today(
        (staffing.planned_capacity, staffing.pressed_capacity, office_day_h), float(available),
        (pools.speed, pools.free_lo, pools.free_hi),
    )  # fmt: skip
    staffing.displaced_staff_h = float(away_h.sum())
    staffing.other_duties_backlog_h += staffing.displaced_staff_h
    if len(changed):
        now_h, changed = 24.0 * state.day, changed.tolist()
        now_b = [pools.clocks[pool].business_at(now_h) for pool in changed]
        pools.set_capacities(changed, capacity[changed].tolist(), now_b)


@numba.njit(cache=True, nogil=True)
def servers_today(capacities, available, servers):
    """Each pool's capacity at work, max(`MIN_CAPACITY`, (planned + pressed) × available),
    its pressed capacity at work (pressed × available) and that × office day hours, and the
    pools whose servers (`servers`: speed, first and end of their free times) carry a
    capacity not within 1e-12 of it (np.isclose's atol). `capacities` is (planned, pressed,
    office day hours). The numpy form's operations."""
    planned, pressed, office_day_h = capacities
    speed, free_lo, free_hi = servers
    n = len(planned)
    capacity, pressed_today, away_h = np.empty(n), np.empty(n), np.empty(n)
    changed, m = np.empty(n, np.int64), 0
    for p in range(n):
        capacity[p] = fmath.maximum(MIN_CAPACITY, (planned[p] + pressed[p]) * available)
        pressed_today[p] = pressed[p] * available
        away_h[p] = pressed_today[p] * office_day_h[p]
        current = speed[p] * (free_hi[p] - free_lo[p])
        if not abs(capacity[p] - current) <= 1e-12:
            changed[m] = p
            m += 1
    return capacity, pressed_today, away_h, changed[:m].copy()
