"""Authority decides "outside policy": a residual share of demands no one can meet, the
holder's power, and a fresh attempt that can solve what a first one did not."""

from __future__ import annotations

import numpy as np
import pytest
from conftest import run

from sim.records import HANDLERS, SOLVED
from sim.stages import closing
from sim.state import DRAWS, D


@pytest.fixture(scope="module")
def base():
    return run(days=150, seed=6)


def test_demands_outside_any_policy_are_never_solved_by_a_handler(base):
    log, kinds = base.state.log, base.world.kinds
    outside = log.draws[: log.size, D["u_outside"]] < kinds.outside_policy_share[log.kind]
    on_the_spot = np.isin(log.handler, [HANDLERS.index(h) for h in ("grid_worker", "volunteer")])
    assert outside.sum() > 0
    assert not (outside & ~on_the_spot & (log.status == SOLVED)).any()
    assert not (outside & (log.status == SOLVED)).any()  # finders cannot fix them either
    p = base.problems()
    reasons = p.loc[p["status"] == "closed_unsolved", "reason"].value_counts(normalize=True)
    assert {"outside_policy", "outside_authority", "unresolved"} <= set(reasons.index)
    assert reasons["outside_policy"] < 0.5  # no longer the one fixed draw for everything


def test_a_larger_outside_share_solves_fewer_of_that_kind():
    """A first attempt keeps its calibrated success (solve_prob / (1 − ω) of the demands
    inside policy: solve_prob of all); a rework can solve only demands inside policy, so
    over two attempts a larger outside share ω solves fewer. 20,000 cases of one kind, the
    same draws at every ω, through the engine's own `solvable`."""
    rng = np.random.default_rng(6)
    n, solve_prob = 20_000, 0.4
    draws = rng.random((n, len(DRAWS))).astype(np.float32)
    ids, pool = np.arange(n), np.zeros(n, np.int64)
    pools = (np.ones(1), np.zeros(1, bool))  # a local handler, no multiplier
    codes = (0, 1, 2)

    def solved(omega: float, attempt: int) -> np.ndarray:
        problems = (
            np.zeros(n, np.int16), np.zeros(n, bool), np.full(n, attempt, np.int8),
            np.zeros(n, bool),
        )  # fmt: skip
        kinds = (np.array([omega]), np.ones(1), np.array([solve_prob]))
        return closing.solvable(ids, pool, problems, draws, kinds, pools, np.empty(0), codes)[0]

    first = {omega: solved(omega, 1).mean() for omega in (0.0, 0.25, 0.5)}
    two = {omega: (solved(omega, 1) | solved(omega, 2)).mean() for omega in (0.0, 0.25, 0.5)}
    assert all(abs(share - solve_prob) < 0.012 for share in first.values())
    assert two[0.0] > two[0.25] + 0.02 > two[0.5] + 0.04
    # inside policy a first failure is retried at success p = solve_prob / (1 − ω)
    for omega, share in two.items():
        p = solve_prob / (1 - omega)
        assert share == pytest.approx((1 - omega) * (1 - (1 - p) ** 2), abs=0.012)


def test_outside_share_cannot_exceed_what_solving_leaves():
    from sim import load_params
    from sim.config.types import ConfigError

    with pytest.raises(ConfigError, match="outside_policy_share"):
        load_params(overrides=["scenario.kinds.jobs.outside_policy_share=0.6"])
