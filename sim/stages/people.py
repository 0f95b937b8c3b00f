"""Stage 8, people's updates: satisfaction, trust, willingness to report, expectations.

The functional forms are pure functions in `sim.behaviour`; here they are applied to the
people's columns: an owner feels each ending of their problem, learns how long things take,
compares notes with neighbours weekly, and is more or less willing to report as trust moves.
"""

from __future__ import annotations

import numpy as np

from sim import behaviour
from sim.state import DistrictState


def feel(state: DistrictState, ids: np.ndarray, score: np.ndarray) -> None:
    """Owners' satisfaction and trust move toward the case's score."""
    spec = state.scenario.behaviour
    if not spec.enabled:
        return
    pop, log = state.world.population, state.log
    slot = log.slot[ids]
    present = pop.present[slot]
    d_satisfaction = spec.satisfaction_learning_share * (score - pop.satisfaction[slot])
    d_trust = spec.trust_learning_share * (score - pop.trust[slot])
    touched = slot[present]
    np.add.at(pop.satisfaction, touched, d_satisfaction[present])
    np.add.at(pop.trust, touched, d_trust[present])
    pop.satisfaction[touched] = np.clip(pop.satisfaction[touched], 0.0, 1.0)
    pop.trust[touched] = np.clip(pop.trust[touched], 0.0, 1.0)
    log.cols["satisfaction_change"][ids] = np.where(present, d_satisfaction, np.nan)


def learn_expectations(state: DistrictState, ids: np.ndarray, actual_h: np.ndarray) -> None:
    """Expectations move toward the experienced share of the closure deadline."""
    pop, log = state.world.population, state.log
    slot = log.slot[ids]
    present = pop.present[slot]
    experienced = actual_h / state.world.kinds.closure_deadline_h[log.kind[ids]]
    share = state.scenario.behaviour.expectation_learning_share
    np.add.at(
        pop.expectation_ratio,
        slot[present],
        share * (experienced - pop.expectation_ratio[slot])[present],
    )


def share_expectations(state: DistrictState) -> None:
    """Expectations drift toward the community's: people compare notes with neighbours."""
    pop = state.world.population
    here = pop.present
    n = len(state.world.layout.community_site)
    total = np.bincount(pop.community[here], weights=pop.expectation_ratio[here], minlength=n)
    count = np.bincount(pop.community[here], minlength=n)
    mean = total / np.maximum(count, 1)
    share = state.scenario.behaviour.neighbour_expectation_share
    pop.expectation_ratio[here] += share * (mean[pop.community[here]] - pop.expectation_ratio[here])


def willingness_to_report(state: DistrictState, slots=slice(None)) -> np.ndarray:
    """Willingness to report of the people in `slots` (everyone by default), 0..1."""
    pop, traits = state.world.population, state.traits
    group = pop.group[slots]
    return behaviour.report_willingness(
        pop.trust[slots],
        traits.base_willingness[group],
        traits.initial_trust[group],
        pop.owner[slots],
        state.scenario.population.renter_report_multiplier,
        state.scenario.behaviour.trust_report_effect,
    )


def volunteer_propensity(state: DistrictState, slots=slice(None)) -> np.ndarray:
    """Probability of volunteering of the people in `slots` (everyone by default), 0..1."""
    pop = state.world.population
    return behaviour.volunteer_prob(
        pop.trust[slots],
        state.traits.initial_trust[pop.group[slots]],
        state.scenario.volunteers,
        state.mech.volunteers.stipend_yuan_per_h,
        state.mech.volunteers.honour_share,
    )
