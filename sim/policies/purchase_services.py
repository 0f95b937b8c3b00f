"""政府购买服务 / 三社联动 purchase_services: project contracts add social workers to the family
service centres.

Mechanisms: paid by `outcome` (cases solved), a centre tries a case it failed to solve again
instead of closing it, up to `outcome_retries` more times (`services.social_org_retry_limit`:
a fresh attempt costing the centre `rework_work_share` of the work, §7.10); `hotline_dispatch` lets
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
from sim.policies.base import CostEntry, Hook, Intensity, LeverNote, Policy


class PurchaseServicesLevers(Frozen):
    contract_yuan_per_year: Yuan
    yuan_per_social_worker_year: Annotated[float, Field(gt=0.0, le=1e7)]
    contract_days: Days
    ramp_up_days: Annotated[int, Field(ge=0, le=3650)]
    max_social_workers: Annotated[int, Field(ge=0, le=1_000_000)]
    borrowed_staff_share: Share
    payment: Literal["output", "outcome"]
    outcome_retries: Annotated[int, Field(ge=0, le=2)]
    hotline_dispatch: bool


def change(mech: Mechanisms, levers: PurchaseServicesLevers, scenario: CityScenario) -> Mechanisms:
    retries = levers.outcome_retries if levers.payment == "outcome" else 0
    return replace(
        mech,
        services=replace(mech.services, social_org_retry_limit=retries),
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


NOTES = {  # what each lever does to which mechanism (en, zh) and its Chinese name
    "contract_yuan_per_year": LeverNote(
        "购买服务经费",
        "Yearly contract money for social workers at the family service centres (家综); a budget s"
        "ets it",
        "每年向家庭综合服务中心购买社工服务的合同经费; 预算按此调整",
    ),
    "yuan_per_social_worker_year": LeverNote(
        "社工年成本",
        "Full yearly cost of one social worker; contract money ÷ this = social workers (up to the"
        " cap)",
        "一名社工的年成本; 合同经费除以它即社工人数 (不超过上限)",
    ),
    "contract_days": LeverNote(
        "合同期",
        "Days the contract lasts; after it the contracted social workers leave",
        "合同天数; 到期后购买的社工离开",
    ),
    "ramp_up_days": LeverNote(
        "招聘培训期",
        "Days to recruit and train: the contracted social workers arrive gradually over this time",
        "招聘培训天数: 社工在此期间逐步到岗",
    ),
    "max_social_workers": LeverNote(
        "社工人数上限",
        "District cap on qualified social workers the contract can hire",
        "全区可招到的持证社工人数上限",
    ),
    "borrowed_staff_share": LeverNote(
        "街道借调比例",
        "Share of contracted social workers the street office borrows for its own work (借调), awa"
        "y from the centres",
        "街道借调社工做街道自身工作的比例 (借调), 这部分不在家综办件",
    ),
    "payment": LeverNote(
        "付费方式",
        "'output' pays for cases handled; 'outcome' for cases solved, so centres retry failed"
        " cases (outcome_retries)",
        "按产出 (办件数) 或按成效 (解决数) 付费;"
        " 按成效付费时家综对未办成的个案再次尝试 (占用自身工时)",
    ),
    "outcome_retries": LeverNote(
        "按效付费再尝试次数",
        "Paid by outcome, further tries a centre makes on a case it failed to solve, each taking"
        " part of the work again",
        "按成效付费时, 家综对未办成个案再次尝试的次数"
        " (每次重新办理, 占用部分工时); 按产出付费时不起作用",
    ),
    "hotline_dispatch": LeverNote(
        "12345直派家综",
        "12345 dispatches eligible kinds straight to family service centres instead of via the"
        " community",
        "12345把适合的工单直接派给家综, 不经社区转办",
    ),
}


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
    lever_notes=NOTES,
)
