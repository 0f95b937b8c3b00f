"""资源下沉 / 扩权赋能 resource_sinking: staff, listed powers and funds move from district
departments down to street offices and communities.

Mechanisms: each department gives round(staff × `staff_moved_share`) staff, keeping at least
one (`staff.department_staff`); of all moved staff, `community_staff_share` is spread over
communities and the rest over street offices (fractional headcounts added to
`staff.street_staff_per_office` and `staff.community_staff_per_community`); for each kind in
`powers_moved_kinds`, `referral.needs_department_prob` × (1 − `authority_share`). Total staff
is conserved; departments keep their own workload. `staff.moved_to_streets`,
`staff.moved_wages_yuan_per_day` (Σ moved × department wage) and
`staff.funds_moved_yuan_per_year` record the moves. No calendar hook, no intensity.
Cost entries: `moved_department_staff` (order 20), wages, street-office payer: moved staff
keep their department's wage, now paid by the street; `funds_moved_down` (order 30),
operating: −`funds_moved_yuan_per_year` / 365 for the district and the same + for the street
each day, a transfer that nets to zero.
"""

from __future__ import annotations

from dataclasses import replace

from sim.clock import DAYS_PER_YEAR
from sim.config.scenario import CityScenario
from sim.config.types import Frozen, Share, Yuan
from sim.mechanisms import Mechanisms
from sim.policies.base import CostEntry, Policy


class ResourceSinkingLevers(Frozen):
    staff_moved_share: Share
    community_staff_share: Share
    powers_moved_kinds: list[str]
    authority_share: Share
    funds_moved_yuan_per_year: Yuan


def change(mech: Mechanisms, levers: ResourceSinkingLevers, scenario: CityScenario) -> Mechanisms:
    n_streets = scenario.city.street_offices
    n_communities = n_streets * scenario.city.communities_per_street_office
    department_staff = dict(mech.staff.department_staff)
    moved, moved_wages = 0, mech.staff.moved_wages_yuan_per_day
    for name, staff in department_staff.items():
        take = min(round(staff * levers.staff_moved_share), staff - 1)  # one server stays
        department_staff[name] = staff - take
        moved += take
        moved_wages += take * scenario.departments[name].wage_yuan_per_staff_day
    to_communities = moved * levers.community_staff_share
    staff = replace(
        mech.staff,
        street_staff_per_office=mech.staff.street_staff_per_office
        + (moved - to_communities) / n_streets,
        community_staff_per_community=mech.staff.community_staff_per_community
        + to_communities / n_communities,
        department_staff=department_staff,
        moved_to_streets=moved,
        moved_wages_yuan_per_day=moved_wages,
        funds_moved_yuan_per_year=levers.funds_moved_yuan_per_year,
    )
    needs_department = dict(mech.referral.needs_department_prob)
    for kind in levers.powers_moved_kinds:
        needs_department[kind] *= 1.0 - levers.authority_share
    referral = replace(mech.referral, needs_department_prob=needs_department)
    return replace(mech, staff=staff, referral=referral)


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


POLICY = Policy(
    name="resource_sinking",
    levers=ResourceSinkingLevers,
    title_zh="资源下沉",
    mechanism_en="department staff, listed powers and funds move to streets and communities",
    mechanism_zh="部门人员、执法权与经费下沉到街道和社区",
    costs_en="wages move payer (reallocation)",
    costs_zh="工资支付方转移 (调配)",
    change=change,
    costs=(CostEntry(order=20, book=book_moved_staff), CostEntry(order=30, book=book_funds)),
    kind_levers=("powers_moved_kinds",),
)
