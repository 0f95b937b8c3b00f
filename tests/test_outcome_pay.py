"""Paid by outcome, family service centres try a failed case again: more of their cases end
solved, each retry is a logged second attempt in the centre's own queue, and nothing else
about the case (outside policy, entitlement) can be retried away."""

from __future__ import annotations

import pytest
from conftest import run

LEVER = "policies.purchase_services.payment"


@pytest.fixture(scope="module")
def arms():
    return {
        pay: run(("purchase_services",), days=150, seed=7, overrides=[f"{LEVER}={pay}"])
        for pay in ("output", "outcome")
    }


def _centre(model):
    p = model.problems()
    return p[(p["handler"] == "social_org") & p["status"].isin(["solved", "closed_unsolved"])]


def test_output_pay_never_retries(arms):
    assert (_centre(arms["output"])["attempts"] == 1).all()


def test_outcome_pay_retries_failed_cases_once_and_solves_more(arms):
    out, paid = _centre(arms["output"]), _centre(arms["outcome"])
    again = paid[paid["attempts"] > 1]
    assert len(again) > 0 and (again["attempts"] <= 2).all()
    assert (~again["first_solved"].astype(bool)).all() and again["first_closed_h"].notna().all()
    assert (again["closed_h"] >= again["first_closed_h"]).all()  # the retry comes after
    solved = lambda p: (p["status"] == "solved").mean()  # noqa: E731
    assert solved(paid) > solved(out) + 0.02
    # what was outside any policy stays unsolved: retries never touch those reasons
    outside = paid[paid["reason"].astype(str) == "outside_policy"]
    assert (outside["attempts"] == 1).all()
