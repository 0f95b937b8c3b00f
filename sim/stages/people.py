"""Stage 8, people's updates: satisfaction, trust, willingness to report, expectations.

The functional forms are pure functions in `sim.behaviour`; here they are applied to the
people's columns: an owner feels each ending of their problem, learns how long things take,
compares notes with neighbours weekly, and is more or less willing to report as trust moves.
"""

from __future__ import annotations

import numba
import numpy as np

from sim import behaviour, passes
from sim.state import D, DistrictState


def feel(state: DistrictState, ids: np.ndarray, score: np.ndarray) -> None:
    """Owners' satisfaction and trust move toward the case's score, and so do those of the
    neighbours a shared problem affected (`affected_neighbours`): one compiled call,
    `passes.feel`."""
    if not state.scenario.behaviour.enabled or len(ids) == 0:
        return
    passes.feel(np.asarray(ids, np.int64), np.asarray(score, float), *feel_columns(state))


def feel_columns(state: DistrictState) -> tuple:
    """What `passes.feel` reads and writes after the cases and their scores."""
    spec, pop, log = state.scenario.behaviour, state.world.population, state.log
    return (
        (log.slot, log.shared, log.cell, log.n_affected, log.draws[:, D["u_affected"]]),
        (pop.present, pop.trust, pop.satisfaction),
        (state.slots_by_cell, state.cell_start, pop.present_by_cell),
        (spec.trust_learning_share, spec.satisfaction_learning_share),
        log.cols["satisfaction_change"],
    )  # fmt: skip


def affected_neighbours(state: DistrictState, ids: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """The neighbours each shared problem `ids` affected (`passes.affected_neighbours`, as
    `feel` moves them): (index into `ids`, slot) pairs."""
    log = state.log
    problems = (log.slot, log.cell, log.n_affected, log.draws[:, D["u_affected"]])
    return passes.affected_neighbours(
        np.asarray(ids, np.int64), problems, (state.slots_by_cell, state.cell_start,
        state.world.population.present_by_cell), state.world.population.present,
    )  # fmt: skip


def learn_columns(state: DistrictState) -> tuple:
    """What `learn` reads and writes after the cases and their hours to close (expectations
    move toward the experienced share of the closure deadline)."""
    pop, log = state.world.population, state.log
    return (
        (log.slot, log.kind), (pop.present, pop.expectation_ratio),
        state.world.kinds.closure_deadline_h,
        float(state.scenario.behaviour.expectation_learning_share),
    )  # fmt: skip


@numba.njit(cache=True, nogil=True)
def learn(ids, actual_h, problems, people, closure_deadline_h, share):
    """Present owners' expectation ratios move a `share` of the way toward the experienced
    share of their case's closure deadline, each change from the ratios before any (then
    added in order, as `passes.add_in_order`). `problems` is the log's (slot, kind),
    `people` (present, expectation ratio). The numpy form's operations, in its order."""
    slot, kind = problems
    present, expectation_ratio = people
    change = np.empty(len(ids))
    for i in range(len(ids)):
        experienced = actual_h[i] / closure_deadline_h[kind[ids[i]]]
        change[i] = share * (experienced - expectation_ratio[slot[ids[i]]])
    for i in range(len(ids)):
        s = slot[ids[i]]
        if present[s]:
            expectation_ratio[s] += change[i]


def promise_pull(spec, publicity_per_year: float) -> float:
    """Publicity promises quick handling: the share of the way the expectations of people
    who know the hotline move each day toward the promised share of the limit (more
    publicity, faster; `passes.spread_awareness` moves them)."""
    return min(1.0, spec.publicity_expectation_share * publicity_per_year / 365.0)


def share_expectations(state: DistrictState) -> None:
    """Expectations drift toward the community's: people compare notes with neighbours."""
    pop = state.world.population
    passes.pull_to_community_mean(
        pop.community, pop.present, pop.expectation_ratio, len(state.world.layout.community_site),
        state.scenario.behaviour.neighbour_expectation_share,
    )  # fmt: skip


def willingness_to_report(state: DistrictState, slots=slice(None)) -> np.ndarray:
    """Willingness to report of the people in `slots` (everyone by default), 0..1."""
    pop, traits = state.world.population, state.traits
    return behaviour.report_willingness(
        pop.trust[slots],
        pop.group[slots],
        pop.owner[slots],
        traits.base_willingness,
        traits.initial_trust,
        state.scenario.population.renter_report_multiplier,
        state.scenario.behaviour.trust_report_effect,
    )


def volunteer_propensity(state: DistrictState, slots=slice(None)) -> np.ndarray:
    """Probability of volunteering of the people in `slots` (everyone by default), 0..1."""
    pop = state.world.population
    levers = state.mech.volunteers
    return behaviour.volunteer_prob(
        pop.trust[slots], pop.group[slots], state.traits.initial_trust,
        state.scenario.volunteers, (levers.stipend_yuan_per_h, levers.honour_share),
    )  # fmt: skip
