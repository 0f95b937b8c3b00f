"""Compose a run's config from scenario, policy and shock names plus overrides (no CLI).

For notebooks and tests: `load_params("urban_village", ["hotline"], ["sim.days=730"], seed=3)`.
The CLI composes through `@hydra.main` instead and validates with `sim.config.validate`.
"""

from __future__ import annotations

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


def load_params(
    scenario: str = "default",
    policies: Sequence[str] = ("baseline",),
    overrides: Sequence[str] = (),
    seed: int = 0,
    shocks: Sequence[str] = (),
) -> Params:
    return validate(job_tree(compose_config(scenario, policies, overrides, seed, shocks)))
