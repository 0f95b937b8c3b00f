"""责任下沉 responsibility_sinking: tasks, accountability and inspections pushed down to streets
and communities without staff or powers (繁重任务与有限权力).

Mechanisms: street and community staff lose `extra_admin_time_share` of their casework time
to paperwork, inspections and assessment (admin share a → a + extra × (1 − a), so casework
time × (1 − extra), for `staff.street_admin_time_share` and
`staff.community_admin_time_share`); grid workers' patrol share × (1 − extra), the difference
going to admin (applied after `grid_management` has set the split); for each known case of a
kind in `accountable_kinds` the street office answers for it: its staff spend
`extra_assessment_h` on inspection and ledgers (`dispatch.accountable_kinds`), while whoever
fixes it (物业, village collective, department) does not change. No calendar hook, no cost
entry (the burden falls on staff time), no intensity.
"""

from __future__ import annotations

from dataclasses import replace
from typing import Annotated

from pydantic import Field

from sim.config.scenario import CityScenario
from sim.config.types import Frozen, Hours
from sim.mechanisms import Mechanisms
from sim.policies.base import LeverNote, Policy


class ResponsibilitySinkingLevers(Frozen):
    # at most half of the casework time left goes to paperwork (assumption: beyond that a
    # street office or community no longer does casework at all, which no reform intends)
    extra_admin_time_share: Annotated[float, Field(ge=0.0, le=0.5)]
    accountable_kinds: list[str]
    extra_assessment_h: Hours


def change(
    mech: Mechanisms, levers: ResponsibilitySinkingLevers, scenario: CityScenario
) -> Mechanisms:
    extra = levers.extra_admin_time_share
    staff = replace(
        mech.staff,
        community_admin_time_share=_heavier(mech.staff.community_admin_time_share, extra),
        street_admin_time_share=_heavier(mech.staff.street_admin_time_share, extra),
    )
    grid = replace(
        mech.grid,
        admin_time_share=mech.grid.admin_time_share + extra * mech.grid.patrol_time_share,
        patrol_time_share=mech.grid.patrol_time_share * (1.0 - extra),
    )
    dispatch = replace(
        mech.dispatch,
        accountable_kinds=tuple(levers.accountable_kinds),
        extra_assessment_h=levers.extra_assessment_h,
    )
    return replace(mech, staff=staff, grid=grid, dispatch=dispatch)


def _heavier(admin_time_share: float, extra: float) -> float:
    """Paperwork takes `extra` of the casework time that is left."""
    return admin_time_share + extra * (1.0 - admin_time_share)


NOTES = {  # what each lever does to which mechanism (en, zh) and its Chinese name
    "extra_admin_time_share": LeverNote(
        "新增行政负担比例",
        "Share of street and community casework time (and grid patrol time) lost to paperwork,"
        " inspections and assessment",
        "街道社区办件时间 (及网格员巡查时间) 被填表、检查、考核占去的比例",
    ),
    "accountable_kinds": LeverNote(
        "属地责任事项",
        "Kinds the street now answers for (属地责任): it inspects each case and keeps its ledger;"
        " who fixes it is unchanged",
        "街道承担属地责任的事项: 逐件检查、建台账; 物业等实际处置方不变",
    ),
    "extra_assessment_h": LeverNote(
        "每件检查台账工时",
        "Street-office staff hours per known case of those kinds for inspection and ledgers,"
        " taken ahead of casework",
        "每件属地责任事项占用街道人员检查、建台账的工时, 先于办件",
    ),
}


POLICY = Policy(
    name="responsibility_sinking",
    levers=ResponsibilitySinkingLevers,
    title_zh="责任下沉",
    mechanism_en="tasks, accountability and inspections pushed down without staff or powers",
    mechanism_zh="任务、问责与检查下压, 无人无权",
    costs_en="none (burden on staff)",
    costs_zh="无 (人员负担)",
    change=change,
    kind_levers=("accountable_kinds",),
    lever_notes=NOTES,
)
