"""Params: everything a run needs, validated once at the door.

Config enters once, as a composed Hydra/OmegaConf tree, and is validated here into frozen
pydantic models. Inside the model everything trusts `Params`. A user mistake becomes a
`ConfigError` whose message has one line per problem: the key, the value, the allowed range.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Annotated, Any, Literal

from pydantic import Field, ValidationError, create_model, model_validator

from sim.config.scenario import CityScenario, SimSpec, TextbookScenario
from sim.config.shocks import ShockMix
from sim.config.types import ConfigError, Frozen
from sim.policies import (
    BUNDLES,
    POLICIES,
    POLICY_NAMES,
    check_kinds,
    mix_name,
    scale_to_budget,
)


class _Mix(Frozen):
    @property
    def names(self) -> list[str]:
        return [name for name in POLICY_NAMES if getattr(self, name) is not None]


# one optional field per policy of the registry, holding its levers
PolicyMix = create_model(
    "PolicyMix",
    __base__=_Mix,
    __doc__="The policies in force; each is absent (None) or its levers.",
    **{policy.name: (policy.levers | None, None) for policy in POLICIES},
)


class Params(Frozen):
    """Everything a run needs, validated."""

    seed: Annotated[int, Field(ge=0, le=2**63 - 1)]
    resume: bool = False
    # if set, `validate` resolves it into the priced policies' levers (`scale_to_budget`)
    budget_yuan_per_year: Annotated[float, Field(gt=0.0, le=1e11)] | None = None
    lang: Literal["en", "zh"] = "en"
    sim: SimSpec
    scenario: Annotated[CityScenario | TextbookScenario, Field(discriminator="type")]
    policies: PolicyMix
    shocks: ShockMix = ShockMix()
    # policies of the mix that come into force on a later day (before/after designs)
    policy_start_day: dict[str, Annotated[int, Field(ge=0, le=36_500)]] = Field(
        default_factory=dict
    )

    @model_validator(mode="after")
    def _combinations(self) -> Params:
        names = self.policies.names
        if "baseline" in names and len(names) > 1:
            raise ValueError(
                f"policy 'baseline' means no reform and cannot be combined with {names[1:]}"
            )
        if isinstance(self.scenario, TextbookScenario) and set(names) - {"baseline"}:
            raise ValueError("scenario 'textbook_queue' has no city: use policy=baseline")
        for name in self.policy_start_day:
            if name in BUNDLES:
                members = BUNDLES[name]
                raise ValueError(
                    f"policy_start_day.{name}: {name} is a preset of {list(members)}; give "
                    f"each member its day, e.g. +policy_start_day.{members[0]}=90"
                )
            if name not in names or name == "baseline":
                raise ValueError(f"policy_start_day.{name}: not a policy of the mix {names}")
        if isinstance(self.scenario, TextbookScenario) and self.shocks != ShockMix():
            raise ValueError("scenario 'textbook_queue' has no city: it takes no shock")
        if isinstance(self.scenario, CityScenario):
            for name in ("epidemic", "flood", "topic_wave"):
                shock = getattr(self.shocks, name)
                if shock is None:
                    continue
                for kind in shock.kinds:
                    if kind not in self.scenario.kinds:
                        raise ValueError(
                            f"shocks.{name}.kinds: {kind!r} is not a kind; "
                            f"kinds are {', '.join(self.scenario.kinds)}"
                        )
                if shock.need_multiplier > self.scenario.surge_ceiling:
                    raise ValueError(
                        f"shocks.{name}.need_multiplier = {shock.need_multiplier}: must be <= "
                        f"scenario.surge_ceiling ({self.scenario.surge_ceiling})"
                    )
            check_kinds(self.scenario, self.policies)
        return self

    @property
    def policy_mix(self) -> str:
        """The policy mix as one string: bundles, then policies in catalogue order, '+'-joined."""
        return mix_name(self.policies.names)


def _format_error(error: dict[str, Any]) -> str:
    loc = [str(part) for part in error["loc"]]
    if loc[:1] == ["scenario"] and loc[1:2] in (["city"], ["textbook_queue"]):
        del loc[1]  # pydantic puts the union tag in the path; the user never wrote it
    key = ".".join(loc)
    message = error["msg"].removeprefix("Value error, ")
    if not key:
        return message
    if error["type"] == "extra_forbidden":
        return f"{key}: unknown key (not in the schema; check the spelling)"
    if error["type"] == "missing":
        return f"{key}: missing (required)"
    value = error.get("input")
    ctx = error.get("ctx") or {}
    bounds = []
    for name, symbol in (("ge", ">="), ("gt", ">"), ("le", "<="), ("lt", "<")):
        if name in ctx:
            bounds.append(f"{symbol} {ctx[name]}")
    if bounds:
        return f"{key} = {value!r}: must be {' and '.join(bounds)}"
    if isinstance(value, Mapping | list):
        return f"{key}: {message}"
    return f"{key} = {value!r}: {message}"


def validate(tree: Mapping[str, Any]) -> Params:
    """Validate a plain config tree (after OmegaConf resolution) into `Params`."""
    policies = tree.get("policies") or {}
    unknown = [name for name in policies if name not in POLICY_NAMES]
    if unknown:
        raise ConfigError(
            f"unknown policy {unknown[0]!r}: valid policies are {', '.join(POLICY_NAMES)}"
        )
    tree = {**tree, "policies": {name: value or {} for name, value in policies.items()}}
    scenario = tree.get("scenario")
    if isinstance(scenario, Mapping) and "type" not in scenario:
        name = scenario.get("name", "?")
        raise ConfigError(
            f"scenario {name!r} says neither 'type: city' nor 'type: textbook_queue': start its "
            "file with `defaults: [default, _self_]` to build on the default district and "
            "override only what differs"
        )
    try:
        params = Params.model_validate(tree)
    except ValidationError as exc:
        lines = sorted({_format_error(e) for e in exc.errors()})
        raise ConfigError("invalid configuration:\n  " + "\n  ".join(lines)) from None
    budget = params.budget_yuan_per_year
    if budget is None or not isinstance(params.scenario, CityScenario):
        return params
    # a budget is resolved into levers here, at the door, so that they are validated once
    # and the whole run (mechanisms, calendar hooks, costs) sees the same scaled levers
    scaled = scale_to_budget(params.scenario, params.policies, budget)
    return params.model_copy(update={"policies": scaled})
