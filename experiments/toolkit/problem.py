"""The problem every method reads: uncertainties (scenario parameters with ranges and
sources), levers (policy levers with ranges) and outcomes (runs.parquet columns from the
register), plus the method's settings and the search's targets; all checked at the door.

A mistake is a `ConfigError` naming the setting and what is allowed, one line per problem.
"""

from __future__ import annotations

import copy
import difflib
import re
import typing
from typing import Annotated, Any, Literal

from pydantic import Field, ValidationError

from experiments.calibrate import _get, _set
from sim import outcomes
from sim.config.params import _format_error, validate
from sim.config.types import ConfigError, Frozen
from sim.policies import POLICY_NAMES

TOOLKIT_KEYS = ("toolkit", "problem", "target")  # config sections that are not a run's
Count = Annotated[int, Field(ge=1, le=1_000_000)]
TARGET = re.compile(r"^\s*(?P<op>>=|<=)\s*(?P<value>[-+]?[0-9.]+(?:e[-+]?\d+)?)\s*$")


class Uncertainty(Frozen):
    key: str  # dotted scenario key
    low: float
    high: float
    source: str = ""


class Lever(Frozen):
    policy: str
    lever: str
    low: float
    high: float
    source: str = ""

    @property
    def key(self) -> str:
        return f"policies.{self.policy}.{self.lever}"


class Problem(Frozen):
    uncertainties: dict[str, Uncertainty]
    levers: dict[str, Lever] = Field(default_factory=dict)
    outcomes: list[str]


class Morris(Frozen):
    trajectories: Count = 6
    levels: Annotated[int, Field(ge=2, le=20, multiple_of=2)] = 4


class Sobol(Frozen):
    base_samples: Count = 16  # N; a power of two
    confidence_level: Annotated[float, Field(gt=0.5, lt=1.0)] = 0.95
    bootstrap_resamples: Annotated[int, Field(ge=10, le=100_000)] = 200


class Discovery(Frozen):
    samples: Count = 128
    outcome: str = "satisfaction_rate_migrant"  # the policy fails where it does not improve this
    min_improvement: float = 0.0  # ... by at least this much (the outcome's unit)
    peel_alpha: Annotated[float, Field(gt=0.0, lt=0.5)] = 0.05
    mass_min: Annotated[float, Field(gt=0.0, lt=1.0)] = 0.05
    min_density: Annotated[float, Field(gt=0.0, le=1.0)] = 0.8


class Search(Frozen):
    trials: Count = 24
    workers: Annotated[int, Field(ge=1, le=1024)] = 2  # candidates evaluated at once
    startup_trials: Annotated[int, Field(ge=1, le=10_000)] = 8  # random before TPE models


class Toolkit(Frozen):
    method: Literal["sensitivity", "discovery", "policy_search"]
    replications: Count = 1  # seeds per design point: seed, seed+1, ...
    points_per_job: Count = 8  # design points one job evaluates (coarse jobs: low overhead)
    scale: Annotated[int, Field(ge=1, le=10_000)] = 1  # multiplies every design's size
    job: Annotated[int, Field(ge=0)] | None = None  # which block of the design (set by govsim)
    morris: Morris = Morris()
    sobol: Sobol = Sobol()
    discovery: Discovery = Discovery()
    search: Search = Search()


def _model(schema: type[Frozen], data: Any, prefix: str) -> Any:
    try:
        return schema.model_validate(data)
    except ValidationError as exc:
        error = exc.errors()[0]
        error = {**error, "loc": (prefix, *error["loc"])}
        if error["type"] == "extra_forbidden":
            allowed = ", ".join(_fields(schema, error["loc"][1:-1]))
            raise ConfigError(
                f"{'.'.join(map(str, error['loc']))}: unknown setting; settings here are {allowed}"
            ) from None
        raise ConfigError(_format_error(error)) from None


def _fields(schema: type[Frozen], path: tuple) -> list[str]:
    """The settings allowed at `path` inside `schema` (walking sub-models and dict values)."""
    parts = [str(p) for p in path]
    while parts and parts[0] in schema.model_fields:
        annotation = schema.model_fields[parts.pop(0)].annotation
        inner = typing.get_args(annotation)[-1:] or (annotation,)
        if not (isinstance(inner[0], type) and issubclass(inner[0], Frozen)):
            break
        if inner[0] is not annotation:  # a dict of sub-models: skip its key
            parts = parts[1:]
        schema = inner[0]
    return list(schema.model_fields)


def toolkit_of(tree: dict) -> Toolkit:
    return _model(Toolkit, tree.get("toolkit") or {}, "toolkit")


def problem_of(tree: dict) -> Problem:
    return _model(Problem, tree.get("problem") or {}, "problem")


def targets_of(tree: dict) -> dict[str, tuple[str, float]]:
    """`target.<outcome>: '>=0.9'` as {outcome: (op, value)}."""
    parsed = {}
    for name, text in (tree.get("target") or {}).items():
        if text is None:
            continue
        _check_outcome(f"target.{name}", name)
        match = TARGET.match(str(text))
        if match is None:
            raise ConfigError(f"target.{name} = {text!r}: write '>=NUMBER' or '<=NUMBER'")
        parsed[name] = (match["op"], float(match["value"]))
    return parsed


def run_tree(tree: dict) -> dict:
    """The config of one run: the tree without the toolkit's sections."""
    return {k: copy.deepcopy(v) for k, v in tree.items() if k not in TOOLKIT_KEYS}


def with_values(tree: dict, values: dict[str, float]) -> dict:
    """A copy of a run's tree with dotted keys set."""
    out = copy.deepcopy(tree)
    for key, value in values.items():
        _set(out, key, value)
    return out


def _check_outcome(setting: str, name: str) -> None:
    if name not in outcomes.columns():
        close = difflib.get_close_matches(name, outcomes.columns(), n=3)
        hint = f"did you mean {', '.join(close)}? " if close else ""
        raise ConfigError(
            f"{setting}: {name!r} is not an outcome; {hint}outcomes are the columns of "
            "runs.parquet listed in sim/outcomes.py (e.g. satisfaction_rate_migrant, "
            "median_close_h, cost_total_yuan)"
        )


def _check_range(setting: str, low: float, high: float) -> None:
    if not low < high:
        raise ConfigError(f"{setting}: low = {low:g} must be below high = {high:g}")


def _check_key(setting: str, base: dict, key: str) -> None:
    try:
        _get(base, key)
    except (KeyError, TypeError, ValueError):
        raise ConfigError(
            f"{setting}.key: {key!r} is not a number of the run's config; uncertainties are "
            "scenario parameters such as scenario.grid.households_per_grid (ODD.md lists them)"
        ) from None


def _check_extremes(setting: str, base: dict, key: str, low: float, high: float) -> None:
    """Both ends of a range must be values a run accepts."""
    for value in (low, high):
        try:
            validate(with_values(base, {key: value}))
        except ConfigError as exc:
            reason = str(exc).splitlines()[-1].strip()
            raise ConfigError(f"{setting}: {value:g} is not allowed ({reason})") from None


def check(tree: dict) -> tuple[Toolkit, Problem, dict]:
    """Everything a method needs, checked: its settings, the problem, the targets."""
    settings, problem = toolkit_of(tree), problem_of(tree)
    base = run_tree(tree)
    validate(base)
    for name, u in problem.uncertainties.items():
        setting = f"problem.uncertainties.{name}"
        _check_range(setting, u.low, u.high)
        _check_key(setting, base, u.key)
        _check_extremes(setting, base, u.key, u.low, u.high)
    for name in problem.outcomes:
        _check_outcome("problem.outcomes", name)
    _check_outcome("toolkit.discovery.outcome", settings.discovery.outcome)
    sobol_n = settings.sobol.base_samples
    if sobol_n & (sobol_n - 1):
        raise ConfigError(f"toolkit.sobol.base_samples = {sobol_n}: must be a power of two")
    if settings.method == "policy_search":
        _check_levers(problem, base)
    return settings, problem, targets_of(tree)


def _check_levers(problem: Problem, base: dict) -> None:
    in_run = list(base.get("policies") or {})
    for name, lever in problem.levers.items():
        setting = f"problem.levers.{name}"
        if lever.policy not in POLICY_NAMES:
            raise ConfigError(f"{setting}.policy: {lever.policy!r} is not a policy")
        if lever.policy not in in_run:
            raise ConfigError(
                f"{setting}: {lever.policy} is not among the candidate policies {in_run}; "
                f"add it: policy=[{','.join([*in_run, lever.policy])}]"
            )
        _check_range(setting, lever.low, lever.high)
        _check_key(setting, base, lever.key)
        _check_extremes(setting, base, lever.key, lever.low, lever.high)
