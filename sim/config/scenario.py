"""The scenario schema: the city, its people, kinds of problem, handlers, grid, volunteers,
dispatch, behaviour, costs; the textbook queue; shocks and the horizon.

The YAML files under `scenarios/` are the single source of default values; this module
holds only types and ranges.
"""

from __future__ import annotations

from enum import StrEnum
from typing import Annotated, Literal

from pydantic import Field, model_validator

from sim.config.types import (
    Frozen,
    Hours,
    Multiplier,
    PositiveHours,
    Rate,
    Share,
    Weight,
    Yuan,
    check_time_split,
)


class Payer(StrEnum):
    city = "city"
    district = "district"
    street = "street"


class LandUse(StrEnum):
    old_town = "old_town"
    estate = "estate"
    urban_village = "urban_village"
    commercial = "commercial"
    public = "public"


RESIDENTIAL = (LandUse.old_town, LandUse.estate, LandUse.urban_village)


class LandUseSpec(Frozen):
    cell_share: Share
    density_weight: Annotated[float, Field(ge=0.0, le=100.0)]
    migrant_share: Share
    property_manager_share: Share
    village_collective_share: Share

    @model_validator(mode="after")
    def _regimes_fit(self) -> LandUseSpec:
        if self.property_manager_share + self.village_collective_share > 1.0 + 1e-9:
            raise ValueError("property_manager_share + village_collective_share must be at most 1")
        return self


class CitySpec(Frozen):
    width_cells: Annotated[int, Field(ge=1, le=1000)]
    height_cells: Annotated[int, Field(ge=1, le=1000)]
    street_offices: Annotated[int, Field(ge=1, le=500)]
    communities_per_street_office: Annotated[int, Field(ge=1, le=100)]
    cell_size_km: Annotated[float, Field(gt=0.0, le=10.0)]
    land_use: dict[LandUse, LandUseSpec]

    @model_validator(mode="after")
    def _complete(self) -> CitySpec:
        missing = [u.value for u in LandUse if u not in self.land_use]
        if missing:
            raise ValueError(f"land_use lacks {missing}")
        total = sum(spec.cell_share for spec in self.land_use.values())
        if abs(total - 1.0) > 1e-6:
            raise ValueError(f"land_use cell_share values sum to {total:.4f}, must sum to 1")
        cells = self.width_cells * self.height_cells
        if cells < self.street_offices * self.communities_per_street_office:
            raise ValueError("fewer cells than communities: enlarge the grid")
        return self


class GroupSpec(Frozen):
    """Attributes of one hukou group (resident or migrant)."""

    child_share: Share
    elderly_share: Share
    employed_share: Share
    owner_share: Share
    initial_trust_prob: Share
    initial_satisfaction_share: Share
    report_willingness_prob: Share
    hotline_access_share: Share
    initial_hotline_awareness_share: Share  # knows 12345 on arrival (Bass diffusion's start)
    community_access_share: Share
    social_org_access_share: Share
    patience_mean_days: Annotated[float, Field(gt=0.0, le=3650.0)]
    entitlement_barrier_prob: Share
    departure_rate_per_year: Annotated[float, Field(ge=0.0, le=20.0)]

    @model_validator(mode="after")
    def _ages(self) -> GroupSpec:
        if self.child_share + self.elderly_share > 1.0:
            raise ValueError("child_share + elderly_share must be at most 1")
        return self


class PopulationSpec(Frozen):
    people: Annotated[int, Field(ge=1, le=5_000_000)]
    reserve_places_per_person: Annotated[float, Field(ge=0.0, le=5.0)]
    people_per_household: Annotated[float, Field(ge=1.0, le=10.0)]
    refill_mean_days: Annotated[float, Field(gt=0.0, le=3650.0)]
    renter_report_multiplier: Multiplier
    resident: GroupSpec
    migrant: GroupSpec


class Category(Frozen):
    contact_deadline_h: PositiveHours
    closure_deadline_h: PositiveHours


class Route(StrEnum):
    community = "community"
    street_office = "street_office"
    property = "property"
    social_org = "social_org"
    department = "department"


class KindSpec(Frozen):
    category: str
    scope: Literal["individual", "shared"]
    need_rate_per_person_year: Annotated[float, Field(ge=0.0, le=50.0)] = 0.0
    need_rate_per_cell_year: Annotated[float, Field(ge=0.0, le=5000.0)] = 0.0
    affected_share: Share = 0.0
    migrant_rate_multiplier: Multiplier
    elderly_rate_multiplier: Multiplier
    route: Route
    department: str | None
    needs_department_prob: Share
    enforcement_sensitive: bool
    needs_consent: bool
    entitlement: Literal["none", "school_place", "housing_slot"]
    report_rate_multiplier: Multiplier
    patrol_discovery_prob: Share
    home_visit_discovery_prob: Share
    closable_on_discovery_prob: Share
    mediable: bool = False
    self_resolve_rate_per_day: Rate
    lapse_rate_per_day: Rate
    mean_service_h: PositiveHours
    solve_prob: Share
    outside_policy_share: Share  # demands outside any policy or power (residual unsolvable)

    @model_validator(mode="after")
    def _rate_matches_scope(self) -> KindSpec:
        if self.scope == "individual" and self.need_rate_per_cell_year > 0:
            raise ValueError("an individual kind uses need_rate_per_person_year, not per cell")
        if self.scope == "shared" and self.need_rate_per_person_year > 0:
            raise ValueError("a shared kind uses need_rate_per_cell_year, not per person")
        if (
            self.route == Route.department or self.needs_department_prob > 0
        ) and not self.department:
            raise ValueError("a kind that may need a department must name its department")
        if self.outside_policy_share > 1.0 - self.solve_prob:
            raise ValueError("outside_policy_share must not exceed 1 - solve_prob")
        return self


class OfficeHours(Frozen):
    open_h: Annotated[float, Field(ge=0.0, le=24.0)]
    close_h: Annotated[float, Field(ge=0.0, le=24.0)]
    days_per_week: Literal[5, 6, 7]

    @model_validator(mode="after")
    def _order(self) -> OfficeHours:
        if self.close_h <= self.open_h:
            raise ValueError(f"close_h ({self.close_h}) must be after open_h ({self.open_h})")
        return self


class HandlerSpec(Frozen):
    """A kind of local handler pool; capacity = staff × (1 − admin_time_share), fractional.

    The unit is a street office, a community, a family service centre (one per street
    office), or a managed cell (property managers, village collectives).
    """

    staff_per_unit: Annotated[float, Field(ge=0.0, le=10_000.0)]
    admin_time_share: Share
    office_hours: OfficeHours
    contact_lag_h: Hours
    solve_rate_multiplier: Annotated[float, Field(ge=0.0, le=2.0)]
    travel_speed_kmh: Annotated[float, Field(gt=0.0, le=200.0)]
    wage_yuan_per_staff_day: Yuan
    payer: Payer


class DepartmentSpec(Frozen):
    staff: Annotated[int, Field(ge=1, le=100_000)]
    baseline_load_share: Annotated[float, Field(ge=0.0, lt=1.0)]
    background_service_h: PositiveHours
    office_hours: OfficeHours
    contact_lag_h: Hours
    travel_speed_kmh: Annotated[float, Field(gt=0.0, le=200.0)]
    wage_yuan_per_staff_day: Yuan
    payer: Payer


class GridSpec(Frozen):
    households_per_grid: Annotated[float, Field(ge=10.0, le=100_000.0)]
    hours_per_day: Annotated[float, Field(gt=0.0, le=24.0)]
    patrol_time_share: Share
    home_visit_time_share: Share
    admin_time_share: Share
    hours_per_home_visit: PositiveHours
    wage_yuan_per_staff_day: Yuan
    payer: Payer

    @model_validator(mode="after")
    def _split(self) -> GridSpec:
        check_time_split(self.patrol_time_share, self.home_visit_time_share, self.admin_time_share)
        return self


class VolunteerSpec(Frozen):
    base_volunteer_prob: Share
    trust_effect: Weight
    honour_effect: Weight
    crowding_shape: Literal["none", "dip", "monotone"]
    crowd_out_share: Share
    crowd_scale_yuan_per_h: Annotated[float, Field(gt=0.0, le=1000.0)]
    pay_response_share: Share
    pay_half_yuan_per_h: Annotated[float, Field(gt=0.0, le=1000.0)]
    min_wage_yuan_per_h: Annotated[float, Field(gt=0.0, le=1000.0)]
    labour_supply_share: Share
    labour_supply_exponent: Annotated[float, Field(ge=0.5, le=10.0)]
    hours_per_week_employed: Annotated[float, Field(ge=0.0, le=60.0)]
    hours_per_week_not_employed: Annotated[float, Field(ge=0.0, le=60.0)]
    patrol_time_share: Share
    admin_relief_share: Share
    patrol_effectiveness_share: Share
    informant_neighbours: Annotated[float, Field(ge=0.0, le=500.0)]
    informant_pass_on_rate_per_day: Rate
    mediation_settle_prob: Share
    community_staff_day_h: PositiveHours


class DispatchSpec(Frozen):
    hotline_report_rate_per_day: Rate
    community_report_rate_per_day: Rate
    social_org_report_rate_per_day: Rate
    shared_reporters_exponent: Annotated[float, Field(ge=0.0, le=1.0)]
    relay_delay_h: Hours
    community_referral_delay_h: Hours
    misroute_prob: Share
    return_delay_h: Hours
    coordination_delay_h: Hours
    department_refusal_prob: Share
    consent_block_prob: Share
    verification_fail_prob: Share
    rework_work_share: Share
    callback_rework_limit: Annotated[int, Field(ge=0, le=2)]  # 退回重办 after a "no" callback
    repeat_call_prob: Share
    frequent_caller_share: Share  # 高频来电人 among people
    frequent_caller_call_multiplier: Annotated[float, Field(ge=1.0, le=100.0)]
    duplicate_call_rate_per_day: Rate
    consultation_rate_per_person_year: Annotated[float, Field(ge=0.0, le=100.0)]
    service_time_log_sd: Annotated[float, Field(ge=0.0, le=3.0)]
    urgent_contact_deadline_h: Hours
    contact_rota_days_per_week: Literal[5, 6, 7]
    failure_learning_exponent: Annotated[float, Field(ge=0.0, le=2.0)]  # failures ∝ experience^−b
    experience_half_life_days: Annotated[float, Field(gt=0.0, le=36_500.0)]  # knowledge halves


class BehaviourSpec(Frozen):
    enabled: bool
    satisfaction_learning_share: Share
    trust_learning_share: Share
    expectation_learning_share: Share
    neighbour_expectation_share: Share
    initial_expectation_deadline_ratio: Annotated[float, Field(gt=0.0, le=10.0)]
    case_intercept: Weight
    performance_weight: Weight
    disconfirmation_weight: Weight
    procedural_weight: Weight
    explanation_weight: Weight
    explanation_prob: Share
    explained_accept_prob: Share  # of explained unsolved cases, the caller answers "resolved"
    promised_expectation_ratio: Annotated[float, Field(gt=0.0, le=10.0)]  # publicity's promise
    publicity_expectation_share: Share  # daily pull per unit of publicity p, over 365
    unmet_need_case_share: Share
    trust_report_effect: Weight
    publicity_rate_per_year: Annotated[float, Field(ge=0.0, le=10.0)]  # Bass p
    word_of_mouth_rate_per_year: Annotated[float, Field(ge=0.0, le=10.0)]  # Bass q
    awareness_decay_rate_per_year: Annotated[float, Field(ge=0.0, le=12.0)]  # forgetting
    report_enforcement_risk_prob: Share
    self_resolve_cost_yuan: Yuan


class CostSpec(Frozen):
    social_org_contract_yuan_per_year: Yuan
    social_org_contract_payer: Payer
    volunteer_stipend_payer: Payer
    shadow_yuan_per_member_h: Yuan  # shadow price of a party member's required hour


class CityScenario(Frozen):
    name: str
    type: Literal["city"]
    city: CitySpec
    population: PopulationSpec
    categories: dict[str, Category]
    kinds: dict[str, KindSpec]
    street_office: HandlerSpec
    community: HandlerSpec
    social_org: HandlerSpec
    property_manager: HandlerSpec
    village_collective: HandlerSpec
    departments: dict[str, DepartmentSpec]
    grid: GridSpec
    volunteers: VolunteerSpec
    dispatch: DispatchSpec
    behaviour: BehaviourSpec
    costs: CostSpec
    surge_ceiling: Annotated[float, Field(ge=1.0, le=20.0)]

    @model_validator(mode="after")
    def _references(self) -> CityScenario:
        for name, kind in self.kinds.items():
            if kind.category not in self.categories:
                raise ValueError(
                    f"kinds.{name}.category = {kind.category!r}: "
                    f"must be one of {sorted(self.categories)}"
                )
            if kind.department and kind.department not in self.departments:
                raise ValueError(
                    f"kinds.{name}.department = {kind.department!r}: "
                    f"must be one of {sorted(self.departments)}"
                )
        if not self.kinds:
            raise ValueError("kinds: at least one kind of problem is needed")
        return self


class TextbookScenario(Frozen):
    """M/M/c: the model with every social feature off (see ODD.md, 'textbook queue')."""

    name: str
    type: Literal["textbook_queue"]
    arrival_rate_per_h: Annotated[float, Field(gt=0.0, le=10_000.0)]
    service_rate_per_h: Annotated[float, Field(gt=0.0, le=10_000.0)]
    servers: Annotated[int, Field(ge=1, le=10_000)]

    @model_validator(mode="after")
    def _stable(self) -> TextbookScenario:
        load = self.arrival_rate_per_h / (self.service_rate_per_h * self.servers)
        if load >= 1.0:
            raise ValueError(
                f"utilisation arrival_rate_per_h / (service_rate_per_h * servers) = {load:.3f}: "
                "must be below 1 for a steady state"
            )
        return self


class SimSpec(Frozen):
    days: Annotated[int, Field(ge=1, le=36_500)]
    progress: bool
    # days run under baseline before day 0, unreported, whose people the run starts from
    burn_in_days: Annotated[int, Field(ge=0, le=36_500)] = 0
