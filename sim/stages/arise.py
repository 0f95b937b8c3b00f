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
from sim.population import ELDERLY, MIGRANT
from sim.state import DRAWS, D, DistrictState, RunState


def individual_candidates(run: RunState, t0: float, ceiling: float):
    """Candidate needs of every slot today: (slot, kind, hour, accept_u, draws, envelope)."""
    kinds, pop, rng = run.world.kinds, run.world.population, run.streams["needs"]
    top = np.maximum(kinds.migrant_multiplier, 1.0) * np.maximum(kinds.elderly_multiplier, 1.0)
    envelope = kinds.rate_per_person_h * top * ceiling
    n = rng.poisson(pop.capacity * envelope.sum() * 24.0) if envelope.sum() > 0 else 0
    slot = rng.integers(0, pop.capacity, n)
    kind = choose(rng, envelope / envelope.sum(), n) if n else np.empty(0, int)
    hour = t0 + 24.0 * rng.random(n)
    accept_u = rng.random(n)
    draws = rng.random((n, len(DRAWS)))
    return slot, kind, hour, accept_u, draws, envelope


def choose(rng: np.random.Generator, p: np.ndarray, n: int) -> np.ndarray:
    """`rng.choice(len(p), n, p=p)` without its checks of `p` (~12 us a call): the same
    draws and the same picks, numpy's inverse CDF (a uniform each, searched in the
    normalised cumulative sum of p)."""
    cdf = np.cumsum(p)
    cdf /= cdf[-1]
    return cdf.searchsorted(rng.random(n), side="right")


def needs_arise(state: DistrictState, t0: float, t1: float) -> None:
    """Today's new needs join the latent ones."""
    kinds, pop = state.world.kinds, state.world.population
    ceiling = state.scenario.surge_ceiling
    slot, kind, hour, accept_u, draws, envelope = individual_candidates(state, t0, ceiling)
    rate = (
        kinds.rate_per_person_h[kind]
        * np.where(pop.group[slot] == MIGRANT, kinds.migrant_multiplier[kind], 1.0)
        * np.where(pop.age_band[slot] == ELDERLY, kinds.elderly_multiplier[kind], 1.0)
        * need_multiplier(state, kind, pop.cell[slot])
    )
    keep = pop.present[slot] & (accept_u * envelope[kind] < rate)
    _new_latent(state, slot[keep], kind[keep], hour[keep], draws[keep], shared=False)
    if kinds.rate_per_cell_h.sum() > 0:
        _shared_needs(state, t0, ceiling)


def _shared_needs(state: DistrictState, t0: float, ceiling: float) -> None:
    """Candidates per residential cell, each owned by a present person there."""
    kinds, rng = state.world.kinds, state.streams["needs"]
    cells = np.flatnonzero(state.world.layout.residential)
    cell_env = kinds.rate_per_cell_h * ceiling
    n = rng.poisson(len(cells) * cell_env.sum() * 24.0)
    cell = cells[rng.integers(0, len(cells), n)]
    kind = choose(rng, cell_env / cell_env.sum(), n)
    hour = t0 + 24.0 * rng.random(n)
    accept_u = rng.random(n)
    draws = rng.random((n, len(DRAWS)))
    rate = kinds.rate_per_cell_h[kind] * need_multiplier(state, kind, cell)
    keep = accept_u * cell_env[kind] < rate
    cell, kind, hour, draws = cell[keep], kind[keep], hour[keep], draws[keep]
    owner = _owner_in_cell(state, cell, draws[:, D["u_owner"]])
    ok = owner >= 0
    _new_latent(state, owner[ok], kind[ok], hour[ok], draws[ok], shared=True)


def need_multiplier(state: DistrictState, kind: np.ndarray, cell: np.ndarray) -> np.ndarray:
    """Mechanisms that change how often needs arise: root-cause fixes and shocks.

    Thinning keeps common random numbers: a lower rate rejects a subset of the same
    candidates; a shock may raise a rate up to `surge_ceiling`.
    """
    community = state.world.layout.community[cell]
    fixed = state.programmes.fix_until_day[kind, community] > state.day  # a root-cause fix
    multiplier = np.where(fixed, 1.0 - state.mech.services.fix_rate_cut_share, 1.0)
    if state.shocks is not None:
        multiplier = multiplier * state.shocks.need_multiplier(state.day, kind, cell)
    return multiplier


def _owner_in_cell(state: DistrictState, cell: np.ndarray, u: np.ndarray) -> np.ndarray:
    """A present person of each cell, picked by `u`; -1 where the cell is empty."""
    start, n_present = state.present_in_cells(cell)
    k = np.minimum((u * n_present).astype(np.int64), np.maximum(n_present - 1, 0))
    return passes.pick_present(
        state.slots_by_cell, state.world.population.present, start, n_present, k
    )


def _new_latent(state: DistrictState, slot, kind, hour, draws, shared: bool) -> None:
    ids = log_new_problems(state, slot, kind, hour, draws, shared)
    state.add_latent(ids, race.thresholds(state.log.draws, ids))


def log_new_problems(run: RunState, slot, kind, hour, draws, shared: bool) -> np.ndarray:
    """Write new problems to the log in order of the hour they arise; returns their ids."""
    if len(slot) == 0:
        return np.empty(0, np.int64)
    order = np.argsort(hour, kind="stable")
    slot, kind, hour, draws = slot[order], kind[order], hour[order], draws[order]
    pop, kinds, log = run.world.population, run.world.kinds, run.log
    if shared:
        _, present_in_cell = run.present_in_cells(pop.cell[slot])
        n_affected = np.maximum(1, np.round(kinds.affected_share[kind] * present_in_cell))
    else:
        n_affected = np.ones(len(slot))
    rows = log.reserve(len(slot), draws)
    _write_new(
        rows.start, slot, kind, hour, shared, n_affected, draws[:, D["u_department"]],
        tuple(log.cols[name] for name in NEW_COLUMNS),
        (
            pop.person_id, pop.cell, pop.group, pop.community, pop.street_office, pop.land_use,
            pop.expectation_ratio,
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
    "closure_deadline_h", "needs_department", "expected_h",
)  # fmt: skip


@numba.njit(cache=True, nogil=True)
def _write_new(start, slot, kind, hour, shared, n_affected, u_department, columns, people, kinds):
    """New problems' fields from their owner's and kind's, written from row `start` on in
    one pass (instead of a gather and a write per field): `people` is the owners' (person
    id, cell, group, community, street office, land use, expectation ratio), `kinds` the
    kinds' (category, contact and closure deadlines, P(needs a department)); a problem
    needs a department when its `u_department` (float64, as drawn) is below the latter."""
    (person_id_c, slot_c, cell_c, kind_c, shared_c, n_affected_c, category_c, group_c,
     community_c, street_c, land_use_c, arisen_c, contact_c, closure_c, needs_c,
     expected_c) = columns  # fmt: skip
    person_id, cell, group, community, street, land_use, expectation = people
    category, contact_deadline, closure_deadline, needs_prob = kinds
    for i in range(len(slot)):
        r, s, k = start + i, slot[i], kind[i]
        person_id_c[r], slot_c[r], cell_c[r], kind_c[r] = person_id[s], s, cell[s], k
        shared_c[r], n_affected_c[r], category_c[r] = shared, n_affected[i], category[k]
        group_c[r], community_c[r], street_c[r] = group[s], community[s], street[s]
        land_use_c[r], arisen_c[r] = land_use[s], hour[i]
        contact_c[r], closure_c[r] = contact_deadline[k], closure_deadline[k]
        needs_c[r] = u_department[i] < needs_prob[k]
        expected_c[r] = expectation[s] * closure_deadline[k]
