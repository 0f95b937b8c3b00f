"""Stage 0b, awareness of the hotline: who knows 12345 and would think of calling it.

Each person holds a stock of exposure to the hotline H (Nerlove & Arrow 1962's advertising
goodwill): each day it gains the Bass (1969) hazard (p + q × A_c × S_c) / 365 and fades at
the rate δ = `awareness_decay_rate_per_year`, H ← H × exp(−δ / 365) + gain. p is the
scenario's `publicity_rate_per_year` plus a policy's publicity (`Access`), q =
`word_of_mouth_rate_per_year`, A_c the aware share of the present people of their community
and S_c their mean satisfaction (neighbours talk about the hotline as their cases went). A
person knows the number while H passes their own threshold E ~ Exp(1), drawn from the
`awareness` stream when they take their place, so a policy changes the stock, never the draws
(common random numbers); with δ > 0 people who stop hearing of it forget it, and under
steady publicity the aware share settles at 1 − exp(−gain / δ). A person arrives with their
group's `initial_hotline_awareness_share` a0: H starts at −ln(1 − a0) (infinite when a0 = 1:
everyone knows the number for good).
"""

from __future__ import annotations

import math

import numpy as np

from sim import passes
from sim.clock import DAYS_PER_YEAR
from sim.stages.people import promise_pull
from sim.state import DistrictState


def start(state: DistrictState) -> None:
    """Day 0: everyone's threshold and starting hazard."""
    _take_places(state, np.arange(state.world.population.capacity))


def spread(state: DistrictState) -> None:
    """Newcomers take their places; everyone's exposure grows by today's hearing and fades;
    those who know the hotline hear its promise; the same pass counts, by group, who could
    call it today and how willing they are (`state.hotline_reach`, for the calls stage; it
    reads today's willingness, so that is set first). One compiled pass,
    `passes.spread_awareness`."""
    pop, spec = state.world.population, state.scenario.behaviour
    _take_places(state, state.arrived_today)
    publicity = spec.publicity_rate_per_year + state.mech.access.publicity_rate_per_year
    rates = (
        len(state.world.layout.community_site),
        publicity,
        spec.word_of_mouth_rate_per_year,
        math.exp(-spec.awareness_decay_rate_per_year / DAYS_PER_YEAR),
        promise_pull(spec, publicity),
        spec.promised_expectation_ratio,
    )
    visits_per_day = state.mech.access.migrant_visit_rate_per_year / DAYS_PER_YEAR
    state.hotline_reach = passes.spread_awareness(
        pop.community, pop.group, pop.present, pop.aware, pop.satisfaction, pop.awareness_hazard,
        pop.awareness_threshold, pop.expectation_ratio, state.willing, rates,
        np.array([0.0, visits_per_day]),
    )  # fmt: skip


def _take_places(state: DistrictState, slots: np.ndarray) -> None:
    """People who take these places: their threshold, starting hazard and awareness (one
    compiled pass, `passes.take_places`)."""
    pop, spec = state.world.population, state.scenario.population
    start_hazard = np.array([_start_hazard(g) for g in (spec.resident, spec.migrant)])
    thresholds = state.streams["awareness"].exponential(1.0, len(slots))
    columns = (pop.group, pop.awareness_threshold, pop.awareness_hazard, pop.aware)
    passes.take_places(np.asarray(slots, np.int64), thresholds, start_hazard, columns)


def _start_hazard(group) -> float:
    """−ln(1 − a0) of the group's initial awareness share a0 (the C library's log1p, as
    `fmath.log1p`); infinite at a0 = 1: aware for good."""
    share = group.initial_hotline_awareness_share
    return -math.log1p(-share) if share < 1.0 else math.inf
