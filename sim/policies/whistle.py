"""街乡吹哨、部门报到 whistle: for problems beyond its authority the street office summons the
department, which must report (turn up) within a deadline.

Mechanisms: `referral.whistle` on, with the levers' `report_deadline_h`,
`street_evaluates_departments`, `whistle_staff_h` and `max_whistles_per_month`. In the
engine a whistled referral cannot be declined, waits at most the deadline, gets queue
priority, and queues `whistle_staff_h` of street staff time.
Calendar hook, start of day (order 20), on days 0, 30, 60, …: each street office's whistle
count (`district.programmes.whistles_this_month`) resets. No cost entry of its own (street
staff time), no intensity.
"""

from __future__ import annotations

from dataclasses import replace
from typing import Annotated

from pydantic import Field

from sim.clock import DAYS_PER_MONTH
from sim.config.scenario import CityScenario
from sim.config.types import Frozen, Hours, PositiveHours
from sim.mechanisms import Mechanisms
from sim.policies.base import Hook, LeverNote, Policy


class WhistleLevers(Frozen):
    report_deadline_h: PositiveHours
    street_evaluates_departments: bool
    whistle_staff_h: Hours
    max_whistles_per_month: Annotated[int, Field(ge=0, le=100_000)]


def change(mech: Mechanisms, levers: WhistleLevers, scenario: CityScenario) -> Mechanisms:
    referral = replace(
        mech.referral,
        whistle=True,
        report_deadline_h=levers.report_deadline_h,
        street_evaluates_departments=levers.street_evaluates_departments,
        whistle_staff_h=levers.whistle_staff_h,
        max_whistles_per_month=levers.max_whistles_per_month,
    )
    return replace(mech, referral=referral)


def reset_month(district, levers: WhistleLevers, day: int) -> None:
    if day % DAYS_PER_MONTH == 0:
        district.programmes.whistles_this_month[:] = 0


NOTES = {  # what each lever does to which mechanism (en, zh) and its Chinese name
    "report_deadline_h": LeverNote(
        "部门报到时限",
        "Hours within which a whistled department must turn up; a whistled case cannot be declined",
        "街道吹哨后职能部门必须报到的时限; 吹哨事项部门不得推诿",
    ),
    "street_evaluates_departments": LeverNote(
        "街道考评部门",
        "Street offices rate the departments: whistled cases go first in the department's queue,"
        " else second",
        "街道评价部门报到情况: 吹哨事项在部门排最前, 否则排第二",
    ),
    "whistle_staff_h": LeverNote(
        "每次吹哨工时",
        "Street-office staff hours each whistle takes from its casework",
        "每次吹哨占用街道人员的办件工时",
    ),
    "max_whistles_per_month": LeverNote(
        "每月吹哨上限",
        "Whistles a street office may blow a month; referrals beyond it go the ordinary way,"
        " slower and declinable",
        "每个街道每月可吹哨次数; 超出的转办按普通协调, 更慢且可被推诿",
    ),
}


POLICY = Policy(
    name="whistle",
    levers=WhistleLevers,
    title_zh="街乡吹哨、部门报到",
    mechanism_en="streets summon departments, which must turn up within a deadline",
    mechanism_zh="街道吹哨, 部门限时报到",
    costs_en="street staff time",
    costs_zh="街道人员时间",
    change=change,
    start_of_day=Hook(order=20, run=reset_month),
    lever_notes=NOTES,
)
