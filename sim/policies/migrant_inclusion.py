"""流动人口融合 (渠道) migrant_inclusion: outreach, evening hours and language support raise
migrants' access to reporting channels.

Mechanisms: outreach staff reach migrants (door-to-door visits, evening desks, language
help): `outreach_staff_per_street_office` × street offices × `migrants_reached_per_staff_day`
a day, while migrants leave at their departure rate μ and newcomers arrive unreached, so the
share reached settles at c = v / (v + μ N) (v reached a day, N migrants the land use houses;
taken at that steady state). Migrants' access share of each channel
(`access.channel_share["migrant"]`) moves from the scenario's towards the lever's
(`hotline_access_share`, `community_access_share`, `social_org_access_share`) by c, never
down. Each visit tells the household of 12345 and the community desk: the visits, v × 365 / N
a migrant a year, feed migrants' exposure to the hotline as publicity does
(`access.migrant_visit_rate_per_year`, `sim.stages.awareness`), so the money buys awareness
too, not only a floor of access. The outreach staff add no service capacity. No calendar hook.
Cost entry (order 50): `outreach_staff`, wages, street-office payer:
`outreach_staff_per_street_office` × street offices × street-office wage a day.
Budget intensity: `outreach_staff_per_street_office`, so that their wages are its share.
"""

from __future__ import annotations

from dataclasses import replace
from typing import Annotated

from pydantic import Field

from sim.clock import DAYS_PER_YEAR
from sim.config.scenario import CityScenario
from sim.config.types import Frozen, Share
from sim.mechanisms import CHANNELS, Mechanisms
from sim.policies.base import CostEntry, Intensity, LeverNote, Policy, planned_migrants


class MigrantInclusionLevers(Frozen):
    hotline_access_share: Share
    community_access_share: Share
    social_org_access_share: Share
    outreach_staff_per_street_office: Annotated[float, Field(ge=0.0, le=1000.0)]
    migrants_reached_per_staff_day: Annotated[float, Field(ge=0.0, le=1000.0)]


def _visits_per_day(levers: MigrantInclusionLevers, scenario: CityScenario) -> float:
    return (
        levers.outreach_staff_per_street_office
        * scenario.city.street_offices
        * levers.migrants_reached_per_staff_day
    )


def visits_per_migrant_year(levers: MigrantInclusionLevers, scenario: CityScenario) -> float:
    """Outreach visits a year per migrant the land use houses: v × 365 / N."""
    migrants = planned_migrants(scenario)
    return _visits_per_day(levers, scenario) * DAYS_PER_YEAR / migrants if migrants else 0.0


def reached_share(levers: MigrantInclusionLevers, scenario: CityScenario) -> float:
    """Steady share of migrants the outreach has reached: v / (v + μ N)."""
    reached_per_day = _visits_per_day(levers, scenario)
    leaving_per_day = (
        scenario.population.migrant.departure_rate_per_year / DAYS_PER_YEAR
    ) * planned_migrants(scenario)
    total = reached_per_day + leaving_per_day
    return reached_per_day / total if total > 0 else 0.0


def change(mech: Mechanisms, levers: MigrantInclusionLevers, scenario: CityScenario) -> Mechanisms:
    reached = reached_share(levers, scenario)
    channel_share = {group: dict(shares) for group, shares in mech.access.channel_share.items()}
    migrant = channel_share["migrant"]
    for channel in CHANNELS:
        floor = getattr(levers, f"{channel}_access_share")
        migrant[channel] += max(0.0, floor - migrant[channel]) * reached
    visits = mech.access.migrant_visit_rate_per_year + visits_per_migrant_year(levers, scenario)
    access = replace(mech.access, channel_share=channel_share, migrant_visit_rate_per_year=visits)
    return replace(mech, access=access)


def book_outreach(ledger, district, levers: MigrantInclusionLevers) -> None:
    street = district.scenario.street_office
    outreach = levers.outreach_staff_per_street_office * len(district.world.handlers.street_pool)
    ledger.book(
        "wages", street.payer.value, "outreach_staff", outreach, street.wage_yuan_per_staff_day
    )


def scale(levers: MigrantInclusionLevers, yuan_per_year: float, scenario: CityScenario) -> dict:
    streets = scenario.city.street_offices
    wages = scenario.street_office.wage_yuan_per_staff_day * DAYS_PER_YEAR * streets
    return {"outreach_staff_per_street_office": yuan_per_year / wages}


NOTES = {  # what each lever does to which mechanism (en, zh) and its Chinese name
    "hotline_access_share": LeverNote(
        "流动人口热线可及目标",
        "Migrants' hotline access once reached by outreach (raised towards this, never lowered)",
        "外展覆盖后流动人口使用12345的可及性目标 (只升不降)",
    ),
    "community_access_share": LeverNote(
        "社区渠道可及目标",
        "Reached migrants' access to the community (居委会) as a channel",
        "外展覆盖后流动人口向社区居委会反映问题的可及性目标",
    ),
    "social_org_access_share": LeverNote(
        "社会组织渠道可及目标",
        "Reached migrants' access to social organisations (family service centres) as a channel",
        "外展覆盖后流动人口向社会组织 (家综) 求助的可及性目标",
    ),
    "outreach_staff_per_street_office": LeverNote(
        "每街道外展人员",
        "Street-office staff doing outreach (visits, evening desks, language help): they tell"
        " migrants of 12345; no casework",
        "每个街道从事外展 (入户、夜间窗口、语言帮助) 的人员; 告知12345等渠道, 只做外展, 不办件",
    ),
    "migrants_reached_per_staff_day": LeverNote(
        "每人每天外展人数",
        "Migrants one outreach worker visits a day (each learns of 12345); with migrant turnover"
        " it sets the share reached",
        "每名外展人员每天覆盖的流动人口数; 与人口流动一起决定覆盖比例, 每次走访都宣传12345",
    ),
}


POLICY = Policy(
    name="migrant_inclusion",
    levers=MigrantInclusionLevers,
    title_zh="流动人口融合(渠道)",
    mechanism_en="outreach, evening hours, language: migrants reach channels, learn of 12345",
    mechanism_zh="外展、延时服务、语言支持: 提高流动人口渠道可及, 知晓12345",
    costs_en="wages",
    costs_zh="工资",
    change=change,
    costs=(CostEntry(order=50, book=book_outreach),),
    intensity=Intensity(levers=("outreach_staff_per_street_office",), scale=scale),
    lever_notes=NOTES,
)
