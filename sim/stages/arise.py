"""Stage 1, needs arise: individual needs per person and shared needs per residential cell.

Candidates are drawn for every population slot (present or not) at an envelope rate and then
thinned to each person's rate, so that a policy that lowers a rate rejects a subset of the
same candidates and everyone else's needs stay the same (common random numbers). Every
per-problem random number is drawn here, when the need arises.
"""

from __future__ import annotations

import numba
import numpy as np

from sim import passes, race
from sim.memo import latest
from sim.population import ELDERLY, MIGRANT
from sim.state import DRAWS, D, DistrictState, RunState


def individual_candidates(run: RunState, t0: float, ceiling: float):
    """Candidate needs of every slot today: (slot, kind, hour, accept_u, draws, envelope)."""
    pop, rng = run.world.population, run.streams["needs"]
    envelope, total, shares = envelopes(run.world.kinds, ceiling, shared=False)
    n = rng.poisson(pop.capacity * total * 24.0) if total > 0 else 0
    slot = rng.integers(0, pop.capacity, n)
    kind = choose(rng, shares, n) if n else np.empty(0, int)
    hour = t0 + 24.0 * rng.random(n)
    accept_u = rng.random(n)
    draws = rng.random((n, len(DRAWS)))
    return slot, kind, hour, accept_u, draws, envelope


def choose(rng: np.random.Generator, shares: np.ndarray, n: int) -> np.ndarray:
    """`rng.choice(len(p), n, p=p)` without its checks of `p` (~12 us a call), `shares`
    being `cumulative_shares(p)`: the same draws and the same picks, numpy's inverse CDF
    (a uniform each, searched in the normalised cumulative sum of p)."""
    return shares.searchsorted(rng.random(n), side="right")


def cumulative_shares(p: np.ndarray) -> np.ndarray:
    """The normalised cumulative sum of p that `choose` searches (as `Generator.choice`)."""
    cdf = np.cumsum(p)
    cdf /= cdf[-1]
    return cdf


@latest()
def envelopes(kinds, ceiling: float, shared: bool) -> tuple:
    """By kind, the rate candidates are drawn at (a cell's, or a person's: the highest any
    person may have), times the surge ceiling; its total; and the shares `choose` searches
    (None for a total of 0). Kept for the kinds and ceiling (kinds never change in place):
    not ten numpy calls a day."""
    if shared:
        envelope = kinds.rate_per_cell_h * ceiling
    else:
        top = np.maximum(kinds.migrant_multiplier, 1.0) * np.maximum(kinds.elderly_multiplier, 1.0)
        envelope = kinds.rate_per_person_h * top * ceiling
    total = envelope.sum()
    return envelope, total, cumulative_shares(envelope / total) if total > 0 else None


def needs_arise(state: DistrictState, t0: float, t1: float) -> None:
    """Today's new needs join the latent ones: individual candidates, then shared ones
    (drawn in that order), thinned, and logged as one batch (individual needs first, each
    part in order of the hour it arises): the thinning and ordering are one compiled pass,
    `new_needs`."""
    kinds, pop = state.world.kinds, state.world.population
    ceiling = state.scenario.surge_ceiling
    slot, kind, hour, accept_u, draws, envelope = individual_candidates(state, t0, ceiling)
    shock = _shock_multiplier(state, kind, pop.cell[slot])
    own = (slot, kind, hour, accept_u, draws, envelope, kinds.rate_per_person_h, shock)
    shared = _shared_candidates(state, t0, ceiling)
    people = (pop.group, pop.age_band, pop.present, pop.cell, kinds.migrant_multiplier,
              kinds.elderly_multiplier)  # fmt: skip
    cells = (state.slots_by_cell, state.cell_start, pop.present_by_cell, pop.present)
    slot, kind, hour, draws, sharing = new_needs(
        own, shared, _fixes(state), people, cells, kinds.affected_share
    )
    ids = _log_rows(state, slot, kind, hour, draws, sharing)
    state.add_latent(ids, race.thresholds(state.log.draws, ids))


def _shared_candidates(state: DistrictState, t0: float, ceiling: float) -> tuple:
    """Candidates per residential cell (none drawn if no kind is shared): (cell, kind, hour,
    accept_u, draws, envelope, rate by kind, shock multiplier)."""
    kinds, rng = state.world.kinds, state.streams["needs"]
    rate_h = kinds.rate_per_cell_h
    cell_env, total, shares = envelopes(kinds, ceiling, shared=True)
    if not total > 0:  # (rates >= 0 and a ceiling >= 1: as the rates' sum)
        empty = np.empty(0)
        no_draws = np.empty((0, len(DRAWS)))
        return (np.empty(0, np.int64),) * 2 + (empty, empty, no_draws, cell_env, rate_h, empty)
    cells = np.flatnonzero(state.world.layout.residential)
    n = rng.poisson(len(cells) * total * 24.0)
    cell = cells[rng.integers(0, len(cells), n)]
    kind = choose(rng, shares, n)
    hour = t0 + 24.0 * rng.random(n)
    accept_u = rng.random(n)
    draws = rng.random((n, len(DRAWS)))
    shock = _shock_multiplier(state, kind, cell)
    return cell, kind, hour, accept_u, draws, cell_env, rate_h, shock


OWNER_DRAW = D["u_owner"]


@numba.njit(cache=True, nogil=True)
def new_needs(own, shared, fixes, people, cells, affected_share):
    """The rows to log of today's candidates: those `accepted` of a person's (`own`: slot,
    kind, hour, accept_u, draws, envelope, rate by kind, shock; `people`: group, age band,
    presence and cell by slot, kinds' migrant and elderly multipliers) in hour order
    (`in_hour_order`), then those of a cell's (`shared`: cell first), each owned by a
    present person there (`owned_in_hour_order`; `cells` as it takes them). Returns their
    (slot, kind, hour, draws) and (shared, people affected): 1 for a person's need, for a
    cell's round(`affected_share` × present in the owner's cell), at least 1."""
    slot, kind, hour, accept_u, draws, envelope, rate_h, shock = own
    group, age_band, present, cell_of, migrant, elderly = people
    person = (slot, group, age_band, present, migrant, elderly)
    keep = accepted(kind, cell_of[slot], accept_u, envelope, rate_h, fixes, shock, person)
    rows = in_hour_order(np.flatnonzero(keep), hour)
    cell, c_kind, c_hour, c_accept_u, c_draws, c_envelope, c_rate_h, c_shock = shared
    nobody = (np.empty(0, np.int64), group, age_band, present, migrant, elderly)
    keep = accepted(c_kind, cell, c_accept_u, c_envelope, c_rate_h, fixes, c_shock, nobody)
    c_rows, owner = owned_in_hour_order(keep, cell, c_draws[:, OWNER_DRAW], cells, c_hour)
    n, m = len(rows), len(c_rows)
    out_slot, out_kind = np.empty(n + m, np.int64), np.empty(n + m, np.int64)
    out_hour, out_draws = np.empty(n + m), np.empty((n + m, draws.shape[1]))
    is_shared, n_affected = np.zeros(n + m, np.bool_), np.ones(n + m)
    for i in range(n):
        r = rows[i]
        out_slot[i], out_kind[i], out_hour[i] = slot[r], kind[r], hour[r]
        out_draws[i] = draws[r]
    present_by_cell = cells[2]
    for j in range(m):
        r, s, i = c_rows[j], owner[j], n + j
        out_slot[i], out_kind[i], out_hour[i] = s, c_kind[r], c_hour[r]
        out_draws[i] = c_draws[r]
        is_shared[i] = True
        affected = np.rint(affected_share[c_kind[r]] * present_by_cell[cell_of[s]])
        n_affected[i] = max(1.0, affected)  # np.maximum(1, np.round(...))'s
    return out_slot, out_kind, out_hour, out_draws, (is_shared, n_affected)


def _fixes(state: DistrictState) -> tuple:
    """What `accepted` reads of root-cause fixes: the last day each (kind, community) fix
    holds, today, the rate's factor under a fix, and each cell's community."""
    fix_share = 1.0 - state.mech.services.fix_rate_cut_share
    return (state.programmes.fix_until_day, state.day, fix_share, state.world.layout.community)


def _shock_multiplier(state: DistrictState, kind: np.ndarray, cell: np.ndarray) -> np.ndarray:
    """Each candidate's need multiplier from shocks (empty: none in the run)."""
    if state.shocks is None:
        return np.empty(0)
    return state.shocks.need_multiplier(state.day, kind, cell)


@numba.njit(cache=True, nogil=True)
def accepted(kind, cell, accept_u, envelope, rate_h, fixes, shock, person):
    """Which candidates are kept (thinning: `accept_u` × the envelope below the rate):
    `rate_h` by kind, times, for a person's need (`person`: the candidates' slots, people's
    group, age band and presence, kinds' migrant and elderly multipliers; its slots empty
    for a cell's candidates), the migrant and elderly multipliers and presence; then the
    mechanisms that change how often needs arise: root-cause fixes (`fixes`, from `_fixes`)
    and shocks (`shock`, each candidate's; empty: none). Thinning keeps common random
    numbers: a lower rate rejects a subset of the same candidates; a shock may raise a rate
    up to `surge_ceiling`. The floating-point operations are numpy's of the vector form."""
    fix_until_day, day, fix_share, community = fixes
    slot, group, age_band, present, migrant, elderly = person
    keep = np.empty(len(kind), np.bool_)
    for i in range(len(kind)):
        k = kind[i]
        multiplier = fix_share if fix_until_day[k, community[cell[i]]] > day else 1.0
        if len(shock):
            multiplier = multiplier * shock[i]
        rate, here = rate_h[k], True
        if len(slot):
            s = slot[i]
            rate = rate * (migrant[k] if group[s] == MIGRANT else 1.0)
            rate = rate * (elderly[k] if age_band[s] == ELDERLY else 1.0)
            here = present[s]
        keep[i] = here and accept_u[i] * envelope[k] < rate * multiplier
    return keep


@numba.njit(cache=True, nogil=True)
def in_hour_order(rows, hour):
    """`rows` in order of the hour they arise (a stable sort, as numpy's)."""
    return rows[np.argsort(hour[rows], kind="mergesort")]


@numba.njit(cache=True, nogil=True)
def owned_in_hour_order(keep, cell, u_owner, cells, hour):
    """The kept candidates of cells with a present person, in order of the hour they arise
    (stable), and each one's owner: the k-th present person of its cell, k = ⌊u_owner ×
    present⌋ (at most present − 1; `passes.kth_present`). `cells` is (slots by cell,
    where each cell's start, each cell's present count, present)."""
    slots_by_cell, cell_start, present_by_cell, present = cells
    rows, owner = np.flatnonzero(keep), np.empty(len(keep), np.int64)
    n = 0
    for row in rows:
        here = present_by_cell[cell[row]]
        if here > 0:
            k = min(np.int64(u_owner[row] * here), max(here - 1, 0))
            rows[n] = row
            owner[n] = passes.kth_present(slots_by_cell, present, cell_start[cell[row]], k)
            n += 1
    order = np.argsort(hour[rows[:n]], kind="mergesort")
    return rows[:n][order], owner[:n][order]


def _in_order(slot, kind, hour, draws, n_affected) -> tuple:
    """The rows in order of the hour they arise (stable)."""
    order = in_hour_order(np.arange(len(hour)), hour)
    return slot[order], kind[order], hour[order], draws[order], n_affected[order]


def log_new_problems(run: RunState, slot, kind, hour, draws) -> np.ndarray:
    """Write new problems, each its owner's alone, to the log in order of the hour they
    arise (the textbook queue's arrivals); returns their ids."""
    if len(slot) == 0:
        return np.empty(0, np.int64)
    rows = _in_order(slot, kind, hour, draws, np.ones(len(slot)))
    return _log_rows(run, *rows[:4], (np.zeros(len(slot), np.bool_), rows[4]))


def _log_rows(run: RunState, slot, kind, hour, draws, sharing) -> np.ndarray:
    """Write these new problems to the log, in this order; `sharing` is (shared, people
    affected) of each. Returns their ids."""
    if len(slot) == 0:
        return np.empty(0, np.int64)
    pop, kinds, log = run.world.population, run.world.kinds, run.log
    rows = log.reserve(len(slot), draws)
    _write_new(
        rows.start, slot, kind, hour, sharing, draws[:, D["u_department"]],
        log.columns(NEW_COLUMNS),
        (
            pop.person_id, pop.cell, pop.group, pop.community, pop.street_office, pop.land_use,
            pop.expectation_ratio, pop.frequent_caller,
        ),
        (kinds.category, kinds.contact_deadline_h, kinds.closure_deadline_h,
         kinds.needs_department_prob),
    )  # fmt: skip
    ids = log.extend(len(slot))
    run.counters.arisen += len(ids)
    return ids


# the log's fields a new problem is given, in the order of `_write_new`'s `columns`
NEW_COLUMNS = (
    "person_id", "slot", "cell", "kind", "shared", "n_affected", "category", "group",
    "community", "street_office", "land_use", "arisen_h", "contact_deadline_h",
    "closure_deadline_h", "needs_department", "expected_h", "frequent_caller",
)  # fmt: skip


@numba.njit(cache=True, nogil=True)
def _write_new(start, slot, kind, hour, sharing, u_department, columns, people, kinds):
    """New problems' fields from their owner's and kind's, written from row `start` on in
    one pass (instead of a gather and a write per field): `sharing` is each one's (shared,
    people affected), `people` the owners' (person id, cell, group, community, street
    office, land use, expectation ratio, frequent caller), `kinds` the
    kinds' (category, contact and closure deadlines, P(needs a department)); a problem
    needs a department when its `u_department` (float64, as drawn) is below the latter."""
    (person_id_c, slot_c, cell_c, kind_c, shared_c, n_affected_c, category_c, group_c,
     community_c, street_c, land_use_c, arisen_c, contact_c, closure_c, needs_c,
     expected_c, frequent_c) = columns  # fmt: skip
    shared, n_affected = sharing
    person_id, cell, group, community, street, land_use, expectation, frequent = people
    category, contact_deadline, closure_deadline, needs_prob = kinds
    for i in range(len(slot)):
        r, s, k = start + i, slot[i], kind[i]
        person_id_c[r], slot_c[r], cell_c[r], kind_c[r] = person_id[s], s, cell[s], k
        shared_c[r], n_affected_c[r], category_c[r] = shared[i], n_affected[i], category[k]
        group_c[r], community_c[r], street_c[r] = group[s], community[s], street[s]
        land_use_c[r], arisen_c[r] = land_use[s], hour[i]
        contact_c[r], closure_c[r] = contact_deadline[k], closure_deadline[k]
        needs_c[r] = u_department[i] < needs_prob[k]
        expected_c[r] = expectation[s] * closure_deadline[k]
        frequent_c[r] = frequent[s]
