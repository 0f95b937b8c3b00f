"""The parameter schema: what a scenario, a policy mix and a run may say, with ranges.

Config enters once, as a composed Hydra/OmegaConf tree, and is validated here into frozen
pydantic models. Inside the model everything trusts `Params`. A user mistake becomes a
`ConfigError` whose message has one line per problem: the key, the value, the allowed range.
The YAML files under `scenarios/` are the single source of default values; this module
holds only types and ranges.
"""

from __future__ import annotations

from collections.abc import Mapping
from enum import StrEnum
from typing import Annotated, Any, Literal

from pydantic import BaseModel, ConfigDict, Field, ValidationError, model_validator

from sim.catalogue import POLICY_NAMES, mix_name

Share = Annotated[float, Field(ge=0.0, le=1.0)]
Hours = Annotated[float, Field(ge=0.0, le=24.0 * 365)]
PositiveHours = Annotated[float, Field(gt=0.0, le=24.0 * 365)]
Rate = Annotated[float, Field(ge=0.0, le=1000.0)]
Yuan = Annotated[float, Field(ge=0.0, le=1e9)]
Weight = Annotated[float, Field(ge=-20.0, le=20.0)]
Multiplier = Annotated[float, Field(ge=0.0, le=50.0)]


class ConfigError(ValueError):
    """A user mistake in configuration: the message is meant to be printed as is."""


class Frozen(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


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
    self_resolve_rate_per_day: Rate
    lapse_rate_per_day: Rate
    mean_service_h: PositiveHours
    solve_prob: Share

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
    """A kind of local handler pool; servers = round(staff * (1 - admin_time_share)).

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
        total = self.patrol_time_share + self.home_visit_time_share + self.admin_time_share
        if abs(total - 1.0) > 1e-6:
            raise ValueError(f"grid worker time shares sum to {total:.4f}, must sum to 1")
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
    hours_per_week_employed: Annotated[float, Field(ge=0.0, le=60.0)]
    hours_per_week_not_employed: Annotated[float, Field(ge=0.0, le=60.0)]
    patrol_time_share: Share
    admin_relief_share: Share
    patrol_effectiveness_share: Share


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
    repeat_call_prob: Share
    duplicate_call_rate_per_day: Rate
    consultation_rate_per_person_year: Annotated[float, Field(ge=0.0, le=100.0)]


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
    unmet_need_case_share: Share
    trust_report_effect: Weight
    report_enforcement_risk_prob: Share
    self_resolve_cost_yuan: Yuan


class CostSpec(Frozen):
    social_org_contract_yuan_per_year: Yuan
    social_org_contract_payer: Payer
    volunteer_stipend_payer: Payer


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


class ShockTiming(Frozen):
    start_day: Annotated[int, Field(ge=0, le=36_500)]
    duration_days: Annotated[int, Field(ge=1, le=36_500)]


class EpidemicShock(ShockTiming):
    """A surge of some needs, staff out sick, grid time taken over, volunteers mobilised."""

    need_multiplier: Annotated[float, Field(ge=0.0, le=20.0)]
    kinds: list[str]
    staff_out_share: Share
    grid_takeover_share: Share
    volunteer_mobilisation_multiplier: Annotated[float, Field(ge=0.0, le=20.0)]


class FloodShock(ShockTiming):
    """Spatially concentrated hazards: infrastructure kinds surge near the flood's centre."""

    need_multiplier: Annotated[float, Field(ge=0.0, le=20.0)]
    kinds: list[str]
    centre_x_share: Share
    centre_y_share: Share
    radius_cells: Annotated[float, Field(gt=0.0, le=1000.0)]
    department_load_multiplier: Annotated[float, Field(ge=0.0, le=20.0)]


class ArrivalWaveShock(ShockTiming):
    """New migrants move into urban villages (reserve places) over the wave."""

    arrivals_per_person: Annotated[float, Field(ge=0.0, le=5.0)]


class ShockMix(Frozen):
    epidemic: EpidemicShock | None = None
    flood: FloodShock | None = None
    arrival_wave: ArrivalWaveShock | None = None


class SimSpec(Frozen):
    days: Annotated[int, Field(ge=1, le=36_500)]
    progress: bool


Weight10 = Annotated[float, Field(ge=0.0, le=10.0)]
Days = Annotated[int, Field(ge=1, le=36_500)]


class HotlineMergePolicy(Frozen):
    """一号受理: 40+ lines merged into 12345: fewer misroutes, more people know the number."""

    misroute_prob: Share
    awareness_gain_share: Share
    operating_yuan_per_year: Yuan


class DirectDispatchPolicy(Frozen):
    """直派街道, 首接负责: orders go straight to street offices; the first receiver keeps them."""

    dispatch_delay_h: Hours
    return_delay_h: Hours


class KaohePolicy(Frozen):
    """考核排名: monthly ranking of street offices on the three rates of their hotline orders."""

    response_weight: Weight10  # relative weights, normalised in use
    resolution_weight: Weight10
    satisfaction_weight: Weight10
    rating_lift_share: Share
    exemption_share: Share
    persuasion_contact_h: Hours

    @model_validator(mode="after")
    def _some_weight(self) -> KaohePolicy:
        if self.response_weight + self.resolution_weight + self.satisfaction_weight <= 0:
            raise ValueError("the three rate weights must not all be 0")
        return self


class WhistlePolicy(Frozen):
    """街乡吹哨、部门报到: the street summons a department, which must report within a deadline."""

    report_deadline_h: PositiveHours
    street_evaluates_departments: bool
    whistle_staff_h: Hours
    max_whistles_per_month: Annotated[int, Field(ge=0, le=100_000)]


class ResponsibilitySinkingPolicy(Frozen):
    """责任下沉 without resources: more tasks and first responsibility, no staff or powers."""

    extra_admin_time_share: Share
    street_first_kinds: list[str]
    extra_assessment_h: Hours


class BurdenReductionPolicy(Frozen):
    """减负: fewer ledgers, inspections and campaigns for community and grid workers."""

    admin_time_cut_share: Share


class VolunteerHonourPolicy(Frozen):
    """荣誉激励: recognition, titles, ceremonies; little crowding out."""

    honour_share: Share
    operating_yuan_per_volunteer_year: Yuan


class VolunteerPointsPolicy(Frozen):
    """积分制 / 时间银行: points per hour, redeemable for goods and services (partly material)."""

    points_value_yuan_per_h: Annotated[float, Field(ge=0.0, le=1000.0)]
    material_share: Share


class ProactiveGovernancePolicy(Frozen):
    """主动治理 / 未诉先办 / 每月一题: root-cause fixes for last month's biggest clusters."""

    fixes_per_month: Annotated[int, Field(ge=0, le=10_000)]
    rate_cut_share: Share
    effect_days: Days
    capital_yuan_per_fix: Yuan


class MigrantEntitlementPolicy(Frozen):
    """基本公共服务均等化 (entitlements): school places and housing for migrants, up to slots."""

    school_places_per_year: Annotated[int, Field(ge=0, le=10_000_000)]
    housing_slots_per_year: Annotated[int, Field(ge=0, le=10_000_000)]
    yuan_per_school_place: Yuan
    yuan_per_housing_slot: Yuan


class DeliberationPolicy(Frozen):
    """议事厅 / 协商议事 (the 116 method): consent problems go to residents' meetings."""

    meeting_interval_days: Annotated[int, Field(ge=1, le=365)]
    cases_per_meeting: Annotated[int, Field(ge=1, le=1000)]
    attendees_per_meeting: Annotated[int, Field(ge=1, le=10_000)]
    hours_per_meeting: PositiveHours
    base_success_prob: Share
    participation_effect: Annotated[float, Field(ge=0.0, le=100.0)]
    participant_trust_gain_share: Share
    migrants_take_part: bool


class PartyBuildingPolicy(Frozen):
    """党建引领 / 双报到: party members give required hours; unit resources; coordination."""

    member_share: Share
    hours_per_member_month: Annotated[float, Field(ge=0.0, le=200.0)]
    unit_staff_per_community: Annotated[float, Field(ge=0.0, le=1000.0)]
    coordination_cut_share: Share


class SmartPlatformPolicy(Frozen):
    """一网统管 / 城市大脑: better routing, automatic detection, data entry, privacy exposure."""

    routing_gain_share: Share
    detection_rate_per_day: Rate
    data_entry_h_per_case: Hours
    elderly_access_loss_share: Share
    migrant_access_loss_share: Share
    capital_yuan: Yuan
    life_years: Annotated[float, Field(gt=0.0, le=100.0)]
    operating_yuan_per_year: Yuan
    privacy_trust_loss_per_year: Annotated[float, Field(ge=0.0, le=10.0)]


class PurchaseServicesPolicy(Frozen):
    """政府购买服务 / 三社联动: contracts raise social organizations' capacity."""

    contract_yuan_per_year: Yuan
    yuan_per_social_worker_year: Annotated[float, Field(gt=0.0, le=1e7)]
    contract_days: Days
    ramp_up_days: Annotated[int, Field(ge=0, le=3650)]
    max_social_workers: Annotated[int, Field(ge=0, le=1_000_000)]
    borrowed_staff_share: Share
    payment: Literal["output", "outcome"]
    outcome_solve_gain_share: Share
    hotline_dispatch: bool


class ResourceSinkingPolicy(Frozen):
    """资源下沉: staff, powers and funds moved from departments to streets and communities."""

    staff_moved_share: Share
    community_staff_share: Share
    powers_moved_kinds: list[str]
    authority_share: Share
    funds_moved_yuan_per_year: Yuan


class GridManagementPolicy(Frozen):
    """网格化管理: more grid workers, their time split, optional report quotas."""

    households_per_grid: Annotated[float, Field(ge=10.0, le=100_000.0)]
    patrol_time_share: Share
    home_visit_time_share: Share
    admin_time_share: Share
    report_quota_per_month: Annotated[int, Field(ge=0, le=1000)]
    trivial_report_h: Hours

    @model_validator(mode="after")
    def _split(self) -> GridManagementPolicy:
        total = self.patrol_time_share + self.home_visit_time_share + self.admin_time_share
        if abs(total - 1.0) > 1e-6:
            raise ValueError(f"grid worker time shares sum to {total:.4f}, must sum to 1")
        return self


class MigrantInclusionPolicy(Frozen):
    hotline_access_share: Share
    community_access_share: Share
    social_org_access_share: Share
    outreach_staff_per_street_office: Annotated[float, Field(ge=0.0, le=1000.0)]


class VolunteerPayPolicy(Frozen):
    volunteer_stipend_yuan_per_h: Annotated[float, Field(ge=0.0, le=1000.0)]


class BaselinePolicy(Frozen):
    pass


class PolicyMix(Frozen):
    """The policies in force; each is absent (None) or its levers."""

    baseline: BaselinePolicy | None = None
    hotline_merge: HotlineMergePolicy | None = None
    direct_dispatch: DirectDispatchPolicy | None = None
    kaohe: KaohePolicy | None = None
    whistle: WhistlePolicy | None = None
    resource_sinking: ResourceSinkingPolicy | None = None
    responsibility_sinking: ResponsibilitySinkingPolicy | None = None
    grid_management: GridManagementPolicy | None = None
    volunteer_pay: VolunteerPayPolicy | None = None
    volunteer_honour: VolunteerHonourPolicy | None = None
    volunteer_points: VolunteerPointsPolicy | None = None
    purchase_services: PurchaseServicesPolicy | None = None
    smart_platform: SmartPlatformPolicy | None = None
    migrant_inclusion: MigrantInclusionPolicy | None = None
    migrant_entitlement: MigrantEntitlementPolicy | None = None
    deliberation: DeliberationPolicy | None = None
    party_building: PartyBuildingPolicy | None = None
    proactive_governance: ProactiveGovernancePolicy | None = None
    burden_reduction: BurdenReductionPolicy | None = None

    @property
    def names(self) -> list[str]:
        return [name for name in POLICY_NAMES if getattr(self, name) is not None]


assert tuple(PolicyMix.model_fields) == POLICY_NAMES


class Params(Frozen):
    """Everything a run needs, validated."""

    seed: Annotated[int, Field(ge=0, le=2**63 - 1)]
    resume: bool = False
    budget_yuan_per_year: Annotated[float, Field(gt=0.0, le=1e11)] | None = None
    lang: Literal["en", "zh"] = "en"
    sim: SimSpec
    scenario: Annotated[CityScenario | TextbookScenario, Field(discriminator="type")]
    policies: PolicyMix
    shocks: ShockMix = ShockMix()

    @model_validator(mode="after")
    def _combinations(self) -> Params:
        names = self.policies.names
        if "baseline" in names and len(names) > 1:
            raise ValueError(
                f"policy 'baseline' means no reform and cannot be combined with {names[1:]}"
            )
        if isinstance(self.scenario, TextbookScenario) and set(names) - {"baseline"}:
            raise ValueError("scenario 'textbook_queue' has no city: use policy=baseline")
        if isinstance(self.scenario, TextbookScenario) and self.shocks != ShockMix():
            raise ValueError("scenario 'textbook_queue' has no city: it takes no shock")
        if isinstance(self.scenario, CityScenario):
            for name in ("epidemic", "flood"):
                shock = getattr(self.shocks, name)
                if shock is None:
                    continue
                for kind in shock.kinds:
                    if kind not in self.scenario.kinds:
                        raise ValueError(
                            f"shocks.{name}.kinds: {kind!r} is not a kind; "
                            f"kinds are {', '.join(self.scenario.kinds)}"
                        )
                if shock.need_multiplier > self.scenario.surge_ceiling:
                    raise ValueError(
                        f"shocks.{name}.need_multiplier = {shock.need_multiplier}: must be <= "
                        f"scenario.surge_ceiling ({self.scenario.surge_ceiling})"
                    )
            lists = (
                ("resource_sinking", "powers_moved_kinds"),
                ("responsibility_sinking", "street_first_kinds"),
            )
            for policy, field in lists:
                levers = getattr(self.policies, policy)
                for kind in getattr(levers, field, []):
                    if kind not in self.scenario.kinds:
                        raise ValueError(
                            f"policies.{policy}.{field}: {kind!r} is not a kind; "
                            f"kinds are {', '.join(self.scenario.kinds)}"
                        )
        return self

    @property
    def policy_mix(self) -> str:
        """The policy mix as one string: bundles, then policies in catalogue order, '+'-joined."""
        return mix_name(self.policies.names)


def _format_error(error: dict[str, Any]) -> str:
    loc = [str(part) for part in error["loc"]]
    if loc[:1] == ["scenario"] and loc[1:2] in (["city"], ["textbook_queue"]):
        del loc[1]  # pydantic puts the union tag in the path; the user never wrote it
    key = ".".join(loc)
    message = error["msg"].removeprefix("Value error, ")
    if not key:
        return message
    if error["type"] == "extra_forbidden":
        return f"{key}: unknown key (not in the schema; check the spelling)"
    if error["type"] == "missing":
        return f"{key}: missing (required)"
    value = error.get("input")
    ctx = error.get("ctx") or {}
    bounds = []
    for name, symbol in (("ge", ">="), ("gt", ">"), ("le", "<="), ("lt", "<")):
        if name in ctx:
            bounds.append(f"{symbol} {ctx[name]}")
    if bounds:
        return f"{key} = {value!r}: must be {' and '.join(bounds)}"
    if isinstance(value, Mapping | list):
        return f"{key}: {message}"
    return f"{key} = {value!r}: {message}"


def validate(tree: Mapping[str, Any]) -> Params:
    """Validate a plain config tree (after OmegaConf resolution) into `Params`."""
    policies = tree.get("policies") or {}
    unknown = [name for name in policies if name not in POLICY_NAMES]
    if unknown:
        raise ConfigError(
            f"unknown policy {unknown[0]!r}: valid policies are {', '.join(POLICY_NAMES)}"
        )
    tree = {**tree, "policies": {name: value or {} for name, value in policies.items()}}
    try:
        return Params.model_validate(tree)
    except ValidationError as exc:
        lines = sorted({_format_error(e) for e in exc.errors()})
        raise ConfigError("invalid configuration:\n  " + "\n  ".join(lines)) from None
