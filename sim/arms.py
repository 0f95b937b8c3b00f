"""Which levers each arm of a sweep gets. With the policy (or shock) swept, a lever of one
policy (`policies.hotline_merge.misroute_prob=0.1`) or shock (`shocks.flood.radius_cells=5`)
applies to the arms that run it: `govsim compare policy=baseline,hotline_merge
policies.hotline_merge.misroute_prob=0.1,0.3` runs baseline once per seed and pairs each
value with it. The command line passes such a lever as `++…` (`levers_per_arm`), so that
Hydra can compose the sweep's primary config, whose policy and shock are the defaults; the
seed-group sweeper gives each job only its own arm's levers, as plain overrides (`for_arm`).
"""

from __future__ import annotations

from importlib import resources

import yaml

from sim.policies import BUNDLES

GROUPS = {"policies": "policy", "shocks": "shock"}  # a lever's prefix -> its group's key


def names_in(value: str) -> list[str]:
    """The option names in `a`, `[a,b]`, `a,b` or `a,[b,c]` (sweep functions are left to Hydra)."""
    if "(" in value:
        return []
    cleaned = value.replace("[", ",").replace("]", ",")
    return [name.strip() for name in cleaned.split(",") if name.strip() and name.strip() != "null"]


def sweeps(argument: str) -> bool:
    """Whether an override sweeps (`a,b`, `range(…)`, `choice(…)`), not counting the commas
    inside a list (`[a,b]`)."""
    value = argument.partition("=")[2]
    depth, top_level_comma = 0, False
    for char in value:
        depth += char in "[{("
        depth -= char in "]})"
        top_level_comma |= char == "," and depth == 0
    return top_level_comma or value.startswith(("range(", "choice(", "glob("))


def run_policies(value: str) -> set[str]:
    """The policies a `policy=` value runs (in every arm of a sweep), bundles expanded."""
    names = set(names_in(value))
    return names | {member for bundle in names & set(BUNDLES) for member in BUNDLES[bundle]}


def running(group: str, value: str) -> set[str]:
    """The policies (bundles expanded) or shocks a `policy=` or `shock=` value runs."""
    return run_policies(value) if group == "policy" else set(names_in(value))


def group_value(arguments: list[str], group: str) -> str | None:
    """The `policy=` (or `shock=`) the command gives, or else its experiment preset's swept
    value (`govsim compare`: every policy), or None."""
    given = [a.partition("=")[2] for a in arguments if a.partition("=")[0].lstrip("+") == group]
    if given:
        return given[-1]
    presets = [a.partition("=")[2] for a in arguments if a.partition("=")[0] == "experiment"]
    path = resources.files("experiments") / "experiment" / f"{presets[-1] if presets else ''}.yaml"
    if not presets or not path.is_file():
        return None
    config = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
    value = config.get("hydra", {}).get("sweeper", {}).get("params", {}).get(group)
    return None if value is None else str(value)


def levers_per_arm(arguments: list[str]) -> list[str]:
    """The command's arguments, a lever of a swept policy or shock written `++…`."""
    sweeper = [a.partition("=")[2] for a in arguments if a.lstrip("+").startswith("hydra/sweeper")]
    if sweeper and sweeper[-1] != "seed_groups":  # another sweeper gives every arm every lever
        return arguments
    swept = tuple(
        f"{prefix}."
        for prefix, group in GROUPS.items()
        if (value := group_value(arguments, group)) is not None and sweeps(f"{group}={value}")
    )
    return [f"++{a}" if swept and a.startswith(swept) and "=" in a else a for a in arguments]


def for_arm(overrides: list[str]) -> list[str]:
    """One job's overrides without the levers of the policies and shocks it does not run,
    and its own ones as plain overrides (its config has them): a paired comparison's
    baseline arm keeps its own config, and run folders their usual names."""
    out = list(overrides)
    for prefix, group in GROUPS.items():
        values = [o.partition("=")[2] for o in out if o.partition("=")[0].lstrip("+") == group]
        if not values:
            continue
        in_run = running(group, values[0])
        kept = []
        for o in out:
            parts = o.partition("=")[0].lstrip("+").split(".")
            if len(parts) >= 2 and parts[0] == prefix and parts[1] not in in_run:
                continue  # another arm's lever
            kept.append(o.removeprefix("++") if o.startswith(f"++{prefix}.") else o)
        out = kept
    return out


def arm_jobs(jobs) -> list[list[str]]:
    """A sweep's jobs as they run: each with only its arm's levers (`for_arm`) and
    `shock=null` as the empty list Hydra takes for a job (it refuses a group's null there),
    once each (the baseline arm of a lever's sweep is one job per seed, not one per value)."""
    ran = (tuple(_no_shock(o) for o in for_arm(list(job))) for job in jobs)
    return [list(job) for job in dict.fromkeys(ran)]


def _no_shock(override: str) -> str:
    return "shock=[]" if override in ("shock=null", "+shock=null") else override
