"""一号受理 hotline_merge: 40+ department lines merged into 12345.

Mechanisms: the operating money (seats, operators' training and knowledge base, publicity of
the one number) buys a share f = y / (y + `half_effect_yuan_per_person_year`) of the full
effect, y being `operating_yuan_per_year` per person: `dispatch.misroute_prob` moves from the
scenario's towards the lever's `misroute_prob` (one desk that knows where each order goes)
by f; both groups' hotline access × (1 + f × `awareness_gain_share`), at most 1 (one number
everyone knows). No calendar hook.
Cost entry (order 100): `hotline_seats`, operating, city: `operating_yuan_per_year` / 365 a
day. Budget intensity: `operating_yuan_per_year` = its share of the budget.
"""

from __future__ import annotations

from dataclasses import replace
from typing import Annotated

from pydantic import Field

from sim.clock import DAYS_PER_YEAR
from sim.config.scenario import CityScenario
from sim.config.types import Frozen, Share, Yuan
from sim.mechanisms import Mechanisms
from sim.policies.base import CostEntry, Intensity, Policy, funded_share


class HotlineMergeLevers(Frozen):
    misroute_prob: Share  # returned orders once the merged desk is fully funded
    awareness_gain_share: Share  # relative rise in hotline access, fully funded
    operating_yuan_per_year: Yuan
    half_effect_yuan_per_person_year: Annotated[float, Field(gt=0.0, le=1e5)]


def change(mech: Mechanisms, levers: HotlineMergeLevers, scenario: CityScenario) -> Mechanisms:
    per_person = levers.operating_yuan_per_year / scenario.population.people
    funded = funded_share(per_person, levers.half_effect_yuan_per_person_year)
    misroute = mech.dispatch.misroute_prob
    misroute += (levers.misroute_prob - misroute) * funded
    gain = 1.0 + levers.awareness_gain_share * funded
    channel_share = {
        group: {**shares, "hotline": min(1.0, shares["hotline"] * gain)}
        for group, shares in mech.access.channel_share.items()
    }
    return replace(
        mech,
        access=replace(mech.access, channel_share=channel_share),
        dispatch=replace(mech.dispatch, misroute_prob=misroute),
    )


def book_seats(ledger, district, levers: HotlineMergeLevers) -> None:
    per_day = levers.operating_yuan_per_year / DAYS_PER_YEAR
    ledger.book("operating", "city", "hotline_seats", 1.0, per_day)


def scale(levers: HotlineMergeLevers, yuan_per_year: float, scenario: CityScenario) -> dict:
    return {"operating_yuan_per_year": yuan_per_year}


POLICY = Policy(
    name="hotline_merge",
    levers=HotlineMergeLevers,
    title_zh="一号受理",
    mechanism_en="40+ lines merged: fewer returned orders, more people know the number",
    mechanism_zh="40多条热线合并: 退单减少, 知晓率提高",
    costs_en="operating",
    costs_zh="运营",
    change=change,
    costs=(CostEntry(order=100, book=book_seats),),
    intensity=Intensity(levers=("operating_yuan_per_year",), scale=scale),
)
