"""政府购买服务 / 三社联动 purchase_services: project contracts add social workers to the family
service centres.

Mechanisms: paying by `outcome` raises the centres' solving effort
(`services.social_org_solve_gain_share` = `outcome_solve_gain_share`); `hotline_dispatch` lets
12345 dispatch eligible kinds straight to the centres (`dispatch.social_org_hotline_dispatch`).
Calendar hook, start of day (order 50): W = min(`contract_yuan_per_year` /
`yuan_per_social_worker_year`, `max_social_workers`) workers ramp up linearly over
`ramp_up_days` and leave after `contract_days`; per street office, the family service
centre's planned servers = its start servers + the workers not borrowed, the street office's
= its start + those borrowed (`borrowed_staff_share`, 借调); writes
`district.programmes.social_workers_today` and `district.staffing.planned_capacity`.
Cost entry (order 70): `purchased_social_work`, contracts, the scenario's contract payer:
`contract_yuan_per_year` / 365 on each day workers are at work.
Budget intensity: `contract_yuan_per_year` = its share of the budget.
"""

from __future__ import annotations

from dataclasses import replace
from typing import Annotated, Literal

from pydantic import Field

from sim.clock import DAYS_PER_YEAR
from sim.config.scenario import CityScenario
from sim.config.types import Days, Frozen, Share, Yuan
from sim.mechanisms import Mechanisms
from sim.policies.base import CostEntry, Hook, Intensity, Policy


class PurchaseServicesLevers(Frozen):
    contract_yuan_per_year: Yuan
    yuan_per_social_worker_year: Annotated[float, Field(gt=0.0, le=1e7)]
    contract_days: Days
    ramp_up_days: Annotated[int, Field(ge=0, le=3650)]
    max_social_workers: Annotated[int, Field(ge=0, le=1_000_000)]
    borrowed_staff_share: Share
    payment: Literal["output", "outcome"]
    outcome_solve_gain_share: Share
    hotline_dispatch: bool


def change(mech: Mechanisms, levers: PurchaseServicesLevers, scenario: CityScenario) -> Mechanisms:
    gain = levers.outcome_solve_gain_share if levers.payment == "outcome" else 0.0
    return replace(
        mech,
        services=replace(mech.services, social_org_solve_gain_share=gain),
        dispatch=replace(mech.dispatch, social_org_hotline_dispatch=levers.hotline_dispatch),
    )


def contract_capacity(district, levers: PurchaseServicesLevers, day: int) -> None:
    """Contracted social workers ramp up linearly, then leave when the contract ends; a
    share is borrowed by the street office for its own work."""
    h = district.world.handlers
    contracted = min(
        levers.contract_yuan_per_year / levers.yuan_per_social_worker_year,
        levers.max_social_workers,
    )
    if contracted == 0:
        return
    if day < levers.contract_days:
        ramp_up = levers.ramp_up_days
        workers = contracted * (1.0 if ramp_up == 0 else min(1.0, (day + 1) / ramp_up))
    else:
        workers = 0.0
    district.programmes.social_workers_today = workers
    per_street = workers / len(h.social_pool)
    lent = per_street * levers.borrowed_staff_share
    planned, base = district.staffing.planned_capacity, district.staffing.base_capacity
    planned[h.social_pool] = base[h.social_pool] + (per_street - lent)
    planned[h.street_pool] = base[h.street_pool] + lent


def book_contract(ledger, district, levers: PurchaseServicesLevers) -> None:
    if district.programmes.social_workers_today > 0:
        payer = district.scenario.costs.social_org_contract_payer.value
        per_day = levers.contract_yuan_per_year / DAYS_PER_YEAR
        ledger.book("contracts", payer, "purchased_social_work", 1.0, per_day)


def scale(levers: PurchaseServicesLevers, yuan_per_year: float, scenario: CityScenario) -> dict:
    return {"contract_yuan_per_year": yuan_per_year}


POLICY = Policy(
    name="purchase_services",
    levers=PurchaseServicesLevers,
    title_zh="政府购买服务·三社联动",
    mechanism_en="contracts add social workers to family service centres",
    mechanism_zh="购买服务增加家庭综合服务中心社工",
    costs_en="contracts",
    costs_zh="合同",
    change=change,
    start_of_day=Hook(order=50, run=contract_capacity),
    costs=(CostEntry(order=70, book=book_contract),),
    intensity=Intensity(levers=("contract_yuan_per_year",), scale=scale),
)
