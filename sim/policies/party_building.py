"""党建引领 / 双报到 party_building: in-service party members register with their residential
communities and give required hours (not moved by stipends); units in the area lend staff; the
street party committee's coordinating authority shortens coordination.

Mechanisms: `volunteers.party_member_share` = `member_share` and
`volunteers.party_hours_per_member_month` = `hours_per_member_month` (their hours patrol and
relieve community workers like volunteers'); `staff.unit_staff_per_community` =
`unit_staff_per_community` (unpaid by government); `referral.coordination_delay_h` and
`dispatch.return_delay_h` × (1 − `coordination_cut_share`) (after `direct_dispatch` set the
latter). No calendar hook, no cost entry (their hours are unpaid: members' hours and lent
staff are shadow-priced in the summary, `shadow_cost_yuan`), no intensity.
"""

from __future__ import annotations

from dataclasses import replace
from typing import Annotated

from pydantic import Field

from sim.config.scenario import CityScenario
from sim.config.types import Frozen, Share
from sim.mechanisms import Mechanisms
from sim.policies.base import LeverNote, Policy


class PartyBuildingLevers(Frozen):
    member_share: Share
    hours_per_member_month: Annotated[float, Field(ge=0.0, le=200.0)]
    unit_staff_per_community: Annotated[float, Field(ge=0.0, le=1000.0)]
    coordination_cut_share: Share


def change(mech: Mechanisms, levers: PartyBuildingLevers, scenario: CityScenario) -> Mechanisms:
    kept = 1.0 - levers.coordination_cut_share
    volunteers = replace(
        mech.volunteers,
        party_member_share=levers.member_share,
        party_hours_per_member_month=levers.hours_per_member_month,
    )
    return replace(
        mech,
        volunteers=volunteers,
        staff=replace(mech.staff, unit_staff_per_community=levers.unit_staff_per_community),
        referral=replace(
            mech.referral, coordination_delay_h=mech.referral.coordination_delay_h * kept
        ),
        dispatch=replace(mech.dispatch, return_delay_h=mech.dispatch.return_delay_h * kept),
    )


NOTES = {  # what each lever does to which mechanism (en, zh) and its Chinese name
    "member_share": LeverNote(
        "报到党员比例",
        "Share of employed adults who are in-service party members registering with their communit"
        "y (双报到)",
        "在职党员占就业成年人的比例, 到居住地社区报到 (双报到)",
    ),
    "hours_per_member_month": LeverNote(
        "党员每月服务时长",
        "Required hours per member a month: they patrol and relieve community workers like"
        " volunteers; shadow-priced",
        "党员每月须服务时长: 像志愿者一样巡防、为社区工作者分担事务; 按影子价格计",
    ),
    "unit_staff_per_community": LeverNote(
        "驻区单位派驻人员",
        "Staff lent to each community by units in the area (驻区单位), adding casework; unpaid by"
        " government, shadow-priced",
        "驻区单位派到每个社区的人员, 增加办件力量; 政府不付工资, 按影子价格计",
    ),
    "coordination_cut_share": LeverNote(
        "协调时间缩短比例",
        "Cut in the delay before a department takes an ordinary referral and in the delay of"
        " returned orders",
        "党建统筹下部门接办普通转办事项的协调时间和退单重派时间的缩短比例",
    ),
}


POLICY = Policy(
    name="party_building",
    levers=PartyBuildingLevers,
    title_zh="党建引领·双报到",
    mechanism_en="party members give hours; unit staff; faster coordination",
    mechanism_zh="党员双报到服务、驻区单位资源、协调更快",
    costs_en="none (unpaid hours)",
    costs_zh="无 (无偿时长)",
    change=change,
    lever_notes=NOTES,
)
