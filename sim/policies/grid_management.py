"""网格化管理 grid_management: more grid workers (fewer households per grid) who patrol and
visit homes, their time split, and optionally assessment by report counts.

Mechanisms: the `grid` part's `households_per_grid` and three time shares become the
levers' (more grid workers, more discovery), with `report_quota_per_month` and
`trivial_report_h` (filing quota reports takes grid workers' patrol time). It applies before
every other policy (`change_order=-1`), because it sets the time split outright that
`responsibility_sinking` and `burden_reduction` then shift.
Calendar hook, start of day (order 60), when the quota is above 0: grid workers × quota / 30
trivial reports a day (rounded, spread evenly over communities) arrive at 09:00 at the
community pools as staff-time jobs of `trivial_report_h` (`sim.stages.dispatch.enqueue_staff_time`);
reads `district.coverage.grid_workers`, adds to `district.programmes.quota_reports_total`.
Cost entries: none of its own; its grid workers are booked as wages by the standing
`grid_workers` entry (`sim.costs`).
Budget intensity: `households_per_grid`, so that the extra grid workers' wages over the
scenario's are its share of the budget.
"""

from __future__ import annotations

from dataclasses import replace
from typing import Annotated

import numpy as np
from pydantic import Field, model_validator

from sim.clock import DAYS_PER_MONTH
from sim.config.scenario import CityScenario
from sim.config.types import Frozen, Hours, Share, check_time_split
from sim.mechanisms import Mechanisms
from sim.policies.base import Hook, Intensity, LeverNote, Policy
from sim.stages import dispatch


class GridManagementLevers(Frozen):
    households_per_grid: Annotated[float, Field(ge=10.0, le=100_000.0)]
    patrol_time_share: Share
    home_visit_time_share: Share
    admin_time_share: Share
    report_quota_per_month: Annotated[int, Field(ge=0, le=1000)]
    trivial_report_h: Hours

    @model_validator(mode="after")
    def _split(self) -> GridManagementLevers:
        check_time_split(self.patrol_time_share, self.home_visit_time_share, self.admin_time_share)
        return self


def change(mech: Mechanisms, levers: GridManagementLevers, scenario: CityScenario) -> Mechanisms:
    grid = replace(
        mech.grid,
        households_per_grid=levers.households_per_grid,
        patrol_time_share=levers.patrol_time_share,
        home_visit_time_share=levers.home_visit_time_share,
        admin_time_share=levers.admin_time_share,
        report_quota_per_month=levers.report_quota_per_month,
        trivial_report_h=levers.trivial_report_h,
    )
    return replace(mech, grid=grid)


def trivial_reports(district, levers: GridManagementLevers, day: int) -> None:
    """Assessment by report counts: grid workers file trivial reports to meet a quota."""
    if levers.report_quota_per_month == 0:
        return
    h = district.world.handlers
    per_day = district.coverage.grid_workers * levers.report_quota_per_month / DAYS_PER_MONTH
    n_communities = len(h.community_pool)
    counts = np.full(n_communities, per_day / n_communities)
    whole = np.floor(counts).astype(int)
    rest = round(per_day) - int(whole.sum())
    whole[: max(rest, 0)] += 1  # deterministic apportionment
    pools = np.repeat(h.community_pool, whole)
    n = len(pools)
    if n:
        arrival = np.full(n, 24.0 * district.day + 9.0)  # the district's clock
        dispatch.enqueue_staff_time(district, pools, arrival, np.full(n, levers.trivial_report_h))
    district.programmes.quota_reports_total += n


def scale(levers: GridManagementLevers, yuan_per_year: float, scenario: CityScenario) -> dict:
    pop, grid = scenario.population, scenario.grid
    households = pop.people / pop.people_per_household
    base_workers = households / grid.households_per_grid
    extra_workers = yuan_per_year / (grid.wage_yuan_per_staff_day * 365)
    return {"households_per_grid": households / (base_workers + extra_workers)}


NOTES = {  # what each lever does to which mechanism (en, zh) and its Chinese name
    "households_per_grid": LeverNote(
        "每网格户数",
        "Households per grid worker; fewer means more grid workers, more patrol and home visits,"
        " higher wages",
        "每名网格员负责的户数; 越少则网格员越多, 巡查入户越多, 工资越高",
    ),
    "patrol_time_share": LeverNote(
        "巡查时间比例",
        "Share of a grid worker's day on patrol, which finds visible public-space problems (the"
        " three shares sum to 1)",
        "网格员巡查时间比例, 发现公共空间的可见问题 (三项比例之和为1)",
    ),
    "home_visit_time_share": LeverNote(
        "入户走访比例",
        "Share of the day on home visits, which find private needs such as elderly care early",
        "网格员入户走访时间比例, 及早发现养老等家庭需求",
    ),
    "admin_time_share": LeverNote(
        "网格员行政比例",
        "Share of the day on forms and other admin; it finds nothing",
        "网格员填报等行政事务时间比例, 不发现问题",
    ),
    "report_quota_per_month": LeverNote(
        "每月报件指标",
        "Assessment by counts (default 0): trivial reports each grid worker files a month,"
        " costing patrol and community time",
        "按数量考核 (默认0): 网格员每月须上报的凑数事项, 占用巡查时间与社区人员时间",
    ),
    "trivial_report_h": LeverNote(
        "每条凑数上报工时",
        "Hours each trivial report takes, from the grid worker's patrol and again from community"
        " staff",
        "每条凑数上报的工时, 既占网格员巡查时间, 也占社区人员时间",
    ),
}


POLICY = Policy(
    name="grid_management",
    levers=GridManagementLevers,
    title_zh="网格化管理",
    mechanism_en="more grid workers who patrol and visit homes",
    mechanism_zh="增加网格员, 巡查与入户",
    costs_en="wages",
    costs_zh="工资",
    change=change,
    change_order=-1,
    start_of_day=Hook(order=60, run=trivial_reports),
    intensity=Intensity(levers=("households_per_grid",), scale=scale),
    lever_notes=NOTES,
)
