"""One browser tab's cities: the running model, an optional twin for side by side, and the
few numbers per day the charts show. Plain Python: the page (`sim.page.app`) only draws.

Both cities share scenario and seed, so they draw the same needs (common random numbers):
a difference between them is the policies', not luck's. Lever and policy changes reach a
running city through `CityModel.adopt`, from the next day on.
"""

from __future__ import annotations

import threading
from functools import cache

import numpy as np

from sim import CityModel, ConfigError, load_params
from sim.config.params import Params
from sim.policies import POLICIES, POLICY_NAMES

SCENARIOS = ("default", "old_town", "urban_village", "new_district")
SHOCKS = ("epidemic", "flood", "arrival_wave", "topic_wave")
CHOOSABLE = tuple(n for n in POLICY_NAMES if n != "baseline")
SLIDERS_PER_POLICY = 3  # a policy's main levers: its first bounded numeric ones, unless
MAIN_LEVERS = {  # the ones the classroom exercises move come first
    "kaohe": ("rating_lift_share", "exemption_share", "target_score_share"),
    "resource_sinking": ("staff_moved_share", "authority_share", "specialist_work_share"),
}


@cache
def scenario_params(scenario: str) -> Params:
    """The scenario with no reform, seed 0 (composed once per process; immutable)."""
    return load_params(scenario, ["baseline"], ["sim.progress=false"])


@cache
def default_levers(policy: str) -> dict:
    """A policy's levers as its preset sets them (scenarios/policy/<name>.yaml)."""
    params = load_params("default", [policy], ["sim.progress=false"])
    return getattr(params.policies, policy).model_dump(mode="json")


@cache
def shock_spec(shock: str) -> dict:
    """A shock's preset (scenarios/shock/<name>.yaml)."""
    params = load_params("default", ["baseline"], ["sim.progress=false"], shocks=[shock])
    return getattr(params.shocks, shock).model_dump(mode="json")


def sliders(policy: str) -> list[tuple[str, float, float, bool]]:
    """(lever, min, max, integer) of a policy's main levers, from its schema's ranges."""
    levers = next(p for p in POLICIES if p.name == policy).levers
    out = []
    for name, field in levers.model_fields.items():
        lo = hi = None
        for m in field.metadata:
            lo = m.ge if getattr(m, "ge", None) is not None else lo
            lo = m.gt if getattr(m, "gt", None) is not None else lo
            hi = m.le if getattr(m, "le", None) is not None else hi
        if lo is not None and hi is not None and field.annotation in (int, float):
            out.append((name, float(lo), float(hi), field.annotation is int))
    main = MAIN_LEVERS.get(policy, ())
    out.sort(key=lambda row: main.index(row[0]) if row[0] in main else len(main))
    return out[:SLIDERS_PER_POLICY]


def mix_levers(policies: tuple[str, ...], levers: dict[str, dict]) -> dict[str, dict | None]:
    """Every policy's levers: those of `policies` (preset, then slider values), others None."""
    return {
        name: ({**default_levers(name), **levers.get(name, {})} if name in policies else None)
        for name in CHOOSABLE
    }


class City:
    """A running model and its per-day medians of hours to first contact and to close."""

    def __init__(self, scenario: str, policies: tuple[str, ...], levers: dict, seed: int):
        model = CityModel(scenario_params(scenario), rng=seed)
        if policies:
            model.adopt(mix_levers(policies, levers), day=0)
        self.model = model
        self.contact_h: list[float] = []
        self.close_h: list[float] = []

    def step(self) -> None:
        model = self.model
        t0 = model.origin_h + 24.0 * model.day  # the log's hours are the district's
        t1 = t0 + 24.0
        model.step()
        log = model.state.log
        self.contact_h.append(_median_since(log.known_h, log.responded_h, t0, t1))
        self.close_h.append(_median_since(log.known_h, log.closed_h, t0, t1))


def _median_since(start_h: np.ndarray, end_h: np.ndarray, t0: float, t1: float) -> float:
    today = (end_h >= t0) & (end_h < t1) & np.isfinite(start_h)
    return float(np.median(end_h[today] - start_h[today])) if today.any() else float("nan")


class Session:
    """What one tab runs: settings, the left city and, side by side, the right one."""

    def __init__(self, scenario: str = "default", seed: int = 0):
        self.scenario, self.seed = scenario, seed
        self.policies: tuple[str, ...] = ()
        self.levers: dict[str, dict] = {}
        self.compare: tuple[str, ...] | None = None  # the right city's policies, if shown
        self.shocks: dict[str, dict] = {}
        self.error: str | None = None
        self.lock = threading.RLock()  # the play loop and the controls both change the cities
        self.reset()

    def reset(self) -> None:
        """Both cities from day 0 under the current settings (shocks started are dropped)."""
        self.shocks = {}
        self.left = City(self.scenario, self.policies, self.levers, self.seed)
        self.right = None
        if self.compare is not None:
            self.right = City(self.scenario, self.compare, {}, self.seed)

    def set_city(self, scenario: str, seed: int) -> None:
        """Another scenario or seed: both cities restart from day 0."""
        if scenario not in SCENARIOS or not 0 <= seed <= 2**63 - 1:
            self.error = f"seed = {seed}: must be >= 0" if scenario in SCENARIOS else scenario
            return
        self.scenario, self.seed, self.error = scenario, seed, None
        self.reset()

    @property
    def cities(self) -> list[City]:
        return [self.left] if self.right is None else [self.left, self.right]

    @property
    def day(self) -> int:
        return self.left.model.day

    def step(self) -> None:
        for city in self.cities:
            city.step()

    def _adopt(self, city: City, policies=None, shocks=None) -> bool:
        try:
            city.model.adopt(policies, shocks)
        except ConfigError as exc:
            self.error = str(exc)
            return False
        self.error = None
        return True

    def set_policies(self, policies: tuple[str, ...]) -> None:
        """Adopt or repeal policies on the running left city, from the next day on."""
        if self._adopt(self.left, mix_levers(policies, self.levers)):
            self.policies = tuple(policies)

    def set_lever(self, policy: str, lever: str, value: float) -> None:
        levers = {**self.levers, policy: {**self.levers.get(policy, {}), lever: value}}
        if self._adopt(self.left, mix_levers(self.policies, levers)):
            self.levers = levers

    def set_compare(self, policies: tuple[str, ...] | None) -> None:
        """Show (or hide) the right city; it restarts both from day 0 in lock-step."""
        self.compare = None if policies is None else tuple(policies)
        self.reset()

    def start_shock(self, shock: str) -> None:
        """Start a shock on both cities from the next day on."""
        spec = {**shock_spec(shock), "start_day": self.day}
        for city in self.cities:
            if not self._adopt(city, shocks={shock: spec}):
                return
        self.shocks[shock] = spec
