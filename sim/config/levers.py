"""The levers of each policy: a frozen schema with ranges and units in names."""

from __future__ import annotations

from typing import Annotated, Literal

from pydantic import Field, model_validator

from sim.config.types import Days, Frozen, Hours, PositiveHours, Rate, Share, Weight10, Yuan


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
