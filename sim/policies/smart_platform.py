"""一网统管 / 城市大脑 smart_platform: smarter routing, automatic detection of visible
public-space problems, data entry per case, lower app access for some, and a privacy exposure.

Mechanisms: the money buys a share of the full effects, f = y / (y +
`half_effect_yuan_per_person_year`) with y a budget line's yearly yuan per person: sensors and
cameras (capital ÷ life) buy detection, `grid.detection_rate_per_day` = f_capital ×
`detection_rate_per_day` for visible kinds; operation (algorithms, data staff) buys routing,
`dispatch.misroute_prob` × (1 − f_operating × `routing_gain_share`) (after `hotline_merge`);
`dispatch.data_entry_h_per_case` on every service; `access.elderly_hotline_loss_share` =
`elderly_access_loss_share`; migrants' hotline access × (1 − `migrant_access_loss_share`)
(before `migrant_inclusion`'s floor).
Calendar hook, start of day (order 70), when `privacy_trust_loss_per_year` > 0: every present
person's trust falls by it / 365 (floor 0); writes `district.world.population.trust`.
Cost entries: `platform_operation` (order 110), operating, city: `operating_yuan_per_year` /
365 a day; `platform_capital` (order 120), capital, city: `capital_yuan` / `life_years` / 365.
Budget intensity: `capital_yuan` and `operating_yuan_per_year`, scaled by one factor so that
their yearly sum is its share of the budget.
"""

from __future__ import annotations

from dataclasses import replace
from typing import Annotated

import numpy as np
from pydantic import Field

from sim.clock import DAYS_PER_YEAR
from sim.config.scenario import CityScenario
from sim.config.types import Frozen, Hours, Rate, Share, Yuan
from sim.mechanisms import Mechanisms
from sim.policies.base import (
    CostEntry,
    Hook,
    Intensity,
    LeverNote,
    Policy,
    city_operating,
    funded_share,
)


class SmartPlatformLevers(Frozen):
    routing_gain_share: Share  # fully funded
    detection_rate_per_day: Rate  # fully funded
    data_entry_h_per_case: Hours
    elderly_access_loss_share: Share
    migrant_access_loss_share: Share
    capital_yuan: Yuan
    life_years: Annotated[float, Field(gt=0.0, le=100.0)]
    operating_yuan_per_year: Yuan
    privacy_trust_loss_per_year: Annotated[float, Field(ge=0.0, le=10.0)]
    half_effect_yuan_per_person_year: Annotated[float, Field(gt=0.0, le=1e5)]


def change(mech: Mechanisms, levers: SmartPlatformLevers, scenario: CityScenario) -> Mechanisms:
    people = scenario.population.people
    half = levers.half_effect_yuan_per_person_year
    sensors = funded_share(levers.capital_yuan / levers.life_years / people, half)
    routing = funded_share(levers.operating_yuan_per_year / people, half)
    channel_share = {group: dict(shares) for group, shares in mech.access.channel_share.items()}
    channel_share["migrant"]["hotline"] *= 1.0 - levers.migrant_access_loss_share
    access = replace(
        mech.access,
        channel_share=channel_share,
        elderly_hotline_loss_share=levers.elderly_access_loss_share,
    )
    dispatch = replace(
        mech.dispatch,
        misroute_prob=mech.dispatch.misroute_prob * (1.0 - routing * levers.routing_gain_share),
        data_entry_h_per_case=levers.data_entry_h_per_case,
    )
    grid = replace(mech.grid, detection_rate_per_day=sensors * levers.detection_rate_per_day)
    return replace(mech, access=access, dispatch=dispatch, grid=grid)


def privacy_exposure(district, levers: SmartPlatformLevers, day: int) -> None:
    if levers.privacy_trust_loss_per_year > 0:
        pop = district.world.population
        pop.trust[pop.present] = np.maximum(
            0.0, pop.trust[pop.present] - levers.privacy_trust_loss_per_year / DAYS_PER_YEAR
        )


def book_capital(ledger, district, levers: SmartPlatformLevers) -> None:
    per_day = levers.capital_yuan / levers.life_years / DAYS_PER_YEAR
    ledger.book("capital", "city", "platform_capital", 1.0, per_day)


def scale(levers: SmartPlatformLevers, yuan_per_year: float, scenario: CityScenario) -> dict:
    planned = levers.capital_yuan / levers.life_years + levers.operating_yuan_per_year
    factor = yuan_per_year / planned if planned else 0.0
    return {
        "capital_yuan": levers.capital_yuan * factor,
        "operating_yuan_per_year": levers.operating_yuan_per_year * factor,
    }


NOTES = {  # what each lever does to which mechanism (en, zh) and its Chinese name
    "routing_gain_share": LeverNote(
        "智能派单减错",
        "Share of misrouted orders the fully funded platform avoids; operating money buys a share"
        " of it",
        "平台经费充足时避免派错工单的比例; 运营经费决定实现多少",
    ),
    "detection_rate_per_day": LeverNote(
        "自动发现率",
        "Daily chance cameras and sensors spot a visible public-space problem, fully funded;"
        " capital buys a share of it",
        "经费充足时摄像头与传感器每天发现公共空间可见问题的概率; 建设投资决定实现多少",
    ),
    "data_entry_h_per_case": LeverNote(
        "每件录入工时",
        "Hours of data entry added to every case any handler works",
        "每件工单增加的数据录入工时 (所有承办单位)",
    ),
    "elderly_access_loss_share": LeverNote(
        "老年人热线可及损失",
        "Share of hotline access the elderly lose as channels move online (digital divide)",
        "渠道线上化后老年人热线可及性下降的比例 (数字鸿沟)",
    ),
    "migrant_access_loss_share": LeverNote(
        "流动人口热线可及损失",
        "Share of migrants' hotline access lost to apps and real-name registration",
        "流动人口因手机应用、实名登记而损失的热线可及性比例",
    ),
    "capital_yuan": LeverNote(
        "平台建设投资",
        "Capital for sensors, cameras and systems; per year of life it buys detection; a budget"
        " scales it",
        "传感器、摄像头与系统的建设投资; 按使用年限折算后决定自动发现能力; 预算按比例调整",
    ),
    "life_years": LeverNote(
        "折旧年限",
        "Years the equipment lasts: capital ÷ life is the yearly cost and what buys detection",
        "设备使用年限: 投资除以年限为年成本, 也决定自动发现能力",
    ),
    "operating_yuan_per_year": LeverNote(
        "平台运营经费",
        "Yearly money for algorithms and data staff; it buys the routing gain; a budget scales it",
        "算法与数据人员的年运营经费; 决定智能派单效果; 预算按比例调整",
    ),
    "privacy_trust_loss_per_year": LeverNote(
        "隐私信任损失",
        "Trust everyone loses a year to data collection (privacy); default 0, for sweeps",
        "数据采集 (隐私) 使每人每年损失的对政府信任; 默认0, 供敏感性分析",
    ),
    "half_effect_yuan_per_person_year": LeverNote(
        "半效人均经费",
        "Yuan per resident a year, per budget line, that buys half the full detection or routing"
        " effect",
        "每条经费线每人每年多少元可达到一半满额效果 (自动发现或智能派单)",
    ),
}


POLICY = Policy(
    name="smart_platform",
    levers=SmartPlatformLevers,
    title_zh="一网统管",
    mechanism_en="better routing, automatic detection of public-space problems, data entry",
    mechanism_zh="智能派单、公共空间问题自动发现、数据录入",
    costs_en="capital, operating",
    costs_zh="资本, 运营",
    change=change,
    start_of_day=Hook(order=70, run=privacy_exposure),
    costs=(
        CostEntry(order=110, book=city_operating("platform_operation")),
        CostEntry(order=120, book=book_capital),
    ),
    intensity=Intensity(levers=("capital_yuan", "operating_yuan_per_year"), scale=scale),
    lever_notes=NOTES,
)
