"""Handler pools: who can take which problem, how many servers, on which clock, where.

Every local unit (street office, community, family service centre, property manager,
village collective) and every district department is one pool of a `PoolSet`. Routing maps a
problem to its first handler by kind, channel and property regime.
"""

from __future__ import annotations

from dataclasses import dataclass

import numba
import numpy as np

from sim.city import REGIMES, CityLayout
from sim.clock import OfficeClock
from sim.config.scenario import CityScenario, DepartmentSpec, HandlerSpec, OfficeHours, Route
from sim.mechanisms import Mechanisms
from sim.queueing import PoolSet
from sim.records import HANDLERS

H_COMMUNITY, H_STREET, H_SOCIAL, H_PM, H_VC, H_DEPARTMENT = range(6)
ROUTES = tuple(Route)


def clock_of(hours: OfficeHours) -> OfficeClock:
    return OfficeClock(hours.open_h, hours.close_h, hours.days_per_week)


def duty_clock(hours: OfficeHours, staff) -> OfficeClock:
    """Office hours extended by a duty rota (考核's "5+2, 白+黑"), never shortened."""
    return OfficeClock(
        hours.open_h,
        max(hours.close_h, staff.duty_close_h),
        max(hours.days_per_week, staff.duty_days_per_week),
    )


MIN_CAPACITY = 0.1  # a unit with almost all its time on admin still answers, slowly


def capacity_for(staff: float, admin_time_share: float) -> float:
    """Casework capacity in servers: staff × casework time share, fractional (no rounding)."""
    return max(MIN_CAPACITY, staff * (1.0 - admin_time_share))


@dataclass
class Handlers:
    pools: PoolSet
    kind: np.ndarray  # HANDLERS index of each pool
    site: np.ndarray  # flat cell of each pool's base
    staff: np.ndarray  # staff headcount behind each pool (for wages)
    wage_yuan_per_staff_day: np.ndarray
    payer: list[str]
    contact_lag_h: np.ndarray
    speed_kmh: np.ndarray
    office_day_h: np.ndarray  # open hours of the unit's own office day (duty rota aside)
    solve_multiplier: np.ndarray
    street_pool: np.ndarray  # by street office
    community_pool: np.ndarray  # by community
    social_pool: np.ndarray  # by street office
    pm_pool: np.ndarray  # by community, -1 if none
    vc_pool: np.ndarray  # by community, -1 if none
    department_pool: dict[str, int]
    community_admin_share: float
    unpaid_staff: np.ndarray  # staff lent by units in the area (党建), not on the wage bill
    paid_staff: np.ndarray  # staff on this unit's own wage bill (sunk staff are booked apart)
    moved_staff: np.ndarray  # of `staff`, moved down from departments (资源下沉)
    extra_capacity: np.ndarray  # moved staff's casework time and contracted workers, servers
    background_rate_per_h: np.ndarray  # departments' own workload, by pool (0 elsewhere)
    background_service_h: np.ndarray

    @property
    def n(self) -> int:
        return len(self.pools)


class _PoolRows:
    """The pools of a district as rows, in the order they are added (their pool index)."""

    def __init__(self):
        self.rows: list[dict] = []

    def add_local(self, name, code, spec: HandlerSpec, cell, headcount, admin=None, unpaid=0.0,
                  moved=0.0, extra=0.0, clock=None):  # fmt: skip
        """A local unit: capacity from its own (and lent) staff net of admin time, plus
        `extra` casework capacity (moved staff's casework time, contracted workers); on its
        office hours unless a `clock` is given."""
        admin = spec.admin_time_share if admin is None else admin
        own_staff = spec.staff_per_unit if code in (H_STREET, H_COMMUNITY) else headcount
        capacity = capacity_for(headcount - moved + unpaid, admin) + extra
        return self._add(
            name=name, kind=code, site=cell, staff=headcount, paid=own_staff, moved=moved,
            extra=extra, capacity=capacity, clock=clock or clock_of(spec.office_hours),
            office_day_h=spec.office_hours.close_h - spec.office_hours.open_h,
            wage=spec.wage_yuan_per_staff_day, payer=spec.payer.value,
            lag=spec.contact_lag_h, speed=spec.travel_speed_kmh,
            solve=spec.solve_rate_multiplier, bg_rate=0.0, bg_service=1.0,
        )  # fmt: skip

    def add_department(self, name: str, dept: DepartmentSpec, cell: int, headcount: int) -> int:
        """A department: every staff member a server, with its own workload besides ours,
        which keeps `baseline_load_share` of its original staff busy."""
        return self._add(
            name=f"department_{name}", kind=H_DEPARTMENT, site=cell, staff=headcount,
            paid=headcount, moved=0.0, extra=0.0, capacity=float(headcount),
            clock=clock_of(dept.office_hours),
            office_day_h=dept.office_hours.close_h - dept.office_hours.open_h,
            wage=dept.wage_yuan_per_staff_day, payer=dept.payer.value,
            lag=dept.contact_lag_h, speed=dept.travel_speed_kmh, solve=1.0,
            bg_rate=dept.baseline_load_share * dept.staff / dept.background_service_h,
            bg_service=dept.background_service_h,
        )  # fmt: skip

    def _add(self, **row) -> int:
        self.rows.append(row)
        return len(self.rows) - 1

    def column(self, key: str, dtype=float) -> np.ndarray:
        return np.asarray([row[key] for row in self.rows], dtype)


def build_handlers(scenario: CityScenario, mech: Mechanisms, layout: CityLayout) -> Handlers:
    """Every pool of the district: street offices, communities, family service centres,
    property managers and village collectives where there are any, departments."""
    rows, staff = _PoolRows(), mech.staff
    street_pool, community_pool = _government_pools(scenario, staff, layout, rows)
    social_pool = np.array([
        rows.add_local(f"social_org_{s}", H_SOCIAL, scenario.social_org,
                       int(layout.street_site[s]), scenario.social_org.staff_per_unit)
        for s in range(len(layout.street_site))
    ])  # fmt: skip
    pm_pool, vc_pool = _property_pools(scenario, layout, rows)
    department_pool = {
        name: rows.add_department(name, dept, layout.district_site, staff.department_staff[name])
        for name, dept in scenario.departments.items()
    }
    kind = rows.column("kind", np.int8)
    return Handlers(
        pools=PoolSet([r["name"] for r in rows.rows], [r["capacity"] for r in rows.rows],
                      [r["clock"] for r in rows.rows]),
        kind=kind,
        site=rows.column("site", np.int64),
        staff=rows.column("staff"),
        wage_yuan_per_staff_day=rows.column("wage"),
        payer=[r["payer"] for r in rows.rows],
        contact_lag_h=rows.column("lag"),
        speed_kmh=rows.column("speed"),
        office_day_h=rows.column("office_day_h"),
        solve_multiplier=rows.column("solve"),
        street_pool=street_pool,
        community_pool=community_pool,
        social_pool=social_pool,
        pm_pool=pm_pool,
        vc_pool=vc_pool,
        department_pool=department_pool,
        community_admin_share=staff.community_admin_time_share,
        paid_staff=rows.column("paid"),
        unpaid_staff=np.where(kind == H_COMMUNITY, staff.unit_staff_per_community, 0.0),
        moved_staff=rows.column("moved"),
        extra_capacity=rows.column("extra"),
        background_rate_per_h=rows.column("bg_rate"),
        background_service_h=rows.column("bg_service"),
    )  # fmt: skip


def _government_pools(scenario: CityScenario, staff, layout: CityLayout, rows: _PoolRows):
    """One pool per street office and per community: own staff net of admin time, staff
    moved down and contracted workers, on office hours or the duty rota's."""
    street_pool = np.array([
        rows.add_local(f"street_office_{s}", H_STREET, scenario.street_office,
                       int(layout.street_site[s]), staff.street_staff_per_office,
                       admin=staff.street_admin_time_share, moved=staff.street_moved_per_office,
                       extra=staff.street_moved_per_office * staff.moved_casework_share
                       + staff.contracted_per_office,
                       clock=duty_clock(scenario.street_office.office_hours, staff))
        for s in range(len(layout.street_site))
    ])  # fmt: skip
    community_pool = np.array([
        rows.add_local(f"community_{c}", H_COMMUNITY, scenario.community,
                       int(layout.community_site[c]), staff.community_staff_per_community,
                       admin=staff.community_admin_time_share,
                       unpaid=staff.unit_staff_per_community,
                       moved=staff.community_moved_per_community,
                       extra=staff.community_moved_per_community * staff.moved_casework_share,
                       clock=duty_clock(scenario.community.office_hours, staff))
        for c in range(len(layout.community_site))
    ])  # fmt: skip
    return street_pool, community_pool


def _property_pools(scenario: CityScenario, layout: CityLayout, rows: _PoolRows):
    """One property-manager and one village-collective pool per community that has blocks
    under that regime (staff scale with the blocks); -1 where it has none."""
    n_communities = len(layout.community_site)
    pm_pool = np.full(n_communities, -1)
    vc_pool = np.full(n_communities, -1)
    for c in range(n_communities):
        here = layout.community == c
        for regime, spec, target, code in (
            ("property_manager", scenario.property_manager, pm_pool, H_PM),
            ("village_collective", scenario.village_collective, vc_pool, H_VC),
        ):
            cells = int(np.sum(here & (layout.regime == REGIMES.index(regime))))
            if cells:
                target[c] = rows.add_local(
                    f"{regime}_{c}", code, spec, int(layout.community_site[c]),
                    spec.staff_per_unit * cells,
                )  # fmt: skip
    return pm_pool, vc_pool


def pools_by_place(handlers: Handlers) -> tuple:
    """`_first_pools`' pools: (community, street office, social organisation, property
    manager, village collective)."""
    return (
        handlers.community_pool, handlers.street_pool, handlers.social_pool, handlers.pm_pool,
        handlers.vc_pool,
    )  # fmt: skip


R_COMMUNITY = ROUTES.index(Route.community)
R_STREET = ROUTES.index(Route.street_office)
R_SOCIAL = ROUTES.index(Route.social_org)
R_DEPARTMENT = ROUTES.index(Route.department)
PROPERTY_MANAGER = REGIMES.index("property_manager")
VILLAGE_COLLECTIVE = REGIMES.index("village_collective")


@numba.njit(cache=True, nogil=True)
def _first_pools(route, department, street, community, regime, pools):
    """The pool that owns each problem first, by its kind's route (ROUTES indices) and its
    cell's regime; `department` holds its kind's department pool (-1 if none). Property
    kinds go to the property manager or village collective where there is one, else the
    community. One pass instead of ~20 numpy calls a dispatch. `pools` is
    (community, street office, social organisation, property manager, village collective)
    pools, the first by community, the next two by street office, the last two by community
    (-1 where there is none)."""
    community_pool, street_pool, social_pool, pm_pool, vc_pool = pools
    out = np.empty(len(route), np.int64)
    for i in range(len(route)):
        r, c = route[i], community[i]
        if r == R_COMMUNITY:
            out[i] = community_pool[c]
        elif r == R_STREET:
            out[i] = street_pool[street[i]]
        elif r == R_SOCIAL:
            out[i] = social_pool[street[i]]
        elif r == R_DEPARTMENT:
            out[i] = department[i]
        elif regime[i] == PROPERTY_MANAGER and pm_pool[c] >= 0:
            out[i] = pm_pool[c]
        elif regime[i] == VILLAGE_COLLECTIVE and vc_pool[c] >= 0:
            out[i] = vc_pool[c]
        else:  # a property kind without a manager or collective here: the community
            out[i] = community_pool[c]
    return out


assert HANDLERS[H_DEPARTMENT] == "department" and HANDLERS[H_VC] == "village_collective"
