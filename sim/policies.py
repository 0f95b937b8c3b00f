"""How each policy changes mechanisms: staff, authority, routing, access, stipend, time use.

A policy never touches an outcome. `mechanisms()` reads the scenario's baseline mechanism
values and the policy levers and returns the values the engine runs with. Costs follow from
the quantities (staff, hours, contracts, slots, capital) in `sim.costs`.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from pydantic import ValidationError

from sim.catalogue import allowed_range
from sim.config.scenario import CityScenario
from sim.config.types import ConfigError
from sim.mechanisms import (
    Access,
    Accountability,
    Dispatch,
    Grid,
    Mechanisms,
    Referral,
    Services,
    Staff,
    Volunteers,
)

if TYPE_CHECKING:
    from sim.config.params import PolicyMix

CHANNELS = ("hotline", "community", "social_org")


def mechanisms(scenario: CityScenario, policies: PolicyMix) -> Mechanisms:
    """The mechanism values a run uses: the scenario's baseline, changed by each policy."""
    groups = {"resident": scenario.population.resident, "migrant": scenario.population.migrant}
    access = {
        name: {c: getattr(spec, f"{c}_access_share") for c in CHANNELS}
        for name, spec in groups.items()
    }
    dispatch = scenario.dispatch
    m: dict = {
        "elderly_hotline_access_loss_share": 0.0,
        "hotline_dispatch_delay_h": dispatch.relay_delay_h,
        "misroute_prob": dispatch.misroute_prob,
        "return_delay_h": dispatch.return_delay_h,
        "coordination_delay_h": dispatch.coordination_delay_h,
        "street_staff_per_office": scenario.street_office.staff_per_unit,
        "community_staff_per_community": scenario.community.staff_per_unit,
        "community_admin_time_share": scenario.community.admin_time_share,
        "unit_staff_per_community": 0.0,
        "department_staff": {name: d.staff for name, d in scenario.departments.items()},
        "staff_moved_to_streets": 0,
        "moved_staff_wages_yuan_per_day": 0.0,
        "needs_department_prob": {n: k.needs_department_prob for n, k in scenario.kinds.items()},
        "funds_moved_yuan_per_year": 0.0,
        "street_first_kinds": (),
        "extra_assessment_h": 0.0,
        "households_per_grid": scenario.grid.households_per_grid,
        "grid_patrol_time_share": scenario.grid.patrol_time_share,
        "grid_home_visit_time_share": scenario.grid.home_visit_time_share,
        "grid_admin_time_share": scenario.grid.admin_time_share,
        "report_quota_per_month": 0,
        "trivial_report_h": 0.0,
        "volunteer_stipend_yuan_per_h": 0.0,
        "volunteer_cost_yuan_per_h": 0.0,
        "honour_share": 0.0,
        "points_value_yuan_per_h": 0.0,
        "honour_operating_yuan_per_volunteer_year": 0.0,
        "party_member_share": 0.0,
        "party_hours_per_member_month": 0.0,
        "kaohe": False,
        "kaohe_weights": (1 / 3, 1 / 3, 1 / 3),
        "rating_lift_share": 0.0,
        "exemption_share": 0.0,
        "persuasion_contact_h": 0.0,
        "whistle": False,
        "report_deadline_h": 0.0,
        "street_evaluates_departments": False,
        "whistle_staff_h": 0.0,
        "max_whistles_per_month": 0,
        "outreach_staff_per_street_office": 0.0,
        "social_workers_contracted": 0.0,
        "contract_yuan_per_year": 0.0,
        "contract_days": 0,
        "ramp_up_days": 0,
        "borrowed_staff_share": 0.0,
        "social_org_solve_gain_share": 0.0,
        "social_org_hotline_dispatch": False,
        "detection_rate_per_day": 0.0,
        "data_entry_h_per_case": 0.0,
        "platform_capital_yuan_per_year": 0.0,
        "platform_operating_yuan_per_year": 0.0,
        "privacy_trust_loss_per_year": 0.0,
        "hotline_operating_yuan_per_year": 0.0,
        "school_places_per_year": 0,
        "housing_slots_per_year": 0,
        "yuan_per_school_place": 0.0,
        "yuan_per_housing_slot": 0.0,
        "deliberation": policies.deliberation,
        "fixes_per_month": 0,
        "fix_rate_cut_share": 0.0,
        "fix_effect_days": 1,
        "capital_yuan_per_fix": 0.0,
    }

    if (p := policies.hotline_merge) is not None:
        m["misroute_prob"] = p.misroute_prob
        for group in access.values():
            group["hotline"] = min(1.0, group["hotline"] * (1.0 + p.awareness_gain_share))
        m["hotline_operating_yuan_per_year"] = p.operating_yuan_per_year

    if (p := policies.direct_dispatch) is not None:
        m["hotline_dispatch_delay_h"] = p.dispatch_delay_h
        m["return_delay_h"] = p.return_delay_h

    if (p := policies.kaohe) is not None:
        raw = (p.response_weight, p.resolution_weight, p.satisfaction_weight)
        m["kaohe"] = True
        m["kaohe_weights"] = tuple(w / sum(raw) for w in raw)
        m["rating_lift_share"] = p.rating_lift_share
        m["exemption_share"] = p.exemption_share
        m["persuasion_contact_h"] = p.persuasion_contact_h

    if (p := policies.whistle) is not None:
        m["whistle"] = True
        m["report_deadline_h"] = p.report_deadline_h
        m["street_evaluates_departments"] = p.street_evaluates_departments
        m["whistle_staff_h"] = p.whistle_staff_h
        m["max_whistles_per_month"] = p.max_whistles_per_month

    if (p := policies.resource_sinking) is not None:
        n_streets = scenario.city.street_offices
        n_communities = n_streets * scenario.city.communities_per_street_office
        moved = 0
        for name, staff in m["department_staff"].items():
            take = min(round(staff * p.staff_moved_share), staff - 1)  # one server stays
            m["department_staff"][name] = staff - take
            moved += take
            m["moved_staff_wages_yuan_per_day"] += (
                take * scenario.departments[name].wage_yuan_per_staff_day
            )
        to_communities = moved * p.community_staff_share
        m["street_staff_per_office"] += (moved - to_communities) / n_streets
        m["community_staff_per_community"] += to_communities / n_communities
        m["staff_moved_to_streets"] = moved
        for kind in p.powers_moved_kinds:
            m["needs_department_prob"][kind] *= 1.0 - p.authority_share
        m["funds_moved_yuan_per_year"] = p.funds_moved_yuan_per_year

    if (p := policies.grid_management) is not None:
        m["households_per_grid"] = p.households_per_grid
        m["grid_patrol_time_share"] = p.patrol_time_share
        m["grid_home_visit_time_share"] = p.home_visit_time_share
        m["grid_admin_time_share"] = p.admin_time_share
        m["report_quota_per_month"] = p.report_quota_per_month
        m["trivial_report_h"] = p.trivial_report_h

    if (p := policies.responsibility_sinking) is not None:
        m["community_admin_time_share"] = min(
            0.95, m["community_admin_time_share"] + p.extra_admin_time_share
        )
        m["grid_admin_time_share"] += p.extra_admin_time_share * m["grid_patrol_time_share"]
        m["grid_patrol_time_share"] *= 1.0 - p.extra_admin_time_share
        m["street_first_kinds"] = tuple(p.street_first_kinds)
        m["extra_assessment_h"] = p.extra_assessment_h

    if (p := policies.burden_reduction) is not None:
        cut = p.admin_time_cut_share
        m["community_admin_time_share"] *= 1.0 - cut
        freed = m["grid_admin_time_share"] * cut
        m["grid_admin_time_share"] -= freed
        m["grid_patrol_time_share"] += freed  # freed grid time goes to patrol

    if (p := policies.volunteer_pay) is not None:
        m["volunteer_stipend_yuan_per_h"] += p.volunteer_stipend_yuan_per_h
        m["volunteer_cost_yuan_per_h"] += p.volunteer_stipend_yuan_per_h

    if (p := policies.volunteer_honour) is not None:
        m["honour_share"] = max(m["honour_share"], p.honour_share)
        m["honour_operating_yuan_per_volunteer_year"] = p.operating_yuan_per_volunteer_year

    if (p := policies.volunteer_points) is not None:
        # the material part of points acts like pay, the rest like honour
        m["volunteer_stipend_yuan_per_h"] += p.points_value_yuan_per_h * p.material_share
        m["points_value_yuan_per_h"] = p.points_value_yuan_per_h
        m["volunteer_cost_yuan_per_h"] += p.points_value_yuan_per_h
        m["honour_share"] = min(1.0, m["honour_share"] + (1.0 - p.material_share) * 0.5)

    if (p := policies.purchase_services) is not None:
        workers = min(
            p.contract_yuan_per_year / p.yuan_per_social_worker_year, p.max_social_workers
        )
        m["social_workers_contracted"] = workers
        m["contract_yuan_per_year"] = p.contract_yuan_per_year
        m["contract_days"] = p.contract_days
        m["ramp_up_days"] = p.ramp_up_days
        m["borrowed_staff_share"] = p.borrowed_staff_share
        m["social_org_solve_gain_share"] = (
            p.outcome_solve_gain_share if p.payment == "outcome" else 0.0
        )
        m["social_org_hotline_dispatch"] = p.hotline_dispatch

    if (p := policies.smart_platform) is not None:
        m["misroute_prob"] *= 1.0 - p.routing_gain_share
        m["detection_rate_per_day"] = p.detection_rate_per_day
        m["data_entry_h_per_case"] = p.data_entry_h_per_case
        m["elderly_hotline_access_loss_share"] = p.elderly_access_loss_share
        access["migrant"]["hotline"] *= 1.0 - p.migrant_access_loss_share
        m["platform_capital_yuan_per_year"] = p.capital_yuan / p.life_years
        m["platform_operating_yuan_per_year"] = p.operating_yuan_per_year
        m["privacy_trust_loss_per_year"] = p.privacy_trust_loss_per_year

    if (p := policies.migrant_inclusion) is not None:
        migrant = access["migrant"]
        for channel in CHANNELS:
            migrant[channel] = max(migrant[channel], getattr(p, f"{channel}_access_share"))
        m["outreach_staff_per_street_office"] = p.outreach_staff_per_street_office

    if (p := policies.migrant_entitlement) is not None:
        m["school_places_per_year"] = p.school_places_per_year
        m["housing_slots_per_year"] = p.housing_slots_per_year
        m["yuan_per_school_place"] = p.yuan_per_school_place
        m["yuan_per_housing_slot"] = p.yuan_per_housing_slot

    if (p := policies.party_building) is not None:
        m["party_member_share"] = p.member_share
        m["party_hours_per_member_month"] = p.hours_per_member_month
        m["unit_staff_per_community"] = p.unit_staff_per_community
        m["coordination_delay_h"] *= 1.0 - p.coordination_cut_share
        m["return_delay_h"] *= 1.0 - p.coordination_cut_share

    if (p := policies.proactive_governance) is not None:
        m["fixes_per_month"] = p.fixes_per_month
        m["fix_rate_cut_share"] = p.rate_cut_share
        m["fix_effect_days"] = p.effect_days
        m["capital_yuan_per_fix"] = p.capital_yuan_per_fix

    return Mechanisms(
        access=Access(access, m["elderly_hotline_access_loss_share"]),
        dispatch=Dispatch(
            m["hotline_dispatch_delay_h"], m["misroute_prob"], m["return_delay_h"],
            m["social_org_hotline_dispatch"], m["street_first_kinds"], m["extra_assessment_h"],
            m["data_entry_h_per_case"],
        ),
        referral=Referral(
            m["coordination_delay_h"], m["needs_department_prob"], m["whistle"],
            m["report_deadline_h"], m["street_evaluates_departments"], m["whistle_staff_h"],
            m["max_whistles_per_month"],
        ),
        staff=Staff(
            m["street_staff_per_office"], m["community_staff_per_community"],
            m["community_admin_time_share"], m["unit_staff_per_community"],
            m["department_staff"], m["staff_moved_to_streets"],
            m["moved_staff_wages_yuan_per_day"], m["funds_moved_yuan_per_year"],
        ),
        grid=Grid(
            m["households_per_grid"], m["grid_patrol_time_share"],
            m["grid_home_visit_time_share"], m["grid_admin_time_share"],
            m["report_quota_per_month"], m["trivial_report_h"], m["detection_rate_per_day"],
        ),
        volunteers=Volunteers(
            m["volunteer_stipend_yuan_per_h"], m["volunteer_cost_yuan_per_h"], m["honour_share"],
            m["party_member_share"], m["party_hours_per_member_month"],
        ),
        accountability=Accountability(
            m["rating_lift_share"], m["exemption_share"], m["persuasion_contact_h"]
        ),
        services=Services(
            m["social_org_solve_gain_share"], policies.deliberation is not None,
            m["fix_rate_cut_share"],
        ),
    )  # fmt: skip


SCALABLE = (
    "hotline_merge", "grid_management", "volunteer_pay", "volunteer_honour", "volunteer_points",
    "purchase_services", "smart_platform", "migrant_inclusion", "migrant_entitlement",
    "proactive_governance",
)  # fmt: skip


def scale_to_budget(scenario: CityScenario, policies: PolicyMix, budget: float) -> PolicyMix:
    """Set each priced policy's intensity so that its planned spending is its budget share.

    Volunteer hours are planned at the scenario's base volunteering (before any crowding);
    the realised spending is reported by the run, so a comparison states both.
    """
    present = [name for name in SCALABLE if getattr(policies, name) is not None]
    if not present:
        return policies
    share = budget / len(present)
    pop = scenario.population
    households = pop.people / pop.people_per_household
    vol = scenario.volunteers
    weekly = (1 - pop.resident.elderly_share) * vol.hours_per_week_employed + (
        pop.resident.elderly_share * vol.hours_per_week_not_employed
    )
    volunteers = pop.people * vol.base_volunteer_prob
    volunteer_hours = volunteers * weekly / 7 * 365
    streets = scenario.city.street_offices
    grid = scenario.grid
    changes: dict[str, dict] = {
        "hotline_merge": {"operating_yuan_per_year": share},
        "volunteer_pay": {"volunteer_stipend_yuan_per_h": share / volunteer_hours},
        "volunteer_points": {"points_value_yuan_per_h": share / volunteer_hours},
        "volunteer_honour": {"operating_yuan_per_volunteer_year": share / volunteers},
        "purchase_services": {"contract_yuan_per_year": share},
        "migrant_inclusion": {
            "outreach_staff_per_street_office": share
            / (scenario.street_office.wage_yuan_per_staff_day * 365 * streets)
        },
    }
    base_workers = households / grid.households_per_grid
    extra_workers = share / (grid.wage_yuan_per_staff_day * 365)
    changes["grid_management"] = {
        "households_per_grid": households / (base_workers + extra_workers)
    }
    if (p := policies.migrant_entitlement) is not None:
        changes["migrant_entitlement"] = {
            "school_places_per_year": round(share / 2 / p.yuan_per_school_place),
            "housing_slots_per_year": round(share / 2 / p.yuan_per_housing_slot),
        }
    if (p := policies.proactive_governance) is not None and p.fixes_per_month > 0:
        changes["proactive_governance"] = {"capital_yuan_per_fix": share / (12 * p.fixes_per_month)}
    if (p := policies.smart_platform) is not None:
        planned = p.capital_yuan / p.life_years + p.operating_yuan_per_year
        factor = share / planned if planned else 0.0
        changes["smart_platform"] = {
            "capital_yuan": p.capital_yuan * factor,
            "operating_yuan_per_year": p.operating_yuan_per_year * factor,
        }
    update = {
        name: _rescaled(name, getattr(policies, name), changes[name], budget)
        for name in present
        if name in changes
    }
    return policies.model_copy(update=update)


def _rescaled(name: str, levers, changes: dict, budget: float):
    """The levers with their scaled intensity, validated by their schema like any input."""
    try:
        return type(levers).model_validate({**levers.model_dump(), **changes})
    except ValidationError as exc:
        error = exc.errors()[0]
        key = str(error["loc"][0])
        field = type(levers).model_fields[key]
        raise ConfigError(
            f"budget_yuan_per_year = {budget:g} cannot be spent on {name}: "
            f"policies.{name}.{key} would be {error['input']:.4g}, "
            f"outside its allowed range {allowed_range(field)}"
        ) from None
