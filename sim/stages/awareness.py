"""Stage 0b, awareness of the hotline: who knows 12345 and would think of calling it.

Bass diffusion (Bass 1969, *Management Science* 15(5)): an unaware person learns of the
hotline at the hazard (p + q × A_c × S_c) a year, p = `publicity_rate_per_year` (posters,
media, campaigns), q = `word_of_mouth_rate_per_year`, A_c the aware share of the present
people of their community and S_c their mean satisfaction (neighbours talk about the
hotline as their cases went). A person is aware once their cumulative hazard passes their
own threshold E ~ Exp(1), drawn from the `awareness` stream when they take their place, so
a policy changes the hazard, never the draws (common random numbers). A person arrives
aware with their group's `initial_hotline_awareness_share` a0: the cumulative hazard starts
at −ln(1 − a0) (infinite when a0 = 1: everyone knows the number).
"""

from __future__ import annotations

import numpy as np

from sim import passes
from sim.clock import DAYS_PER_YEAR
from sim.state import DistrictState


def start(state: DistrictState) -> None:
    """Day 0: everyone's threshold and starting hazard."""
    _take_places(state, np.arange(state.world.population.capacity))


def spread(state: DistrictState) -> None:
    """Newcomers take their places; the unaware present learn of the hotline today."""
    pop = state.world.population
    _take_places(state, state.arrived_today)
    unaware = np.flatnonzero(pop.present & ~pop.aware)
    if len(unaware) == 0:
        return
    spec = state.scenario.behaviour
    n = len(state.world.layout.community_site)
    here = pop.present
    people = np.maximum(np.bincount(pop.community[here], minlength=n), 1)
    aware = np.bincount(pop.community[here], weights=pop.aware[here], minlength=n) / people
    satisfied = np.bincount(pop.community[here], weights=pop.satisfaction[here], minlength=n)
    word_of_mouth = aware * satisfied / people
    community = pop.community[unaware]
    hazard_per_day = (
        spec.publicity_rate_per_year + spec.word_of_mouth_rate_per_year * word_of_mouth[community]
    ) / DAYS_PER_YEAR
    pop.awareness_hazard[unaware] += hazard_per_day
    pop.aware[unaware] = pop.awareness_hazard[unaware] >= pop.awareness_threshold[unaware]


def aware_share_by_group(state: DistrictState) -> np.ndarray:
    """The aware share of each group's present people (resident, migrant)."""
    pop = state.world.population
    people, aware = passes.aware_by_group(pop.group, pop.present, pop.aware)
    return aware / np.maximum(people, 1)


def _take_places(state: DistrictState, slots: np.ndarray) -> None:
    """People who take these places: their threshold, starting hazard and awareness."""
    pop, spec = state.world.population, state.scenario.population
    groups = (spec.resident, spec.migrant)
    initial = np.array([g.initial_hotline_awareness_share for g in groups])
    with np.errstate(divide="ignore"):
        start_hazard = -np.log1p(-initial)
    pop.awareness_threshold[slots] = state.streams["awareness"].exponential(1.0, len(slots))
    pop.awareness_hazard[slots] = start_hazard[pop.group[slots]]
    pop.aware[slots] = pop.awareness_hazard[slots] >= pop.awareness_threshold[slots]
