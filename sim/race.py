"""The latent needs' daily race as compiled loops (numba): each need's five hazard rates,
the first of its thresholds crossed today, and the channel a report goes through.

Per problem the loops do the floating-point operations of the numpy expressions they
replace (kept in tests/test_race.py), in the same order, so results are bit for bit the
same. Compiled once and cached on disk (`cache=True`).
"""

from __future__ import annotations

import math

import numba
import numpy as np

from sim import fmath, passes
from sim.city import LAND_USES
from sim.population import ELDERLY
from sim.records import COMMUNITY, HOTLINE, SOCIAL_ORG
from sim.state import N_HAZARDS, R_GRID, R_LAPSE, R_REPORT, R_SELF, R_VOLUNTEER

URBAN_VILLAGE = LAND_USES.index("urban_village")
CHANNEL_CODES = np.array([HOTLINE, COMMUNITY, SOCIAL_ORG], np.int8)
# the problem log's columns the race reads, in the order of its `problems` tuple
PROBLEM_COLUMNS = ("arisen_h", "cell", "kind", "slot", "group", "land_use", "shared", "n_affected")


@numba.njit(cache=True, nogil=True, inline="always")
def report_rates_per_h(p, problems, people, kinds, factors, access, channel_rates, out):
    """Problem p's report hazard per hour through each channel (hotline, community, social
    organisation) into out[5:8]. Every array is read before the first branch: an array
    read after one kept references alive across it, which cost more than the sums."""
    _, _, kind, slot, group, land_use, shared, n_affected = problems
    willing, age_band, aware = people
    _, _, enforcement_sensitive, report_multiplier, social_org_channel, _, _ = kinds
    k, s, g = kind[p], slot[p], group[p]
    willing_p, multiplier = willing[s], report_multiplier[k]
    risky = enforcement_sensitive[k] & (land_use[p] == URBAN_VILLAGE)
    n, is_shared = float(n_affected[p]), shared[p]
    elderly, knows, social_org = age_band[s] == ELDERLY, aware[s], social_org_channel[k]
    hotline, community, social = access[g, 0], access[g, 1], access[g, 2]
    c0, c1, c2 = channel_rates[0], channel_rates[1], channel_rates[2]
    willing_p = willing_p * factors[5] if risky else willing_p
    reporters = n ** factors[6] if is_shared else 1.0
    base = willing_p * multiplier * reporters / 24.0
    hotline = hotline * (factors[7] if elderly else 1.0)
    hotline = hotline * (1.0 if knows else 0.0)
    out[5] = base * hotline * c0
    out[6] = base * community * c1
    out[7] = base * social * c2
    out[7] = out[7] * (1.0 if social_org else 0.0)


@numba.njit(cache=True, nogil=True, inline="always")
def hazard_rates_per_h(p, problems, people, kinds, cells, factors, access, channel_rates, out):
    """Problem p's five hazard rates per hour into out[0:5] and its report hazard by
    channel into out[5:8]. `factors`: grid patrol factor, detection per day, patrol
    effectiveness, informant neighbours, informants' pass-on per day, 1 − enforcement risk,
    shared reporters' exponent, 1 − elderly hotline loss."""
    cell, kind = problems[1][p], problems[2][p]
    patrol, home_visit, _, _, _, self_resolve, lapse = kinds
    grid_patrol, grid_visit, volunteer_patrol, volunteer_share = cells
    on_patrol, at_home = patrol[kind], home_visit[kind]
    visible = 1.0 if on_patrol > at_home else 0.0
    out[R_GRID] = (
        grid_patrol[cell] * on_patrol * factors[0]
        + grid_visit[cell] * at_home
        + visible * factors[1]
    ) / 24.0
    informants = factors[3] * volunteer_share[cell]
    out[R_VOLUNTEER] = (
        volunteer_patrol[cell] * factors[2] * on_patrol + informants * factors[4] * at_home
    ) / 24.0
    out[R_SELF] = self_resolve[kind]
    out[R_LAPSE] = lapse[kind]
    report_rates_per_h(p, problems, people, kinds, factors, access, channel_rates, out)
    out[R_REPORT] = out[5] + out[6] + out[7]


@numba.njit(cache=True, nogil=True, inline="always")
def first_to_fire(rates, threshold, hazard):
    """The hazard whose threshold is crossed first at these rates, and the hours until then
    (`np.argmin` of the waits: the first of equals, or the first NaN)."""
    first, first_wait = 0, np.inf
    for j in range(N_HAZARDS):
        rate, left = rates[j], threshold[j] - hazard[j]
        wait = left / rate if rate > 0 else np.inf
        wait = 0.0 if wait < 0 else wait
        if math.isnan(wait):
            return j, wait
        if j == 0 or wait < first_wait:
            first, first_wait = j, wait
    return first, first_wait


@numba.njit(cache=True, nogil=True)
def thresholds(draws, ids):
    """The Exp(1) thresholds of the needs `ids`' five hazards, from their first five draws
    (as `state.exp1`), one row per need: drawn when a need arises, kept while it is latent
    (computing them again every day cost five logarithms a need and day)."""
    out = np.empty((len(ids), N_HAZARDS))
    for i in range(len(ids)):
        for j in range(N_HAZARDS):
            out[i, j] = fmath.exp1(draws[ids[i], j])
    return out


@numba.njit(cache=True, nogil=True)
def race(ids, threshold, hazard, day_h, problems, draws, people, kinds, cells, tables):
    """Advance each latent need `ids` (its hazards' `threshold` and accumulated `hazard` in
    the rows of the same index) through the day (t0, t1) = `day_h`: the hazards of those
    where none fires accumulate; for the others, which fired and when, and a report's
    channel (by its `u_channel` draw `tables[3]`). `tables`: (factors, access by group and
    channel, the channels' report rates, u_channel's column). Returns (fired, which, hour,
    channel), the last three meaningful where fired."""
    factors, access, channel_rates, u_column = tables
    n = len(ids)
    fired = np.zeros(n, np.bool_)
    which = np.zeros(n, np.int64)
    when = np.zeros(n)
    channel = np.full(n, -1, np.int8)
    rates = np.empty(8)
    for i in range(n):
        p = ids[i]
        hazard_rates_per_h(p, problems, people, kinds, cells, factors, access, channel_rates, rates)
        start = max(day_h[0], problems[0][p])
        span = day_h[1] - start
        first, first_wait = first_to_fire(rates, threshold[i], hazard[i])
        if not first_wait <= span:
            for j in range(N_HAZARDS):
                hazard[i, j] = hazard[i, j] + rates[j] * span
            continue
        fired[i], which[i], when[i] = True, first, start + first_wait
        if first == R_REPORT:
            channel[i] = report_channel(rates, np.float64(draws[p, u_column]))
    return fired, which, when, channel


@numba.njit(cache=True, nogil=True)
def advance(ids, threshold, hazard, day_h, problems, draws, people, kinds, cells, tables):
    """The day's race in one call: `race` (its arguments), `by_hazard` of the needs that
    fired, and the rows of the others moved up in place (`passes.keep_rows`: `ids`,
    `threshold` and `hazard` keep them first). Returns by_hazard's four arrays and how many
    needs stay latent (one call, not three: each cost its own ~10 us a day)."""
    fired, which, when, channel = race(
        ids, threshold, hazard, day_h, problems, draws, people, kinds, cells, tables
    )
    grouped = by_hazard(ids, fired, which, when, channel)
    return grouped, passes.keep_rows(~fired, ids, threshold, hazard)


@numba.njit(cache=True, nogil=True, inline="always")
def report_channel(rates, u):
    """The channel of a report, picked in proportion to each channel's hazard (rates[5:8]):
    the number of cumulative shares at or below u (at most the last channel; u a float32
    draw widened, as numpy compared it with the float64 shares)."""
    total = rates[5] + rates[6] + rates[7]
    cum, below = 0.0, 0
    for c in range(5, 8):
        cum = cum + rates[c]
        below += u >= cum / total
    return CHANNEL_CODES[min(below, 2)]


@numba.njit(cache=True, nogil=True)
def by_hazard(ids, fired, which, when, channel):
    """The needs that fired, grouped by the hazard that fired (in order within each): their
    ids, hours and report channels, and where each hazard's group starts and ends (group
    j is rows bounds[j]:bounds[j + 1])."""
    bounds = np.zeros(N_HAZARDS + 1, np.int64)
    for i in range(len(ids)):
        if fired[i]:
            bounds[which[i] + 1] += 1
    bounds = np.cumsum(bounds)
    at = bounds[:-1].copy()
    hit, hit_h = np.empty(bounds[-1], ids.dtype), np.empty(bounds[-1])
    hit_channel = np.empty(bounds[-1], channel.dtype)
    for i in range(len(ids)):
        if fired[i]:
            j = at[which[i]]
            hit[j], hit_h[j], hit_channel[j] = ids[i], when[i], channel[i]
            at[which[i]] += 1
    return hit, hit_h, hit_channel, bounds
