"""考核排名 kaohe: the monthly three-rate ranking of street offices and the pressure it sets.

Mechanisms: `accountability.rating_lift_share`, `exemption_share` and `persuasion_contact_h`
become the levers'. Pressure (0 for the best street office, 1 for the worst) only
reallocates staff time: the engine gives pressed hotline orders queue priority, sends
persuasion contacts before callbacks (each queues `persuasion_contact_h` of street staff time)
and files exemption requests. Real outcomes are never touched.
Calendar hook, end of day (order 10), on days 29, 59, 89, …: every street office is scored
on its hotline orders closed in the past 30 days (response rate: contacted within the
contact deadline; rated resolution and satisfaction rates from callbacks, exempted orders
left out), weighted by the three normalised weights and ranked; reads `district.log`, writes
`district.pressure`. No cost entry of its own (staff time), no intensity.
"""

from __future__ import annotations

from dataclasses import replace

import numpy as np
from pydantic import model_validator

from sim.clock import DAYS_PER_MONTH
from sim.config.scenario import CityScenario
from sim.config.types import Frozen, Hours, Share, Weight10
from sim.mechanisms import Mechanisms
from sim.policies.base import Hook, Policy
from sim.records import HOTLINE, ProblemLog


class KaoheLevers(Frozen):
    response_weight: Weight10  # relative weights, normalised in use
    resolution_weight: Weight10
    satisfaction_weight: Weight10
    rating_lift_share: Share
    exemption_share: Share
    persuasion_contact_h: Hours

    @model_validator(mode="after")
    def _some_weight(self) -> KaoheLevers:
        if self.response_weight + self.resolution_weight + self.satisfaction_weight <= 0:
            raise ValueError("the three rate weights must not all be 0")
        return self


def change(mech: Mechanisms, levers: KaoheLevers, scenario: CityScenario) -> Mechanisms:
    accountability = replace(
        mech.accountability,
        rating_lift_share=levers.rating_lift_share,
        exemption_share=levers.exemption_share,
        persuasion_contact_h=levers.persuasion_contact_h,
    )
    return replace(mech, accountability=accountability)


def monthly_rates(log: ProblemLog, n_streets: int, t0_h: float, t1_h: float) -> np.ndarray:
    """(n_streets x 3) response, rated resolution and rated satisfaction rates; NaN if none."""
    closed = log.closed_h
    month = (log.channel == HOTLINE) & (closed > t0_h) & (closed <= t1_h)
    ids = np.flatnonzero(month)
    street = log.street_office[ids]
    on_time = (log.responded_h[ids] - log.known_h[ids]) <= log.contact_deadline_h[ids]
    called = log.rated_resolved[ids] >= 0
    rates = np.full((n_streets, 3), np.nan)
    for s in range(n_streets):
        here = street == s
        if here.any():
            rates[s, 0] = on_time[here].mean()
        rated = here & called
        if rated.any():
            rates[s, 1] = (log.rated_resolved[ids][rated] == 1).mean()
            rates[s, 2] = (log.rated_satisfied[ids][rated] == 1).mean()
    return rates


def pressure_from_rank(rates: np.ndarray, weights: tuple[float, float, float]) -> np.ndarray:
    """Weighted score, ranked; pressure 0 for the best street office, 1 for the worst."""
    n = len(rates)
    if n == 1:
        return np.zeros(1)
    filled = np.where(np.isnan(rates), np.nanmean(rates, axis=0, keepdims=True), rates)
    filled = np.nan_to_num(filled, nan=0.0)
    score = filled @ np.asarray(weights, float)
    rank = np.empty(n)
    rank[np.argsort(-score, kind="stable")] = np.arange(n)
    return rank / (n - 1)


def rank_streets(district, levers: KaoheLevers, day: int) -> None:
    if (day + 1) % DAYS_PER_MONTH != 0:
        return
    t1 = 24.0 * (day + 1)
    rates = monthly_rates(district.log, len(district.pressure), t1 - 24.0 * DAYS_PER_MONTH, t1)
    raw = (levers.response_weight, levers.resolution_weight, levers.satisfaction_weight)
    district.pressure[:] = pressure_from_rank(rates, tuple(w / sum(raw) for w in raw))


POLICY = Policy(
    name="kaohe",
    levers=KaoheLevers,
    title_zh="考核排名",
    mechanism_en=(
        "monthly three-rate ranking of streets; pressure buys priority, persuasion and exemptions"
    ),
    mechanism_zh="每月三率排名; 压力带来优先处理、回访前说服与申请免考核",
    costs_en="staff time",
    costs_zh="人员时间",
    change=change,
    end_of_day=Hook(order=10, run=rank_streets),
)
