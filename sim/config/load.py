"""Compose a run's config from scenario, policy and shock names plus overrides (no CLI).

For notebooks and tests: `load_params("urban_village", "hotline", ["sim.days=730"], seed=3)`.
The CLI composes through `@hydra.main` instead and validates with `sim.config.validate`.
"""

from __future__ import annotations

import warnings
from collections.abc import Sequence

from hydra import compose, initialize_config_module
from hydra.core.global_hydra import GlobalHydra
from hydra.errors import HydraException
from omegaconf import DictConfig, OmegaConf

from sim.config.params import Params, validate
from sim.config.types import ConfigError

CONFIG_MODULE = "scenarios"


def compose_config(
    scenario: str = "default",
    policies: Sequence[str] = ("baseline",),
    overrides: Sequence[str] = (),
    seed: int = 0,
    shocks: Sequence[str] = (),
) -> DictConfig:
    args = [f"scenario={scenario}", f"policy=[{','.join(policies)}]", f"seed={seed}"]
    if shocks:
        args.append(f"shock=[{','.join(shocks)}]")
    args += list(overrides)
    if GlobalHydra.instance().is_initialized():
        GlobalHydra.instance().clear()
    try:
        with initialize_config_module(config_module=CONFIG_MODULE, version_base="1.3"):
            return compose(config_name="config", overrides=args)
    except HydraException as exc:
        raise ConfigError(str(exc).strip().splitlines()[0]) from None


def job_tree(cfg: DictConfig) -> dict:
    """The job config as plain data, without Hydra's own node."""
    tree = OmegaConf.to_container(cfg, resolve=True)
    tree.pop("hydra", None)
    return tree


def _names(names: str | Sequence[str] | None) -> tuple[str, ...]:
    """One name or several, as a tuple ("hotline" is one policy, not seven letters)."""
    if names is None:
        return ()
    return (names,) if isinstance(names, str) else tuple(names)


def load_params(
    scenario: str = "default",
    policy: str | Sequence[str] = "baseline",
    overrides: Sequence[str] = (),
    seed: int = 0,
    shock: str | Sequence[str] = (),
    *,
    policies: Sequence[str] | None = None,
    shocks: Sequence[str] | None = None,
) -> Params:
    """A run's validated `Params`, composed as `govsim run` composes them: the same names
    (`policy`, `shock`) and the same dotted overrides.

    >>> params = load_params("urban_village", ["hotline", "grid_management"],
    ...                      ["sim.days=730"], seed=3, shock="flood")
    >>> params.policy_mix, params.sim.days
    ('hotline+grid_management', 730)

    `policy` and `shock` take one name or a list; `policies=` and `shocks=` are the older
    spellings of the same. Raises `ConfigError` (one line per problem) on a bad name or value.
    """
    if policies is not None or shocks is not None:
        warnings.warn(
            "load_params: policies= and shocks= are now policy= and shock= (the CLI names)",
            DeprecationWarning,
            stacklevel=2,
        )
    chosen = _names(policies) if policies is not None else _names(policy)
    strikes = _names(shocks) if shocks is not None else _names(shock)
    return validate(job_tree(compose_config(scenario, chosen, overrides, seed, strikes)))
