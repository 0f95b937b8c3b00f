"""资源下沉 / 扩权赋能 resource_sinking: staff, listed powers and funds move from district
departments down to street offices and communities.

Mechanisms: each department in `moved_from_departments` (the preset lists the district's own;
listing a city-paid one such as police moves it too, its wages then paid by the street) gives
round(staff ×
`staff_moved_share`) staff, keeping at least one (`staff.department_staff`); of all moved
staff, `community_staff_share` is spread over communities and the rest over street offices
(fractional headcounts in `staff.street_staff_per_office` and
`staff.community_staff_per_community`, of which `staff.street_moved_per_office` and
`staff.community_moved_per_community` are moved). Moved staff keep `moved_casework_share` of
their time for casework under the receiving office (not its admin share), and, being
specialists, do the kinds of the departments they came from in `specialist_work_share` of
the time (`dispatch.specialist_kinds`; a unit holding m < 1 of them has one on a share m of
those cases) and other kinds no faster (spread thin). For each kind in `powers_moved_kinds`,
`referral.needs_department_prob` × (1 − `authority_share`). `funds_moved_yuan_per_year`
buy contracted casework (e.g. maintenance and enforcement assistants, 购买服务) at
`contract_yuan_per_worker_year`: the street offices gain that many full-time caseworkers
(`staff.contracted_per_office`). Each department in `stationed_from_departments` (the preset:
police, 社区民警) stations `staff_moved_share` of its staff in the streets without moving
them (派驻): they stay in its pool and on its roll, and a case of its own kinds found through
a local channel (grid worker, community, volunteer) reaches them at once, with no referral
delay and no misroute, instead of going up community -> street -> department; one stationed
officer a street office takes all of them, fewer a share (`dispatch.stationed_share`). Total
staff is conserved; departments keep their own workload. No calendar hook, no intensity.
Cost entries: `moved_department_staff` (order 20), wages, street-office payer: moved staff
keep their department's wage, now paid by the street; `funds_moved_down` (order 30),
operating: −`funds_moved_yuan_per_year` / 365 for the district and the same + for the street
each day, a transfer that nets to zero; `street_contracted_workers` (order 31), contracts,
street: contracted workers × `contract_yuan_per_worker_year` / 365 each day;
`stationed_posts` (order 32), operating, street: stationed officers ×
`stationed_post_yuan_per_year` / 365 each day.
"""

from __future__ import annotations

from dataclasses import replace

from pydantic import model_validator

from sim.clock import DAYS_PER_YEAR
from sim.config.scenario import CityScenario
from sim.config.types import Frozen, Share, Yuan
from sim.mechanisms import Mechanisms
from sim.policies.base import CostEntry, LeverNote, Policy


class ResourceSinkingLevers(Frozen):
    staff_moved_share: Share
    moved_from_departments: list[str]
    community_staff_share: Share
    moved_casework_share: Share
    specialist_work_share: Share
    powers_moved_kinds: list[str]
    authority_share: Share
    funds_moved_yuan_per_year: Yuan
    contract_yuan_per_worker_year: Yuan
    stationed_from_departments: list[str]
    stationed_post_yuan_per_year: Yuan

    @model_validator(mode="after")
    def _move_or_station(self) -> ResourceSinkingLevers:
        both = sorted(set(self.moved_from_departments) & set(self.stationed_from_departments))
        if both:
            raise ValueError(
                f"{', '.join(both)} in both moved_from_departments and"
                " stationed_from_departments: a department's staff move down or are stationed"
            )
        return self


def change(mech: Mechanisms, levers: ResourceSinkingLevers, scenario: CityScenario) -> Mechanisms:
    n_streets = scenario.city.street_offices
    n_communities = n_streets * scenario.city.communities_per_street_office
    department_staff = dict(mech.staff.department_staff)
    moved, moved_wages = 0, mech.staff.moved_wages_yuan_per_day
    gave = set()
    for name in levers.moved_from_departments:
        staff = department_staff[name]
        take = min(round(staff * levers.staff_moved_share), staff - 1)  # one server stays
        department_staff[name] = staff - take
        moved += take
        moved_wages += take * scenario.departments[name].wage_yuan_per_staff_day
        gave |= {name} if take > 0 else set()
    to_communities = moved * levers.community_staff_share
    to_street, to_community = (moved - to_communities) / n_streets, to_communities / n_communities
    contracted = 0.0
    if levers.contract_yuan_per_worker_year > 0:
        contracted = levers.funds_moved_yuan_per_year / levers.contract_yuan_per_worker_year
    staff = replace(
        mech.staff,
        street_staff_per_office=mech.staff.street_staff_per_office + to_street,
        community_staff_per_community=mech.staff.community_staff_per_community + to_community,
        street_moved_per_office=mech.staff.street_moved_per_office + to_street,
        community_moved_per_community=mech.staff.community_moved_per_community + to_community,
        moved_casework_share=levers.moved_casework_share,
        contracted_per_office=mech.staff.contracted_per_office + contracted / n_streets,
        department_staff=department_staff,
        moved_to_streets=moved,
        moved_wages_yuan_per_day=moved_wages,
        funds_moved_yuan_per_year=levers.funds_moved_yuan_per_year,
        stationed_staff=sum(stationed_staff(levers, scenario).values()),
    )
    needs_department = dict(mech.referral.needs_department_prob)
    for kind in levers.powers_moved_kinds:
        needs_department[kind] *= 1.0 - levers.authority_share
    referral = replace(mech.referral, needs_department_prob=needs_department)
    specialist = tuple(k for k, spec in scenario.kinds.items() if spec.department in gave)
    dispatch = replace(
        mech.dispatch,
        specialist_kinds=specialist,
        specialist_work_share=levers.specialist_work_share,
        stationed_share=stationed_share(levers, scenario),
    )
    return replace(mech, staff=staff, referral=referral, dispatch=dispatch)


def stationed_staff(levers: ResourceSinkingLevers, scenario: CityScenario) -> dict[str, float]:
    """Department -> staff stationed in the streets (派驻): `staff_moved_share` of its staff,
    who stay on its roll and in its pool."""
    return {
        name: scenario.departments[name].staff * levers.staff_moved_share
        for name in levers.stationed_from_departments
    }


def stationed_share(levers: ResourceSinkingLevers, scenario: CityScenario) -> dict[str, float]:
    """Kind -> share of its local referrals a stationed officer takes: one officer a street
    office takes them all, fewer a share (a part-timer's days there)."""
    streets = scenario.city.street_offices
    per_street = {d: n / streets for d, n in stationed_staff(levers, scenario).items()}
    return {
        kind: min(1.0, per_street[spec.department])
        for kind, spec in scenario.kinds.items()
        if spec.department in per_street and spec.route == "department"
    }


def book_moved_staff(ledger, district, levers: ResourceSinkingLevers) -> None:
    staff = district.mech.staff
    if staff.moved_to_streets:
        wages = staff.moved_wages_yuan_per_day
        payer = district.scenario.street_office.payer.value
        mean_wage = wages / staff.moved_to_streets
        ledger.book(
            "wages", payer, "moved_department_staff", staff.moved_to_streets, mean_wage, wages
        )


def book_funds(ledger, district, levers: ResourceSinkingLevers) -> None:
    per_day = levers.funds_moved_yuan_per_year / DAYS_PER_YEAR
    ledger.book("operating", "district", "funds_moved_down", 1.0, -per_day)
    ledger.book("operating", "street", "funds_moved_down", 1.0, per_day)


def book_stationed_posts(ledger, district, levers: ResourceSinkingLevers) -> None:
    officers = district.mech.staff.stationed_staff
    if officers > 0:
        per_day = levers.stationed_post_yuan_per_year / DAYS_PER_YEAR
        ledger.book("operating", "street", "stationed_posts", officers, per_day)


def book_contracts(ledger, district, levers: ResourceSinkingLevers) -> None:
    workers = district.mech.staff.contracted_per_office * len(district.world.handlers.street_pool)
    if workers > 0:
        per_worker_day = levers.contract_yuan_per_worker_year / DAYS_PER_YEAR
        ledger.book("contracts", "street", "street_contracted_workers", workers, per_worker_day)


NOTES = {  # what each lever does to which mechanism (en, zh) and its Chinese name
    "staff_moved_share": LeverNote(
        "部门人员下沉比例",
        "Share of each listed department's staff moved down to streets and communities (each"
        " department keeps one)",
        "所列职能部门人员下沉到街道社区的比例 (每个部门至少留一人)",
    ),
    "moved_from_departments": LeverNote(
        "人员下沉部门",
        "District departments that send staff down; with fewer hands they are slower on what"
        " stays with them",
        "派人下沉的区级职能部门; 人手减少, 留在部门的事项办得更慢",
    ),
    "community_staff_share": LeverNote(
        "下沉到社区比例",
        "Of the staff moved down, the share placed in communities; the rest go to street offices",
        "下沉人员中派到社区的比例, 其余派到街道",
    ),
    "moved_casework_share": LeverNote(
        "下沉人员办件时间",
        "Share of moved staff's time kept for casework at the receiving office (its admin load"
        " does not apply to them)",
        "下沉人员用于办件的时间比例 (不受接收单位行政事务比例影响)",
    ),
    "specialist_work_share": LeverNote(
        "专业事项用时",
        "Work time on their old department's kinds at an office holding moved staff, vs a"
        " generalist; other kinds no faster",
        "有下沉人员的街道社区办原部门事项的用时 (相对于普通人员); 其他事项不加快",
    ),
    "powers_moved_kinds": LeverNote(
        "下放权限事项",
        "Problem kinds whose enforcement powers move down (综合执法), so the street can settle the"
        "m itself",
        "执法权下放 (综合执法) 的事项种类, 街道可自行处置",
    ),
    "authority_share": LeverNote(
        "就地解决比例",
        "Share of those kinds' cases that needed a department and can now be settled by the"
        " street or community",
        "这些事项中原需部门处理、现可由街道社区就地解决的比例",
    ),
    "funds_moved_yuan_per_year": LeverNote(
        "下沉经费",
        "Yearly budget moved from the district to the streets, spent on contracted caseworkers (协"
        "管员)",
        "每年由区下沉到街道的经费, 用于购买协管员等外包办件人员",
    ),
    "contract_yuan_per_worker_year": LeverNote(
        "外包人员年成本",
        "Full yearly cost of one contracted street caseworker; moved funds ÷ this = extra"
        " full-time caseworkers",
        "一名街道外包办件人员的年成本; 下沉经费除以它即增加的全职办件人员",
    ),
    "stationed_from_departments": LeverNote(
        "派驻部门",
        "Departments whose staff are stationed in streets (社区民警): cases found locally reach"
        " them at once, not up the chain",
        "向街道派驻人员的部门 (如社区民警): 基层发现的问题直接交给派驻人员, 不再层层上报",
    ),
    "stationed_post_yuan_per_year": LeverNote(
        "派驻岗位年成本",
        "Yearly running cost of one stationed officer's post (警务室: room, phone, patrol share)",
        "每名派驻人员岗位的年运行成本 (警务室用房、通讯、巡逻分摊)",
    ),
}


POLICY = Policy(
    name="resource_sinking",
    levers=ResourceSinkingLevers,
    title_zh="资源下沉",
    mechanism_en="department staff, listed powers and funds move to streets and communities",
    mechanism_zh="部门人员、执法权与经费下沉到街道和社区",
    costs_en="wages move payer (reallocation); moved funds buy contracted street caseworkers",
    costs_zh="工资支付方转移 (调配); 下沉经费购买街道外包人员",
    change=change,
    costs=(
        CostEntry(order=20, book=book_moved_staff),
        CostEntry(order=30, book=book_funds),
        CostEntry(order=31, book=book_contracts),
        CostEntry(order=32, book=book_stationed_posts),
    ),
    kind_levers=("powers_moved_kinds",),
    department_levers=("moved_from_departments", "stationed_from_departments"),
    lever_notes=NOTES,
)
