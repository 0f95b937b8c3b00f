"""Policies and shocks that change on a day of a running district (before/after designs).

`Params.policy_start_day` names policies of the mix that come into force later: the run
starts without them and adopts them on their day. `CityModel.adopt` does the same on a
running model (the classroom page's sliders and shock button): new levers, a policy more or
less, a shock starting. A change takes effect at the start of its day: mechanisms, handler
staffing, grid and volunteer coverage and the kind table are rebuilt from the new `Params`;
problems, queues, people and random streams carry on, so needs stay paired by seed.
Calendar hooks keep counting from the run's day 0 (a yearly refill of entitlement slots
comes at the next year's start).
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import numpy as np

from sim.config.params import Params, validate
from sim.config.shocks import ShockMix
from sim.handlers import H_DEPARTMENT, build_handlers
from sim.policies import mechanisms
from sim.shocks import Shocks
from sim.stages import staffing
from sim.state import DistrictState, PoolClocks
from sim.world import city_kinds


def at_start(params: Params) -> Params:
    """The params in force on day 0: the mix without the policies that start later."""
    later = {name for name, day in params.policy_start_day.items() if day > 0}
    policies = params.policies.model_copy(update=dict.fromkeys(later))
    return params.model_copy(update={"policies": policies, "policy_start_day": {}})


def with_changes(
    params: Params,
    policies: Mapping[str, Mapping | None] | None = None,
    shocks: Mapping[str, Mapping | None] | None = None,
) -> Params:
    """`params` with some policies' levers (None: repealed) and shocks replaced, validated
    like any input (a `ConfigError` names the key, the value and its range)."""
    tree: dict[str, Any] = params.model_dump(mode="json")
    tree["budget_yuan_per_year"] = None  # levers set here are the levers meant
    tree["policy_start_day"] = {}
    mix = {k: v for k, v in tree["policies"].items() if v is not None}
    mix.update(policies or {})
    mix = {k: v for k, v in mix.items() if v is not None}
    if set(mix) - {"baseline"}:  # a reform adopted ends "no reform"
        mix.pop("baseline", None)
    tree["policies"] = mix
    tree["shocks"] = {**tree["shocks"], **(shocks or {})}
    return validate(tree)


class Calendar:
    """The changes a district run makes on given days: the district's day -> the params in
    force from it (`origin_day`: the district's day that is the run's day 0)."""

    def __init__(self, params: Params, origin_day: int = 0):
        self.changes: dict[int, Params] = {}
        in_force = at_start(params)
        for day in sorted({d for d in params.policy_start_day.values() if d > 0}):
            started = [n for n, d in params.policy_start_day.items() if 0 < d <= day]
            update = {n: getattr(params.policies, n) for n in started}
            mix = in_force.policies.model_copy(update=update)
            self.changes[origin_day + day] = in_force.model_copy(update={"policies": mix})

    def schedule(self, day: int, params: Params) -> None:
        """From `day` on, `params` are in force (later scheduled changes are dropped)."""
        self.changes = {d: p for d, p in self.changes.items() if d < day}
        self.changes[day] = params

    def latest(self, fallback: Params) -> Params:
        """The params of the last scheduled change, or `fallback` if none is pending."""
        return self.changes[max(self.changes)] if self.changes else fallback

    def apply(self, state: DistrictState, day: int) -> Params | None:
        """Put the change due on `day` in force; returns its params, or None if none is due."""
        params = self.changes.pop(day, None)
        if params is not None:
            put_in_force(state, params)
        return params


def put_in_force(state: DistrictState, params: Params) -> None:
    """Rebuild what a district derives from its params, keeping its problems and people."""
    world, scenario = state.world, params.scenario
    mech = mechanisms(scenario, params.policies)
    rebuilt = build_handlers(scenario, mech, world.layout)
    pools, capacity = world.handlers.pools, rebuilt.pools.capacities()
    assert rebuilt.pools.names == pools.names, "a policy changed which pools exist"
    pools.reclock(rebuilt.pools.clocks)  # a duty rota may change office hours
    rebuilt.pools = pools  # the queues carry on; today's servers come from the staffing plan
    state.clocks = PoolClocks(pools.clocks, rebuilt.kind == H_DEPARTMENT)
    world.handlers = rebuilt
    world.kinds = city_kinds(scenario, mech, rebuilt)
    names = np.array(world.kinds.names)
    state.params, state.mech = params, mech
    state.accountable = np.isin(names, mech.dispatch.accountable_kinds)
    state.specialist = np.isin(names, mech.dispatch.specialist_kinds)
    state.staffing.base_capacity = capacity
    state.staffing.planned_capacity = capacity.copy()
    if params.shocks != (state.shocks.mix if state.shocks else ShockMix()):
        state.shocks = _shocks(state, params.shocks)
    staffing.plan_grid_coverage(state)
    staffing.update_volunteers(state)


def _shocks(state: DistrictState, mix: ShockMix) -> Shocks | None:
    if mix == ShockMix():
        return None
    old = state.shocks
    world = state.world
    shocks = Shocks(mix, world.kinds.names, world.layout, state.streams["shocks"], state.origin_day)
    if old is not None and old.mix.arrival_wave == mix.arrival_wave:
        shocks.wave_schedule = old.wave_schedule  # the wave already drawn goes on
    return shocks
