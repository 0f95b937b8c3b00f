"""Handler pools: who can take which problem, how many servers, on which clock, where.

Every local unit (street office, community, family service centre, property manager,
village collective) and every district department is one pool of a `PoolSet`. Routing maps a
problem to its first handler by kind, channel and property regime.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from sim.city import REGIMES, CityLayout
from sim.clock import OfficeClock
from sim.config.scenario import CityScenario, HandlerSpec, OfficeHours, Route
from sim.mechanisms import Mechanisms
from sim.queueing import PoolSet
from sim.records import HANDLERS

H_COMMUNITY, H_STREET, H_SOCIAL, H_PM, H_VC, H_DEPARTMENT = range(6)
ROUTES = tuple(Route)


def clock_of(hours: OfficeHours) -> OfficeClock:
    return OfficeClock(hours.open_h, hours.close_h, hours.days_per_week)


def servers_for(staff: float, admin_time_share: float) -> int:
    return max(1, round(staff * (1.0 - admin_time_share)))


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
    background_rate_per_h: np.ndarray  # departments' own workload, by pool (0 elsewhere)
    background_service_h: np.ndarray

    @property
    def n(self) -> int:
        return len(self.pools)


def build_handlers(scenario: CityScenario, mech: Mechanisms, layout: CityLayout) -> Handlers:
    names: list[str] = []
    paid: list[float] = []
    servers: list[int] = []
    clocks: list[OfficeClock] = []
    kind, site, staff, wage, payer, lag, speed, solve = [], [], [], [], [], [], [], []
    bg_rate, bg_service = [], []

    def add(
        name: str,
        code: int,
        spec: HandlerSpec,
        cell: int,
        headcount: float,
        admin_share: float | None = None,
        unpaid: float = 0.0,
    ) -> int:
        admin = spec.admin_time_share if admin_share is None else admin_share
        names.append(name)
        paid.append(spec.staff_per_unit if code in (H_STREET, H_COMMUNITY) else headcount)
        servers.append(servers_for(headcount + unpaid, admin))
        clocks.append(clock_of(spec.office_hours))
        kind.append(code)
        site.append(cell)
        staff.append(headcount)
        wage.append(spec.wage_yuan_per_staff_day)
        payer.append(spec.payer.value)
        lag.append(spec.contact_lag_h)
        speed.append(spec.travel_speed_kmh)
        solve.append(spec.solve_rate_multiplier)
        bg_rate.append(0.0)
        bg_service.append(1.0)
        return len(names) - 1

    n_streets = len(layout.street_site)
    n_communities = len(layout.community_site)
    street_pool = np.array(
        [
            add(
                f"street_office_{s}",
                H_STREET,
                scenario.street_office,
                int(layout.street_site[s]),
                mech.staff.street_staff_per_office,
            )
            for s in range(n_streets)
        ]
    )
    community_pool = np.array(
        [
            add(
                f"community_{c}",
                H_COMMUNITY,
                scenario.community,
                int(layout.community_site[c]),
                mech.staff.community_staff_per_community,
                admin_share=mech.staff.community_admin_time_share,
                unpaid=mech.staff.unit_staff_per_community,
            )
            for c in range(n_communities)
        ]
    )
    social_pool = np.array(
        [
            add(
                f"social_org_{s}",
                H_SOCIAL,
                scenario.social_org,
                int(layout.street_site[s]),
                scenario.social_org.staff_per_unit,
            )
            for s in range(n_streets)
        ]
    )
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
                target[c] = add(
                    f"{regime}_{c}",
                    code,
                    spec,
                    int(layout.community_site[c]),
                    spec.staff_per_unit * cells,
                )
    department_pool = {}
    for name, dept in scenario.departments.items():
        headcount = mech.staff.department_staff[name]
        names.append(f"department_{name}")
        paid.append(headcount)
        servers.append(headcount)
        clocks.append(clock_of(dept.office_hours))
        kind.append(H_DEPARTMENT)
        site.append(layout.district_site)
        staff.append(headcount)
        wage.append(dept.wage_yuan_per_staff_day)
        payer.append(dept.payer.value)
        lag.append(dept.contact_lag_h)
        speed.append(dept.travel_speed_kmh)
        solve.append(1.0)
        # the department's own workload keeps `baseline_load_share` of its original staff busy
        bg_rate.append(dept.baseline_load_share * dept.staff / dept.background_service_h)
        bg_service.append(dept.background_service_h)
        department_pool[name] = len(names) - 1
    return Handlers(
        pools=PoolSet(names, servers, clocks),
        kind=np.asarray(kind, np.int8),
        site=np.asarray(site, np.int64),
        staff=np.asarray(staff, float),
        wage_yuan_per_staff_day=np.asarray(wage, float),
        payer=payer,
        contact_lag_h=np.asarray(lag, float),
        speed_kmh=np.asarray(speed, float),
        solve_multiplier=np.asarray(solve, float),
        street_pool=street_pool,
        community_pool=community_pool,
        social_pool=social_pool,
        pm_pool=pm_pool,
        vc_pool=vc_pool,
        department_pool=department_pool,
        community_admin_share=mech.staff.community_admin_time_share,
        paid_staff=np.array(paid),
        unpaid_staff=np.where(
            np.asarray(kind) == H_COMMUNITY, mech.staff.unit_staff_per_community, 0.0
        ),
        background_rate_per_h=np.asarray(bg_rate, float),
        background_service_h=np.asarray(bg_service, float),
    )


def first_handler(
    handlers: Handlers,
    route: np.ndarray,
    department: np.ndarray,
    street: np.ndarray,
    community: np.ndarray,
    regime: np.ndarray,
) -> np.ndarray:
    """The pool that owns each problem first, by its kind's route and its cell's regime.

    `route` holds ROUTES indices, `department` pool indices (-1 if none). Property kinds go
    to the property manager or village collective where there is one, else the community.
    """
    pool = np.empty(len(route), np.int64)
    by_route = {
        Route.community: handlers.community_pool[community],
        Route.street_office: handlers.street_pool[street],
        Route.social_org: handlers.social_pool[street],
        Route.department: department,
    }
    for r, target in by_route.items():
        here = route == ROUTES.index(r)
        pool[here] = target[here]
    prop = route == ROUTES.index(Route.property)
    pm = handlers.pm_pool[community]
    vc = handlers.vc_pool[community]
    fallback = handlers.community_pool[community]
    choice = np.where(
        (regime == REGIMES.index("property_manager")) & (pm >= 0),
        pm,
        np.where((regime == REGIMES.index("village_collective")) & (vc >= 0), vc, fallback),
    )
    pool[prop] = choice[prop]
    return pool


assert HANDLERS[H_DEPARTMENT] == "department" and HANDLERS[H_VC] == "village_collective"
