"""The cost ledger: unit costs times quantities, by category and by payer, each day.

Government spending only (property managers are paid by owners, village collectives by
their members, staff lent by units in the area by those units). Unpaid hours (volunteers',
party members') are kept in hours and never priced. A reallocation (staff or funds moved
between levels) shows in who pays, not in the total.
"""

from __future__ import annotations

import numpy as np

from sim.handlers import H_PM, H_SOCIAL, H_VC

CATEGORIES = ("wages", "stipends", "contracts", "capital", "operating", "entitlements")
PAYERS = ("city", "district", "street")
YEAR_DAYS = 365.0


class Ledger:
    def __init__(self):
        self.total = {(c, p): 0.0 for c in CATEGORIES for p in PAYERS}
        self.today = dict.fromkeys(self.total, 0.0)

    def start_day(self) -> None:
        self.today = dict.fromkeys(self.total, 0.0)

    def book(self, category: str, payer: str, yuan: float) -> None:
        self.today[(category, payer)] += yuan
        self.total[(category, payer)] += yuan

    def by_category(self, entries: dict) -> dict[str, float]:
        return {c: sum(v for (cat, _), v in entries.items() if cat == c) for c in CATEGORIES}

    def by_payer(self, entries: dict) -> dict[str, float]:
        return {p: sum(v for (_, pay), v in entries.items() if pay == p) for p in PAYERS}


def book_day(ledger: Ledger, district) -> None:
    """Book one day's spending of a city district run."""
    scenario, mech, h = district.scenario, district.mech, district.world.handlers
    policies = district.params.policies
    ledger.start_day()
    # family service centres are bought as contracts; property managers and collectives
    # are not paid by government
    paid = ~np.isin(h.kind, (H_SOCIAL, H_PM, H_VC))
    for p in np.flatnonzero(paid):
        ledger.book("wages", h.payer[p], h.paid_staff[p] * h.wage_yuan_per_staff_day[p])
    # staff sunk to streets and communities keep their pay, now paid by the street
    street = scenario.street_office
    ledger.book("wages", street.payer.value, mech.staff.moved_wages_yuan_per_day)
    # funds moved down are a transfer: the district pays less, the street more
    ledger.book("operating", "district", -mech.staff.funds_moved_yuan_per_year / YEAR_DAYS)
    ledger.book("operating", "street", mech.staff.funds_moved_yuan_per_year / YEAR_DAYS)
    grid = scenario.grid
    ledger.book("wages", grid.payer.value, district.grid_workers * grid.wage_yuan_per_staff_day)
    n_streets = len(h.street_pool)
    if (p := policies.migrant_inclusion) is not None:
        outreach = p.outreach_staff_per_street_office * n_streets
        ledger.book("wages", street.payer.value, outreach * street.wage_yuan_per_staff_day)
    costs = scenario.costs
    contracts = n_streets * costs.social_org_contract_yuan_per_year / YEAR_DAYS
    if district.social_workers_today > 0:
        contracts += policies.purchase_services.contract_yuan_per_year / YEAR_DAYS
    ledger.book("contracts", costs.social_org_contract_payer.value, contracts)
    ledger.book(
        "stipends",
        costs.volunteer_stipend_payer.value,
        district.volunteer_hours_today * mech.volunteers.paid_yuan_per_h,
    )
    if (p := policies.volunteer_honour) is not None:
        volunteers = int(district.world.population.volunteer.sum())
        ledger.book(
            "operating",
            "street",
            volunteers * p.operating_yuan_per_volunteer_year / YEAR_DAYS,
        )
    # the 12345 seats and the platform are separate budget lines, booked one after the other
    if (p := policies.hotline_merge) is not None:
        ledger.book("operating", "city", p.operating_yuan_per_year / YEAR_DAYS)
    if (p := policies.smart_platform) is not None:
        ledger.book("operating", "city", p.operating_yuan_per_year / YEAR_DAYS)
        ledger.book("capital", "city", p.capital_yuan / p.life_years / YEAR_DAYS)
    if (p := policies.proactive_governance) is not None:
        ledger.book("capital", "district", district.fixes_today * p.capital_yuan_per_fix)
    if (p := policies.migrant_entitlement) is not None:
        used = district.entitlements_used_today
        ledger.book(
            "entitlements",
            "district",
            used[1] * p.yuan_per_school_place + used[2] * p.yuan_per_housing_slot,
        )
