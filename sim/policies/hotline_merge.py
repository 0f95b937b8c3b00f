"""一号受理 hotline_merge: 40+ department lines merged into 12345.

Mechanisms: the operating money (seats, operators' training and knowledge base, publicity of
the one number) buys a share f = y / (y + `half_effect_yuan_per_person_year`) of the full
effect, y being `operating_yuan_per_year` per person: `dispatch.misroute_prob` moves from the
scenario's towards the lever's `misroute_prob` (one desk that knows where each order goes)
by f; and its publicity campaigns add f × `publicity_rate_per_year` to the awareness
diffusion's publicity (`sim.stages.awareness`), so more people hear of 12345 and keep it in
mind. One well-known number acts through that awareness only: the channel's access share
(phone, language, 户籍 barriers) is not raised a second time.
Calendar hook, start of day (order 5), when `merge_months` > 0: the lines join 12345 one
batch a month (Beijing merged 64 lines between 2019 and 2021), so in the m-th month of the
policy a share min(1, m / `merge_months`) of the merge is done: those two values stand
that share of the way from the mix without `hotline_merge` to the mix with it
(`district.mech`; the month's share in `district.programmes.merged_share`).
Cost entry (order 100): `hotline_seats`, operating, city: `operating_yuan_per_year` / 365 a
day. Budget intensity: `operating_yuan_per_year` = its share of the budget.
"""

from __future__ import annotations

from dataclasses import replace
from typing import Annotated

from pydantic import Field

from sim.clock import DAYS_PER_MONTH
from sim.config.scenario import CityScenario
from sim.config.types import Frozen, Share, Yuan
from sim.mechanisms import Mechanisms
from sim.policies.base import (
    CostEntry,
    Hook,
    Intensity,
    LeverNote,
    Policy,
    all_to_operating,
    city_operating,
    funded_share,
)


class HotlineMergeLevers(Frozen):
    misroute_prob: Share  # returned orders once the merged desk is fully funded
    publicity_rate_per_year: Annotated[float, Field(ge=0.0, le=10.0)]  # added Bass p, funded
    operating_yuan_per_year: Yuan
    half_effect_yuan_per_person_year: Annotated[float, Field(gt=0.0, le=1e5)]
    merge_months: Annotated[int, Field(ge=0, le=600)]  # lines join 12345 over these months


def change(mech: Mechanisms, levers: HotlineMergeLevers, scenario: CityScenario) -> Mechanisms:
    per_person = levers.operating_yuan_per_year / scenario.population.people
    funded = funded_share(per_person, levers.half_effect_yuan_per_person_year)
    misroute = mech.dispatch.misroute_prob
    misroute += (levers.misroute_prob - misroute) * funded
    publicity = mech.access.publicity_rate_per_year + levers.publicity_rate_per_year * funded
    return replace(
        mech,
        access=replace(mech.access, publicity_rate_per_year=publicity),
        dispatch=replace(mech.dispatch, misroute_prob=misroute),
    )


def merge_lines(district, levers: HotlineMergeLevers, day: int) -> None:
    """One more batch of lines joins 12345 at the start of each month of the merge."""
    if levers.merge_months == 0:
        return
    programmes = district.programmes
    if programmes.merge_start_day is None:
        programmes.merge_start_day = day
    months = (day - programmes.merge_start_day) // DAYS_PER_MONTH + 1
    share = min(1.0, months / levers.merge_months)
    if district.mech is programmes.merged_mech and share == programmes.merged_share:
        return  # nothing joined today, and no change of policy rebuilt the mechanisms
    from sim.policies import mechanisms  # the registry imports this module

    policies = district.params.policies
    full = mechanisms(district.scenario, policies)
    if share < 1.0:
        without = mechanisms(district.scenario, policies.model_copy(update={"hotline_merge": None}))
        full = _part_merged(without, full, share)
    district.mech = full  # all merged: exactly the values of a merge on day 0
    programmes.merged_mech, programmes.merged_share = district.mech, share


def _part_merged(without: Mechanisms, full: Mechanisms, share: float) -> Mechanisms:
    """`full` with publicity and misrouting `share` of the way from `without`."""

    def part(before: float, after: float) -> float:
        return before + (after - before) * share

    publicity = part(without.access.publicity_rate_per_year, full.access.publicity_rate_per_year)
    misroute = part(without.dispatch.misroute_prob, full.dispatch.misroute_prob)
    return replace(
        full,
        access=replace(full.access, publicity_rate_per_year=publicity),
        dispatch=replace(full.dispatch, misroute_prob=misroute),
    )


NOTES = {  # what each lever does to which mechanism (en, zh) and its Chinese name
    "misroute_prob": LeverNote(
        "满额退单率",
        "Share of orders misrouted and returned (退单) once the merged desk is fully funded; the m"
        "oney moves the rate towards it",
        "一号受理经费充足时派错被退回的工单比例; 经费越足, 退单率越接近此值",
    ),
    "publicity_rate_per_year": LeverNote(
        "宣传知晓率",
        "Publicity of the one number, fully funded: added to the yearly hazard of hearing of 12345"
        " (awareness's p)",
        '经费充足时"一号通"宣传带来的知晓速率(每年), 加到知晓扩散的宣传项上; 经费按比例买到',
    ),
    "operating_yuan_per_year": LeverNote(
        "热线运营经费",
        "Yearly money for seats, operators, knowledge base and publicity; buys y/(y+half) of both"
        " effects; a budget sets it",
        "坐席、话务员、知识库与宣传的年经费; 按 y/(y+半效) 买到减少退单与宣传知晓两项效果;"
        " 预算按此调整",
    ),
    "merge_months": LeverNote(
        "合并用时",
        "Months over which the lines join 12345, a batch a month (0: all on day 0); publicity"
        " and misrouting follow",
        "各条热线逐月并入12345所用的月数 (0: 首日全部并入); 宣传与退单随之变化",
    ),
    "half_effect_yuan_per_person_year": LeverNote(
        "半效人均经费",
        "Operating yuan per resident a year that buys half the full effect; lower means the money"
        " works sooner",
        "每人每年多少元运营经费可达到一半满额效果; 越小, 经费见效越快",
    ),
}


POLICY = Policy(
    name="hotline_merge",
    levers=HotlineMergeLevers,
    title_zh="一号受理",
    mechanism_en="40+ lines merged: fewer returned orders; one publicised number more people know",
    mechanism_zh="40多条热线合并: 退单减少; 一个号码广为宣传, 更多人知道并拨打",
    costs_en="operating",
    costs_zh="运营",
    change=change,
    start_of_day=Hook(order=5, run=merge_lines),
    costs=(CostEntry(order=100, book=city_operating("hotline_seats")),),
    intensity=Intensity(levers=("operating_yuan_per_year",), scale=all_to_operating),
    lever_notes=NOTES,
)
