"""Results do not depend on the CPU: the model's exp and pow are the C library's scalar ones.

numpy's `np.exp` and `np.power` take a SIMD kernel chosen by the CPU (AVX-512 or AVX2), and
the kernels differ in the last bit, which sent runs of the same seed apart between machines.
"""

from __future__ import annotations

import math
import re
from pathlib import Path

import numpy as np
from hypothesis import given, settings
from hypothesis import strategies as st
from hypothesis.extra import numpy as hnp

from sim import fmath

FINITE = st.floats(-700, 700, allow_nan=False)
SIM = Path(__file__).resolve().parents[1] / "sim"


@settings(deadline=None)  # the first call loads the compiled loop
@given(hnp.arrays(np.float64, st.integers(0, 50), elements=FINITE))
def test_exp_and_log1p_are_the_c_librarys_element_by_element(x):
    assert fmath.exp(x).tolist() == [math.exp(v) for v in x]
    u = np.abs(x) / 701.0 - 0.999  # in (-1, 0]
    assert fmath.log1p(u).tolist() == [math.log1p(v) for v in u]


@given(
    hnp.arrays(np.int32, st.integers(0, 50), elements=st.integers(1, 10_000)),
    st.floats(-3, 3, allow_nan=False),
)
@settings(deadline=None)
def test_power_is_the_c_librarys_pow_element_by_element(base, exponent):
    assert fmath.power(base, exponent).tolist() == [float(b) ** exponent for b in base]


def test_shapes_are_kept_and_sigmoid_is_the_logistic_function():
    x = np.arange(-6.0, 6.0).reshape(3, 4)
    assert fmath.exp(x).shape == (3, 4)
    assert np.allclose(fmath.sigmoid(x), 1 / (1 + np.exp(-x)), rtol=0, atol=1e-15)
    assert fmath.sigmoid(np.array([0.0]))[0] == 0.5


def test_the_model_calls_no_cpu_dependent_maths():
    """The simulation's modules use sim.fmath, not numpy's SIMD exp/pow or a BLAS product
    (validation and the page only read results, so they may)."""
    pattern = re.compile(r"np\.(exp|expm1|log|log1p|power|float_power|dot|matmul)\(| @ ")
    offenders = [
        f"{path.relative_to(SIM)}:{number}"
        for path in SIM.rglob("*.py")
        if path.parent.name not in ("validation", "page") and path.name != "fmath.py"
        for number, line in enumerate(path.read_text().splitlines(), 1)
        if pattern.search(line.split("#")[0])
    ]
    assert not offenders, offenders
