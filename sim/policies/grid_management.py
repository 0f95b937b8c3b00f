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
from sim.policies.base import Hook, Intensity, Policy
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
        arrival = np.full(n, 24.0 * day + 9.0)
        dispatch.enqueue_staff_time(district, pools, arrival, np.full(n, levers.trivial_report_h))
    district.programmes.quota_reports_total += n


def scale(levers: GridManagementLevers, yuan_per_year: float, scenario: CityScenario) -> dict:
    pop, grid = scenario.population, scenario.grid
    households = pop.people / pop.people_per_household
    base_workers = households / grid.households_per_grid
    extra_workers = yuan_per_year / (grid.wage_yuan_per_staff_day * 365)
    return {"households_per_grid": households / (base_workers + extra_workers)}


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
)
