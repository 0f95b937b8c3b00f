"""Handlers learn by doing and forget (ODD §7.27): experience is a fading average of cases
worked a day, and failures scale with it relative to the pre-reform burn-in."""

from __future__ import annotations

from types import SimpleNamespace

import numpy as np
import pytest
from conftest import run
from hypothesis import given, settings
from hypothesis import strategies as st

from sim import fmath
from sim.stages import experience


def _state(half_life_days: float, exponent: float) -> SimpleNamespace:
    dispatch = SimpleNamespace(
        experience_half_life_days=half_life_days, failure_learning_exponent=exponent
    )
    scenario = SimpleNamespace(dispatch=dispatch)
    return SimpleNamespace(experience=experience.new(3), scenario=scenario)


def test_experience_moves_halfway_to_a_new_workload_in_one_half_life():
    state = _state(half_life_days=30, exponent=0.5)
    for _ in range(20):  # a burn-in shorter than a half-life at 2, 5 and 0 cases a day
        experience.record(state, np.array([0, 0, 1, 1, 1, 1, 1]))
        experience.end_day(state)
    experience.start_from_burn_in(state)  # its average, as the reference and a long past
    assert state.experience.reference_per_day == pytest.approx([2.0, 5.0, 0.0])
    for _ in range(30):
        experience.record(state, np.array([0, 0, 0, 0, 1, 1, 1, 1, 1, 2]))  # 4, 5, 1 a day
        experience.end_day(state)
    average = experience.worked_per_day(state.experience)
    assert average[:2] == pytest.approx([3.0, 5.0])  # 2 + (4 − 2) / 2; unchanged
    factor = experience.failure_factor(state, np.array([0, 1, 2]))
    # more work than before fails less, as (3 / 2)^−0.5; no reference work: no learning
    assert factor == pytest.approx([(3 / 2) ** -0.5, 1.0, 1.0])


def test_without_a_pre_reform_reference_nothing_is_learnt():
    cold = ["sim.burn_in_days=0"]
    learns = run(("hotline",), days=60, seed=3, overrides=[*cold, _exponent(1.0)]).problems()
    fixed = run(("hotline",), days=60, seed=3, overrides=[*cold, _exponent(0.0)]).problems()
    assert learns.equals(fixed)


def _exponent(b: float) -> str:
    return f"scenario.dispatch.failure_learning_exponent={b}"


def _failed_share(problems) -> float:
    handled = problems[problems["status"].isin(["solved", "closed_unsolved"])]
    return float((handled["reason"] == "unresolved").mean())


def test_handlers_given_more_cases_fail_fewer_of_them():
    """The merged hotline brings street offices more cases than the burn-in did: with
    learning their attempts fail less often than without; under baseline, about as often."""
    warm = ["sim.burn_in_days=120"]
    effect = {}
    for policy in ("baseline", "hotline"):
        with_learning, without = (
            run((policy,), days=240, seed=5, overrides=[*warm, _exponent(b)]).problems()
            for b in (0.8, 0.0)
        )
        effect[policy] = _failed_share(with_learning) - _failed_share(without)
    assert effect["hotline"] < -0.01
    assert abs(effect["baseline"]) < abs(effect["hotline"]) / 2


@settings(max_examples=60, deadline=None)
@given(st.integers(0, 2**32 - 1), st.integers(0, 30), st.floats(0.0, 3.0), st.booleans())
def test_failure_factors_are_the_numpy_form(seed, n, exponent, weighted):
    """`experience._factors` is the numpy form it replaced, bit for bit (`fmath.power`)."""
    rng = np.random.default_rng(seed)
    reference = np.where(rng.random(6) < 0.3, 0.0, rng.random(6) * 20.0)
    weighted_sum, weight = rng.random(6) * 200.0, float(rng.random() * 30.0) if weighted else 0.0
    pool = rng.integers(0, 6, n)
    worked = weighted_sum / weight if weight > 0 else weighted_sum.copy()
    ratio = np.where(reference[pool] > 0, worked[pool] / np.maximum(reference[pool], 1e-12), 1.0)
    expected = fmath.power(np.minimum(np.maximum(ratio, 0.25), 4.0), -exponent)
    got = experience._factors(pool, (reference, weighted_sum, weight), (0.25, 4.0), -exponent)
    assert np.array_equal(got, expected)
