"""Builds the world a run starts from: layout, people, handler pools and the kind table.

The city scenario builds a generated district; the textbook scenario builds the degenerate
world of M/M/c (one cell, one owner, one kind, one pool open 24 h), so that the same engine
runs both.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from sim.city import LAND_USES, REGIMES, CityLayout, generate_layout
from sim.clock import HOURS_PER_YEAR, OfficeClock
from sim.config.scenario import CityScenario, Route, TextbookScenario
from sim.handlers import H_STREET, ROUTES, Handlers, build_handlers
from sim.mechanisms import Mechanisms
from sim.population import Population, single_person
from sim.queueing import PoolSet

ENTITLEMENTS = ("none", "school_place", "housing_slot")


@dataclass
class KindTable:
    """Per-kind arrays (index = kind code)."""

    names: tuple[str, ...]
    category_names: tuple[str, ...]
    category: np.ndarray
    contact_deadline_h: np.ndarray
    closure_deadline_h: np.ndarray
    shared: np.ndarray
    rate_per_person_h: np.ndarray
    rate_per_cell_h: np.ndarray
    affected_share: np.ndarray
    migrant_multiplier: np.ndarray
    elderly_multiplier: np.ndarray
    route: np.ndarray
    department_pool: np.ndarray
    needs_department_prob: np.ndarray
    stationed_share: np.ndarray  # local referrals its department's stationed staff take at once
    enforcement_sensitive: np.ndarray
    report_multiplier: np.ndarray
    patrol_discovery_prob: np.ndarray
    home_visit_discovery_prob: np.ndarray
    closable_on_discovery_prob: np.ndarray
    mediable: np.ndarray
    self_resolve_rate_per_h: np.ndarray
    lapse_rate_per_h: np.ndarray
    mean_service_h: np.ndarray
    solve_prob: np.ndarray
    outside_policy_share: np.ndarray
    entitlement: np.ndarray  # 0 none, 1 school place, 2 housing slot
    needs_consent: np.ndarray

    @property
    def n(self) -> int:
        return len(self.names)

    @property
    def social_org_channel(self) -> np.ndarray:
        return self.route == ROUTES.index(Route.social_org)


def city_kinds(scenario: CityScenario, mech: Mechanisms, handlers: Handlers) -> KindTable:
    kinds = scenario.kinds
    categories = tuple(scenario.categories)
    col = lambda f: np.array([getattr(k, f) for k in kinds.values()], dtype=float)  # noqa: E731
    cat = np.array([categories.index(k.category) for k in kinds.values()], np.int8)
    return KindTable(
        names=tuple(kinds),
        category_names=categories,
        category=cat,
        contact_deadline_h=np.array(
            [scenario.categories[c].contact_deadline_h for c in categories]
        )[cat],
        closure_deadline_h=np.array(
            [scenario.categories[c].closure_deadline_h for c in categories]
        )[cat],
        shared=np.array([k.scope == "shared" for k in kinds.values()]),
        rate_per_person_h=col("need_rate_per_person_year") / HOURS_PER_YEAR,
        rate_per_cell_h=col("need_rate_per_cell_year") / HOURS_PER_YEAR,
        affected_share=col("affected_share"),
        migrant_multiplier=col("migrant_rate_multiplier"),
        elderly_multiplier=col("elderly_rate_multiplier"),
        route=np.array(
            [ROUTES.index(k.route) for k in kinds.values()],
            np.int8,
        ),
        department_pool=np.array(
            [handlers.department_pool[k.department] if k.department else -1 for k in kinds.values()]
        ),
        needs_department_prob=np.array(
            [mech.referral.needs_department_prob[name] for name in kinds]
        ),
        stationed_share=np.array(
            [mech.dispatch.stationed_share.get(name, 0.0) for name in kinds], float
        ),
        enforcement_sensitive=np.array([k.enforcement_sensitive for k in kinds.values()]),
        report_multiplier=col("report_rate_multiplier"),
        patrol_discovery_prob=col("patrol_discovery_prob"),
        home_visit_discovery_prob=col("home_visit_discovery_prob"),
        closable_on_discovery_prob=col("closable_on_discovery_prob"),
        mediable=np.array([k.mediable for k in kinds.values()]),
        self_resolve_rate_per_h=col("self_resolve_rate_per_day") / 24.0,
        lapse_rate_per_h=col("lapse_rate_per_day") / 24.0,
        mean_service_h=col("mean_service_h"),
        solve_prob=col("solve_prob"),
        outside_policy_share=col("outside_policy_share"),
        entitlement=np.array([ENTITLEMENTS.index(k.entitlement) for k in kinds.values()]),
        needs_consent=np.array([k.needs_consent for k in kinds.values()]),
    )


@dataclass
class World:
    layout: CityLayout
    population: Population
    handlers: Handlers
    kinds: KindTable


def build_city(scenario: CityScenario, mech: Mechanisms, streams) -> World:
    layout = generate_layout(scenario.city, streams["city"])
    population = Population(
        scenario.population, scenario.city, layout, streams["population"], streams["migration"]
    )
    handlers = build_handlers(scenario, mech, layout)
    kinds = city_kinds(scenario, mech, handlers)
    return World(layout, population, handlers, kinds)


def build_textbook(scenario: TextbookScenario) -> World:
    """The degenerate world of M/M/c: one block, one owner, one kind, one pool."""
    return World(
        _one_block(), single_person(), _textbook_handlers(scenario), _textbook_kinds(scenario)
    )


def _one_block() -> CityLayout:
    return CityLayout(
        width=1,
        height=1,
        cell_size_km=1.0,
        land_use=np.array([LAND_USES.index("old_town")], np.int8),
        regime=np.array([REGIMES.index("none")], np.int8),
        community=np.zeros(1, np.int16),
        street_office=np.zeros(1, np.int16),
        street_site=np.zeros(1, np.int64),
        community_site=np.zeros(1, np.int64),
        district_site=0,
    )


def one(value, dtype=float) -> np.ndarray:
    """A one-element array (the textbook world has one of everything)."""
    return np.array([value], dtype=dtype)


def _textbook_handlers(scenario: TextbookScenario) -> Handlers:
    """One pool of `servers` servers, open around the clock, at the one block."""
    return Handlers(
        pools=PoolSet(["servers"], [scenario.servers], [OfficeClock()]),
        kind=one(H_STREET, np.int8),
        site=one(0, np.int64),
        staff=one(scenario.servers),
        wage_yuan_per_staff_day=one(0.0),
        payer=["district"],
        contact_lag_h=one(0.0),
        speed_kmh=one(1.0),
        office_day_h=one(24.0),
        solve_multiplier=one(1.0),
        street_pool=one(0, np.int64),
        community_pool=one(0, np.int64),
        social_pool=one(0, np.int64),
        pm_pool=one(-1, np.int64),
        vc_pool=one(-1, np.int64),
        department_pool={},
        community_admin_share=0.0,
        unpaid_staff=one(0.0),
        paid_staff=one(0.0),
        moved_staff=one(0.0),
        extra_capacity=one(0.0),
        background_rate_per_h=one(0.0),
        background_service_h=one(1.0),
    )


def _textbook_kinds(scenario: TextbookScenario) -> KindTable:
    """One kind: Poisson arrivals, exponential service, always solved, no deadlines."""
    zero = one(0.0)
    return KindTable(
        names=("service",),
        category_names=("textbook",),
        category=one(0, np.int8),
        contact_deadline_h=one(np.inf),
        closure_deadline_h=one(np.inf),
        shared=one(False, bool),
        rate_per_person_h=one(scenario.arrival_rate_per_h),
        rate_per_cell_h=zero,
        affected_share=zero,
        migrant_multiplier=one(1.0),
        elderly_multiplier=one(1.0),
        route=one(ROUTES.index(Route.street_office), np.int8),
        department_pool=one(-1, np.int64),
        needs_department_prob=zero,
        stationed_share=zero,
        enforcement_sensitive=one(False, bool),
        report_multiplier=zero,
        patrol_discovery_prob=zero,
        home_visit_discovery_prob=zero,
        closable_on_discovery_prob=zero,
        mediable=np.zeros_like(zero, bool),
        self_resolve_rate_per_h=zero,
        lapse_rate_per_h=zero,
        mean_service_h=one(1.0 / scenario.service_rate_per_h),
        solve_prob=one(1.0),
        outside_policy_share=one(0.0),
        entitlement=one(0, np.int64),
        needs_consent=one(False, bool),
    )
