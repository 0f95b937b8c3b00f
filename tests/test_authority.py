"""Authority decides "outside policy": a residual share of demands no one can meet, the
holder's power, and a fresh attempt that can solve what a first one did not."""

from __future__ import annotations

import numpy as np
import pytest
from conftest import run

from sim.records import HANDLERS, SOLVED
from sim.state import D


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
    solved = []
    for share in (0.0, 0.25, 0.5):
        over = [
            f"scenario.kinds.jobs.outside_policy_share={share}",
            "scenario.dispatch.community_report_rate_per_day=0.3",  # enough jobs cases closed
        ]
        p = run(days=150, seed=6, overrides=over).problems()
        jobs = p[(p["kind"] == "jobs") & p["status"].isin(["solved", "closed_unsolved"])]
        solved.append((jobs["status"] == "solved").mean())
    assert solved[0] > solved[1] > solved[2]


def test_outside_share_cannot_exceed_what_solving_leaves():
    from sim import load_params
    from sim.config.types import ConfigError

    with pytest.raises(ConfigError, match="outside_policy_share"):
        load_params(overrides=["scenario.kinds.jobs.outside_policy_share=0.6"])
