"""荣誉激励 volunteer_honour: titles, ceremonies and public recognition; crowds out little
(honour is not pay). More volunteers patrol, bring neighbours' private needs to the community
(信息员) and mediate disputes (调解员).

Mechanisms: the money per volunteer (badges, ceremonies, publicity of the honoured) buys a
share f = y / (y + `half_effect_yuan_per_volunteer_year`) of the scheme's full strength:
`volunteers.honour_share` = at least f × `honour_share` (raises volunteering without crowding
out). No calendar hook.
Cost entry (order 90): `volunteer_honours`, operating, street: active volunteers ×
`operating_yuan_per_volunteer_year` / 365 a day.
Budget intensity: `operating_yuan_per_volunteer_year` = its share / volunteers planned at base
volunteering.
"""

from __future__ import annotations

from dataclasses import replace
from typing import Annotated

from pydantic import Field

from sim.clock import DAYS_PER_YEAR
from sim.config.scenario import CityScenario
from sim.config.types import Frozen, Share, Yuan
from sim.mechanisms import Mechanisms
from sim.policies.base import (
    CostEntry,
    Intensity,
    LeverNote,
    Policy,
    funded_share,
    planned_volunteers,
)


class VolunteerHonourLevers(Frozen):
    honour_share: Share  # strength of the fully funded scheme
    operating_yuan_per_volunteer_year: Yuan
    half_effect_yuan_per_volunteer_year: Annotated[float, Field(gt=0.0, le=1e5)]


def change(mech: Mechanisms, levers: VolunteerHonourLevers, scenario: CityScenario) -> Mechanisms:
    funded = funded_share(
        levers.operating_yuan_per_volunteer_year, levers.half_effect_yuan_per_volunteer_year
    )
    honour = max(mech.volunteers.honour_share, funded * levers.honour_share)
    return replace(mech, volunteers=replace(mech.volunteers, honour_share=honour))


def book_honours(ledger, district, levers: VolunteerHonourLevers) -> None:
    volunteers = int(district.world.population.volunteer.sum())
    yearly = levers.operating_yuan_per_volunteer_year
    ledger.book(
        "operating", "street", "volunteer_honours", volunteers, yearly / DAYS_PER_YEAR,
        volunteers * yearly / DAYS_PER_YEAR,
    )  # fmt: skip


def scale(levers: VolunteerHonourLevers, yuan_per_year: float, scenario: CityScenario) -> dict:
    return {"operating_yuan_per_volunteer_year": yuan_per_year / planned_volunteers(scenario)}


NOTES = {  # what each lever does to which mechanism (en, zh) and its Chinese name
    "honour_share": LeverNote(
        "荣誉激励强度",
        "Strength of the fully funded honour scheme (titles, ceremonies); raises volunteering"
        " without crowding out",
        "经费充足时荣誉激励 (称号、表彰) 的强度; 提升志愿参与, 不挤出动机",
    ),
    "operating_yuan_per_volunteer_year": LeverNote(
        "志愿者人均荣誉经费",
        "Yearly yuan per active volunteer for badges, ceremonies and publicity; buys a share"
        " y/(y+half) of the strength",
        "每名志愿者每年的徽章、表彰、宣传经费; 按 y/(y+半效) 买到激励强度; 预算按此调整",
    ),
    "half_effect_yuan_per_volunteer_year": LeverNote(
        "半效人均经费",
        "Yuan per volunteer a year that buys half the scheme's full strength",
        "每名志愿者每年多少元可达到一半激励强度",
    ),
}


POLICY = Policy(
    name="volunteer_honour",
    levers=VolunteerHonourLevers,
    title_zh="志愿服务荣誉激励",
    mechanism_en="titles and recognition raise volunteering with little crowding out; "
    "volunteers patrol, inform (信息员) and mediate (调解员)",
    mechanism_zh="荣誉表彰提升志愿参与, 挤出小; 志愿者巡防、当信息员、调解纠纷",
    costs_en="operating",
    costs_zh="运营",
    change=change,
    costs=(CostEntry(order=90, book=book_honours),),
    intensity=Intensity(levers=("operating_yuan_per_volunteer_year",), scale=scale),
    lever_notes=NOTES,
)
