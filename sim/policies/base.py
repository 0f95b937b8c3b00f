"""What a policy file declares, and the few things policy files share.

A policy module holds its levers (a frozen schema with units in names and ranges), its
description in English and Chinese, how it changes the engine's mechanisms, its calendar
hooks, its cost entries and, if its intensity has a price, how a budget sets it; then one
`POLICY = Policy(...)` that the registry (`sim.policies`) lists.

Signatures, with `levers` the policy's own (budget-scaled) levers:
- `change(mech, levers, scenario) -> Mechanisms`: replaces parts of the mechanisms;
- `Hook.run(district, levers, day)`: at the start of a day (before anything arises) or at
  its end (after the day's calls, before costs are booked); `day` is the run's (calendars
  count from the run's day 0), while hours in the log are on the district's clock, which a
  warm start's burn-in began: today starts at hour 24 × `district.day`;
- `CostEntry.book(ledger, district, levers)`: books the day's rows with `ledger.book`;
- `Intensity.scale(levers, yuan_per_year, scenario) -> dict`: the new values of the
  intensity levers that make the planned yearly spending `yuan_per_year`.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

from sim.clock import DAYS_PER_YEAR
from sim.config.scenario import CityScenario
from sim.config.types import Frozen


@dataclass(frozen=True)
class Hook:
    """A calendar hook; `order` places it among the hooks of the same moment of the day."""

    order: int
    run: Callable


@dataclass(frozen=True)
class CostEntry:
    """A cost entry; `order` places it among every entry of a day (see `sim.costs`)."""

    order: int
    book: Callable


@dataclass(frozen=True)
class Intensity:
    """The levers a budget sets, and how (`scale` may return {} when there is nothing to buy)."""

    levers: tuple[str, ...]
    scale: Callable


@dataclass(frozen=True)
class LeverNote:
    """What a lever does to which mechanism, for the catalogue and the classroom page: a short
    Chinese name (a slider label), and a note in English and in Chinese in a street-office
    cadre's terms."""

    name_zh: str
    en: str
    zh: str


@dataclass(frozen=True)
class Policy:
    name: str
    levers: type[Frozen]
    title_zh: str
    mechanism_en: str
    mechanism_zh: str
    costs_en: str  # cost categories it adds, for the catalogue
    costs_zh: str
    change: Callable | None = None
    # changes apply in ascending change_order, ties in catalogue order
    change_order: int = 0
    start_of_day: Hook | None = None
    end_of_day: Hook | None = None
    costs: tuple[CostEntry, ...] = ()
    intensity: Intensity | None = None
    kind_levers: tuple[str, ...] = ()  # levers that list problem kinds of the scenario
    department_levers: tuple[str, ...] = ()  # levers that list departments of the scenario
    # lever -> its name and note; keys are exactly the schema's fields (tests/test_lever_notes)
    lever_notes: dict[str, LeverNote] = field(default_factory=dict, hash=False)


def lever_note(policy: Policy, lever: str, lang: str = "en") -> str:
    """What `lever` of `policy` does to which mechanism, in Chinese (`lang="zh"`) or English."""
    note = policy.lever_notes[lever]
    return note.zh if lang == "zh" else note.en


def lever_label(policy: Policy, lever: str, lang: str = "en") -> str:
    """A lever's label: its short Chinese name (`lang="zh"`), else the lever's own name."""
    return policy.lever_notes[lever].name_zh if lang == "zh" else lever


def planned_volunteers(scenario: CityScenario) -> float:
    """Volunteers at the scenario's base volunteering (before any crowding), for planning."""
    return scenario.population.people * scenario.volunteers.base_volunteer_prob


def planned_volunteer_hours_per_year(scenario: CityScenario) -> float:
    """Their hours in a year: the employed and the rest give their weekly hours."""
    pop, vol = scenario.population, scenario.volunteers
    weekly = (1 - pop.resident.elderly_share) * vol.hours_per_week_employed + (
        pop.resident.elderly_share * vol.hours_per_week_not_employed
    )
    return planned_volunteers(scenario) * weekly / 7 * 365


def funded_share(quantity: float, half_effect_quantity: float) -> float:
    """Share of a programme's full effect that `quantity` buys: q / (q + q½).

    A concave, saturating response (diminishing returns of spending; Simon & Arndt 1980 on
    the shape of advertising response): half the full effect at `half_effect_quantity`, none
    at 0, approaching all of it as spending grows.
    """
    return quantity / (quantity + half_effect_quantity) if quantity > 0 else 0.0


def city_operating(item: str) -> Callable[..., None]:
    """A cost entry booking a policy's `operating_yuan_per_year` / 365 each day as the city's
    operating `item` (seats, a platform's operation, online channels)."""

    def book(ledger, district, levers) -> None:
        per_day = levers.operating_yuan_per_year / DAYS_PER_YEAR
        ledger.book("operating", "city", item, 1.0, per_day)

    return book


def all_to_operating(levers: Frozen, yuan_per_year: float, scenario: CityScenario) -> dict:
    """Budget intensity of a policy whose only money is its operating budget: all of it."""
    return {"operating_yuan_per_year": yuan_per_year}


def planned_migrants(scenario: CityScenario) -> float:
    """Migrants the city's land use houses (people × the density-weighted migrant share)."""
    uses = scenario.city.land_use.values()
    weight = sum(u.cell_share * u.density_weight for u in uses)
    migrant = sum(u.cell_share * u.density_weight * u.migrant_share for u in uses)
    return scenario.population.people * migrant / weight if weight else 0.0


UNITS = (  # (suffix, English, Chinese) — the unit a lever's name ends with
    ("_yuan_per_h", "yuan/h", "元/小时"),
    ("_yuan_per_person_year", "yuan/person-year", "元/人·年"),
    ("_yuan_per_year", "yuan/year", "元/年"),
    ("_yuan_per_volunteer_year", "yuan/volunteer-year", "元/志愿者·年"),
    ("_yuan_per_social_worker_year", "yuan/worker-year", "元/社工·年"),
    ("_yuan", "yuan", "元"),
    ("_h", "hours", "小时"),
    ("_per_staff_day", "per staff-day", "每人每天"),
    ("_per_day", "per day", "每天"),
    ("_per_month", "per month", "每月"),
    ("_per_year", "per year", "每年"),
    ("_days", "days", "天"),
    ("_share", "share 0-1", "比例 0-1"),
    ("_prob", "probability 0-1", "概率 0-1"),
)


def lever_unit(name: str, lang: str = "en") -> str:
    for suffix, en, zh in UNITS:
        if name.endswith(suffix) or f"{suffix}_" in name:
            return zh if lang == "zh" else en
    return ""


def allowed_range(field) -> str:
    """A lever's allowed values as text: '10–100000', 'bool', 'list' or the type."""
    lo = hi = None
    for m in field.metadata:
        lo = getattr(m, "ge", None) if getattr(m, "ge", None) is not None else lo
        lo = getattr(m, "gt", None) if getattr(m, "gt", None) is not None else lo
        hi = getattr(m, "le", None) if getattr(m, "le", None) is not None else hi
    annotation = getattr(field.annotation, "__name__", str(field.annotation))
    if lo is not None and hi is not None:
        return f"{lo:g}–{hi:g}"
    if annotation in ("bool", "list"):
        return annotation
    return str(field.annotation).replace("typing.", "")


def lever_rows(levers: type[Frozen], lang: str = "en") -> list[tuple[str, str, str]]:
    """(lever, unit, allowed range) for each field of a policy's schema."""
    return [
        (name, lever_unit(name, lang), allowed_range(field))
        for name, field in levers.model_fields.items()
    ]
