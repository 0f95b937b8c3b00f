"""The policy registry: every policy, one module each, and what a mix of them does.

`POLICIES` lists them in the fixed catalogue order, which also names a mix. A policy module
(see `sim.policies.base`) declares its levers, descriptions, mechanism change, calendar hooks,
cost entries and budget intensity; adding a policy is one new module, one line in `POLICIES`
and its YAML in `scenarios/policy/`.

Order of effects. Floating-point sums, random draws and one policy adjusting a value another
set all depend on order, so every effect carries its place explicitly, as the engine has
always run them:
- mechanism changes: catalogue order, except `grid_management` first (`change_order=-1`): it
  sets the grid workers' time split that `responsibility_sinking` and `burden_reduction`
  shift; `smart_platform` scales the misroute probability `hotline_merge` set and lowers
  migrants' hotline access before `migrant_inclusion`'s floor; `party_building` shortens the
  return delay `direct_dispatch` set; `online_channels` raises the hotline access those left
  and recomposes the elderly loss `smart_platform` set;
- start of day (`Hook.order`): lines merged into 12345 5, entitlement slots 10, whistle reset
  20, root-cause fixes 30, residents' meetings 40, contracted social workers 50, quota reports
  60, privacy exposure 70;
- end of day: the monthly ranking (`kaohe`) 10, before the day's costs;
- cost entries (`CostEntry.order`, with the standing ones in `sim.costs`): staff wages 10,
  moved staff 20, funds moved down 30, grid workers 40, outreach staff 50, family service
  centres 60, purchased social work 70, volunteer hours 80, honours 90, hotline seats 100,
  platform operation 110, platform capital 120, root-cause fixes 130, entitlement slots 140,
  online channels 150.
"""

from __future__ import annotations

from collections.abc import Iterable

from pydantic import ValidationError

from sim.config.scenario import CityScenario
from sim.config.types import ConfigError
from sim.mechanisms import Mechanisms
from sim.mechanisms import baseline as baseline_mechanisms
from sim.memo import latest
from sim.policies import (
    baseline,
    burden_reduction,
    deliberation,
    direct_dispatch,
    grid_management,
    hotline_merge,
    kaohe,
    migrant_entitlement,
    migrant_inclusion,
    online_channels,
    party_building,
    proactive_governance,
    purchase_services,
    resource_sinking,
    responsibility_sinking,
    smart_platform,
    volunteer_honour,
    volunteer_pay,
    volunteer_points,
    whistle,
)
from sim.policies.base import (
    CostEntry,
    Policy,
    allowed_range,
    lever_label,
    lever_note,
    lever_rows,
)

POLICIES: tuple[Policy, ...] = (
    baseline.POLICY,
    hotline_merge.POLICY,
    direct_dispatch.POLICY,
    kaohe.POLICY,
    whistle.POLICY,
    resource_sinking.POLICY,
    responsibility_sinking.POLICY,
    grid_management.POLICY,
    volunteer_pay.POLICY,
    volunteer_honour.POLICY,
    volunteer_points.POLICY,
    purchase_services.POLICY,
    smart_platform.POLICY,
    migrant_inclusion.POLICY,
    migrant_entitlement.POLICY,
    deliberation.POLICY,
    party_building.POLICY,
    proactive_governance.POLICY,
    burden_reduction.POLICY,
    online_channels.POLICY,
)
POLICY_NAMES: tuple[str, ...] = tuple(policy.name for policy in POLICIES)

# Presets made of other options; a mix holding all parts of a bundle is named by the bundle.
# policies that cost money: a cost entry of their own or an intensity a budget buys
PRICED: tuple[str, ...] = tuple(p.name for p in POLICIES if p.costs or p.intensity)

BUNDLES: dict[str, tuple[str, ...]] = {
    "reform_2019": (
        "hotline_merge",
        "direct_dispatch",
        "kaohe",
        "whistle",
        "resource_sinking",
        "proactive_governance",
    ),
    "hotline": ("hotline_merge", "direct_dispatch", "kaohe"),
}

BUNDLE_TITLES_ZH = {"reform_2019": "接诉即办+吹哨报到+资源下沉+每月一题", "hotline": "接诉即办"}
TITLES_ZH: dict[str, str] = {p.name: p.title_zh for p in POLICIES} | BUNDLE_TITLES_ZH


def title(mix: str, lang: str = "en") -> str:
    """A policy mix as a reader sees it: its name (`hotline+whistle`), or in Chinese its
    policies' titles (`接诉即办+街乡吹哨、部门报到`)."""
    if lang != "zh":
        return mix
    return "+".join(TITLES_ZH.get(part, part) for part in mix.split("+"))


def mix_name(names: Iterable[str]) -> str:
    """The mix as one string: bundles first (largest first), then the rest, joined by '+'."""
    names = list(names)
    rest = [n for n in POLICY_NAMES if n in names]
    parts = []
    for bundle, members in BUNDLES.items():
        if all(m in rest for m in members):
            parts.append(bundle)
            rest = [n for n in rest if n not in members]
    return "+".join(parts + rest) or "baseline"


def in_force(policies) -> list[tuple[Policy, object]]:
    """(policy, its levers) for each policy of a `PolicyMix` in force, in catalogue order."""
    return [(p, levers) for p in POLICIES if (levers := getattr(policies, p.name)) is not None]


def mechanisms(scenario: CityScenario, policies) -> Mechanisms:
    """The mechanism values a run uses: the scenario's baseline, changed by each policy."""
    mech = baseline_mechanisms(scenario)
    for policy, levers in sorted(in_force(policies), key=lambda pair: pair[0].change_order):
        if policy.change is not None:
            mech = policy.change(mech, levers, scenario)
    return mech


def check_kinds(scenario: CityScenario, policies) -> None:
    """Levers that list problem kinds or departments must name those of the scenario."""
    for policy, levers in in_force(policies):
        for fields, valid, noun in (
            (policy.kind_levers, scenario.kinds, "kind"),
            (policy.department_levers, scenario.departments, "department"),
        ):
            for field in fields:
                for name in getattr(levers, field):
                    if name not in valid:
                        raise ValueError(
                            f"policies.{policy.name}.{field}: {name!r} is not a {noun}; "
                            f"{noun}s are {', '.join(valid)}"
                        )


def scale_to_budget(scenario: CityScenario, policies, budget_yuan_per_year: float):
    """Set each priced policy's intensity so that its planned spending is its budget share.

    The budget is shared equally among the policies in force whose intensity has a price.
    Volunteer hours are planned at the scenario's base volunteering (before any crowding);
    the realised spending is reported by the run, so a comparison states both.
    """
    priced = [(p, levers) for p, levers in in_force(policies) if p.intensity is not None]
    if not priced:
        return policies
    share = budget_yuan_per_year / len(priced)
    update = {}
    for policy, levers in priced:
        changes = policy.intensity.scale(levers, share, scenario)
        assert set(changes) <= set(policy.intensity.levers), policy.name
        if changes:
            update[policy.name] = _rescaled(policy.name, levers, changes, budget_yuan_per_year)
    return policies.model_copy(update=update)


def _rescaled(name: str, levers, changes: dict, budget: float):
    """The levers with their scaled intensity, validated by their schema like any input."""
    try:
        return type(levers).model_validate({**levers.model_dump(), **changes})
    except ValidationError as exc:
        error = exc.errors()[0]
        key = str(error["loc"][0])
        field = type(levers).model_fields[key]
        raise ConfigError(
            f"budget_yuan_per_year = {budget:g} cannot be spent on {name}: "
            f"policies.{name}.{key} would be {error['input']:.4g}, "
            f"outside its allowed range {allowed_range(field)}"
        ) from None


def _run_hooks(moment: str, district, day: int) -> None:
    for hook, levers in _hooks(moment, district.params.policies):
        hook.run(district, levers, day)


@latest()
def _hooks(moment: str, policies) -> list:
    """(hook, levers) of the policies in force at `moment`, in the hooks' order (kept for
    the policies, a frozen model: the same object, the same hooks; a run asks twice a day)."""
    hooks = [
        (hook, levers)
        for policy, levers in in_force(policies)
        if (hook := getattr(policy, moment)) is not None
    ]
    return sorted(hooks, key=lambda pair: pair[0].order)


def start_of_day(district, day: int) -> None:
    """The calendar hooks that run before anything arises (entitlements, whistle caps,
    fixes, meetings, contracts, quota reports, privacy exposure)."""
    _run_hooks("start_of_day", district, day)


def end_of_day(district, day: int) -> None:
    """The calendar hooks that run after the day's calls, before its costs (the ranking)."""
    _run_hooks("end_of_day", district, day)


def cost_entries(policies) -> list[tuple[CostEntry, object]]:
    """(entry, levers) for the cost entries of the policies in force."""
    return [(entry, levers) for policy, levers in in_force(policies) for entry in policy.costs]


def catalogue_rows(lang: str = "en", defaults: dict | None = None) -> list[tuple[str, ...]]:
    """`govsim policies`: (policy, mechanism, levers with default, unit, range and what each
    does to which mechanism, costs) per row; `defaults` maps a policy to its preset's lever
    values (scenarios/policy/*.yaml)."""
    zh = lang == "zh"
    defaults = defaults or {}
    rows = []
    for p in POLICIES:
        mine = defaults.get(p.name, {})
        lines = []
        for lever, unit, allowed in lever_rows(p.levers, lang):
            name = f"{lever} = {mine[lever]}" if lever in mine else lever
            if zh:
                name = f"{lever_label(p, lever, lang)} {name}"
            lines.append(f"{name} ({unit}, {allowed})" if unit else f"{name} ({allowed})")
            lines.append(f"  → {lever_note(p, lever, lang)}")
        levers = "\n".join(lines)
        mechanism, costs = (p.mechanism_zh, p.costs_zh) if zh else (p.mechanism_en, p.costs_en)
        rows.append((f"{p.name}\n{p.title_zh}", mechanism, levers or "—", costs))
    for bundle, members in BUNDLES.items():
        parts = " + ".join(f"{m} ({TITLES_ZH[m]})" if zh else m for m in members)
        preset = ("组合: " if zh else "preset of: ") + parts
        rows.append((f"{bundle}\n{BUNDLE_TITLES_ZH[bundle]}", preset, "—", "—"))
    return rows
