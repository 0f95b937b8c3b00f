"""Satisfaction, trust, willingness to report and to volunteer: pure functions on arrays.

Functional forms and their sources are written out in ODD.md ("Submodels: behaviour").
"""

from __future__ import annotations

import math

import numba
import numpy as np

from sim import fmath
from sim.config.scenario import BehaviourSpec, VolunteerSpec


@numba.njit(cache=True, nogil=True)
def report_willingness(
    trust: np.ndarray,
    group: np.ndarray,
    owner: np.ndarray,
    base_prob: np.ndarray,
    initial_trust: np.ndarray,
    renter_multiplier: float,
    trust_effect: float,
) -> np.ndarray:
    """P(willing to report): the group's base, moved linearly by trust, lower for renters,
    clipped to 0..1. `base_prob` and `initial_trust` are by group (indexed by `group`).

    One compiled pass over the slots (numba): the population's every day.
    """
    w = np.empty(len(trust))
    for i in range(len(trust)):
        g = group[i]
        p = base_prob[g] * (1.0 + trust_effect * (trust[i] - initial_trust[g]))
        if not owner[i]:
            p = p * renter_multiplier
        w[i] = min(max(p, 0.0), 1.0)
    return w


def case_satisfaction(
    solved: np.ndarray,
    actual_h: np.ndarray,
    expected_h: np.ndarray,
    contacted_on_time: np.ndarray,
    explained: np.ndarray,
    spec: BehaviourSpec,
) -> np.ndarray:
    """Satisfaction with one handled case, 0..1 (expectation-disconfirmation plus performance).

    Disconfirmation is (expected - actual) / expected, clipped to [-1, 1]: positive when the
    case closed sooner than the owner expected (Van Ryzin 2004; 2006).
    """
    disconfirmation = np.clip((expected_h - actual_h) / np.maximum(expected_h, 1e-9), -1.0, 1.0)
    score = (
        spec.case_intercept
        + spec.performance_weight * solved
        + spec.disconfirmation_weight * disconfirmation
        + spec.procedural_weight * contacted_on_time
        + spec.explanation_weight * explained
    )
    return fmath.sigmoid(score)


def crowding_factor(
    stipend_yuan_per_h: float, spec: VolunteerSpec, shape: str | None = None
) -> float:
    """Multiplier on the propensity to volunteer at a given stipend (1 at no stipend).

    dip: a small payment crowds out intrinsic motivation, a larger one partly restores it
    (Gneezy & Rustichini 2000: 239 / 154 / 219 for none / small / large pay), and pay at the
    local part-time minimum wage or above is a job people take (labour supply), so the
    curve rises above unpaid there;
    monotone: crowding out only (pay always lowers volunteering);
    none: no crowding out (pay only adds).
    """
    shape = shape or spec.crowding_shape
    s = stipend_yuan_per_h
    crowd = spec.crowd_out_share * (1.0 - math.exp(-s / spec.crowd_scale_yuan_per_h))
    wage = (s / spec.min_wage_yuan_per_h) ** spec.labour_supply_exponent
    pay = spec.pay_response_share * s / (s + spec.pay_half_yuan_per_h) + (
        spec.labour_supply_share * wage / (1.0 + wage)
    )
    if shape == "dip":
        return float(1.0 - crowd + pay)
    if shape == "monotone":
        return float(1.0 - crowd)
    return float(1.0 + pay)


def volunteer_prob(
    trust: np.ndarray,
    initial_trust: np.ndarray,
    spec: VolunteerSpec,
    stipend_yuan_per_h: float,
    honour_share: float,
) -> np.ndarray:
    """P(a person is an active volunteer): base, moved by trust and honour, times crowding."""
    p = spec.base_volunteer_prob * (
        1.0 + spec.trust_effect * (trust - initial_trust) + spec.honour_effect * honour_share
    )
    return np.clip(p * crowding_factor(stipend_yuan_per_h, spec), 0.0, 1.0)
