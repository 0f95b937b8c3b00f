"""志愿服务激励 (经济激励) volunteer_pay: an hourly stipend for volunteers. Small stipends can
crowd out intrinsic motivation (scenario.volunteers.crowding_shape); at or above the local
part-time minimum wage (`min_wage_yuan_per_h`) it is a job people take, and volunteering
rises above unpaid. More volunteers patrol, inform (信息员) and mediate (调解员).

Mechanisms: `volunteers.stipend_yuan_per_h` (felt as pay, crowding) and
`volunteers.paid_yuan_per_h` (what the budget pays per volunteer hour) each rise by
`volunteer_stipend_yuan_per_h`. No calendar hook.
Cost entries: none of its own: the standing `volunteer_hours` entry (`sim.costs`) books every
volunteer hour at `volunteers.paid_yuan_per_h`, so that with `volunteer_points` an hour is
priced once at the summed rate.
Budget intensity: `volunteer_stipend_yuan_per_h` = its share / volunteer hours planned at
base volunteering.
"""

from __future__ import annotations

from dataclasses import replace
from typing import Annotated

from pydantic import Field

from sim.config.scenario import CityScenario
from sim.config.types import Frozen
from sim.mechanisms import Mechanisms
from sim.policies.base import Intensity, LeverNote, Policy, planned_volunteer_hours_per_year


class VolunteerPayLevers(Frozen):
    volunteer_stipend_yuan_per_h: Annotated[float, Field(ge=0.0, le=1000.0)]


def change(mech: Mechanisms, levers: VolunteerPayLevers, scenario: CityScenario) -> Mechanisms:
    stipend = levers.volunteer_stipend_yuan_per_h
    volunteers = replace(
        mech.volunteers,
        stipend_yuan_per_h=mech.volunteers.stipend_yuan_per_h + stipend,
        paid_yuan_per_h=mech.volunteers.paid_yuan_per_h + stipend,
    )
    return replace(mech, volunteers=volunteers)


def scale(levers: VolunteerPayLevers, yuan_per_year: float, scenario: CityScenario) -> dict:
    return {
        "volunteer_stipend_yuan_per_h": yuan_per_year / planned_volunteer_hours_per_year(scenario)
    }


NOTES = {  # what each lever does to which mechanism (en, zh) and its Chinese name
    "volunteer_stipend_yuan_per_h": LeverNote(
        "志愿者每小时补贴",
        "Hourly stipend: small sums crowd out volunteering; pay at or above the part-time minimum"
        " wage lifts it above unpaid",
        "志愿者每小时补贴: 小额补贴挤出志愿动机, 达到非全日制最低工资时志愿者多于无偿",
    ),
}


POLICY = Policy(
    name="volunteer_pay",
    levers=VolunteerPayLevers,
    title_zh="志愿服务经济激励",
    mechanism_en="hourly stipend; small stipends crowd out volunteering, wage-level pay "
    "(≥ the part-time minimum wage) raises it above unpaid; volunteers patrol, inform and mediate",
    mechanism_zh="按小时补贴; 小额补贴挤出志愿动机, 达到非全日制最低工资的补贴使志愿者多于无偿; "
    "志愿者巡防、当信息员、调解纠纷",
    costs_en="stipends",
    costs_zh="补贴",
    change=change,
    intensity=Intensity(levers=("volunteer_stipend_yuan_per_h",), scale=scale),
    lever_notes=NOTES,
)
