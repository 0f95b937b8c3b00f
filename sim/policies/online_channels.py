"""网络渠道 online_channels: 12345 takes demands through an app, a WeChat mini-program and a
website beside the phone line (Beijing 2020: 9.3 % of intake online, 90.7 % by phone).

Mechanisms: the operating money (the platform, online agents who answer in text) buys a
share f = y / (y + `half_effect_yuan_per_person_year`) of the full effect, y being
`operating_yuan_per_year` per person. A written channel open at any hour reaches people the
phone line does not (shift work, dialect, a call that cannot wait on hold): each group's
hotline access share a (`access.channel_share[group]["hotline"]`) rises to
a + f × `reach_share` × (1 − a), so migrants, with the lower a, gain most. The phone line
stays, so nobody loses access (unlike `smart_platform`, whose channels replace it). The
elderly get only `elderly_reach_share` of that gain (the digital divide): the elderly loss
`access.elderly_hotline_loss_share` L becomes L' with a'(1 − L') = a(1 − L) + f ×
`reach_share` × `elderly_reach_share` × (1 − a), exact for residents' a (most elderly are
residents; the loss is one share for both groups, so elderly migrants get most of their
group's gain). It composes with the loss `smart_platform` set, so it runs after it.
Awareness of 12345 is not changed: the channels carry the same number's demands. Every
channel's contacts are calls (ODD §8).
Cost entry (order 150): `online_channels`, operating, city: `operating_yuan_per_year` / 365 a
day. Budget intensity: `operating_yuan_per_year` = its share of the budget.
"""

from __future__ import annotations

from dataclasses import replace
from typing import Annotated

from pydantic import Field

from sim.config.scenario import CityScenario
from sim.config.types import Frozen, Share, Yuan
from sim.mechanisms import Mechanisms
from sim.policies.base import (
    CostEntry,
    Intensity,
    LeverNote,
    Policy,
    all_to_operating,
    city_operating,
    funded_share,
)


class OnlineChannelsLevers(Frozen):
    reach_share: Share  # of those the phone line does not reach, reached online when funded
    elderly_reach_share: Share  # the part of that reach the elderly get
    operating_yuan_per_year: Yuan
    half_effect_yuan_per_person_year: Annotated[float, Field(gt=0.0, le=1e5)]


def change(mech: Mechanisms, levers: OnlineChannelsLevers, scenario: CityScenario) -> Mechanisms:
    yuan_per_person_year = levers.operating_yuan_per_year / scenario.population.people
    funded = funded_share(yuan_per_person_year, levers.half_effect_yuan_per_person_year)
    reach = funded * levers.reach_share
    channel_share = {group: dict(shares) for group, shares in mech.access.channel_share.items()}
    residents_before = channel_share["resident"]["hotline"]
    for shares in channel_share.values():
        shares["hotline"] += reach * (1.0 - shares["hotline"])
    residents_after = channel_share["resident"]["hotline"]
    elderly_before = residents_before * (1.0 - mech.access.elderly_hotline_loss_share)
    elderly_after = elderly_before + reach * levers.elderly_reach_share * (1.0 - residents_before)
    loss = 1.0 - elderly_after / residents_after if residents_after > 0 else 0.0
    access = replace(mech.access, channel_share=channel_share, elderly_hotline_loss_share=loss)
    return replace(mech, access=access)


NOTES = {  # what each lever does to which mechanism (en, zh) and its Chinese name
    "reach_share": LeverNote(
        "网络渠道覆盖",
        "Of those the phone line misses, the share app, WeChat and website reach when fully funded",
        "电话渠道覆盖不到的人中, 资金充足时网络渠道 (App、微信、网站) 能覆盖的比例;"
        " 各群体热线可及性提高 该比例 × (1 − 原可及性)",
    ),
    "elderly_reach_share": LeverNote(
        "老年人网络可及比例",
        "The part of that gain the elderly get (the digital divide)",
        "老年人能得到的网络渠道增益比例 (数字鸿沟)",
    ),
    "operating_yuan_per_year": LeverNote(
        "网络渠道运营经费",
        "Yuan a year for the platform and online agents; buys a share f of the full reach",
        "平台与网络坐席的年运营经费; 购买全部覆盖效果的比例 f",
    ),
    "half_effect_yuan_per_person_year": LeverNote(
        "半效果人均经费",
        "Yuan per person a year that buys half the full reach",
        "达到一半覆盖效果所需的人均年经费",
    ),
}


POLICY = Policy(
    name="online_channels",
    levers=OnlineChannelsLevers,
    title_zh="网络渠道(网上受理)",
    mechanism_en="app, WeChat, website beside the phone: hotline access for those it missed",
    mechanism_zh="App、微信、网站与电话并行: 提高电话覆盖不到人群的热线可及性",
    costs_en="operating",
    costs_zh="运营",
    change=change,
    costs=(CostEntry(order=150, book=city_operating("online_channels")),),
    intensity=Intensity(levers=("operating_yuan_per_year",), scale=all_to_operating),
    lever_notes=NOTES,
)
