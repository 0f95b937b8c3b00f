"""减负 burden_reduction: fewer ledgers, inspections and campaigns for community and grid
workers.

Mechanisms: `staff.community_admin_time_share` × (1 − `admin_time_cut_share`); that share of
grid workers' admin time moves to patrol (applied after `grid_management` and
`responsibility_sinking` have set the split). No calendar hook, no cost entry, no intensity.
"""

from __future__ import annotations

from dataclasses import replace

from sim.config.scenario import CityScenario
from sim.config.types import Frozen, Share
from sim.mechanisms import Mechanisms
from sim.policies.base import LeverNote, Policy


class BurdenReductionLevers(Frozen):
    admin_time_cut_share: Share


def change(mech: Mechanisms, levers: BurdenReductionLevers, scenario: CityScenario) -> Mechanisms:
    cut = levers.admin_time_cut_share
    staff = replace(
        mech.staff, community_admin_time_share=mech.staff.community_admin_time_share * (1.0 - cut)
    )
    freed = mech.grid.admin_time_share * cut
    grid = replace(
        mech.grid,
        admin_time_share=mech.grid.admin_time_share - freed,
        patrol_time_share=mech.grid.patrol_time_share + freed,  # freed grid time goes to patrol
    )
    return replace(mech, staff=staff, grid=grid)


NOTES = {  # what each lever does to which mechanism (en, zh) and its Chinese name
    "admin_time_cut_share": LeverNote(
        "减负比例",
        "Share of community and grid workers' admin time cut (ledgers, campaigns): more casework,"
        " grid time to patrol",
        "社区工作者和网格员行政事务 (台账、专项活动) 的削减比例: 社区多办件, 网格员多巡查",
    ),
}


POLICY = Policy(
    name="burden_reduction",
    levers=BurdenReductionLevers,
    title_zh="减负",
    mechanism_en="less admin time for community and grid workers",
    mechanism_zh="减少社区与网格员的行政事务",
    costs_en="none",
    costs_zh="无",
    change=change,
    lever_notes=NOTES,
)
