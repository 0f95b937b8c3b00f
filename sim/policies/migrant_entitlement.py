"""基本公共服务均等化 (权益) migrant_entitlement: school places and housing for migrants. A
migrant's entitlement case that the 户籍 barrier would block is solved only while a slot is
free (the engine gives slots in order of closing, each once).

Mechanisms: none changed. Calendar hook, start of day (order 10), on days 0, 365, 730, …:
the slot pools (`district.programmes.entitlement_slots[1]` school, `[2]` housing) are set to
`school_places_per_year` and `housing_slots_per_year`.
Cost entry (order 140): `school_places` and `housing_slots`, entitlements, district: slots
used today (`district.programmes.entitlements_used_today`) × `yuan_per_school_place` or
`yuan_per_housing_slot`.
Budget intensity: the two slot counts, half of its share each, at the levers' prices.
"""

from __future__ import annotations

from typing import Annotated

from pydantic import Field

from sim.clock import DAYS_PER_YEAR
from sim.config.scenario import CityScenario
from sim.config.types import Frozen, Yuan
from sim.policies.base import CostEntry, Hook, Intensity, LeverNote, Policy


class MigrantEntitlementLevers(Frozen):
    school_places_per_year: Annotated[int, Field(ge=0, le=10_000_000)]
    housing_slots_per_year: Annotated[int, Field(ge=0, le=10_000_000)]
    yuan_per_school_place: Yuan
    yuan_per_housing_slot: Yuan


def refill_slots(district, levers: MigrantEntitlementLevers, day: int) -> None:
    if day % DAYS_PER_YEAR == 0:
        district.programmes.entitlement_slots[1] = levers.school_places_per_year
        district.programmes.entitlement_slots[2] = levers.housing_slots_per_year


def book_slots(ledger, district, levers: MigrantEntitlementLevers) -> None:
    used = district.programmes.entitlements_used_today
    ledger.book("entitlements", "district", "school_places", used[1], levers.yuan_per_school_place)
    ledger.book("entitlements", "district", "housing_slots", used[2], levers.yuan_per_housing_slot)


def scale(levers: MigrantEntitlementLevers, yuan_per_year: float, scenario: CityScenario) -> dict:
    """Half the budget buys school places, half housing slots, at their prices; a slot
    priced at 0 costs nothing, so a budget cannot set how many there are (left as set)."""
    prices = {
        "school_places_per_year": levers.yuan_per_school_place,
        "housing_slots_per_year": levers.yuan_per_housing_slot,
    }
    return {key: round(yuan_per_year / 2 / price) for key, price in prices.items() if price > 0}


NOTES = {  # what each lever does to which mechanism (en, zh) and its Chinese name
    "school_places_per_year": LeverNote(
        "每年学位名额",
        "School places a year for migrants' schooling cases the 户籍 barrier would block (入学入托"
        ")",
        "每年为受户籍限制的流动人口子女入学入托诉求提供的学位",
    ),
    "housing_slots_per_year": LeverNote(
        "每年住房名额",
        "Housing slots a year for migrants' housing cases the 户籍 barrier would block",
        "每年为受户籍限制的流动人口住房诉求提供的名额",
    ),
    "yuan_per_school_place": LeverNote(
        "每个学位成本",
        "Cost booked per school place used; a budget buys places at this price",
        "每使用一个学位计入的成本; 预算按此价格购买学位",
    ),
    "yuan_per_housing_slot": LeverNote(
        "每个住房名额成本",
        "Cost booked per housing slot used; a budget buys slots at this price",
        "每使用一个住房名额计入的成本; 预算按此价格购买名额",
    ),
}


POLICY = Policy(
    name="migrant_entitlement",
    levers=MigrantEntitlementLevers,
    title_zh="基本公共服务均等化",
    mechanism_en="school places and housing for migrants, up to slots",
    mechanism_zh="为流动人口提供学位与住房, 以名额为限",
    costs_en="entitlements",
    costs_zh="公共服务名额",
    start_of_day=Hook(order=10, run=refill_slots),
    costs=(CostEntry(order=140, book=book_slots),),
    intensity=Intensity(levers=("school_places_per_year", "housing_slots_per_year"), scale=scale),
    lever_notes=NOTES,
)
