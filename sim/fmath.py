"""exp, log1p and power on arrays that give the same bits on every x86-64 CPU.

numpy picks a SIMD kernel for `np.exp`, `np.log1p` and `np.power` by the CPU it runs on:
a machine with AVX-512 uses other kernels than one with AVX2 only, and their results differ
in the last bit now and then. A last bit is enough to flip a draw's comparison once in a
while and send two runs of the same config and seed apart, so results would depend on the
machine. These numpy ufuncs, compiled by numba, call the C library's scalar `exp`, `log1p`
and `pow` on each element (plain calls: no SIMD maths library, see `sim/__init__.py`), which
do not depend on the CPU; the model's Python scalars use `math`, the same C library.
Compiled code also gets scipy's own C `ndtri` (`ndtri`), the function its ufunc runs.
"""

from __future__ import annotations

import math

import llvmlite.binding as llvm
import numba
import numpy as np
from numba.extending import get_cython_function_address

# float64 in and out (ints cast as numpy casts them), any shape, scalars too; each name is
# the compiled numpy ufunc itself (`.ufunc`: numba's wrapper added ~0.7 us a call)


@numba.vectorize(["float64(float64)"], cache=True)
def _exp(x):
    """e ** x."""
    return math.exp(x)


@numba.vectorize(["float64(float64)"], cache=True)
def _log1p(x):
    """log(1 + x) (-inf at x = -1)."""
    return math.log1p(x)


@numba.vectorize(["float64(float64, float64)"], cache=True)
def _power(base, exponent):
    """base ** exponent."""
    return base**exponent


exp, log1p, power = _exp.ufunc, _log1p.ufunc, _power.ufunc


def sigmoid(x: np.ndarray) -> np.ndarray:
    """The logistic function 1 / (1 + e ** -x)."""
    return 1.0 / (1.0 + exp(-np.asarray(x, dtype=np.float64)))


@numba.njit(cache=True, inline="always")
def maximum(a, b):
    """`np.maximum` of two floats in compiled code: NaN if either is."""
    return a if a >= b or math.isnan(a) else b


@numba.njit(cache=True, inline="always")
def minimum(a, b):
    """`np.minimum` of two floats in compiled code: NaN if either is."""
    return a if a <= b or math.isnan(a) else b


EXP1_TOP = 1.0 - 2.0**-24  # float32 uniforms can round up to 1.0: the largest below it


@numba.njit(cache=True, inline="always")
def exp1(u):
    """An Exp(1) draw from one uniform on [0, 1) stored as float32 (`state.exp1` of arrays)."""
    return -math.log1p(-min(float(u), EXP1_TOP))


# scipy's normal quantile: the C function its `ndtri` ufunc runs on a double, by name for
# compiled code (cached code finds it by that name). Its second argument is Cython's
# skip-dispatch flag, unused by a module's function.
llvm.add_symbol(
    "govsim_scipy_ndtri", get_cython_function_address("scipy.special.cython_special", "ndtri")
)
_ndtri = numba.types.ExternalFunction(
    "govsim_scipy_ndtri", numba.types.float64(numba.types.float64, numba.types.intc)
)


@numba.njit(cache=True, inline="always")
def ndtri(p):
    """`scipy.special.ndtri` of one float in compiled code (the same C function)."""
    return _ndtri(p, 1)
