"""退回重办: a "no" at the callback sends the order back to its handler for a fresh attempt."""

from __future__ import annotations

import pandas as pd
import pytest
from conftest import matches_recount, run


def limit(n: int, seed: int = 4):
    return run(days=150, seed=seed, overrides=[f"scenario.dispatch.callback_rework_limit={n}"])


@pytest.fixture(scope="module")
def runs():
    return {n: limit(n) for n in (0, 1, 2)}


FIRST = ("first_solved", "first_rated_resolved", "first_rated_satisfied")


def problems(model) -> pd.DataFrame:
    return model.problems()


def sent_back(p: pd.DataFrame) -> pd.DataFrame:
    """Orders with a second attempt; their first attempt's flags are all set."""
    again = p[p["attempts"] > 1]
    assert again[list(FIRST)].notna().all().all()
    return again.astype(dict.fromkeys(FIRST, bool))


def test_without_rework_every_order_has_one_attempt(runs):
    p = problems(runs[0])
    assert (p["attempts"] == 1).all()
    assert p["first_closed_h"].isna().all() and p["first_solved"].isna().all()


@pytest.mark.parametrize("n", [1, 2])
def test_orders_sent_back_show_both_attempts(runs, n):
    p = problems(runs[n])
    again = sent_back(p)
    assert len(again) > 0 and p["attempts"].max() == n + 1
    assert (again["channel"] == "hotline").all()  # only callbacks send orders back
    # the first attempt was rated "no" on resolution or satisfaction, and closed earlier
    said_no = ~(again["first_rated_resolved"] & again["first_rated_satisfied"])
    assert said_no.all()
    closed = again[again["closed_h"].notna()]
    assert (closed["first_closed_h"] < closed["closed_h"]).all()
    # a fix the owner was unhappy with stays fixed when it closes
    fixed = closed[closed["first_solved"] & closed["status"].isin(["solved", "closed_unsolved"])]
    assert (fixed["status"] == "solved").all()
    assert matches_recount(runs[n])


def test_more_attempts_solve_more(runs):
    """A fresh attempt draws again: the real solved share of hotline orders rises with the
    limit, and orders first closed unsolved are solved at a second attempt."""
    hot = {n: problems(m).query("channel == 'hotline'") for n, m in runs.items()}
    solved = {n: (p["status"] == "solved").mean() for n, p in hot.items()}
    assert solved[0] < solved[1] < solved[2]
    again = sent_back(hot[1])
    assert ((~again["first_solved"]) & (again["status"] == "solved")).sum() > 0


def test_orders_are_sent_back_under_kaohe_and_not_before_the_reform(runs):
    """退回重办 is part of the 接诉即办 assessment: none at baseline, once under kaohe."""
    assert problems(runs[0])["attempts"].max() == 1
    default = problems(run(days=150, seed=4))
    assert default["attempts"].max() == 1
    kaohe = problems(run(["kaohe"], days=150, seed=4))
    assert kaohe["attempts"].max() == 2 and (kaohe["attempts"] == 2).sum() > 0
