"""The cost ledger: unit costs times quantities, by category and by payer, each day.

Government spending only (property managers are paid by owners, village collectives by
their members). Unpaid hours (volunteers') are kept in hours and never priced. A
reallocation (staff or funds moved between levels) shows in who pays, not in the total.
"""

from __future__ import annotations

import numpy as np

CATEGORIES = ("wages", "stipends", "contracts", "capital", "operating", "entitlements")
PAYERS = ("city", "district", "street")


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
    ledger.start_day()
    locals_ = h.kind != 3  # property managers are not government (HANDLERS index 3)
    locals_ &= h.kind != 4  # nor village collectives
    for p in np.flatnonzero(locals_):
        if h.kind[p] == 2:  # family service centres are bought as contracts, not wages
            continue
        ledger.book("wages", h.payer[p], h.staff[p] * h.wage_yuan_per_staff_day[p])
    grid = scenario.grid
    ledger.book("wages", grid.payer.value, district.grid_workers * grid.wage_yuan_per_staff_day)
    n_streets = len(h.street_pool)
    outreach = mech.outreach_staff_per_street_office * n_streets
    ledger.book(
        "wages",
        scenario.street_office.payer.value,
        outreach * scenario.street_office.wage_yuan_per_staff_day,
    )
    costs = scenario.costs
    ledger.book(
        "contracts",
        costs.social_org_contract_payer.value,
        n_streets * costs.social_org_contract_yuan_per_year / 365.0,
    )
    ledger.book(
        "stipends",
        costs.volunteer_stipend_payer.value,
        district.volunteer_hours_today * mech.volunteer_stipend_yuan_per_h,
    )
