"""The state a run starts from: an empty problem log over a built world, with the district's
rules, people's traits, grid and volunteer coverage and planned staffing in place."""

from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np

from sim.config.shocks import ShockMix
from sim.handlers import H_DEPARTMENT
from sim.mechanisms import Mechanisms
from sim.shocks import Shocks
from sim.stages import awareness, calls, experience, staffing
from sim.state import (
    Coverage,
    DistrictState,
    GroupTraits,
    PoolClocks,
    Programmes,
    RunState,
    Staffing,
)
from sim.world import World

if TYPE_CHECKING:  # for the signature only: the state is built from validated Params
    from sim.config.params import Params


def new_district(params: Params, world: World, mech: Mechanisms, streams) -> DistrictState:
    """A city district on day 0: nobody has a problem yet; coverage and staff are planned."""
    handlers, layout, pop = world.handlers, world.layout, world.population
    n_cells, n_streets = layout.n_cells, len(layout.street_site)
    capacity = handlers.pools.capacities()
    slots_by_cell = np.argsort(pop.cell, kind="stable")
    cell_start = np.searchsorted(pop.cell[slots_by_cell], np.arange(n_cells))
    shocks = None
    if params.shocks != ShockMix():
        shocks = Shocks(params.shocks, world.kinds.names, layout, streams["shocks"])
    state = DistrictState(
        world=world,
        streams=streams,
        clocks=PoolClocks(handlers.pools.clocks, handlers.kind == H_DEPARTMENT),
        params=params,
        mech=mech,
        traits=GroupTraits.of(params.scenario),
        coverage=Coverage(*(np.zeros(n_cells) for _ in range(4))),
        staffing=Staffing(
            base_capacity=capacity,
            planned_capacity=capacity.copy(),
            pressed_capacity=np.zeros(len(capacity)),
        ),
        programmes=Programmes(
            entitlement_slots=np.zeros(3, np.int64),
            entitlements_used=np.zeros(3, np.int64),
            entitlements_used_today=np.zeros(3, np.int64),
            whistles_this_month=np.zeros(n_streets, np.int64),
            fix_until_day=np.zeros((world.kinds.n, len(layout.community_site)), np.int64),
            policy_gap_factor=np.ones(world.kinds.n),
        ),
        experience=experience.new(len(capacity)),
        shocks=shocks,
        pressure=np.zeros(n_streets),
        accountable=np.isin(np.array(world.kinds.names), mech.dispatch.accountable_kinds),
        specialist=np.isin(np.array(world.kinds.names), mech.dispatch.specialist_kinds),
        slots_by_cell=slots_by_cell,
        cell_start=cell_start,
    )
    # expectation as a share of the closure deadline
    pop.expectation_ratio[:] = params.scenario.behaviour.initial_expectation_deadline_ratio
    awareness.start(state)
    calls.take_places(state, np.arange(pop.capacity))
    staffing.plan_grid_coverage(state)
    staffing.update_volunteers(state)
    return state


def new_queue_run(world: World, streams) -> RunState:
    """The textbook queue's state: its one pool and an empty log."""
    handlers = world.handlers
    return RunState(
        world, streams, PoolClocks(handlers.pools.clocks, handlers.kind == H_DEPARTMENT)
    )
