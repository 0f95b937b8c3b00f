"""`passes.feel`, one compiled call, moves people as `people.feel`'s steps did one by one:
present owners (trust, then satisfaction, changes logged), then the neighbours each shared
case affected, bit for bit."""

from __future__ import annotations

from itertools import pairwise

import numpy as np
from hypothesis import given, settings
from hypothesis import strategies as st

from sim import passes


def _feel_in_steps(ids, score, problems, people, cells, shares, change):
    """The steps `people.feel` took before they were one call."""
    slot, shared, cell, n_affected, u_affected = problems
    present, trust, satisfaction = people
    slots_by_cell, cell_start, _ = cells
    here = present[slot[ids]]
    passes.move_toward(trust, slot[ids][here], score[here], shares[0])
    moved = passes.move_toward(satisfaction, slot[ids][here], score[here], shares[1])
    change[ids] = np.nan
    change[ids[here]] = moved
    them = ids[shared[ids]]
    if len(them):
        bounds = np.append(cell_start, len(slots_by_cell))  # each cell counted afresh
        count = np.array([present[slots_by_cell[a:b]].sum() for a, b in pairwise(bounds)])
        start, n_present = cell_start[cell[them]], count[cell[them]]
        others = np.maximum(np.minimum(n_affected[them] - 1, n_present - 1), 0)
        first = (u_affected[them] * n_present).astype(np.int64)
        which, neighbour = passes.neighbours(
            slots_by_cell, present, start, n_present, others, first, slot[them]
        )
        passes.move_toward(trust, neighbour, score[shared[ids]][which], shares[0])
        passes.move_toward(satisfaction, neighbour, score[shared[ids]][which], shares[1])


@settings(max_examples=60, deadline=None)
@given(st.integers(1, 12), st.integers(0, 25), st.integers(0, 2**32 - 1))
def test_feel_is_its_steps(n_cells, n_ids, seed):
    rng = np.random.default_rng(seed)
    n_people, n_problems = 10 * n_cells, 40
    cell_of_slot = rng.integers(0, n_cells, n_people)
    slots_by_cell = np.argsort(cell_of_slot, kind="stable")
    cell_start = np.searchsorted(cell_of_slot[slots_by_cell], np.arange(n_cells))
    slot = rng.integers(0, n_people, n_problems)
    problems = (
        slot, rng.random(n_problems) < 0.4, cell_of_slot[slot].astype(np.int32),
        rng.integers(1, 15, n_problems).astype(np.int32),
        rng.random((n_problems, 3)).astype(np.float32)[:, 1],
    )  # fmt: skip
    present = rng.random(n_people) < 0.8
    ids = rng.integers(0, n_problems, n_ids)
    score = rng.random(n_ids) * 1.4 - 0.2
    present_by_cell = np.bincount(cell_of_slot[present], minlength=n_cells)
    cells, shares = (slots_by_cell, cell_start, present_by_cell), (0.05, 0.1)
    start = (rng.random(n_people), rng.random(n_people), np.full(n_problems, 7.0))
    want = tuple(a.copy() for a in start)
    _feel_in_steps(ids, score, problems, (present, *want[:2]), cells, shares, want[2])
    got = tuple(a.copy() for a in start)
    passes.feel(ids, score, problems, (present, *got[:2]), cells, shares, got[2])
    for a, b in zip(got, want, strict=True):
        assert np.array_equal(a, b, equal_nan=True)
