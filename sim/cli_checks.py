"""The command line's arguments checked and translated before Hydra sees them: Chinese policy
and shock names become their ids (`policy=接诉即办` is `policy=hotline`); an unknown name,
alone or in a list, a lever a policy does not have, and a lever of a policy (or a setting of
a shock) the run does not use are refused in one line that names the valid choices or the
fix; with the policy or shock swept, a lever goes to the arms that run it (`sim.arms`)."""

from __future__ import annotations

from importlib import resources

from sim.arms import GROUPS, group_value, levers_per_arm, names_in, running, sweeps
from sim.config.types import ConfigError
from sim.policies import BUNDLES, POLICIES, POLICY_NAMES, TITLES_ZH

SHOCK_TITLES_ZH = {
    "疫情": "epidemic",
    "洪涝": "flood",
    "人口流入潮": "arrival_wave",
    "热点诉求潮": "topic_wave",
}
GROUP_KEYS = ("policy", "+policy", "shock", "+shock")
LEVERS = {policy.name: tuple(policy.levers.model_fields) for policy in POLICIES}


def shock_names() -> list[str]:
    folder = resources.files("scenarios") / "shock"
    return sorted(
        p.name.removesuffix(".yaml") for p in folder.iterdir() if p.name.endswith(".yaml")
    )


def _aliases(key: str) -> dict[str, str]:
    """Chinese name -> id for a config group, longest first (so that a bundle's name wins
    over a policy's name inside it)."""
    pairs = SHOCK_TITLES_ZH if "shock" in key else {zh: name for name, zh in TITLES_ZH.items()}
    return dict(sorted(pairs.items(), key=lambda pair: -len(pair[0])))


def translated(argument: str) -> str:
    """`policy=接诉即办,网格化管理` -> `policy=hotline,grid_management`; others unchanged."""
    key, sep, value = argument.partition("=")
    if not sep or key not in GROUP_KEYS:
        return argument
    for zh, name in _aliases(key).items():
        value = value.replace(zh, name)
    return f"{key}={value}"


def check_names(argument: str) -> None:
    """Refuse an unknown policy or shock name, in a list too, naming the valid ones."""
    key, sep, value = argument.partition("=")
    if not sep or key not in GROUP_KEYS:
        return
    group = key.lstrip("+")
    valid = [*POLICY_NAMES, *BUNDLES] if group == "policy" else shock_names()
    for name in names_in(value):
        if name not in valid:
            raise ConfigError(f"unknown {group} {name!r}; {group} names are: {', '.join(valid)}")


def check_levers(arguments: list[str]) -> None:
    """A lever of a policy (`policies.volunteer_pay.x=…`) must be one of its levers (Hydra
    would only say the key is not in its struct)."""
    for argument in arguments:
        key = argument.partition("=")[0].lstrip("+~")
        parts = key.split(".")
        policy_lever = len(parts) >= 3 and parts[0] == "policies" and parts[1] in LEVERS
        if policy_lever and parts[2] not in LEVERS[parts[1]]:
            raise ConfigError(
                f"{key}: {parts[1]} has no lever {parts[2]!r}; its levers are: "
                f"{', '.join(LEVERS[parts[1]])}"
            )


def check_in_run(arguments: list[str]) -> None:
    """A policy's lever (`policies.volunteer_pay.x=…`) or a shock's setting
    (`shocks.flood.radius_cells=5`) needs that policy or shock in the run: say which
    `policy=` or `shock=` to add (Hydra would suggest a `+` that makes every run fail)."""
    for prefix, group in GROUPS.items():
        value = group_value(arguments, group)
        in_run = set() if value is None else running(group, value)
        valid = POLICY_NAMES if group == "policy" else shock_names()
        for argument in arguments:
            key = argument.partition("=")[0].lstrip("+~")
            parts = key.split(".")
            if len(parts) < 2 or parts[0] != prefix or parts[1] in in_run:
                continue
            name = parts[1]
            if name not in valid:
                raise ConfigError(f"{key}: {name!r} is not a {group}; {prefix} are: "
                                  f"{', '.join(valid)}")  # fmt: skip
            raise ConfigError(
                f"{key} belongs to the {group} {name}, which this command does not run: add "
                f"{group}={name} (or list it, {group}=[...,{name}])"
            )


def compose_fixed(arguments: list[str], policy_swept: bool = True) -> dict | None:
    """The config tree the fixed (not swept) arguments compose to, or None where that
    cannot be known before launch: a fixed argument depends on a swept one (a policy's or
    shock's keys, unless `policy_swept` is False) or on a user's search path, or Hydra
    refuses it (and will say so)."""
    from hydra import compose, initialize_config_module
    from hydra.core.global_hydra import GlobalHydra
    from hydra.errors import HydraException

    from sim.config.load import job_tree

    # `key=value`, and `~key` deletions (`~problem.uncertainties.x` shrinks a design)
    fixed = [a for a in arguments if ("=" in a or a.startswith("~")) and not sweeps(a)]
    dependent = ("policies.", "shocks.", "hydra.searchpath")
    if not policy_swept:
        dependent = ("hydra.searchpath",)
    if any(a.lstrip("~+").startswith(dependent) for a in fixed):
        return None
    fixed = [a for a in fixed if not a.lstrip("~").startswith(("hydra.", "hydra/", "+hydra"))]
    GlobalHydra.instance().clear()
    try:
        with initialize_config_module(config_module="scenarios", version_base="1.3"):
            return job_tree(compose(config_name="config", overrides=fixed))
    except HydraException:
        return None  # Hydra itself will say it, as one line (see cli_process.QuietStderr)
    finally:
        GlobalHydra.instance().clear()


def precheck_multirun(arguments: list[str]) -> None:
    """Before a multirun creates its folder: validate the config its fixed arguments give
    (swept keys at their defaults), so a mistake that every run would share
    (`sim.days=-3`) is one line, not a folder of failed runs."""
    from sim.config.params import validate

    tree = compose_fixed(arguments)
    if tree is None:
        return
    for section in ("calibration", "toolkit", "problem", "target"):  # methods check their own
        tree.pop(section, None)
    validate(tree)


def checked(arguments: list[str]) -> list[str]:
    """The arguments with Chinese names translated, after the checks above (ConfigError)."""
    arguments = [translated(a) for a in arguments]
    for argument in arguments:
        check_names(argument)
    check_levers(arguments)
    check_in_run(arguments)
    return levers_per_arm(arguments)
