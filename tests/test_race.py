"""The compiled race of latent needs (`sim.race`) gives what the numpy expressions it
replaced give, bit for bit, on varied inputs: rates, the first hazard to fire and when, the
accumulated hazards of the others, and a report's channel."""

from __future__ import annotations

import numpy as np
from hypothesis import given, settings
from hypothesis import strategies as st

from sim import fmath, passes, race
from sim.population import ELDERLY
from sim.records import COMMUNITY, HOTLINE, SOCIAL_ORG
from sim.state import N_HAZARDS, R_REPORT, exp1

N_KINDS, N_CELLS, N_SLOTS = 6, 9, 40


def _inputs(n_problems: int, seed: int):
    """Random problems, people, kinds, cells and constants in `race.race`'s layout."""
    rng = np.random.default_rng(seed)
    size = n_problems + 5
    problems = (
        rng.random(size) * 48.0,  # arisen_h: before or within the day (24, 48]
        rng.integers(0, N_CELLS, size).astype(np.int32),
        rng.integers(0, N_KINDS, size).astype(np.int16),
        rng.integers(0, N_SLOTS, size),
        rng.integers(0, 2, size).astype(np.int8),
        rng.integers(0, 4, size).astype(np.int8),  # land use, urban village among them
        rng.random(size) < 0.3,
        rng.integers(1, 30, size).astype(np.int32),
    )
    draws = rng.random((size, 40)).astype(np.float32)
    draws[rng.random(size) < 0.05, 0] = 1.0  # a float32 uniform rounded up
    hazard = rng.exponential(0.05, (size, N_HAZARDS))
    people = (
        rng.random(N_SLOTS),
        rng.integers(0, 3, N_SLOTS).astype(np.int8),
        rng.random(N_SLOTS) < 0.6,
    )
    zero_some = lambda x: np.where(rng.random(len(x)) < 0.2, 0.0, x)  # noqa: E731
    kinds = (
        rng.random(N_KINDS),
        rng.random(N_KINDS),
        rng.random(N_KINDS) < 0.5,
        zero_some(rng.random(N_KINDS) * 0.3),
        rng.random(N_KINDS) < 0.5,
        zero_some(rng.random(N_KINDS) * 0.01),
        zero_some(rng.random(N_KINDS) * 0.01),
    )
    cells = tuple(zero_some(rng.random(N_CELLS) * 0.3) for _ in range(4))
    factors = tuple(float(f) for f in rng.random(8) * 2)
    tables = (factors, rng.random((2, 3)), zero_some(rng.random(3)), 7)
    ids = rng.permutation(size)[:n_problems]
    return ids, problems, draws, hazard, people, kinds, cells, tables


def _rates_numpy(ids, problems, people, kinds, cells, tables):
    """The rates as `latent._hazard_rates_per_h` computed them (n x 5, n x 3 by channel)."""
    _, cell, kind, slot, group, land_use, shared, n_affected = (c[ids] for c in problems)
    willing, age_band, aware = people
    patrol, home, enforcement, report_mult, social_org, self_rate, lapse_rate = kinds
    grid_patrol, grid_visit, volunteer_patrol, volunteer_share = cells
    factors, access_table, channel_rates, _ = tables
    risky = enforcement[kind] & (land_use == race.URBAN_VILLAGE)
    willing = np.where(risky, willing[slot] * factors[5], willing[slot])
    reporters = np.where(shared, fmath.power(n_affected, factors[6]), 1.0)
    base = willing * report_mult[kind] * reporters / 24.0
    access = access_table[group]
    access[:, 0] *= np.where(age_band[slot] == ELDERLY, factors[7], 1.0)
    access[:, 0] *= aware[slot]
    per_channel = base[:, None] * access * channel_rates[None, :]
    per_channel[:, 2] *= social_org[kind]
    rates = np.empty((len(ids), N_HAZARDS))
    rates[:, R_REPORT] = per_channel.sum(axis=1)
    visible = patrol[kind] > home[kind]
    rates[:, 1] = (
        grid_patrol[cell] * patrol[kind] * factors[0]
        + grid_visit[cell] * home[kind]
        + visible * factors[1]
    ) / 24.0
    informants = factors[3] * volunteer_share[cell]
    rates[:, 2] = (
        volunteer_patrol[cell] * factors[2] * patrol[kind] + informants * factors[4] * home[kind]
    ) / 24.0
    rates[:, 3], rates[:, 4] = self_rate[kind], lapse_rate[kind]
    return rates, per_channel


def _race_numpy(ids, day_h, problems, draws, hazard, people, kinds, cells, tables):
    """The race as `latent.latent_needs` ran it: (fired, which, when, channel) by problem."""
    rates, per_channel = _rates_numpy(ids, problems, people, kinds, cells, tables)
    start = np.maximum(day_h[0], problems[0][ids])
    span = day_h[1] - start
    threshold = exp1(draws[ids, :N_HAZARDS])
    before = hazard[ids]
    with np.errstate(divide="ignore", invalid="ignore"):
        wait = np.where(rates > 0, (threshold - before) / rates, np.inf)
    wait = np.where(wait < 0, 0.0, wait)
    first = np.argmin(wait, axis=1)
    first_wait = wait[np.arange(len(ids)), first]
    happens = first_wait <= span
    hazard[ids[~happens]] = before[~happens] + rates[~happens] * span[~happens, None]
    with np.errstate(divide="ignore", invalid="ignore"):
        cum = np.cumsum(per_channel, axis=1) / per_channel.sum(axis=1, keepdims=True)
    u = draws[ids, tables[3]][:, None]
    channel = np.array([HOTLINE, COMMUNITY, SOCIAL_ORG])[(u >= cum).sum(axis=1).clip(0, 2)]
    channel = np.where(happens & (first == R_REPORT), channel, -1)
    return happens, first, start + first_wait, channel


@settings(max_examples=80, deadline=None)
@given(st.integers(0, 60), st.integers(0, 2**32 - 1))
def test_the_race_is_the_numpy_form(n_problems, seed):
    ids, problems, draws, hazard, people, kinds, cells, tables = _inputs(n_problems, seed)
    day_h = (24.0, 48.0)
    expected_hazard = hazard.copy()
    fired, which, when, channel = _race_numpy(
        ids, day_h, problems, draws, expected_hazard, people, kinds, cells, tables
    )
    threshold, latent_hazard = race.thresholds(draws, ids), hazard[ids]  # rows by latent need
    got = race.race(
        ids, threshold, latent_hazard, day_h, problems, draws, people, kinds, cells, tables
    )
    assert np.array_equal(got[0], fired)
    assert np.array_equal(got[1][fired], which[fired])
    assert np.array_equal(got[2][fired], when[fired])
    assert np.array_equal(got[3], channel)
    assert np.array_equal(latent_hazard, expected_hazard[ids])


@settings(max_examples=60, deadline=None)
@given(st.integers(0, 80), st.integers(0, 2**32 - 1))
def test_needs_that_fired_are_grouped_by_hazard_in_order(n, seed):
    """`race.by_hazard` gives, for each hazard, what `x[fired & (which == j)]` gave."""
    rng = np.random.default_rng(seed)
    ids, fired = rng.permutation(200)[:n], rng.random(n) < 0.3
    which, when = rng.integers(0, N_HAZARDS, n), rng.random(n) * 24.0
    channel = rng.integers(-1, 3, n).astype(np.int8)
    hit, hit_h, hit_channel, bounds = race.by_hazard(ids, fired, which, when, channel)
    assert bounds[0] == 0 and bounds[-1] == fired.sum()
    for j in range(N_HAZARDS):
        rows, chosen = slice(bounds[j], bounds[j + 1]), fired & (which == j)
        assert np.array_equal(hit[rows], ids[chosen])
        assert np.array_equal(hit_h[rows], when[chosen])
        assert np.array_equal(hit_channel[rows], channel[chosen])


@settings(max_examples=40, deadline=None)
@given(st.integers(0, 60), st.integers(0, 2**32 - 1))
def test_a_days_race_in_one_call_is_its_three_steps(n_problems, seed):
    """`race.advance` gives what `race`, `by_hazard` and `passes.keep_rows` gave in turn:
    the same groups, and the needs that did not fire moved up with their rows."""
    ids, problems, draws, hazard, people, kinds, cells, tables = _inputs(n_problems, seed)
    threshold, latent_hazard = race.thresholds(draws, ids), hazard[ids]
    steps = (ids.copy(), threshold.copy(), latent_hazard.copy())
    fired, which, when, channel = race.race(
        *steps, (24.0, 48.0), problems, draws, people, kinds, cells, tables
    )
    want = race.by_hazard(steps[0], fired, which, when, channel)
    n_want = passes.keep_rows(~fired, *steps)
    got, n = race.advance(
        ids, threshold, latent_hazard, (24.0, 48.0), problems, draws, people, kinds, cells, tables
    )
    assert n == n_want
    assert all(np.array_equal(a, b) for a, b in zip(got, want, strict=True))
    for a, b in zip((ids, threshold, latent_hazard), steps, strict=True):
        assert np.array_equal(a[:n], b[:n])
