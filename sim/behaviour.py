"""Satisfaction, trust, willingness to report and to volunteer: pure functions on arrays.

Functional forms and their sources are written out in ODD.md ("Submodels: behaviour").
"""

from __future__ import annotations

import math

import numba
import numpy as np

from sim import fmath
from sim.config.scenario import VolunteerSpec


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

    One compiled pass over the slots (numba): the population's every day. The two groups'
    values are picked by a select, not read through the group code (so the loop runs on
    vectors: a quarter of the time).
    """
    w = np.empty(len(trust))
    base_0, base_1 = base_prob[0], base_prob[1]
    trust_0, trust_1 = initial_trust[0], initial_trust[1]
    for i in range(len(trust)):
        migrant = group[i] == 1
        base, initial = (base_1, trust_1) if migrant else (base_0, trust_0)
        p = base * (1.0 + trust_effect * (trust[i] - initial))
        if not owner[i]:
            p = p * renter_multiplier
        w[i] = min(max(p, 0.0), 1.0)
    return w


@numba.njit(cache=True, nogil=True, inline="always")
def case_satisfaction(solved, actual_h, expected_h, on_time, explained, weights) -> float:
    """Satisfaction with one handled case, 0..1 (expectation-disconfirmation plus performance;
    the closing pass, `stages.closing`, applies it case by case). `weights` is (intercept,
    performance, disconfirmation, procedural, explanation).

    Disconfirmation is (expected - actual) / expected, clipped to [-1, 1]: positive when the
    case closed sooner than the owner expected (Van Ryzin 2004; 2006); NaN stays NaN.
    """
    floor = expected_h if (expected_h > 1e-9 or math.isnan(expected_h)) else 1e-9  # maximum
    disconfirmation = (expected_h - actual_h) / floor
    if not math.isnan(disconfirmation):  # as np.clip, which keeps NaN
        disconfirmation = min(max(disconfirmation, -1.0), 1.0)
    score = (
        weights[0]
        + weights[1] * (1.0 if solved else 0.0)
        + weights[2] * disconfirmation
        + weights[3] * (1.0 if on_time else 0.0)
        + weights[4] * (1.0 if explained else 0.0)
    )
    return 1.0 / (1.0 + math.exp(-score))


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
    group: np.ndarray,
    initial_trust: np.ndarray,
    spec: VolunteerSpec,
    levers: tuple[float, float],
) -> np.ndarray:
    """P(a person is an active volunteer): base, moved by trust (from their group's initial
    trust, `initial_trust` by group) and honour, times crowding; `levers` is (stipend yuan
    an hour, honour share). One compiled pass, `volunteer_probs`."""
    stipend_yuan_per_h, honour_share = levers
    rates = (
        float(spec.base_volunteer_prob), float(spec.trust_effect),
        float(spec.honour_effect * honour_share),
        crowding_factor(stipend_yuan_per_h, spec),
    )  # fmt: skip
    return volunteer_probs(trust, group, initial_trust, rates)


@numba.njit(cache=True, nogil=True)
def volunteer_probs(trust, group, initial_trust, rates):
    """`volunteer_prob` of each person: base × (1 + trust effect × (trust − initial) +
    honour), times crowding, clipped to 0..1 (NaN stays, as np.clip). `rates` is (base,
    trust effect, honour effect × honour share, crowding factor); the numpy form's
    operations, in its order (the group's initial trust picked by a select, as in
    `report_willingness`)."""
    base, trust_effect, honour, crowding = rates
    out = np.empty(len(trust))
    trust_0, trust_1 = initial_trust[0], initial_trust[1]
    for i in range(len(trust)):
        initial = trust_1 if group[i] == 1 else trust_0
        p = base * (1.0 + trust_effect * (trust[i] - initial) + honour)
        out[i] = fmath.minimum(fmath.maximum(p * crowding, 0.0), 1.0)
    return out
