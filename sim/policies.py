"""How each policy changes mechanisms: staff, authority, routing, access, stipend, time use.

A policy never touches an outcome. `mechanisms()` reads the scenario's baseline mechanism
values and the policy levers and returns the values the engine runs with. Costs follow from
the quantities (staff, hours, contracts) in `sim.costs`.
"""

from __future__ import annotations

from dataclasses import dataclass

from sim.config import CityScenario, PolicyMix


@dataclass(frozen=True)
class Mechanisms:
    hotline_dispatch_delay_h: float
    misroute_prob: float
    access_share: dict[str, dict[str, float]]  # group -> channel -> share
    street_staff_per_office: float
    community_staff_per_community: float
    department_staff: dict[str, int]
    staff_moved_to_streets: int
    needs_department_prob: dict[str, float]
    funds_moved_yuan_per_year: float
    households_per_grid: float
    grid_patrol_time_share: float
    grid_home_visit_time_share: float
    grid_admin_time_share: float
    volunteer_stipend_yuan_per_h: float
    honour_share: float
    outreach_staff_per_street_office: float
    kaohe: bool
    kaohe_weights: tuple[float, float, float]
    rating_lift_share: float
    exemption_share: float
    persuasion_contact_h: float
    whistle: bool = False
    whistle_delay_h: float = 0.0


def mechanisms(scenario: CityScenario, policies: PolicyMix) -> Mechanisms:
    groups = {"resident": scenario.population.resident, "migrant": scenario.population.migrant}
    access = {
        name: {
            "hotline": spec.hotline_access_share,
            "community": spec.community_access_share,
            "social_org": spec.social_org_access_share,
        }
        for name, spec in groups.items()
    }
    street_staff = scenario.street_office.staff_per_unit
    community_staff = scenario.community.staff_per_unit
    department_staff = {name: d.staff for name, d in scenario.departments.items()}
    needs_department = {name: k.needs_department_prob for name, k in scenario.kinds.items()}
    moved = 0
    funds = 0.0
    hotline_delay = scenario.dispatch.relay_delay_h
    misroute = scenario.dispatch.misroute_prob
    kaohe = False
    weights = (1 / 3, 1 / 3, 1 / 3)
    lift = exemption = persuasion = 0.0

    if (p := policies.hotline) is not None:
        hotline_delay = p.dispatch_delay_h
        misroute = p.misroute_prob
        for group in access.values():
            group["hotline"] = min(1.0, group["hotline"] * (1.0 + p.awareness_gain_share))
        kaohe = True
        raw = (p.response_weight, p.resolution_weight, p.satisfaction_weight)
        weights = tuple(w / sum(raw) for w in raw)
        lift, exemption, persuasion = p.rating_lift_share, p.exemption_share, p.persuasion_contact_h

    if (p := policies.resource_sinking) is not None:
        n_streets = scenario.city.street_offices
        n_communities = n_streets * scenario.city.communities_per_street_office
        for name, staff in department_staff.items():
            take = round(staff * p.staff_moved_share)
            take = min(take, staff - 1)  # a department keeps at least one server
            department_staff[name] = staff - take
            moved += take
        to_communities = moved * p.community_staff_share
        street_staff += (moved - to_communities) / n_streets
        community_staff += to_communities / n_communities
        for kind in p.powers_moved_kinds:
            needs_department[kind] *= 1.0 - p.authority_share
        funds = p.funds_moved_yuan_per_year

    grid = scenario.grid
    households, patrol, visit, admin = (
        grid.households_per_grid,
        grid.patrol_time_share,
        grid.home_visit_time_share,
        grid.admin_time_share,
    )
    if (p := policies.grid_management) is not None:
        households = p.households_per_grid
        patrol, visit, admin = p.patrol_time_share, p.home_visit_time_share, p.admin_time_share

    outreach = 0.0
    if (p := policies.migrant_inclusion) is not None:
        migrant = access["migrant"]
        migrant["hotline"] = max(migrant["hotline"], p.hotline_access_share)
        migrant["community"] = max(migrant["community"], p.community_access_share)
        migrant["social_org"] = max(migrant["social_org"], p.social_org_access_share)
        outreach = p.outreach_staff_per_street_office

    stipend = 0.0
    if (p := policies.volunteer_pay) is not None:
        stipend = p.volunteer_stipend_yuan_per_h

    return Mechanisms(
        hotline_dispatch_delay_h=hotline_delay,
        misroute_prob=misroute,
        access_share=access,
        street_staff_per_office=street_staff,
        community_staff_per_community=community_staff,
        department_staff=department_staff,
        staff_moved_to_streets=moved,
        needs_department_prob=needs_department,
        funds_moved_yuan_per_year=funds,
        households_per_grid=households,
        grid_patrol_time_share=patrol,
        grid_home_visit_time_share=visit,
        grid_admin_time_share=admin,
        volunteer_stipend_yuan_per_h=stipend,
        honour_share=0.0,
        outreach_staff_per_street_office=outreach,
        kaohe=kaohe,
        kaohe_weights=weights,
        rating_lift_share=lift,
        exemption_share=exemption,
        persuasion_contact_h=persuasion,
    )
