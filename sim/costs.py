"""The cost ledger: each day's spending as rows of quantity x unit cost, by category and payer.

A row is (day, category, payer, item, quantity, unit_cost_yuan, yuan): `item` names what is
priced and so the unit of `quantity` (staff, grid workers, volunteer hours, days of a yearly
budget line, places). The daily table's spend columns are the sums of a day's rows, added in
booking order. Government spending only (property managers are paid by owners, village
collectives by their members, staff lent by units in the area by those units). Unpaid hours
(volunteers', party members') are kept in hours and never priced. A reallocation (staff or
funds moved between levels) shows in who pays, not in the total. Staff time moved from other
duties to casework (考核) is booked as `shadow` rows: priced at the staff's wage, never added
to spending or the daily table's spend columns.

Here are the standing entries every city run books; each policy's own entries are in its
module (`sim.policies`). Each entry has an `order`: a day's entries are booked in ascending
order, the order the ledger has always used (see `sim.policies`), so that each day's totals
are summed the same way whatever the mix.
"""

from __future__ import annotations

from array import array

import numpy as np
import pyarrow as pa

from sim.clock import DAYS_PER_YEAR
from sim.handlers import H_PM, H_SOCIAL, H_VC
from sim.memo import latest
from sim.policies import cost_entries
from sim.policies.base import CostEntry
from sim.records import HANDLERS

SHADOW = "shadow"  # a category of rows priced for the record, apart from spending
CATEGORIES = ("wages", "stipends", "contracts", "capital", "operating", "entitlements")
PAYERS = ("city", "district", "street")
STAFF_ITEMS = tuple(f"{handler}_staff" for handler in HANDLERS)  # wage rows' items, by handler
# by handler kind: its staff are on a government wage bill (family service centres are
# bought as contracts; property managers and village collectives are paid by others)
PAID_BY_KIND = ~np.isin(np.arange(len(HANDLERS)), [H_SOCIAL, H_PM, H_VC])
# a day's (category, payer) keys of each category and of each payer, in the totals' order
_KEYS_BY_CATEGORY = {c: [(c, p) for p in PAYERS] for c in CATEGORIES}
_KEYS_BY_PAYER = {p: [(c, p) for c in CATEGORIES] for p in PAYERS}


class Ledger:
    """Rows of spending, and the running day's totals by (category, payer).

    The rows are kept as columns (days and amounts in typed arrays, 8 bytes a value; names
    as references to the same few strings): a 1M-people year books ~280,000 rows, which
    as tuples of Python floats took ~50 MB."""

    COLUMNS = ("day", "category", "payer", "item", "quantity", "unit_cost_yuan", "yuan")

    def __init__(self):
        self._columns = (array("q"), [], [], [], array("d"), array("d"), array("d"))
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
        self._append(category, payer, item, quantity, unit_cost_yuan, yuan)

    def book_each(self, category: str, payers, items, quantities, unit_costs) -> None:
        """`book` each row of a batch (arrays of quantity and unit cost), in order: one call
        for a day's wage rows (~760 at 1M people). The day's totals take each amount as
        `book` would, a numpy float added in turn (Python's `sum` adds numpy floats
        plainly, not compensated as it does Python floats): added here as Python floats,
        the same doubles, each total then stored as the numpy float numpy's adds left."""
        yuan = np.asarray(quantities) * np.asarray(unit_costs)
        rows = np.flatnonzero(yuan)  # the amounts that are not 0 (NaN is not)
        where = rows.tolist()
        payers = [payers[r] for r in where]
        booked = yuan[rows].tolist()
        # each payer's total looked up once, not once a row (a few payers, many rows)
        totals = {payer: float(self.today[(category, payer)]) for payer in set(payers)}
        for payer, amount in zip(payers, booked, strict=True):
            totals[payer] += amount
        for payer, total in totals.items():
            self.today[(category, payer)] = np.float64(total)
        day, categories, payer_column, item_column, quantity, unit_cost, amounts = self._columns
        day.extend([self.day] * len(where))
        categories.extend([category] * len(where))
        payer_column.extend(payers)
        item_column.extend([items[r] for r in where])
        quantity.extend(np.asarray(quantities, float)[rows].tolist())
        unit_cost.extend(np.asarray(unit_costs, float)[rows].tolist())
        amounts.extend(booked)

    def shadow(self, payer: str, item: str, quantity: float, unit_cost_yuan: float) -> None:
        """A row of resources used but not paid for (category `shadow`), kept out of the
        day's spending."""
        yuan = quantity * unit_cost_yuan
        if yuan != 0:
            self._append(SHADOW, payer, item, quantity, unit_cost_yuan, yuan)

    def _append(self, category, payer, item, quantity, unit_cost_yuan, yuan) -> None:
        day, categories, payers, items, quantities, unit_costs, amounts = self._columns
        day.append(self.day)
        categories.append(category)
        payers.append(payer)
        items.append(item)
        quantities.append(quantity)
        unit_costs.append(unit_cost_yuan)
        amounts.append(yuan)

    def by_category(self, entries: dict) -> dict[str, float]:
        """Each category's total of a day's (category, payer) totals, in the dict's order."""
        return {c: sum([entries[k] for k in keys]) for c, keys in _KEYS_BY_CATEGORY.items()}

    def by_payer(self, entries: dict) -> dict[str, float]:
        """Each payer's total of a day's (category, payer) totals, in the dict's order."""
        return {p: sum([entries[k] for k in keys]) for p, keys in _KEYS_BY_PAYER.items()}

    def table(self) -> pa.Table:
        types = (pa.int64(), pa.string(), pa.string(), pa.string()) + (pa.float64(),) * 3
        return pa.table(
            {
                name: pa.array(_values(column), type)
                for name, column, type in zip(self.COLUMNS, self._columns, types, strict=True)
            }
        )


def _values(column: array | list) -> np.ndarray | list:
    """A column as pyarrow takes it: a typed array's values as numpy's, names as they are."""
    if isinstance(column, array):
        return np.frombuffer(column, np.int64 if column.typecode == "q" else np.float64)
    return column


def book_staff_wages(ledger: Ledger, district, levers=None) -> None:
    """Every paid office's own staff; family service centres are bought as contracts,
    property managers and collectives are not paid by government."""
    h = district.world.handlers
    paid = np.flatnonzero(PAID_BY_KIND[h.kind])
    ledger.book_each(
        "wages", [h.payer[p] for p in paid.tolist()],
        [STAFF_ITEMS[k] for k in h.kind[paid].tolist()], h.paid_staff[paid],
        h.wage_yuan_per_staff_day[paid],
    )  # fmt: skip


def book_grid_workers(ledger: Ledger, district, levers=None) -> None:
    grid = district.scenario.grid
    wage = grid.wage_yuan_per_staff_day
    ledger.book("wages", grid.payer.value, "grid_workers", district.coverage.grid_workers, wage)


def book_family_service_centres(ledger: Ledger, district, levers=None) -> None:
    """One contract per street office's centre."""
    costs = district.scenario.costs
    centres = len(district.world.handlers.street_pool)
    yearly = costs.social_org_contract_yuan_per_year
    ledger.book(
        "contracts", costs.social_org_contract_payer.value, "family_service_centres", centres,
        yearly / DAYS_PER_YEAR, centres * yearly / DAYS_PER_YEAR,
    )  # fmt: skip


def book_volunteer_hours(ledger: Ledger, district, levers=None) -> None:
    """Every volunteer hour at what the budget pays for it (stipends, points)."""
    payer = district.scenario.costs.volunteer_stipend_payer.value
    rate = district.mech.volunteers.paid_yuan_per_h
    ledger.book(
        "stipends", payer, "volunteer_hours", district.coverage.volunteer_hours_per_day, rate
    )


STANDING = (
    CostEntry(order=10, book=book_staff_wages),
    CostEntry(order=40, book=book_grid_workers),
    CostEntry(order=60, book=book_family_service_centres),
    CostEntry(order=80, book=book_volunteer_hours),
)


def book_day(ledger: Ledger, district) -> None:
    """Book one day's spending of a city district run: the standing entries and those of
    the policies in force, in their order."""
    ledger.start_day(district.day - district.origin_day)  # the run's day
    for entry, levers in _entries(district.params.policies):
        entry.book(ledger, district, levers)


@latest()
def _entries(policies) -> list:
    """(entry, levers) of the standing entries and the policies' in force, in their order
    (kept for the policies, a frozen model: the same object, the same entries)."""
    entries = [(entry, None) for entry in STANDING] + cost_entries(policies)
    return sorted(entries, key=lambda pair: pair[0].order)
