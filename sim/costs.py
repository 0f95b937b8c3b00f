"""The cost ledger: each day's spending as rows of quantity x unit cost, by category and payer.

A row is (day, category, payer, item, quantity, unit_cost_yuan, yuan): `item` names what is
priced and so the unit of `quantity` (staff, grid workers, volunteer hours, days of a yearly
budget line, places). The daily table's spend columns are the sums of a day's rows, added in
booking order. Government spending only (property managers are paid by owners, village
collectives by their members, staff lent by units in the area by those units). Unpaid hours
(volunteers', party members') are kept in hours and never priced. A reallocation (staff or
funds moved between levels) shows in who pays, not in the total.
"""

from __future__ import annotations

import numpy as np
import pyarrow as pa

from sim.handlers import H_PM, H_SOCIAL, H_VC
from sim.records import HANDLERS

CATEGORIES = ("wages", "stipends", "contracts", "capital", "operating", "entitlements")
PAYERS = ("city", "district", "street")
YEAR_DAYS = 365.0


class Ledger:
    """Rows of spending, and the running day's totals by (category, payer)."""

    COLUMNS = ("day", "category", "payer", "item", "quantity", "unit_cost_yuan", "yuan")

    def __init__(self):
        self.rows: list[tuple] = []
        self.day = -1
        self.today = dict.fromkeys(((c, p) for c in CATEGORIES for p in PAYERS), 0.0)

    def start_day(self, day: int) -> None:
        self.day = day
        self.today = dict.fromkeys(self.today, 0.0)

    def book(
        self,
        category: str,
        payer: str,
        item: str,
        quantity: float,
        unit_cost_yuan: float,
        yuan: float | None = None,
    ) -> None:
        """Book quantity x unit cost; `yuan` when the amount is computed in another order
        (a yearly line over 365 days), equal to quantity x unit cost up to rounding."""
        yuan = quantity * unit_cost_yuan if yuan is None else yuan
        if yuan == 0:
            return
        self.today[(category, payer)] += yuan
        self.rows.append(
            (self.day, category, payer, item, float(quantity), float(unit_cost_yuan), float(yuan))
        )

    def by_category(self, entries: dict) -> dict[str, float]:
        return {c: sum(v for (cat, _), v in entries.items() if cat == c) for c in CATEGORIES}

    def by_payer(self, entries: dict) -> dict[str, float]:
        return {p: sum(v for (_, pay), v in entries.items() if pay == p) for p in PAYERS}

    def table(self) -> pa.Table:
        columns = list(zip(*self.rows, strict=True)) or [[] for _ in self.COLUMNS]
        types = (pa.int64(), pa.string(), pa.string(), pa.string()) + (pa.float64(),) * 3
        return pa.table(
            {
                name: pa.array(values, type)
                for name, values, type in zip(self.COLUMNS, columns, types, strict=True)
            }
        )


def book_day(ledger: Ledger, district) -> None:
    """Book one day's spending of a city district run."""
    scenario, mech, h = district.scenario, district.mech, district.world.handlers
    policies = district.params.policies
    ledger.start_day(district.day)
    # family service centres are bought as contracts; property managers and collectives
    # are not paid by government
    paid = ~np.isin(h.kind, (H_SOCIAL, H_PM, H_VC))
    for p in np.flatnonzero(paid):
        item = f"{HANDLERS[h.kind[p]]}_staff"
        ledger.book("wages", h.payer[p], item, h.paid_staff[p], h.wage_yuan_per_staff_day[p])
    # staff sunk to streets and communities keep their pay, now paid by the street
    street, staff = scenario.street_office, mech.staff
    if staff.moved_to_streets:
        moved_wages = staff.moved_wages_yuan_per_day
        mean_wage = moved_wages / staff.moved_to_streets
        ledger.book(
            "wages", street.payer.value, "moved_department_staff",
            staff.moved_to_streets, mean_wage, moved_wages,
        )  # fmt: skip
    # funds moved down are a transfer: the district pays less, the street more
    funds_per_day = staff.funds_moved_yuan_per_year / YEAR_DAYS
    ledger.book("operating", "district", "funds_moved_down", 1.0, -funds_per_day)
    ledger.book("operating", "street", "funds_moved_down", 1.0, funds_per_day)
    grid = scenario.grid
    ledger.book(
        "wages", grid.payer.value, "grid_workers", district.grid_workers,
        grid.wage_yuan_per_staff_day,
    )  # fmt: skip
    n_streets = len(h.street_pool)
    if (p := policies.migrant_inclusion) is not None:
        outreach = p.outreach_staff_per_street_office * n_streets
        ledger.book(
            "wages", street.payer.value, "outreach_staff", outreach, street.wage_yuan_per_staff_day
        )
    costs = scenario.costs
    payer = costs.social_org_contract_payer.value
    ledger.book(
        "contracts", payer, "family_service_centres", n_streets,
        costs.social_org_contract_yuan_per_year / YEAR_DAYS,
        n_streets * costs.social_org_contract_yuan_per_year / YEAR_DAYS,
    )  # fmt: skip
    if district.social_workers_today > 0:
        yearly = policies.purchase_services.contract_yuan_per_year
        ledger.book("contracts", payer, "purchased_social_work", 1.0, yearly / YEAR_DAYS)
    ledger.book(
        "stipends", costs.volunteer_stipend_payer.value, "volunteer_hours",
        district.volunteer_hours_today, mech.volunteers.paid_yuan_per_h,
    )  # fmt: skip
    if (p := policies.volunteer_honour) is not None:
        volunteers = int(district.world.population.volunteer.sum())
        ledger.book(
            "operating", "street", "volunteer_honours", volunteers,
            p.operating_yuan_per_volunteer_year / YEAR_DAYS,
            volunteers * p.operating_yuan_per_volunteer_year / YEAR_DAYS,
        )  # fmt: skip
    # the 12345 seats and the platform are separate budget lines, booked one after the other
    if (p := policies.hotline_merge) is not None:
        ledger.book(
            "operating", "city", "hotline_seats", 1.0, p.operating_yuan_per_year / YEAR_DAYS
        )
    if (p := policies.smart_platform) is not None:
        ledger.book(
            "operating", "city", "platform_operation", 1.0, p.operating_yuan_per_year / YEAR_DAYS
        )
        capital = p.capital_yuan / p.life_years / YEAR_DAYS
        ledger.book("capital", "city", "platform_capital", 1.0, capital)
    if (p := policies.proactive_governance) is not None:
        fixes = district.fixes_today
        ledger.book("capital", "district", "root_cause_fixes", fixes, p.capital_yuan_per_fix)
    if (p := policies.migrant_entitlement) is not None:
        used = district.entitlements_used_today
        ledger.book("entitlements", "district", "school_places", used[1], p.yuan_per_school_place)
        ledger.book("entitlements", "district", "housing_slots", used[2], p.yuan_per_housing_slot)
