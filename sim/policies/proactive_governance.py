"""主动治理 / 未诉先办 / 每月一题 proactive_governance: each month the biggest clusters (kind ×
community) of last month's problems get a root-cause fix that lowers their need rate, and the
kinds whose demands most often closed outside any policy get a new policy (每月一题).

Mechanisms: `services.fix_rate_cut_share` = `rate_cut_share`: while a fix is in effect
(`district.programmes.fix_until_day[kind, community]` > day) the engine multiplies that
cluster's need rate by (1 − it).
Calendar hook, start of day (order 30), on days 30, 60, … (month m): the problems made known
in the past 30 days are counted per (kind, community) from `district.log`; the
⌊m × `fixes_per_month`⌋ − ⌊(m − 1) × `fixes_per_month`⌋ largest clusters (a fractional rate
spreads fixes over the months) not already being fixed get a fix until
day + `effect_days`; writes `district.programmes.fix_until_day`, `fixes_today` and `fixes_total`.
Cost entry (order 130): `root_cause_fixes`, capital, district: fixes chosen today ×
`capital_yuan_per_fix`.
The same hook chooses ⌊m × `policy_topics_per_month`⌋ − ⌊(m − 1) × …⌋ topics: the kinds with
the most problems closed in the past 30 days as demands outside any policy (`u_outside` under
the kind's current share); each topic multiplies that kind's `programmes.policy_gap_factor` by
(1 − `policy_gap_closed_share`) for good (a kind can be chosen again), so that share of its
uncovered demands becomes solvable like any other (`closure.outside_any_policy`). Cost entry
(order 131): `policy_topics`, operating, district: topics chosen today × `yuan_per_topic`.
Budget intensity: the numbers of fixes and topics, in the levers' proportion, that cost its
share: money buys more of both at their prices.
"""

from __future__ import annotations

import math
from dataclasses import replace
from typing import Annotated

import numpy as np
from pydantic import Field

from sim.clock import DAYS_PER_MONTH
from sim.config.scenario import CityScenario
from sim.config.types import Days, Frozen, Share, Yuan
from sim.mechanisms import Mechanisms
from sim.policies.base import CostEntry, Hook, Intensity, LeverNote, Policy
from sim.stages import closure


class ProactiveGovernanceLevers(Frozen):
    fixes_per_month: Annotated[float, Field(ge=0.0, le=10_000.0)]
    rate_cut_share: Share
    effect_days: Days
    capital_yuan_per_fix: Yuan
    policy_topics_per_month: Annotated[float, Field(ge=0.0, le=100.0)]
    policy_gap_closed_share: Share
    yuan_per_topic: Yuan


def change(
    mech: Mechanisms, levers: ProactiveGovernanceLevers, scenario: CityScenario
) -> Mechanisms:
    services = replace(mech.services, fix_rate_cut_share=levers.rate_cut_share)
    return replace(mech, services=services)


def due_in_month(rate_per_month: float, month: int) -> int:
    """Choices made in month `month` (1, 2, …): a fractional rate spreads them over months."""
    return math.floor(month * rate_per_month + 1e-9) - math.floor(
        (month - 1) * rate_per_month + 1e-9
    )


def monthly_choices(district, levers: ProactiveGovernanceLevers, day: int) -> None:
    """On days 30, 60, …: this month's root-cause fixes, then its policy topics."""
    if day % DAYS_PER_MONTH != 0 or day == 0:
        return
    month, today = day // DAYS_PER_MONTH, district.day  # the run's month, the district's clock
    choose_fixes(district, levers, today, due_in_month(levers.fixes_per_month, month))
    choose_topics(district, levers, today, due_in_month(levers.policy_topics_per_month, month))


def choose_topics(district, levers: ProactiveGovernanceLevers, today: int, due: int) -> None:
    """每月一题: the kinds with the most demands closed outside any policy last month (`today`:
    the district's day)."""
    if due == 0:
        return
    log = district.log
    closed = np.flatnonzero(
        (log.closed_h > 24.0 * (today - DAYS_PER_MONTH)) & (log.closed_h <= 24.0 * today)
    )
    uncovered = closed[closure.outside_any_policy(district, closed)]
    counts = np.bincount(log.kind[uncovered].astype(np.int64), minlength=district.world.kinds.n)
    top = np.argsort(-counts, kind="stable")[:due]
    top = top[counts[top] > 0]
    district.programmes.policy_gap_factor[top] *= 1.0 - levers.policy_gap_closed_share
    district.programmes.topics_today = len(top)
    district.programmes.topics_total += len(top)


def choose_fixes(district, levers: ProactiveGovernanceLevers, today: int, due: int) -> None:
    """Root-cause fixes for the biggest (kind, community) clusters known last month (`today`:
    the district's day)."""
    if due == 0:
        return
    log = district.log
    t1, t0 = 24.0 * today, 24.0 * (today - DAYS_PER_MONTH)
    known = (log.known_h > t0) & (log.known_h <= t1)
    n_communities = district.programmes.fix_until_day.shape[1]
    counts = np.bincount(
        log.kind[known].astype(np.int64) * n_communities + log.community[known],
        minlength=district.programmes.fix_until_day.size,
    )
    active = district.programmes.fix_until_day.ravel() > today
    counts[active] = 0  # a cluster already being fixed is not fixed twice
    top = np.argsort(-counts, kind="stable")[:due]
    top = top[counts[top] > 0]
    district.programmes.fix_until_day.ravel()[top] = today + levers.effect_days
    district.programmes.fixes_today = len(top)
    district.programmes.fixes_total += len(top)


def book_fixes(ledger, district, levers: ProactiveGovernanceLevers) -> None:
    fixes = district.programmes.fixes_today
    ledger.book("capital", "district", "root_cause_fixes", fixes, levers.capital_yuan_per_fix)


def book_topics(ledger, district, levers: ProactiveGovernanceLevers) -> None:
    topics = district.programmes.topics_today
    ledger.book("operating", "district", "policy_topics", topics, levers.yuan_per_topic)


def scale(levers: ProactiveGovernanceLevers, yuan_per_year: float, scenario: CityScenario) -> dict:
    """Fixes and topics a month that cost `yuan_per_year`, in the levers' proportion."""
    fixes, topics = levers.fixes_per_month, levers.policy_topics_per_month
    per_month_yuan = fixes * levers.capital_yuan_per_fix + topics * levers.yuan_per_topic
    if per_month_yuan == 0:
        return {}
    factor = yuan_per_year / 12 / per_month_yuan
    return {"fixes_per_month": fixes * factor, "policy_topics_per_month": topics * factor}


NOTES = {  # what each lever does to which mechanism (en, zh) and its Chinese name
    "fixes_per_month": LeverNote(
        "每月治理题数",
        "Root-cause fixes a month (每月一题) for last month's biggest kind × community clusters; a"
        " budget scales it",
        "每月治理题数 (每月一题): 针对上月最集中的事项×社区; 预算按此调整",
    ),
    "rate_cut_share": LeverNote(
        "发生率降幅",
        "Cut in how often that problem arises in that community while the fix lasts",
        "治理期间该社区该类问题发生率的下降比例",
    ),
    "effect_days": LeverNote(
        "治理效果天数",
        "Days a fix keeps working",
        "一次治理的效果持续天数",
    ),
    "policy_topics_per_month": LeverNote(
        "每月一题题数",
        "Kinds a month whose demands most often closed outside any policy get a new policy",
        "每月选出上月因无政策依据而未解决最多的事项, 出台新政策",
    ),
    "policy_gap_closed_share": LeverNote(
        "政策补缺比例",
        "Share of that kind's demands outside any policy that a new policy makes solvable",
        "新政策使该类无政策依据诉求中可解决的比例",
    ),
    "yuan_per_topic": LeverNote(
        "每题政策成本",
        "Cost of making one policy (drafting, coordination, first implementation)",
        "出台一项政策的成本 (起草、协调、首期实施)",
    ),
    "capital_yuan_per_fix": LeverNote(
        "每题治理投资",
        "Capital cost of one fix; a budget buys fixes at this price",
        "每题治理的投资; 预算按此价格购买治理题数",
    ),
}


POLICY = Policy(
    name="proactive_governance",
    levers=ProactiveGovernanceLevers,
    title_zh="主动治理·未诉先办",
    mechanism_en="monthly root-cause fixes for the biggest clusters",
    mechanism_zh="每月对高频问题集中治理",
    costs_en="capital",
    costs_zh="资本",
    change=change,
    start_of_day=Hook(order=30, run=monthly_choices),
    costs=(CostEntry(order=130, book=book_fixes), CostEntry(order=131, book=book_topics)),
    intensity=Intensity(levers=("fixes_per_month", "policy_topics_per_month"), scale=scale),
    lever_notes=NOTES,
)
