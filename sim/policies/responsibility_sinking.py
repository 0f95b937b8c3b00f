"""责任下沉 responsibility_sinking: tasks and territorial duties pushed down to streets and
communities without staff or powers (繁重任务与有限权力).

Mechanisms: `staff.community_admin_time_share` + `extra_admin_time_share` (at most 0.95); grid
workers' patrol share × (1 − extra), the difference going to admin (applied after
`grid_management` has set the split); kinds in `street_first_kinds` are routed to the street
office first (`dispatch.street_first_kinds`), each with `extra_assessment_h` more work. No
calendar hook, no cost entry (the burden falls on staff time), no intensity.
"""

from __future__ import annotations

from dataclasses import replace

from sim.config.scenario import CityScenario
from sim.config.types import Frozen, Hours, Share
from sim.mechanisms import Mechanisms
from sim.policies.base import Policy


class ResponsibilitySinkingLevers(Frozen):
    extra_admin_time_share: Share
    street_first_kinds: list[str]
    extra_assessment_h: Hours


def change(
    mech: Mechanisms, levers: ResponsibilitySinkingLevers, scenario: CityScenario
) -> Mechanisms:
    extra = levers.extra_admin_time_share
    staff = replace(
        mech.staff,
        community_admin_time_share=min(0.95, mech.staff.community_admin_time_share + extra),
    )
    grid = replace(
        mech.grid,
        admin_time_share=mech.grid.admin_time_share + extra * mech.grid.patrol_time_share,
        patrol_time_share=mech.grid.patrol_time_share * (1.0 - extra),
    )
    dispatch = replace(
        mech.dispatch,
        street_first_kinds=tuple(levers.street_first_kinds),
        extra_assessment_h=levers.extra_assessment_h,
    )
    return replace(mech, staff=staff, grid=grid, dispatch=dispatch)


POLICY = Policy(
    name="responsibility_sinking",
    levers=ResponsibilitySinkingLevers,
    title_zh="责任下沉",
    mechanism_en="tasks and first responsibility pushed down without staff or powers",
    mechanism_zh="任务与首责下压, 无人无权",
    costs_en="none (burden on staff)",
    costs_zh="无 (人员负担)",
    change=change,
    kind_levers=("street_first_kinds",),
)
