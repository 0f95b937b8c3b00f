"""Functional forms of behaviour: shapes the literature asks for."""

from __future__ import annotations

import numpy as np
from hypothesis import given, settings
from hypothesis import strategies as st

from sim import behaviour, load_params
from sim.behaviour import crowding_factor, report_willingness, volunteer_prob

SPEC = load_params().scenario


def test_a_small_stipend_lowers_volunteering_a_larger_one_partly_restores_it():
    spec = SPEC.volunteers
    none, small, large = (crowding_factor(s, spec, "dip") for s in (0.0, 3.0, 15.0))
    assert small < large < none  # Gneezy & Rustichini: 239 / 154 / 219
    assert 0.55 < small / none < 0.8


def test_pay_at_the_part_time_minimum_wage_or_above_beats_unpaid():
    spec = SPEC.volunteers
    wage = spec.min_wage_yuan_per_h
    above = [crowding_factor(s, spec, "dip") for s in np.linspace(wage, 5 * wage, 20)]
    assert min(above) > crowding_factor(0.0, spec, "dip")
    assert np.all(np.diff(above) > 0)  # more pay, more volunteering once it is a wage


def test_crowding_family():
    spec = SPEC.volunteers
    stipends = np.linspace(0, 200, 50)
    monotone = [crowding_factor(s, spec, "monotone") for s in stipends]
    no_crowding = [crowding_factor(s, spec, "none") for s in stipends]
    assert np.all(np.diff(monotone) <= 0) and np.all(np.diff(no_crowding) >= 0)
    assert crowding_factor(0.0, spec, "dip") == 1.0


def case_satisfaction(solved, actual_h, expected_h, on_time, explained, spec):
    """`behaviour.case_satisfaction` of each case (arrays), with the scenario's weights."""
    weights = (
        spec.case_intercept, spec.performance_weight, spec.disconfirmation_weight,
        spec.procedural_weight, spec.explanation_weight,
    )  # fmt: skip
    cases = zip(solved, actual_h, expected_h, on_time, explained, strict=True)
    return np.array([behaviour.case_satisfaction(*case, weights) for case in cases])


def test_satisfaction_rises_with_performance_and_with_beating_expectations():
    b = SPEC.behaviour
    one = np.ones(1)
    solved = case_satisfaction(one, 50 * one, 100 * one, one, one, b)
    unsolved = case_satisfaction(0 * one, 50 * one, 100 * one, one, one, b)
    late = case_satisfaction(one, 150 * one, 100 * one, one, one, b)
    no_contact = case_satisfaction(one, 50 * one, 100 * one, 0 * one, one, b)
    assert solved > late and solved > unsolved and solved > no_contact
    # the same performance satisfies less when expectations are higher
    demanding = case_satisfaction(one, 50 * one, 40 * one, one, one, b)
    assert demanding < solved


def test_willingness_moves_with_trust_and_is_lower_for_renters():
    trust = np.array([0.2, 0.6, 0.9])
    group, by_group = np.zeros(3, np.int8), np.array([0.6, 0.6])
    owners = report_willingness(trust, group, np.ones(3, bool), by_group, by_group, 0.8, 1.0)
    renters = report_willingness(trust, group, np.zeros(3, bool), by_group, by_group, 0.8, 1.0)
    assert np.all(np.diff(owners) > 0) and np.all(renters < owners)
    assert np.all((owners >= 0) & (owners <= 1))


@settings(max_examples=60, deadline=None)
@given(st.integers(0, 200), st.integers(0, 2**32 - 1), st.floats(0.0, 30.0), st.floats(0, 1))
def test_volunteer_prob_is_the_numpy_form(n, seed, stipend, honour):
    """The compiled pass gives the numpy expression it replaced, bit for bit (NaN trust
    stays NaN, as np.clip keeps it)."""
    rng = np.random.default_rng(seed)
    spec = SPEC.volunteers
    trust = np.where(rng.random(n) < 0.05, np.nan, rng.random(n))
    group, initial = rng.integers(0, 2, n).astype(np.int8), rng.random(2)
    p = spec.base_volunteer_prob * (
        1.0 + spec.trust_effect * (trust - initial[group]) + spec.honour_effect * honour
    )
    expected = np.clip(p * crowding_factor(stipend, spec), 0.0, 1.0)
    got = volunteer_prob(trust, group, initial, spec, (stipend, honour))
    assert np.array_equal(got, expected, equal_nan=True)


@settings(max_examples=40, deadline=None)
@given(st.integers(0, 100), st.integers(0, 2**32 - 1), st.floats(0.0, 5.0), st.floats(0.0, 2.0))
def test_volunteer_probs_clip_at_both_ends(n, seed, trust_effect, crowding):
    """Trust far below its group's initial under a strong trust effect (p below 0), or far
    above it (p above 1): clipped as np.clip clips the numpy form."""
    rng = np.random.default_rng(seed)
    trust, group = rng.random(n), rng.integers(0, 2, n).astype(np.int8)
    initial, base, honour = rng.random(2), float(rng.random()), float(rng.random())
    p = base * (1.0 + trust_effect * (trust - initial[group]) + honour)
    expected = np.clip(p * crowding, 0.0, 1.0)
    got = behaviour.volunteer_probs(trust, group, initial, (base, trust_effect, honour, crowding))
    assert np.array_equal(got, expected)
