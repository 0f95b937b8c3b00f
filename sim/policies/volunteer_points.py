"""积分制 / 时间银行 volunteer_points: points per volunteer hour, redeemable for goods and
services. The material part acts like pay (crowding), the rest like honour.

Mechanisms: `volunteers.stipend_yuan_per_h` + `points_value_yuan_per_h` × `material_share`;
`volunteers.honour_share` + (1 − `material_share`) × 0.5 (at most 1);
`volunteers.paid_yuan_per_h` + the full `points_value_yuan_per_h`. No calendar hook.
Cost entries: none of its own: the standing `volunteer_hours` entry (`sim.costs`) books every
volunteer hour at `volunteers.paid_yuan_per_h`.
Budget intensity: `points_value_yuan_per_h` = its share / volunteer hours planned at base
volunteering.
"""

from __future__ import annotations

from dataclasses import replace
from typing import Annotated

from pydantic import Field

from sim.config.scenario import CityScenario
from sim.config.types import Frozen, Share
from sim.mechanisms import Mechanisms
from sim.policies.base import Intensity, LeverNote, Policy, planned_volunteer_hours_per_year


class VolunteerPointsLevers(Frozen):
    points_value_yuan_per_h: Annotated[float, Field(ge=0.0, le=1000.0)]
    material_share: Share


def change(mech: Mechanisms, levers: VolunteerPointsLevers, scenario: CityScenario) -> Mechanisms:
    value, material = levers.points_value_yuan_per_h, levers.material_share
    volunteers = replace(
        mech.volunteers,
        stipend_yuan_per_h=mech.volunteers.stipend_yuan_per_h + value * material,
        paid_yuan_per_h=mech.volunteers.paid_yuan_per_h + value,
        honour_share=min(1.0, mech.volunteers.honour_share + (1.0 - material) * 0.5),
    )
    return replace(mech, volunteers=volunteers)


def scale(levers: VolunteerPointsLevers, yuan_per_year: float, scenario: CityScenario) -> dict:
    return {"points_value_yuan_per_h": yuan_per_year / planned_volunteer_hours_per_year(scenario)}


NOTES = {  # what each lever does to which mechanism (en, zh) and its Chinese name
    "points_value_yuan_per_h": LeverNote(
        "每小时积分价值",
        "Value of the points earned per volunteer hour (积分制, 时间银行), paid in full from the b"
        "udget",
        "每志愿服务小时所得积分的价值 (积分制、时间银行), 全额计入支出",
    ),
    "material_share": LeverNote(
        "积分物质比例",
        "Share of the points' appeal that is material: felt as pay (can crowd out); the rest acts"
        " as honour",
        "积分吸引力中物质部分的比例: 视同报酬 (可能挤出动机), 其余视同荣誉",
    ),
}


POLICY = Policy(
    name="volunteer_points",
    levers=VolunteerPointsLevers,
    title_zh="积分制·时间银行",
    mechanism_en="points per hour, partly material, partly honour",
    mechanism_zh="积分兑换, 部分物质部分荣誉",
    costs_en="stipends",
    costs_zh="补贴",
    change=change,
    intensity=Intensity(levers=("points_value_yuan_per_h",), scale=scale),
    lever_notes=NOTES,
)
