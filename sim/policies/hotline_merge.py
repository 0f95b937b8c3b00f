"""一号受理 hotline_merge: 40+ department lines merged into 12345.

Mechanisms: `dispatch.misroute_prob` becomes the lever's (one desk that knows where each
order goes); both groups' hotline access × (1 + `awareness_gain_share`), at most 1 (one
number everyone knows). No calendar hook.
Cost entry (order 100): `hotline_seats`, operating, city: `operating_yuan_per_year` / 365 a
day. Budget intensity: `operating_yuan_per_year` = its share of the budget.
"""

from __future__ import annotations

from dataclasses import replace

from sim.clock import DAYS_PER_YEAR
from sim.config.scenario import CityScenario
from sim.config.types import Frozen, Share, Yuan
from sim.mechanisms import Mechanisms
from sim.policies.base import CostEntry, Intensity, Policy


class HotlineMergeLevers(Frozen):
    misroute_prob: Share
    awareness_gain_share: Share
    operating_yuan_per_year: Yuan


def change(mech: Mechanisms, levers: HotlineMergeLevers, scenario: CityScenario) -> Mechanisms:
    gain = 1.0 + levers.awareness_gain_share
    channel_share = {
        group: {**shares, "hotline": min(1.0, shares["hotline"] * gain)}
        for group, shares in mech.access.channel_share.items()
    }
    return replace(
        mech,
        access=replace(mech.access, channel_share=channel_share),
        dispatch=replace(mech.dispatch, misroute_prob=levers.misroute_prob),
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
